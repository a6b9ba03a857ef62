// GET /api/v2/code-refs/repositories/{repo} — one repository, without its branches.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findRepository } from './model.js';
import { representRepository } from './represent.js';

export function getRepository(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { repo: string } }>('/api/v2/code-refs/repositories/:repo', async (request) => representRepository(await findRepository(deps.store.db, request.params.repo)));
}
