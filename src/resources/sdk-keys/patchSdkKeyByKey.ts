// PATCH /api/v2/projects/{projectKey}/environments/{environmentKey}/sdk-keys/{sdkKeyKey} (beta) — change a key's name,
// description or expiry (SdkKeyPatch: the members to set), optionally only at `?version=` (else 409): 200 with it, its
// version one higher. A new expiry takes effect on the SDK routes and the key's open streams (ended at the latest by
// the next heartbeat after it). Nothing is recorded when nothing changed.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { optimisticLock, validationFailed } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { lockEnvironment } from '../environments/environments.js';
import { findProject } from '../projects/projects.js';
import { checkExpiry, findSdkKey, SdkKeyPatch, sdkKeyDoc, type SdkKeyDoc, type SdkKeyRow } from './model.js';
import { auditedSdkKey, representSdkKey, sdkKeyAudit } from './represent.js';

function versionParam(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const version = Number(value);
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(version)) throw validationFailed([{ attribute: 'version', reason: 'must be a non-negative integer' }]);
  return version;
}

export function patchSdkKeyByKey(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; environmentKey: string; sdkKeyKey: string }; Body: SdkKeyPatch; Querystring: Record<string, unknown> }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/sdk-keys/:sdkKeyKey',
    { config: { beta: true }, schema: { body: SdkKeyPatch } },
    async (request) => {
      const expected = versionParam(request.query.version);
      const body = request.body;
      const now = deps.now();
      checkExpiry(body.expiry, now);
      const project = await findProject(deps.store.db, request.params.projectKey);
      const result = await deps.store.tx(async (trx) => {
        const env = await lockEnvironment(trx, deps.store, project, request.params.environmentKey);
        const row = await findSdkKey(trx, env, project.key, request.params.sdkKeyKey, deps.store);
        if (expected !== undefined && expected !== row.version) {
          throw optimisticLock(`version: the SDK key "${row.key}" is at version ${row.version}, not ${expected}`);
        }
        const old = sdkKeyDoc(row);
        const doc: SdkKeyDoc = {
          ...old,
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
        };
        const expiresAt = body.expiry ?? (row.expires_at === null ? null : Number(row.expires_at));
        const unchanged = doc.name === old.name && doc.description === old.description && expiresAt === (row.expires_at === null ? null : Number(row.expires_at));
        if (unchanged) return { env, row, changed: false };
        const next: SdkKeyRow = { ...row, doc: JSON.stringify(doc), expires_at: expiresAt, version: row.version + 1, updated_at: now };
        await trx.updateTable('sdk_keys').set({ doc: next.doc, expires_at: next.expires_at, version: next.version, updated_at: now }).where('id', '=', row.id).execute();
        await recordAudit(
          trx,
          request.actor,
          now,
          sdkKeyAudit(project.key, env.key, next, 'updateSdkKey', `updated the ${row.kind === 'sdk' ? 'SDK' : 'mobile'} key ${doc.name}`, {
            delta: body,
            before: auditedSdkKey(project.key, env.key, row),
            after: auditedSdkKey(project.key, env.key, next),
          }),
        );
        return { env, row: next, changed: true };
      });
      // A new expiry reaches the streams opened with the key.
      if (result.changed && body.expiry !== undefined) deps.changed({ kind: 'environment', projectId: project.id, id: result.env.id });
      return representSdkKey(project.key, result.env.key, result.row);
    },
  );
}
