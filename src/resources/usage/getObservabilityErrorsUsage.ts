// GET /api/v2/usage/observability/errors (beta) — observability errors: iterlab has no observability, so every figure is 0.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerZeroUsage } from './zero.js';

export function getObservabilityErrorsUsage(app: FastifyInstance, deps: Deps): void {
  registerZeroUsage(app, deps, '/api/v2/usage/observability/errors');
}
