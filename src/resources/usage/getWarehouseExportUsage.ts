// GET /api/v2/usage/warehouse-export (beta) — what Data Export sent to warehouse destinations: iterlab exports
// nothing (its destinations are kept, not delivered to), so every figure is 0, in the shape and with the checks
// LaunchDarkly's has (the destination kinds it filters by, its groupings).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerCountUsage } from './counts.js';

export function getWarehouseExportUsage(app: FastifyInstance, deps: Deps): void {
  registerCountUsage(app, deps, '/api/v2/usage/warehouse-export', {
    labels: () => undefined,
    groupable: ['projectId', 'environmentId', 'destination'],
    filters: { destination: 'destination' },
    filterValues: { destination: ['snowflake-v2', 'databricks', 'bigquery', 'redshift', 'clickhouse'] },
    value: (f) => f.count,
  });
}
