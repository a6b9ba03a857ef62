// GET /api/v2/usage/clientside-contexts (beta) — the distinct context keys client-side SDKs sent, every kind, grouped by kind.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerContextsUsage } from './contexts.js';

export function getContextsClientsideUsage(app: FastifyInstance, deps: Deps): void {
  registerContextsUsage(app, deps, '/api/v2/usage/clientside-contexts', { sdkType: 'client', mau: false });
}
