// PATCH /api/v2/projects/{projectKey} — a JSON Patch on the project's name, tags, client-side defaults, default
// release pipeline and views settings (admin).
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { Name, Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { listEnvironments, representEnvironment } from '../environments/environments.js';
import { findPipelineByBodyKey } from '../release-pipelines/model.js';
import { findProject, lockProject, representProject, type ProjectDoc, type ProjectRow } from './projects.js';

const Patched = Type.Object({
  name: Name,
  tags: Tags,
  includeInSnippetByDefault: Type.Boolean(),
  defaultClientSideAvailability: Type.Object({ usingMobileKey: Type.Boolean(), usingEnvironmentId: Type.Boolean() }),
  defaultReleasePipelineKey: Type.Optional(Type.String({ minLength: 1 })),
  requireViewAssociationForNewFlags: Type.Boolean(),
  requireViewAssociationForNewSegments: Type.Boolean(),
});

const RULES = {
  writable: ['name', 'tags', 'includeInSnippetByDefault', 'defaultClientSideAvailability', 'defaultReleasePipelineKey', 'requireViewAssociationForNewFlags', 'requireViewAssociationForNewSegments'],
  readOnly: ['_links', '_id', 'key'],
};

/** The project as a patch sees it: its representation without environments. */
function patchView(row: ProjectRow): Record<string, unknown> {
  return representProject(row);
}

export function patchProject(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey', async (request) => {
    const { ops, comment } = readPatchBody(request.body);
    const now = deps.now();
    const result = await deps.store.tx(async (trx) => {
      // Locked, then read again: what is patched is the row as it is now.
      await lockProject(trx, deps.store, (await findProject(trx, request.params.projectKey)).id);
      const row = await findProject(trx, request.params.projectKey);
      const before = patchView(row);
      const patched = applyResourcePatch(before, ops, RULES);
      const errors = check(Patched, Object.fromEntries(RULES.writable.map((field) => [field, patched[field]])));
      if (errors.length > 0) throw validationFailed(errors);
      const old = JSON.parse(row.doc) as ProjectDoc;
      const wanted = patched.defaultClientSideAvailability as ProjectDoc['defaultClientSideAvailability'];
      // `includeInSnippetByDefault` is the older spelling of `defaultClientSideAvailability.usingEnvironmentId`: whichever changed wins.
      const usingEnvironmentId = deepEqual(wanted, old.defaultClientSideAvailability) ? (patched.includeInSnippetByDefault as boolean) : wanted.usingEnvironmentId;
      const defaultReleasePipelineKey = patched.defaultReleasePipelineKey as string | undefined;
      if (defaultReleasePipelineKey !== old.defaultReleasePipelineKey) {
        // A project with pipelines always has a default one: it may be another of them, not none.
        if (defaultReleasePipelineKey === undefined) throw validationFailed([{ attribute: 'defaultReleasePipelineKey', reason: 'cannot be removed; set it to another release pipeline of the project' }]);
        await findPipelineByBodyKey(trx, row, defaultReleasePipelineKey, 'defaultReleasePipelineKey');
      }
      // The views settings are stored only when on, so that turning one off (or sending false) leaves the doc as it was.
      const { requireViewAssociationForNewFlags: _flags, requireViewAssociationForNewSegments: _segments, ...kept } = old;
      const doc: ProjectDoc = {
        ...kept,
        ...(defaultReleasePipelineKey !== undefined ? { defaultReleasePipelineKey } : {}),
        tags: patched.tags as string[],
        includeInSnippetByDefault: usingEnvironmentId,
        defaultClientSideAvailability: { usingMobileKey: wanted.usingMobileKey, usingEnvironmentId },
        ...(patched.requireViewAssociationForNewFlags === true ? { requireViewAssociationForNewFlags: true } : {}),
        ...(patched.requireViewAssociationForNewSegments === true ? { requireViewAssociationForNewSegments: true } : {}),
      };
      const next: ProjectRow = { ...row, name: patched.name as string, doc: JSON.stringify(doc) };
      if (next.name === row.name && deepEqual(doc, old)) return { row, changed: false };
      await trx.updateTable('projects').set({ name: next.name, doc: next.doc }).where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, {
        kind: 'project',
        resource: `proj/${row.key}`,
        action: 'updateProject',
        name: next.name,
        description: `updated the project ${next.name}`,
        projectKey: row.key,
        ...(comment !== undefined ? { comment } : {}),
        delta: ops,
        before,
        after: patchView(next),
      });
      return { row: next, changed: true };
    });
    if (result.changed) deps.changed({ kind: 'project', projectId: result.row.id });
    const environments = await listEnvironments(deps.store.db, result.row.id);
    return representProject(result.row, environments.map((env) => representEnvironment(result.row.key, env)));
  });
}
