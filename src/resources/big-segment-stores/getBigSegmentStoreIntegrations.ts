// GET /api/v2/integration-capabilities/big-segment-store (beta) — every persistent store integration of the account,
// oldest first. Every token may list them (secrets masked), as audit log subscriptions.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { representStoreIntegrations, STORES_PATH } from './represent.js';

export function getBigSegmentStoreIntegrations(app: FastifyInstance, deps: Deps): void {
  app.get(STORES_PATH, { config: { beta: true } }, async () => {
    const rows = await deps.store.db
      .selectFrom('big_segment_stores')
      .innerJoin('environments', 'environments.id', 'big_segment_stores.environment_id')
      .innerJoin('projects', 'projects.id', 'environments.project_id')
      .selectAll('big_segment_stores')
      .select(['projects.key as project_key', 'environments.key as environment_key'])
      .orderBy('big_segment_stores.created_at')
      .orderBy('big_segment_stores.id')
      .execute();
    const items = rows.map(({ project_key, environment_key, ...row }) => ({ row, scope: { projectKey: project_key, environmentKey: environment_key } }));
    return representStoreIntegrations(items, deps.now());
  });
}
