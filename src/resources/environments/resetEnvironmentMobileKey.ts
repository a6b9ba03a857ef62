// POST /api/v2/projects/{projectKey}/environments/{environmentKey}/mobileKey — a new mobile key for the environment (admin).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { resetKey } from './resetKey.js';

export function resetEnvironmentMobileKey(app: FastifyInstance, deps: Deps): void {
  resetKey(app, deps, 'mobile');
}
