// POST /api/v2/projects/{projectKey}/release-pipelines (beta) — a new release pipeline: 201 with it. The project's
// first pipeline, or one sent with `isProjectDefault: true`, becomes its default; at most 20 per project; a key in use
// is a 409.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject } from '../projects/projects.js';
import { environmentsByKey, listPipelines, MAX_PIPELINES, phasesOf, PipelinePost, PIPELINES_PATH, setDefaultPipeline, type PipelineDoc, type PipelineRow } from './model.js';
import { pipelineAudit, representPipeline } from './represent.js';

export function postReleasePipeline(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: PipelinePost }>(PIPELINES_PATH, { config: { beta: true }, schema: { body: PipelinePost } }, async (request, reply) => {
    const body = request.body;
    const now = deps.now();
    const result = await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      await lockProject(trx, deps.store, project.id);
      const existing = await listPipelines(trx, project.id);
      if (existing.length >= MAX_PIPELINES) throw validationFailed([{ attribute: 'key', reason: `the project already has ${MAX_PIPELINES} release pipelines, the most it may have` }]);
      const doc: PipelineDoc = {
        name: body.name,
        ...(body.description !== undefined ? { description: body.description } : {}),
        tags: body.tags ?? [],
        phases: await phasesOf(trx, project.id, body.phases),
        isLegacy: body.isLegacy ?? false,
        version: 1,
      };
      const row: PipelineRow = { id: objectId(now), project_id: project.id, key: body.key, doc: JSON.stringify(doc), created_at: now };
      await conflictOnDuplicate(() => trx.insertInto('release_pipelines').values(row).execute(), `A release pipeline with key "${body.key}" already exists in project "${project.key}"`);
      const makeDefault = existing.length === 0 || body.isProjectDefault === true;
      const defaultChanged = makeDefault && (await setDefaultPipeline(trx, project, body.key));
      const rep = representPipeline(project.key, row, makeDefault ? body.key : undefined, await environmentsByKey(trx, project.id));
      await recordAudit(trx, request.actor, now, pipelineAudit(project.key, row, 'createReleasePipeline', 'created', { after: rep }));
      return { rep, projectId: project.id, defaultChanged };
    });
    if (result.defaultChanged) deps.changed({ kind: 'project', projectId: result.projectId });
    return reply.code(201).send(result.rep);
  });
}
