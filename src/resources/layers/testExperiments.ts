// Test support for the layer tests: experiments written straight into the store. The flag, metric and lifecycle
// APIs that create and start experiments are built on other branches; once they are merged these helpers should
// go through the API (createWorld + createExperimentIn, startIteration) instead.
import type { Store } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import type { ExperimentDoc, IterationDoc, IterationStatus } from '../experiments/model.js';

export interface TestExperiment {
  projectKey: string;
  environmentKey: string;
  key: string;
  status?: IterationStatus;
  flagKey?: string;
}

async function environmentOf(store: Store, projectKey: string, environmentKey: string): Promise<{ projectId: string; environmentId: string }> {
  const row = await store.db
    .selectFrom('environments as env')
    .innerJoin('projects as p', 'p.id', 'env.project_id')
    .select(['p.id as projectId', 'env.id as environmentId'])
    .where('p.key', '=', projectKey)
    .where('env.key', '=', environmentKey)
    .executeTakeFirstOrThrow();
  return row;
}

/** An experiment with one iteration in the given status, on flagKey's fallthrough. Returns its id. */
export async function insertTestExperiment(store: Store, input: TestExperiment): Promise<string> {
  const { projectId, environmentId } = await environmentOf(store, input.projectKey, input.environmentKey);
  const now = Date.now();
  const status = input.status ?? 'not_started';
  const flagKey = input.flagKey ?? `${input.key}-flag`;
  const doc: ExperimentDoc = {
    name: `Experiment ${input.key}`,
    maintainerId: 'test',
    tags: [],
    methodology: 'bayesian',
    dataSource: 'launchdarkly',
    type: 'experiment',
    creationDate: now,
  };
  const iteration: IterationDoc = {
    hypothesis: 'test',
    status,
    createdAt: now,
    ...(status !== 'not_started' ? { startedAt: now } : {}),
    ...(status === 'stopped' ? { endedAt: now } : {}),
    canReshuffleTraffic: true,
    flags: { [flagKey]: { ruleId: 'fallthrough', flagConfigVersion: 1, notInExperimentVariationId: 'v0' } },
    version: 0,
    metrics: [],
    treatments: [],
    randomizationUnit: 'user',
  };
  const id = objectId(now);
  await store.tx(async (trx) => {
    await trx
      .insertInto('experiments')
      .values({ id, project_id: projectId, environment_id: environmentId, key: input.key, name: doc.name, doc: JSON.stringify(doc), status, archived_date: null, created_at: now })
      .execute();
    await trx
      .insertInto('iterations')
      .values({ id: objectId(now), experiment_id: id, status, doc: JSON.stringify(iteration), created_at: now, started_at: status === 'not_started' ? null : now })
      .execute();
  });
  return id;
}

/** Moves an experiment's only iteration to another status, as starting or stopping it would. */
export async function setTestExperimentStatus(store: Store, experimentId: string, status: IterationStatus): Promise<void> {
  await store.tx(async (trx) => {
    const iteration = await trx.selectFrom('iterations').selectAll().where('experiment_id', '=', experimentId).executeTakeFirstOrThrow();
    const doc = { ...(JSON.parse(iteration.doc) as IterationDoc), status };
    await trx.updateTable('iterations').set({ status, doc: JSON.stringify(doc) }).where('id', '=', iteration.id).execute();
    await trx.updateTable('experiments').set({ status }).where('id', '=', experimentId).execute();
  });
}

/** What reserveInLayer needs of the test server (typed here so this file does not import test/ into src/). */
// Response bodies are read freely in tests, as test/support/server.ts types them.
type TestResponse = { status: number; body: any };
interface Patcher {
  patch(path: string, body: unknown): Promise<TestResponse>;
}

/** PATCHes one updateExperimentReservation into a layer (project `proj` unless named). */
export function reserveInLayer(
  s: Patcher,
  layer: string,
  environmentKey: string,
  experimentKey: string,
  reservationPercent: unknown,
  project = 'proj',
): Promise<TestResponse> {
  return s.patch(`/api/v2/projects/${project}/layers/${layer}`, { environmentKey, instructions: [{ kind: 'updateExperimentReservation', experimentKey, reservationPercent }] });
}
