// The data-size scenario's store: many experiments with many iterations, inserted with direct SQL (the API would
// take minutes for 100,000 iterations). Each copy is cloned from `bench-history`, which the API built, so the rows
// are what iterlab itself writes; only ids, keys and timestamps differ. Run while iterlab is stopped.
import { sql } from 'kysely';
import { objectId } from '../../src/store/ids.js';
import { Store } from '../../src/store/db.js';
import { ENV, PROJECT } from './world.js';

const CHUNK = 400;

export async function bulkSeed(databaseUrl: string, experiments: number, iterationsEach: number): Promise<{ experiments: number; iterations: number; ms: number }> {
  const started = Date.now();
  const store = Store.open(databaseUrl);
  try {
    const db = store.db;
    const project = await db.selectFrom('projects').selectAll().where('key', '=', PROJECT).executeTakeFirstOrThrow();
    const env = await db.selectFrom('environments').selectAll().where('project_id', '=', project.id).where('key', '=', ENV).executeTakeFirstOrThrow();
    const template = await db.selectFrom('experiments').selectAll().where('environment_id', '=', env.id).where('key', '=', 'bench-history').executeTakeFirstOrThrow();
    const templateIterations = await db.selectFrom('iterations').selectAll().where('experiment_id', '=', template.id).orderBy('created_at').execute();
    const stopped = templateIterations.filter((it) => it.status === 'stopped');
    const running = templateIterations.find((it) => it.status === 'running')!;
    const refs = await db.selectFrom('experiment_refs').select(['iteration_id', 'kind', 'key']).where('experiment_id', '=', template.id).execute();
    const refsOf = (iterationId: string) => refs.filter((r) => r.iteration_id === iterationId);
    // Older than everything the API made, so the newest page of a list is the same in the small and the large store.
    const oldest = Math.min(template.created_at, ...(await db.selectFrom('experiments').select('created_at').execute()).map((r) => r.created_at)) - 1;

    let inserted = 0;
    for (let from = 0; from < experiments; from += CHUNK) {
      const count = Math.min(CHUNK, experiments - from);
      await store.tx(async (trx) => {
        const experimentRows = [];
        const iterationRows = [];
        const refRows = [];
        for (let i = from; i < from + count; i++) {
          const created = oldest - (experiments - i) * 60_000;
          const id = objectId(created);
          const doc = { ...JSON.parse(template.doc), name: `Bulk ${i}`, creationDate: created };
          experimentRows.push({ ...template, id, key: `bulk-${i}`, name: doc.name, doc: JSON.stringify(doc), status: 'running', created_at: created });
          for (let j = 0; j < iterationsEach; j++) {
            const source = j === iterationsEach - 1 ? running : stopped[j % stopped.length];
            const at = created + j * 1000;
            const iterationId = objectId(at);
            iterationRows.push({ id: iterationId, experiment_id: id, status: source.status, doc: source.doc, created_at: at, started_at: at });
            for (const ref of refsOf(source.id)) refRows.push({ experiment_id: id, iteration_id: iterationId, kind: ref.kind, key: ref.key });
          }
        }
        await trx.insertInto('experiments').values(experimentRows).execute();
        for (let k = 0; k < iterationRows.length; k += CHUNK) await trx.insertInto('iterations').values(iterationRows.slice(k, k + CHUNK)).execute();
        for (let k = 0; k < refRows.length; k += CHUNK) await trx.insertInto('experiment_refs').values(refRows.slice(k, k + CHUNK)).execute();
      });
      inserted += count;
    }
    // What a store that grew to this size over time has had done to it, done now rather than during the measurement:
    // autovacuum's vacuum of the inserted tables (their visibility map) and its statistics, and a checkpoint that
    // writes the inserted pages out. Without them, the large store's create iteration on PostgreSQL had a p99 of
    // 160-175 ms in two runs (the small store's 13-37).
    if (store.kind === 'postgres') {
      await sql`vacuum analyze`.execute(db);
      // CHECKPOINT needs a superuser or pg_checkpoint (PostgreSQL 15); without either the run goes on without it.
      await sql`checkpoint`.execute(db).catch((err: Error) => process.stderr.write(`  (no checkpoint after the bulk load: ${err.message})\n`));
    }
    return { experiments: inserted, iterations: inserted * iterationsEach, ms: Date.now() - started };
  } finally {
    await store.close();
  }
}
