// Writes the rows the experiments slice keeps (experiment, iteration, experiment_refs) straight into the store,
// so slices that read them (metrics, metric groups) can be tested on their own.
import type { RequestOptions, TestServer } from './server.js';
import { objectId } from '../../src/store/ids.js';

export interface ExperimentFixture {
  projectKey: string;
  environmentKey?: string;
  key: string;
  /** Status of the experiment's one iteration (and so of the experiment). */
  status: 'not_started' | 'running' | 'stopped';
  /** As the slice writes them: an iteration listing a metric group also has a `group-metric` row for each member it recorded. */
  refs: { kind: 'metric' | 'metric-group' | 'group-metric' | 'flag'; key: string }[];
  archivedDate?: number;
}

export async function insertExperimentUsing(s: TestServer, fixture: ExperimentFixture): Promise<{ experimentId: string; iterationId: string }> {
  const db = s.store.db;
  const project = await db.selectFrom('projects').select('id').where('key', '=', fixture.projectKey).executeTakeFirstOrThrow();
  const env = await db
    .selectFrom('environments')
    .select('id')
    .where('project_id', '=', project.id)
    .where('key', '=', fixture.environmentKey ?? 'production')
    .executeTakeFirstOrThrow();
  const now = s.deps.now();
  const experimentId = objectId(now);
  const iterationId = objectId(now);
  await s.store.tx(async (trx) => {
    await trx
      .insertInto('experiments')
      .values({
        id: experimentId,
        project_id: project.id,
        environment_id: env.id,
        key: fixture.key,
        name: `Experiment ${fixture.key}`,
        doc: '{}',
        status: fixture.status,
        archived_date: fixture.archivedDate ?? null,
        created_at: now,
      })
      .execute();
    await trx
      .insertInto('iterations')
      .values({ id: iterationId, experiment_id: experimentId, status: fixture.status, doc: '{}', created_at: now, started_at: fixture.status === 'not_started' ? null : now })
      .execute();
    for (const ref of fixture.refs) await trx.insertInto('experiment_refs').values({ experiment_id: experimentId, iteration_id: iterationId, ...ref }).execute();
  });
  return { experimentId, iterationId };
}

/** Moves an experiment (and its iteration) to another status, as starting or stopping it would. */
export async function setExperimentStatus(s: TestServer, ids: { experimentId: string; iterationId: string }, status: ExperimentFixture['status']): Promise<void> {
  await s.store.db.updateTable('experiments').set({ status }).where('id', '=', ids.experimentId).execute();
  await s.store.db.updateTable('iterations').set({ status }).where('id', '=', ids.iterationId).execute();
}

/** Headers for beta resources (metric groups). */
export const BETA = { headers: { 'ld-api-version': 'beta' } };

/** Request options with `LD-API-Version: beta` added (headers of the options' own win). */
export const withBeta = (options: RequestOptions = {}): RequestOptions => ({ ...options, headers: { ...BETA.headers, ...options.headers } });
