// GET /api/v2/usage/vega-ai (beta) — Vega AI usage: iterlab has no Vega AI, so every figure is 0.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerZeroUsage } from './zero.js';

export function getVegaAIUsage(app: FastifyInstance, deps: Deps): void {
  registerZeroUsage(app, deps, '/api/v2/usage/vega-ai');
}
