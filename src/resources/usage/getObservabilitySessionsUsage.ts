// GET /api/v2/usage/observability/sessions (beta) — observability sessions: iterlab has no observability, so every figure is 0.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerZeroUsage } from './zero.js';

export function getObservabilitySessionsUsage(app: FastifyInstance, deps: Deps): void {
  registerZeroUsage(app, deps, '/api/v2/usage/observability/sessions');
}
