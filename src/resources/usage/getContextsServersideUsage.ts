// GET /api/v2/usage/serverside-contexts (beta) — the distinct context keys server-side SDKs sent, every kind, grouped by kind.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerContextsUsage } from './contexts.js';

export function getContextsServersideUsage(app: FastifyInstance, deps: Deps): void {
  registerContextsUsage(app, deps, '/api/v2/usage/serverside-contexts', { sdkType: 'server', mau: false });
}
