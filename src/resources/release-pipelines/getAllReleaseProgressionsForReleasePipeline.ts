// GET /api/v2/projects/{projectKey}/release-pipelines/{pipelineKey}/releases (beta) — the releases of every flag along
// the pipeline, oldest first, in pages of 20, with how many are active and complete and how many active releases are
// at each of the pipeline's phases. `filter=status:active|completed`, `activePhaseId:<phase id>` (active releases at
// that phase; with `status:completed` a 400, the two never meet).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseFilter } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { activePhase, releaseDoc } from '../releases/model.js';
import { representProgression } from '../releases/represent.js';
import { findPipeline, PIPELINE_PATH, pipelineDoc, type PipelineParams } from './model.js';
import { pipelinesPath } from './represent.js';

const STATUSES = ['active', 'completed'];

export function getAllReleaseProgressionsForReleasePipeline(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: PipelineParams; Querystring: Record<string, unknown> }>(`${PIPELINE_PATH}/releases`, { config: { beta: true } }, async (request) => {
    const db = deps.store.db;
    const page = readPage(request.query, 20);
    const filter = parseFilter(request.query.filter, ['status', 'activePhaseId']);
    const status = filter.get('status');
    if (status !== undefined && !STATUSES.includes(status)) throw validationFailed([{ attribute: 'filter', reason: `status must be active or completed, not "${status}"` }]);
    const phaseId = filter.get('activePhaseId');
    if (status === 'completed' && phaseId !== undefined) throw validationFailed([{ attribute: 'filter', reason: 'status:completed and activePhaseId cannot be combined: completed releases have no active phase' }]);
    const project = await findProject(db, request.params.projectKey);
    const pipeline = await findPipeline(db, project, request.params.pipelineKey);
    const releases = (
      await db
        .selectFrom('flag_releases')
        .innerJoin('flags', 'flags.id', 'flag_releases.flag_id')
        .selectAll('flag_releases')
        .select('flags.key as flagKey')
        .where('flag_releases.pipeline_id', '=', pipeline.id)
        .orderBy('flag_releases.created_at')
        .orderBy('flags.key')
        .execute()
    ).map((row) => ({ row, flagKey: row.flagKey, active: activePhase(releaseDoc(row)) }));
    const listed = releases.filter(
      (r) => (status === undefined || (status === 'active') === (r.row.active === 1)) && (phaseId === undefined || (r.row.active === 1 && r.active?.id === phaseId)),
    );
    const activeCount = releases.filter((r) => r.row.active === 1).length;
    return {
      activeCount,
      completedCount: releases.length - activeCount,
      items: listed.slice(page.offset, page.offset + page.limit).map((r) => representProgression(project.key, r.flagKey, r.row)),
      phases: pipelineDoc(pipeline).phases.map((phase) => ({
        _id: phase.id,
        name: phase.name,
        releaseCount: releases.filter((r) => r.row.active === 1 && r.active?.id === phase.id).length,
      })),
      totalCount: listed.length,
      _links: pageLinks(`${pipelinesPath(project.key)}/${pipeline.key}/releases`, page, listed.length, { filter: request.query.filter as string | undefined }),
    };
  });
}
