// POST /api/v2/integration-capabilities/big-segment-store/{projectKey}/{environmentKey}/{integrationKey} (beta) —
// create a persistent store integration (`redis` or `dynamodb`): 201 with it. An environment has one big segment
// store: a second is a 409. Once committed, an `on` store is synced (sync.ts); its outcome shows in `_status`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { lockEnvironment } from '../environments/environments.js';
import { findStoreForm, storeIntegrationFrom, type StoreIntegrationRow } from './model.js';
import { representStoreIntegration, storeAudit } from './represent.js';
import { syncEnvironment } from './sync.js';

export interface StoreParams {
  projectKey: string;
  environmentKey: string;
  integrationKey: string;
}

export function createBigSegmentStoreIntegration(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: StoreParams }>('/api/v2/integration-capabilities/big-segment-store/:projectKey/:environmentKey/:integrationKey', { config: { beta: true } }, async (request, reply) => {
    const { integrationKey } = request.params;
    const form = findStoreForm(integrationKey);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const doc = storeIntegrationFrom(integrationKey, form, request.body);
    const scope = { projectKey: project.key, environmentKey: environment.key };
    const now = deps.now();
    const row: StoreIntegrationRow = {
      id: objectId(now),
      environment_id: environment.id,
      integration_key: integrationKey,
      doc: JSON.stringify(doc),
      version: 1,
      status: JSON.stringify({ errors: [] }),
      created_at: now,
      last_modified: now,
    };
    await deps.store.tx(async (trx) => {
      // Locked on PostgreSQL so that two creations in one environment cannot both pass the check.
      await lockEnvironment(trx, deps.store, project, environment.key);
      const existing = await trx.selectFrom('big_segment_stores').select(['integration_key', 'id']).where('environment_id', '=', environment.id).executeTakeFirst();
      if (existing) {
        throw conflict(`Environment "${environment.key}" of project "${project.key}" already has a big segment store integration (${existing.integration_key} ${existing.id}); an environment has one`);
      }
      await trx.insertInto('big_segment_stores').values(row).execute();
      await recordAudit(trx, request.actor, now, storeAudit(row, scope, now, 'createIntegration', 'created', { after: row }));
    });
    if (doc.on) void syncEnvironment(deps, environment.id);
    return reply.code(201).send(representStoreIntegration(row, scope, now));
  });
}
