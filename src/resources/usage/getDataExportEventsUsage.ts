// GET /api/v2/usage/data-export-events (beta) — data export events: iterlab exports none (its destinations are kept
// but not delivered to), so every figure is 0, in the shape and with the checks LaunchDarkly's has.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerCountUsage } from './counts.js';

export function getDataExportEventsUsage(app: FastifyInstance, deps: Deps): void {
  registerCountUsage(app, deps, '/api/v2/usage/data-export-events', {
    labels: () => undefined,
    groupable: ['environmentId', 'eventKind'],
    filters: { eventKind: 'eventKind' },
    value: (f) => f.count,
  });
}
