// GET /api/v2/usage/clientside-mau (beta) — the distinct primary-kind (user) context keys client-side SDKs sent.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerContextsUsage } from './contexts.js';

export function getMAUClientsideUsage(app: FastifyInstance, deps: Deps): void {
  registerContextsUsage(app, deps, '/api/v2/usage/clientside-mau', { sdkType: 'client', mau: true });
}
