import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { ApiError } from '../../http/errors.js';
import { resolveCached } from './iterationInput.js';
import { DraftWriter, type DraftCall } from './draftWriter.js';

describe('DraftWriter: the create-iteration calls that queue for one experiment share one transaction', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
    await createExperimentIn(s, w, 'other');
  });
  afterAll(() => s.close());

  /** A call as the handler makes it: validated now, against the flag as it is now. */
  async function validatedCall(experimentKey: string, overrides: Record<string, unknown> = {}): Promise<DraftCall> {
    const { project, environment } = await s.deps.catalog.projectEnvironment(w.project, w.env);
    const body = iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, overrides);
    const now = Date.now();
    const experiment = await s.store.db.selectFrom('experiments').select(['id', 'name']).where('key', '=', experimentKey).executeTakeFirstOrThrow();
    const { doc, seenFlags } = await resolveCached(s.deps.catalog, s.store.db, { project, environment, prefix: '', now, bandit: false }, body);
    return { project, environment, experimentKey, experiment, body, doc, seenFlags, actor: undefined, now };
  }

  /**
   * Counts, while fn runs, the store's transactions and the writes made at once (PostgreSQL's iterlab_write_drafts,
   * SQLite's writer thread).
   */
  async function writesDuring<T>(fn: () => Promise<T>): Promise<{ value: T; transactions: number; atOnce: number }> {
    const { tx, writeOffThread } = s.store;
    const executeQuery = s.store.db.executeQuery.bind(s.store.db);
    const counts = { transactions: 0, atOnce: 0 };
    s.store.tx = ((inner: Parameters<typeof tx>[0]) => {
      counts.transactions += 1;
      return tx.call(s.store, inner);
    }) as typeof tx;
    s.store.writeOffThread = ((write: Parameters<typeof writeOffThread>[0]) => {
      counts.atOnce += 1;
      return writeOffThread.call(s.store, write);
    }) as typeof writeOffThread;
    s.store.db.executeQuery = ((query: Parameters<typeof executeQuery>[0]) => {
      if ('sql' in query && query.sql.includes('iterlab_write_drafts')) counts.atOnce += 1;
      return executeQuery(query);
    }) as typeof executeQuery;
    try {
      return { value: await fn(), ...counts };
    } finally {
      restore();
    }
  }

  /** Puts back what a test replaced on the store. */
  function restore(): void {
    for (const name of ['tx', 'writeOffThread'] as const) delete (s.store as unknown as Record<string, unknown>)[name];
    delete (s.store.db as { executeQuery?: unknown }).executeQuery;
  }

  /** n writes made at once (no transaction): the first call alone, then the ones that gathered meanwhile. */
  const atOnce = (n: number) => ({ transactions: 0, atOnce: n });

  const experimentId = async (key: string) => (await s.store.db.selectFrom('experiments').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id;
  const drafts = async (key: string) =>
    s.store.db.selectFrom('iterations').select(['id', 'doc']).where('experiment_id', '=', await experimentId(key)).where('status', '=', 'not_started').execute();
  const auditAfterIds = async (since: number) =>
    (await s.store.db.selectFrom('audit_log').select(['id', 'doc']).where('date', '>=', since).orderBy('id').execute())
      .map((row) => JSON.parse(row.doc) as { action: string; after: { _id: string; hypothesis: string } })
      .filter((doc) => doc.action === 'createIteration')
      .map((doc) => [doc.after._id, doc.after.hypothesis]);

  it('calls made together share a write: each keeps its own id and audit entry, and the last one is the draft', async () => {
    const writer = new DraftWriter(s.store, s.bus);
    const calls = await Promise.all([0, 1, 2, 3, 4].map((i) => validatedCall('exp', { hypothesis: `folded ${i}` })));
    const since = Math.min(...calls.map((c) => c.now));
    const { value: written, ...counts } = await writesDuring(() => Promise.all(calls.map((call) => writer.write(call))));
    // The first call goes at once, alone; the four made while it was on its way go together.
    expect(counts).toEqual(atOnce(2));
    expect(new Set(written.map((x) => x.id)).size).toBe(5);
    expect(written.map((x) => x.doc.hypothesis)).toEqual(['folded 0', 'folded 1', 'folded 2', 'folded 3', 'folded 4']);

    const [draft, ...more] = await drafts('exp');
    expect(more).toEqual([]);
    expect(draft.id).toBe(written[4].id);
    expect(JSON.parse(draft.doc).hypothesis).toBe('folded 4');
    const refs = await s.store.db.selectFrom('experiment_refs').select(['iteration_id', 'kind', 'key']).where('experiment_id', '=', await experimentId('exp')).execute();
    expect(refs.map((r) => r.iteration_id)).toEqual(refs.map(() => written[4].id));
    expect(refs.map((r) => `${r.kind}:${r.key}`).sort()).toEqual([`flag:${w.flag}`, `metric:${w.metric}`, `metric:${w.numericMetric}`]);
    // One entry each. Not compared in order: an id starts with its call's second, and calls validated at once can
    // finish their validation on either side of a second's turn, in any order.
    const byHypothesis = (a: string[], b: string[]) => a[1].localeCompare(b[1]);
    expect((await auditAfterIds(since)).sort(byHypothesis)).toEqual(written.map((x) => [x.id, x.doc.hypothesis]).sort(byHypothesis));

    // What GET answers is the last call's draft.
    const experiment = (await s.get(`${experimentsPath(w, 'exp')}?expand=draftIteration`)).body;
    expect(experiment.draftIteration._id).toBe(written[4].id);
  });

  it('calls for two experiments go in a transaction each, and neither takes the other’s draft', async () => {
    const writer = new DraftWriter(s.store, s.bus);
    const calls = await Promise.all(['exp', 'other', 'exp', 'other'].map((key, i) => validatedCall(key, { hypothesis: `${key} ${i}` })));
    const { value: written, ...counts } = await writesDuring(() => Promise.all(calls.map((call) => writer.write(call))));
    expect(counts).toEqual(atOnce(4));
    expect((await drafts('exp')).map((d) => d.id)).toEqual([written[2].id]);
    expect((await drafts('other')).map((d) => d.id)).toEqual([written[3].id]);
  });

  it('a call whose flags changed since its validation is validated again from its body, and may fail alone', async () => {
    const writer = new DraftWriter(s.store, s.bus);
    // The doc a call carries is what its validation made of its body; one validated again is made anew from the body.
    const marked = (call: DraftCall): DraftCall => ({ ...call, doc: { ...call.doc, hypothesis: 'as validated before the change' } });

    // A change to the flag itself, not to its production targeting: the text differs, the version in the body holds.
    const textChanged = marked(await validatedCall('exp', { hypothesis: 'validated again' }));
    expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/description', value: 'changed under a draft' }])).status).toBe(200);
    const unchanged = marked(await validatedCall('exp', { hypothesis: 'from its body' }));
    const first = await Promise.all([textChanged, unchanged].map((call) => writer.write(call)));
    expect(first.map((x) => x.doc.hypothesis)).toEqual(['validated again', 'as validated before the change']);

    // A targeting change makes the stale call's flagConfigVersion wrong: it fails, the call validated after it does not.
    const stale = await validatedCall('exp', { hypothesis: 'stale version' });
    expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/offVariation', value: 0 }])).status).toBe(200);
    const fresh = await validatedCall('exp', { hypothesis: 'fresh' });
    const outcomes = await Promise.allSettled([stale, fresh].map((call) => writer.write(call)));
    expect(outcomes[0].status).toBe('rejected');
    const error = (outcomes[0] as PromiseRejectedResult).reason as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.statusCode).toBe(400);
    expect(error.errors?.map((e) => e.attribute)).toEqual([`flags.${w.flag}.flagConfigVersion`]);
    expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { doc: { hypothesis: 'fresh' } } });
    expect((await drafts('exp')).map((d) => JSON.parse(d.doc).hypothesis)).toEqual(['fresh']);
  });

  it('a call validated before its experiment was renamed is written as the transaction, under the new name', async () => {
    const writer = new DraftWriter(s.store, s.bus);
    const call = await validatedCall('exp', { hypothesis: 'before the rename' });
    expect((await s.patch(experimentsPath(w, 'exp'), { instructions: [{ kind: 'updateName', value: 'Renamed meanwhile' }] })).status).toBe(200);
    const { value: written, transactions } = await writesDuring(() => writer.write(call));
    // The write at once wrote nothing (the name it was given is not the experiment's): a transaction did.
    expect(transactions).toBe(1);
    // Found by its iteration, not as the newest entry: its id's time is the call's, from before the rename, and
    // the two fall in different seconds whenever the rename crosses one.
    const entries = (await s.store.db.selectFrom('audit_log').select('doc').execute()).map((row) => JSON.parse(row.doc) as { action: string; after?: { _id?: string } });
    expect(entries.filter((entry) => entry.action === 'createIteration' && entry.after?._id === written.id)).toEqual([
      expect.objectContaining({ name: 'Renamed meanwhile' }),
    ]);
  });

  it('an archived experiment fails every call of the transaction, and nothing is written', async () => {
    const writer = new DraftWriter(s.store, s.bus);
    const before = (await drafts('other')).map((d) => d.id);
    const calls = await Promise.all([0, 1].map((i) => validatedCall('other', { hypothesis: `archived ${i}` })));
    expect((await s.patch(experimentsPath(w, 'other'), { instructions: [{ kind: 'archiveExperiment' }] })).status).toBe(200);
    const outcomes = await Promise.allSettled(calls.map((call) => writer.write(call)));
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as ApiError;
      expect(error.statusCode).toBe(400);
      expect(error.message).toMatch(/Experiment "other" is archived/);
    }
    expect((await drafts('other')).map((d) => d.id)).toEqual(before);
    expect((await s.patch(experimentsPath(w, 'other'), { instructions: [{ kind: 'restoreExperiment' }] })).status).toBe(200);
  });

  it('a transaction that fails rejects its calls, and the next calls of the experiment still go', async () => {
    const writer = new DraftWriter(s.store, s.bus);
    const calls = await Promise.all([0, 1].map((i) => validatedCall('exp', { hypothesis: `lost ${i}` })));
    // Writes fail (at once and as transactions: nothing is written either way), then work again.
    const fail = () => Promise.reject(new Error('the disk is full'));
    s.store.db.executeQuery = fail as typeof s.store.db.executeQuery;
    s.store.writeOffThread = fail as typeof s.store.writeOffThread;
    s.store.tx = fail as typeof s.store.tx;
    const outcomes = await Promise.allSettled(calls.map((call) => writer.write(call)));
    restore();
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason.message).toBe('the disk is full');
    const next = await writer.write(await validatedCall('exp', { hypothesis: 'after the failure' }));
    expect((await drafts('exp')).map((d) => d.id)).toEqual([next.id]);
  });
});
