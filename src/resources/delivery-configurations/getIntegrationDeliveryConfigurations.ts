// GET /api/v2/integration-capabilities/featureStore (beta) — every delivery configuration of the account, oldest
// first, secrets masked. Every token may list them, as persistent store integrations.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { Db } from '../../store/db.js';
import { DELIVERY_PATH, representDeliveries, type DeliveryScope } from './represent.js';
import type { DeliveryRow } from './model.js';

/** The delivery configurations, with their project and environment keys; those of one environment when `environmentId` is given. */
export async function deliveriesWithScope(db: Db, environmentId?: string): Promise<{ row: DeliveryRow; scope: DeliveryScope }[]> {
  let query = db
    .selectFrom('delivery_configurations')
    .innerJoin('environments', 'environments.id', 'delivery_configurations.environment_id')
    .innerJoin('projects', 'projects.id', 'environments.project_id')
    .selectAll('delivery_configurations')
    .select(['projects.key as project_key', 'environments.key as environment_key']);
  if (environmentId !== undefined) query = query.where('delivery_configurations.environment_id', '=', environmentId);
  const rows = await query.orderBy('delivery_configurations.created_at').orderBy('delivery_configurations.id').execute();
  return rows.map(({ project_key, environment_key, ...row }) => ({ row, scope: { projectKey: project_key, environmentKey: environment_key } }));
}

export function getIntegrationDeliveryConfigurations(app: FastifyInstance, deps: Deps): void {
  app.get(DELIVERY_PATH, { config: { beta: true } }, async () => representDeliveries(DELIVERY_PATH, await deliveriesWithScope(deps.store.db)));
}
