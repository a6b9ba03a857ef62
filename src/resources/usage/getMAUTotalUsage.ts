// GET /api/v2/usage/total-mau (beta) — the distinct primary-kind (user) context keys every SDK sent.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerContextsUsage } from './contexts.js';

export function getMAUTotalUsage(app: FastifyInstance, deps: Deps): void {
  registerContextsUsage(app, deps, '/api/v2/usage/total-mau', { mau: true });
}
