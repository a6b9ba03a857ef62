// Multi-armed bandits (experiments of type `mab`): a job on every instance that, at each running bandit's
// reallocation time, gives each treatment traffic equal to its probability to be best on the primary metric, and
// rewrites the flag rules the iteration runs on (a new flag version, streamed to the SDKs, and an audit entry).
import type { FastifyInstance } from 'fastify';
import { banditAllocation, readyToReallocate } from '../../analysis/bandits.js';
import { BAYESIAN } from '../../analysis/results.js';
import type { Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { startJob, type JobLog } from '../../http/jobs.js';
import { recordAudits } from '../audit-log/record.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { reallocate, type LifecycleState } from './lifecycle.js';
import { lifecycleRecords, loadFlagFacts, persist, targetingAudits, type Loaded } from './lifecycleStore.js';
import { arrangeIterations, findExperiment, loadIterations, RUNNING_STATUS, type ExperimentDoc, type IterationDoc } from './model.js';
import { AUDIT_EXPAND, representExperiment } from './represent.js';
import { allocationThousandths } from './iterationInput.js';
import { exposedUnits, groupResults, pinnedMetric, singleMetricResults, type ResultsContext } from './results.js';

interface DueBandit {
  id: string;
  doc: string;
  reallocate_at: number;
  experiment_key: string;
  project_id: string;
  project_key: string;
  environment_id: string;
  environment_key: string;
}

/**
 * Each treatment's new traffic (thousandths of a percent, in the treatments' order), or undefined to leave it as it is:
 * until every treatment has enough units, or when the primary metric has no posterior to compare yet. The same
 * analysis as the results' pBest (Bayesian whatever the experiment's methodology: bandits are Thompson sampling),
 * over the iteration's events so far.
 */
export async function banditWeights(ctx: ResultsContext): Promise<number[] | undefined> {
  const doc = ctx.iteration.doc;
  const exposed = await exposedUnits(ctx);
  const units = exposed.treatments.map(() => 0);
  for (const unit of exposed.units.values()) units[unit.treatment] += 1;
  if (!readyToReallocate(units)) return undefined;

  const options = { traffic: false, self: '', analysis: BAYESIAN };
  let shown;
  if (doc.primaryFunnelKey !== undefined) {
    // A funnel's last step: the units that completed it.
    const group = doc.metrics.find((m) => m.isGroup && m.key === doc.primaryFunnelKey);
    shown = group ? (await groupResults(ctx, exposed, group, options)).at(-1)?.results : undefined;
  } else {
    const pinned = doc.primarySingleMetricKey === undefined ? undefined : pinnedMetric(doc, doc.primarySingleMetricKey);
    shown = pinned ? await singleMetricResults(ctx, exposed, pinned, options) : undefined;
  }
  const pBest = shown?.treatmentResults.map((t) => t.pBest);
  if (!pBest || pBest.some((p) => p === undefined)) return undefined;
  const total = doc.treatments.reduce((sum, t) => sum + (allocationThousandths(t.allocationPercent) ?? 0), 0);
  return banditAllocation(pBest as number[], total);
}

/**
 * The weights, or undefined when the iteration's results cannot be read (its flag is gone, say, or the read
 * failed): the bandit's traffic then stays, and its next look is a period later, so that a bandit that cannot be
 * read does not stand first in every pass ahead of the others.
 */
async function weightsOrNone(ctx: ResultsContext, log: JobLog | undefined): Promise<number[] | undefined> {
  try {
    return await banditWeights(ctx);
  } catch (err) {
    if (!(err instanceof ApiError && err.statusCode < 500)) log?.warn({ err, iterationId: ctx.iteration.id }, 'could not read a multi-armed bandit\'s results; its traffic stays until its next reallocation');
    return undefined;
  }
}

const sharesText = (doc: IterationDoc) => doc.treatments.map((t) => `${t.name} ${t.allocationPercent}%`).join(', ');

/**
 * Reallocates one due bandit. Its weights are computed from the events before the transaction (a read that can take
 * a while, and gives the event loop turns), then, with the experiment locked, written only if the iteration is still
 * running and still due at the time that was read: another instance, or a stop, got there first otherwise.
 * Returns whether this call reallocated it.
 */
async function reallocateOne(deps: Deps, row: DueBandit, now: number, log: JobLog | undefined): Promise<boolean> {
  const doc = JSON.parse(row.doc) as IterationDoc;
  const ctx: ResultsContext = {
    db: deps.store.db,
    catalog: deps.catalog,
    projectId: row.project_id,
    environmentId: row.environment_id,
    iteration: { id: row.id, doc },
    method: BAYESIAN,
    now,
  };
  const weights = await weightsOrNone(ctx, log);
  const where = { projectKey: row.project_key, environmentKey: row.environment_key };
  const result = await deps.store.tx(async (trx) => {
    const { project, environment } = await findProjectEnvironment(trx, row.project_key, row.environment_key);
    const experiment = await findExperiment(trx, deps.store, environment.id, row.experiment_key, where, true);
    const arranged = (await loadIterations(trx, [experiment.id], false)).get(experiment.id)!;
    const records = lifecycleRecords(arranged);
    const current = records.find((it) => it.id === row.id);
    if (!current || current.doc.status !== 'running' || current.doc.bandit?.nextAt !== Number(row.reallocate_at)) return undefined;
    const loaded: Loaded = { project, environment, experiment };
    const flags = await loadFlagFacts(trx, deps.store, loaded, Object.keys(current.doc.flags));
    const state: LifecycleState = { experiment: JSON.parse(experiment.doc) as ExperimentDoc, iterations: records, flags };
    // The new shares hold from the moment they are written, not from when the pass began reading.
    const at = deps.now();
    const next = reallocate(state, row.id, weights, at);
    const targeting = await persist(trx, loaded, state, next, Object.fromEntries(Object.entries(flags).map(([key, f]) => [key, f.flagId])));
    const after = next.iterations.find((it) => it.id === row.id)!.doc;
    const moved = after.version !== current.doc.version;
    if (moved) {
      const rows = await trx.selectFrom('iterations').selectAll().where('experiment_id', '=', experiment.id).execute();
      const updated = await trx.selectFrom('experiments').selectAll().where('id', '=', experiment.id).executeTakeFirstOrThrow();
      const experimentEntry = {
        kind: 'experiment',
        resource: `proj/${row.project_key}:env/${row.environment_key}:experiment/${row.experiment_key}`,
        action: 'updateExperiment',
        name: state.experiment.name,
        projectKey: row.project_key,
        relatedFlagKey: Object.keys(current.doc.flags)[0],
        description: `reallocated the traffic of the multi-armed bandit ${state.experiment.name} by each treatment's probability to be best: ${sharesText(after)} (was ${sharesText(current.doc)})`,
        // The experiment as the API shows it, before and after, as patchExperiment's entries hold it.
        before: representExperiment(row.project_key, row.environment_key, experiment, { ...arranged, previous: [] }, AUDIT_EXPAND),
        after: representExperiment(row.project_key, row.environment_key, updated, { ...arrangeIterations(rows), previous: [] }, AUDIT_EXPAND),
      };
      // The rules it rewrote are flag changes too: one flag entry each, as a start's are.
      const flagEntries = await targetingAudits(trx, loaded, targeting, undefined, `by the multi-armed bandit ${state.experiment.name}'s reallocation`);
      await recordAudits(trx, [experimentEntry, ...flagEntries].map((entry) => ({ actor: undefined, now: at, entry })));
    }
    return { projectId: project.id, experimentId: experiment.id, changedFlags: targeting.map((change) => change.flagId), moved };
  });
  if (!result) return false;
  deps.changed({ kind: 'experiment', projectId: result.projectId, id: result.experimentId });
  for (const id of result.changedFlags) deps.changed({ kind: 'flag', projectId: result.projectId, id });
  return result.moved;
}

/**
 * Reallocates every running bandit whose time has come (up to `limit`, the most overdue first), and sets each one's
 * next time, whether or not its traffic moved. A bandit that fails is logged and tried again at the next run.
 * Returns how many bandits' traffic moved.
 */
export async function reallocateDueBandits(deps: Deps, log?: JobLog, limit = 20, closing?: AbortSignal): Promise<number> {
  const now = deps.now();
  const due: DueBandit[] = await deps.store.db
    .selectFrom('iterations as i')
    .innerJoin('experiments as e', 'e.id', 'i.experiment_id')
    .innerJoin('environments as v', 'v.id', 'e.environment_id')
    .innerJoin('projects as p', 'p.id', 'e.project_id')
    .select(['i.id', 'i.doc', 'i.reallocate_at', 'e.key as experiment_key', 'p.id as project_id', 'p.key as project_key', 'v.id as environment_id', 'v.key as environment_key'])
    .where('i.reallocate_at', '<=', now)
    .where('i.status', '=', RUNNING_STATUS)
    .orderBy('i.reallocate_at')
    .orderBy('i.id')
    .limit(limit)
    .execute() as DueBandit[];
  let moved = 0;
  for (const row of due) {
    // The app is closing: the rest wait for the next run (of this instance or another).
    if (closing?.aborted) break;
    try {
      if (await reallocateOne(deps, row, now, log)) moved += 1;
    } catch (err) {
      log?.warn({ err, iterationId: row.id }, 'could not reallocate a multi-armed bandit; trying again at the next run');
    }
  }
  return moved;
}

/** How often the job looks for due bandits: a reallocation comes at most this long after its time. */
const REALLOCATION_INTERVAL_MS = 15_000;

/** Runs reallocateDueBandits every 15 seconds until the app closes. */
export function startReallocationJob(app: FastifyInstance, deps: Deps): void {
  startJob(app, REALLOCATION_INTERVAL_MS, (closing) => reallocateDueBandits(deps, app.log, 20, closing), 'could not reallocate multi-armed bandits');
}
