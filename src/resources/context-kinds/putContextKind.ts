// PUT /api/v2/projects/{projectKey}/context-kinds/{key} — create or update a context kind.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { KEY_PATTERN, Name } from '../../http/schemas.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject } from '../projects/projects.js';
import { representContextKind, type ContextKindDoc } from './contextKinds.js';

export const UpsertContextKindPayload = Type.Object({
  name: Name,
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  hideInTargeting: Type.Optional(Type.Boolean()),
  archived: Type.Optional(Type.Boolean()),
  version: Type.Optional(Type.Integer()),
});
type UpsertContextKindPayload = Static<typeof UpsertContextKindPayload>;

export function putContextKind(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: { projectKey: string; key: string }; Body: UpsertContextKindPayload }>(
    '/api/v2/projects/:projectKey/context-kinds/:key',
    { schema: { body: UpsertContextKindPayload } },
    async (request) => {
      const { key } = request.params;
      if (!new RegExp(KEY_PATTERN).test(key) || key === 'kind' || key === 'multi') {
        throw validationFailed([{ attribute: 'key', reason: `"${key}" is not a valid context kind key` }]);
      }
      const body = request.body;
      if (body.archived !== undefined && body.hideInTargeting !== undefined && body.archived !== body.hideInTargeting) {
        throw validationFailed([{ attribute: 'hideInTargeting', reason: `is ${body.hideInTargeting}, but archived is ${body.archived}: hideInTargeting is archived's other name` }]);
      }
      if (body.version !== undefined && (!Number.isInteger(body.version) || body.version < 1)) {
        throw validationFailed([{ attribute: 'version', reason: 'must be a whole number, 1 or more' }]);
      }
      const project = await findProject(deps.store.db, request.params.projectKey);
      const now = deps.now();
      const archivedChanged = await deps.store.tx(async (trx) => {
        await lockProject(trx, deps.store, project.id);
        const row = await trx.selectFrom('context_kinds').select('doc').where('project_id', '=', project.id).where('key', '=', key).executeTakeFirst();
        const before = row ? (JSON.parse(row.doc) as ContextKindDoc) : undefined;
        const archived = body.archived ?? body.hideInTargeting ?? before?.archived ?? false;
        const next: ContextKindDoc = {
          name: body.name,
          description: body.description ?? before?.description ?? '',
          version: body.version ?? (before ? before.version + 1 : 1),
          creationDate: before?.creationDate ?? now,
          lastModified: now,
          createdFrom: before?.createdFrom ?? 'manual',
          hideInTargeting: archived,
          archived,
        };
        if (row) {
          await trx.updateTable('context_kinds').set({ doc: JSON.stringify(next) }).where('project_id', '=', project.id).where('key', '=', key).execute();
        } else {
          // An events payload may add the kind meanwhile (it does not lock the project): this PUT's document wins.
          await trx
            .insertInto('context_kinds')
            .values({ project_id: project.id, key, doc: JSON.stringify(next), created_at: now })
            .onConflict((oc) => oc.columns(['project_id', 'key']).doUpdateSet({ doc: JSON.stringify(next) }))
            .execute();
        }
        await recordAudit(trx, request.actor, now, {
          kind: 'context-kind',
          resource: `proj/${project.key}:context-kind/${key}`,
          action: row ? 'updateContextKind' : 'createContextKind',
          name: body.name,
          description: `${row ? 'updated' : 'created'} the context kind ${body.name}`,
          projectKey: project.key,
          before: before && representContextKind(project.key, key, before),
          after: representContextKind(project.key, key, next),
        });
        return (before?.archived ?? false) !== archived;
      });
      // Which registered units are archived kinds is part of the experimentation settings that caches hold (the catalog's).
      if (archivedChanged) deps.changed({ kind: 'settings', projectId: project.id });
      return { status: 'success', _links: { self: link(`/api/v2/projects/${project.key}/context-kinds/${key}`) } };
    },
  );
}
