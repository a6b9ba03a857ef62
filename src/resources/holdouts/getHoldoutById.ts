// GET …/holdouts/id/{holdoutId} (beta) — one holdout by its _id (what experiments' holdoutId holds). The spec answers
// a HoldoutRep here (the experiments in it as `experiments`), not getHoldout's HoldoutDetailRep, and takes no expand.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { findHoldoutById } from './model.js';
import { loadViews, representHoldout } from './represent.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  holdoutId: string;
}

export function getHoldoutById(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/holdouts/id/:holdoutId', { config: { beta: true } }, async (request) => {
    const { projectKey, environmentKey, holdoutId } = request.params;
    const db = deps.store.db;
    const { environment } = await findProjectEnvironment(db, projectKey, environmentKey);
    const row = await findHoldoutById(db, deps.store, environment.id, holdoutId);
    if (!row) throw notFound(`Holdout with _id "${holdoutId}" in project "${projectKey}", environment "${environmentKey}"`);
    const [view] = await loadViews(db, [row]);
    return representHoldout(projectKey, environmentKey, view);
  });
}
