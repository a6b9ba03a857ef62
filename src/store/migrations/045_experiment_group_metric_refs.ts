// Experiment references to the metrics an iteration measures through a metric group it lists (`group-metric`), so
// that the experiment lists' `metricKey` filter finds an experiment that uses a metric only inside a group. Filled
// here for the iterations stored before, from the group members each recorded when it was made.
import type { Kysely } from 'kysely';
// The experiments slice's own reading of an iteration, not a frozen copy: the rows filled here must be those it writes.
import { GROUP_METRIC_REF, groupMetricKeys, type IterationMetric } from '../../resources/experiments/model.js';

/** Iterations read at a time. */
const PAGE_ROWS = 1_000;
/** Rows an insert carries: 4 parameters each. */
const ROWS_PER_INSERT = 500;

export async function up(db: Kysely<unknown>): Promise<void> {
  const store = db as Kysely<any>;
  let after = '';
  for (;;) {
    const rows: { id: string; experiment_id: string; doc: string }[] = await store
      .selectFrom('iterations')
      .select(['id', 'experiment_id', 'doc'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE_ROWS)
      .execute();
    const refs = rows.flatMap((row) => {
      const metrics = (JSON.parse(row.doc) as { metrics?: unknown }).metrics;
      const keys = Array.isArray(metrics) ? groupMetricKeys(metrics as IterationMetric[]) : [];
      return keys.map((key) => ({ experiment_id: row.experiment_id, iteration_id: row.id, kind: GROUP_METRIC_REF, key }));
    });
    for (let i = 0; i < refs.length; i += ROWS_PER_INSERT) {
      await store.insertInto('experiment_refs').values(refs.slice(i, i + ROWS_PER_INSERT)).onConflict((oc: any) => oc.doNothing()).execute();
    }
    if (rows.length < PAGE_ROWS) break;
    after = rows[rows.length - 1].id;
  }
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
