// GET /api/v2/usage/observability/metrics (beta) — observability metrics: iterlab has no observability, so every
// figure is 0; month to date (default) or the average, hourly, daily or monthly.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerZeroUsage } from './zero.js';

export function getObservabilityMetricsUsage(app: FastifyInstance, deps: Deps): void {
  registerZeroUsage(app, deps, '/api/v2/usage/observability/metrics', { aggregations: { month_to_date: ['hourly', 'daily', 'monthly'], average: ['hourly', 'daily', 'monthly'] } });
}
