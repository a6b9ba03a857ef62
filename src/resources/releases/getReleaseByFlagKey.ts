// GET /api/v2/flags/{projectKey}/{flagKey}/release (beta) — the flag's release: 404 when the flag has none.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findFlag } from '../flags/model.js';
import { findProject } from '../projects/projects.js';
import { environmentsByKey } from '../release-pipelines/model.js';
import { FLAG_RELEASE_PATH, findRelease, type ReleaseParams } from './model.js';
import { representRelease } from './represent.js';

export function getReleaseByFlagKey(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ReleaseParams }>(FLAG_RELEASE_PATH, { config: { beta: true } }, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const flag = await findFlag(db, project, request.params.flagKey);
    const row = await findRelease(db, { id: flag.row.id, key: flag.row.key });
    return representRelease(project.key, flag.row.key, row, await environmentsByKey(db, project.id));
  });
}
