// GET …/holdouts/id/{holdoutId} (beta) — one holdout by its _id (what experiments' holdoutId holds), as getHoldout.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { findHoldoutById } from './model.js';
import { holdoutDetail } from './represent.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  holdoutId: string;
}

export function getHoldoutById(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/holdouts/id/:holdoutId', { config: { beta: true } }, async (request) => {
    const { projectKey, environmentKey, holdoutId } = request.params;
    const expand = readExpand(request.query as Record<string, unknown>);
    const db = deps.store.db;
    const { environment } = await findProjectEnvironment(db, projectKey, environmentKey);
    const row = await findHoldoutById(db, deps.store, environment.id, holdoutId);
    if (!row) throw notFound(`Holdout with _id "${holdoutId}" in project "${projectKey}", environment "${environmentKey}"`);
    return holdoutDetail(db, projectKey, environmentKey, row, expand);
  });
}
