import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { ApiError } from '../../http/errors.js';
import { cachedLookups, resolveIteration } from './iterationInput.js';
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
    const lookups = cachedLookups(s.deps.catalog, s.store.db, project.id, environment.id);
    const body = iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, overrides);
    const now = Date.now();
    const doc = await resolveIteration({ project, environment, prefix: '', now, lookups }, body);
    return { project, environment, experimentKey, body, doc, seenFlags: lookups.seenFlags(), actor: undefined, now };
  }

  /** Counts the store's transactions while fn runs. */
  async function transactionsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; transactions: number }> {
    const tx = s.store.tx;
    let transactions = 0;
    s.store.tx = ((inner: Parameters<typeof tx>[0]) => {
      transactions += 1;
      return tx.call(s.store, inner);
    }) as typeof tx;
    try {
      return { value: await fn(), transactions };
    } finally {
      s.store.tx = tx;
    }
  }

  const experimentId = async (key: string) => (await s.store.db.selectFrom('experiments').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id;
  const drafts = async (key: string) =>
    s.store.db.selectFrom('iterations').select(['id', 'doc']).where('experiment_id', '=', await experimentId(key)).where('status', '=', 'not_started').execute();
  const auditAfterIds = async (since: number) =>
    (await s.store.db.selectFrom('audit_log').select(['id', 'doc']).where('date', '>=', since).orderBy('id').execute())
      .map((row) => JSON.parse(row.doc) as { action: string; after: { _id: string; hypothesis: string } })
      .filter((doc) => doc.action === 'createIteration')
      .map((doc) => [doc.after._id, doc.after.hypothesis]);

  it('one transaction for five calls: each keeps its own id and audit entry, and the last one is the draft', async () => {
    const writer = new DraftWriter(s.store);
    const calls = await Promise.all([0, 1, 2, 3, 4].map((i) => validatedCall('exp', { hypothesis: `folded ${i}` })));
    const since = Math.min(...calls.map((c) => c.now));
    const { value: written, transactions } = await transactionsDuring(() => Promise.all(calls.map((call) => writer.write(call))));
    expect(transactions).toBe(1);
    expect(new Set(written.map((x) => x.id)).size).toBe(5);
    expect(written.map((x) => x.doc.hypothesis)).toEqual(['folded 0', 'folded 1', 'folded 2', 'folded 3', 'folded 4']);

    const [draft, ...more] = await drafts('exp');
    expect(more).toEqual([]);
    expect(draft.id).toBe(written[4].id);
    expect(JSON.parse(draft.doc).hypothesis).toBe('folded 4');
    const refs = await s.store.db.selectFrom('experiment_refs').select(['iteration_id', 'kind', 'key']).where('experiment_id', '=', await experimentId('exp')).execute();
    expect(refs.map((r) => r.iteration_id)).toEqual(refs.map(() => written[4].id));
    expect(refs.map((r) => `${r.kind}:${r.key}`).sort()).toEqual([`flag:${w.flag}`, `metric:${w.metric}`, `metric:${w.numericMetric}`]);
    expect(await auditAfterIds(since)).toEqual(written.map((x) => [x.id, x.doc.hypothesis]));

    // What GET answers is the last call's draft.
    const experiment = (await s.get(`${experimentsPath(w, 'exp')}?expand=draftIteration`)).body;
    expect(experiment.draftIteration._id).toBe(written[4].id);
  });

  it('calls for two experiments go in a transaction each, and neither takes the other’s draft', async () => {
    const writer = new DraftWriter(s.store);
    const calls = await Promise.all(['exp', 'other', 'exp', 'other'].map((key, i) => validatedCall(key, { hypothesis: `${key} ${i}` })));
    const { value: written, transactions } = await transactionsDuring(() => Promise.all(calls.map((call) => writer.write(call))));
    expect(transactions).toBe(2);
    expect((await drafts('exp')).map((d) => d.id)).toEqual([written[2].id]);
    expect((await drafts('other')).map((d) => d.id)).toEqual([written[3].id]);
  });

  it('a call whose flags changed since its validation is validated again from its body, and may fail alone', async () => {
    const writer = new DraftWriter(s.store);
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

  it('an archived experiment fails every call of the transaction, and nothing is written', async () => {
    const writer = new DraftWriter(s.store);
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
    const writer = new DraftWriter(s.store);
    const calls = await Promise.all([0, 1].map((i) => validatedCall('exp', { hypothesis: `lost ${i}` })));
    const tx = s.store.tx;
    s.store.tx = (() => {
      s.store.tx = tx;
      return Promise.reject(new Error('the disk is full'));
    }) as typeof tx;
    const outcomes = await Promise.allSettled(calls.map((call) => writer.write(call)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect((outcomes[0] as PromiseRejectedResult).reason.message).toBe('the disk is full');
    const next = await writer.write(await validatedCall('exp', { hypothesis: 'after the failure' }));
    expect((await drafts('exp')).map((d) => d.id)).toEqual([next.id]);
  });
});
