// GET /api/v2/usage/total-contexts (beta) — the distinct context keys every SDK sent, every kind, grouped by kind.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerContextsUsage } from './contexts.js';

export function getContextsTotalUsage(app: FastifyInstance, deps: Deps): void {
  registerContextsUsage(app, deps, '/api/v2/usage/total-contexts', { mau: false });
}
