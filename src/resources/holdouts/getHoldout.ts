// GET …/holdouts/{holdoutKey} (beta) — one holdout with its base experiment and the experiments in it; `expand`
// shows more of the base experiment (draftIteration, treatments…) and, prefixed `rel-`, of the others.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readExpand } from '../../http/links.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { findHoldout } from './model.js';
import { holdoutDetail } from './represent.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  holdoutKey: string;
}

export function getHoldout(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/holdouts/:holdoutKey', { config: { beta: true } }, async (request) => {
    const { projectKey, environmentKey, holdoutKey } = request.params;
    const expand = readExpand(request.query as Record<string, unknown>);
    const db = deps.store.db;
    const { environment } = await findProjectEnvironment(db, projectKey, environmentKey);
    const row = await findHoldout(db, deps.store, environment.id, holdoutKey, { projectKey, environmentKey });
    return holdoutDetail(db, projectKey, environmentKey, row, expand);
  });
}
