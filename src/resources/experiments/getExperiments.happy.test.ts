import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('getExperiments / getExperimentsAnyEnv: happy path', () => {
  let s: TestServer;
  let w: World;
  let clock = 1_800_000_000_000;
  beforeAll(async () => {
    s = await startServer({ now: () => (clock += 1000) });
    w = await createWorld(s);
    for (let i = 0; i < 25; i++) await createExperimentIn(s, w, `exp-${String(i).padStart(2, '0')}`);
    await createExperimentIn(s, w, 'funnel-exp', iterationBody(w, { metrics: [{ key: w.funnel, isGroup: true }], primarySingleMetricKey: undefined, primaryFunnelKey: w.funnel }));
    const testVersion = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.test.version;
    await s.post(`/api/v2/projects/${w.project}/environments/test/experiments`, {
      name: 'In test',
      key: 'in-test',
      iteration: iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: testVersion } } }),
    });
  });
  afterAll(() => s.close());

  it('pages 20 at a time, newest first, with total_count and first/prev/next/last links', async () => {
    const first = (await s.get(experimentsPath(w))).body;
    expect(first.total_count).toBe(26);
    expect(first.items).toHaveLength(20);
    expect(first.items[0].key).toBe('funnel-exp');
    expect(first._links.self.href).toBe(`${experimentsPath(w)}?limit=20&offset=0`);
    expect(first._links.next.href).toBe(`${experimentsPath(w)}?limit=20&offset=20`);
    expect(first._links.last.href).toBe(`${experimentsPath(w)}?limit=20&offset=20`);
    expect(first._links.first).toBeUndefined();
    expect(first._links.prev).toBeUndefined();
    const second = (await s.get(first._links.next.href)).body;
    expect(second.items).toHaveLength(6);
    expect(second._links.prev.href).toBe(`${experimentsPath(w)}?limit=20&offset=0`);
    expect(second._links.next).toBeUndefined();
    const keys = [...first.items, ...second.items].map((e: { key: string }) => e.key);
    expect(new Set(keys).size).toBe(26);
  });

  it('a page past the end is empty, and its prev link is the last page there is (never another page past the end)', async () => {
    const href = (limit: number, offset: number) => ({ href: `${experimentsPath(w)}?limit=${limit}&offset=${offset}`, type: 'application/json' });
    const beyond = (await s.get(`${experimentsPath(w)}?limit=10&offset=100`)).body;
    expect(beyond.items).toEqual([]);
    expect(beyond.total_count).toBe(26);
    expect(beyond._links).toEqual({ self: href(10, 100), first: href(10, 0), prev: href(10, 20) });
    const last = (await s.get(beyond._links.prev.href)).body;
    expect(last.items).toHaveLength(6);
    expect(last._links).toEqual({ self: href(10, 20), first: href(10, 0), prev: href(10, 10) });
    // Just past the end, and on a list with nothing in it.
    expect((await s.get(`${experimentsPath(w)}?limit=10&offset=26`)).body._links.prev).toEqual(href(10, 16));
    const none = (await s.get(`${experimentsPath(w)}?limit=10&offset=30&filter=flagKey:other`)).body;
    expect(none._links.prev.href).toBe(`${experimentsPath(w)}?filter=flagKey%3Aother&limit=10&offset=0`);
  });

  it('honours limit and offset, and keeps filter/expand in the links', async () => {
    const res = (await s.get(`${experimentsPath(w)}?limit=5&offset=5&expand=treatments&filter=flagKey:${w.flag}`)).body;
    expect(res.items).toHaveLength(5);
    expect(res.items[0].currentIteration.treatments).toHaveLength(2);
    expect(res._links.next.href).toContain('expand=treatments');
    expect(res._links.next.href).toContain('filter=flagKey');
  });

  it('filters by flagKey, metricKey and status, combinable', async () => {
    expect((await s.get(`${experimentsPath(w)}?filter=flagKey:${w.flag}`)).body.total_count).toBe(26);
    expect((await s.get(`${experimentsPath(w)}?filter=flagKey:other`)).body.total_count).toBe(0);
    expect((await s.get(`${experimentsPath(w)}?filter=metricKey:${w.funnel}`)).body.items.map((e: { key: string }) => e.key)).toEqual(['funnel-exp']);
    expect((await s.get(`${experimentsPath(w)}?filter=metricKey:${w.numericMetric}`)).body.total_count).toBe(25);
    // A metric the iteration measures only as a member of a metric group it lists: cart-viewed is in the funnel only.
    expect((await s.get(`${experimentsPath(w)}?filter=metricKey:cart-viewed`)).body.items.map((e: { key: string }) => e.key)).toEqual(['funnel-exp']);
    expect((await s.get(`${experimentsPath(w)}?filter=metricKey:${w.metric}`)).body.total_count).toBe(26);
    expect((await s.get(`/api/v2/projects/${w.project}/experiments?filter=metricKey:cart-viewed`)).body.items.map((e: { key: string }) => e.key)).toEqual(['funnel-exp']);
    expect((await s.get(`${experimentsPath(w)}?filter=status:not_started,metricKey:${w.funnel}`)).body.total_count).toBe(1);
    expect((await s.get(`${experimentsPath(w)}?filter=status:running`)).body.total_count).toBe(0);
  });

  it('lists archived experiments only on request (none yet)', async () => {
    expect((await s.get(`${experimentsPath(w)}?lifecycleState=archived`)).body.total_count).toBe(0);
    expect((await s.get(`${experimentsPath(w)}?lifecycleState=archived,active`)).body.total_count).toBe(26);
  });

  it('any environment: every environment of the project, each item naming its environment', async () => {
    const res = (await s.get(`/api/v2/projects/${w.project}/experiments?limit=50`)).body;
    expect(res.total_count).toBe(27);
    expect(res.items.find((e: { key: string }) => e.key === 'in-test').environmentKey).toBe('test');
    expect(res._links.self.href).toBe(`/api/v2/projects/${w.project}/experiments?limit=50&offset=0`);
  });
});

describe('getExperiments: filter=metricKey finds a metric measured through a metric group', () => {
  let s: TestServer;
  let w: World;
  const BETA = { headers: { 'LD-API-Version': 'beta' } };
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const version = await flagVersion(s, w.project, w.flag);
    await createExperimentIn(s, w, 'money-exp', iterationBody({ ...w, version }, { metrics: [{ key: w.metric }, { key: w.standardGroup, isGroup: true }] }));
  });
  afterAll(() => s.close());
  const keys = async (metricKey: string) => {
    const body = (await s.get(`${experimentsPath(w)}?filter=metricKey:${metricKey}`)).body;
    expect(body.total_count).toBe(body.items.length);
    return body.items.map((e: { key: string }) => e.key);
  };

  it("by the group's members as the iteration recorded them: a later change to the group moves no experiment until a new iteration is made", async () => {
    expect(await keys(w.numericMetric)).toEqual(['money-exp']);
    expect((await s.post(`/api/v2/metrics/${w.project}`, { key: 'refunds', name: 'Refunds', kind: 'custom', eventKey: 'refund', isNumeric: false })).status).toBe(201);
    const group = `/api/v2/projects/${w.project}/metric-groups/${w.standardGroup}`;
    const edited = await s.patch(group, [{ op: 'replace', path: '/metrics', value: [{ key: 'refunds', nameInGroup: '' }] }], BETA);
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    // The draft still measures revenue (its results read the group as recorded): it is still found by it.
    expect(await keys(w.numericMetric)).toEqual(['money-exp']);
    expect(await keys('refunds')).toEqual([]);
    // A new draft records the group as it is now; the replaced draft's references go with it.
    const draft = await s.post(`${experimentsPath(w, 'money-exp')}/iterations`, iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, { metrics: [{ key: w.metric }, { key: w.standardGroup, isGroup: true }] }));
    expect(draft.status).toBe(200);
    expect(await keys('refunds')).toEqual(['money-exp']);
    expect(await keys(w.numericMetric)).toEqual([]);
    // Started, the running iteration keeps them.
    expect((await s.patch(experimentsPath(w, 'money-exp'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    expect(await keys('refunds')).toEqual(['money-exp']);
    expect(await keys('refunds,status:running')).toEqual(['money-exp']);
  });

  it('the migration that added these references fills them for iterations stored before it, once', async () => {
    const { up } = await import('../../store/migrations/045_experiment_group_metric_refs.js');
    const refs = () => s.store.db.selectFrom('experiment_refs').selectAll().where('kind', '=', 'group-metric').orderBy('iteration_id').orderBy('key').execute();
    const written = await refs();
    const running = await s.store.db.selectFrom('iterations').select(['id', 'experiment_id']).where('status', '=', 'running').executeTakeFirstOrThrow();
    expect(written).toEqual([{ experiment_id: running.experiment_id, iteration_id: running.id, kind: 'group-metric', key: 'refunds' }]);
    // As stored before the migration (the lists answer from their cache until a write: the rows are what counts).
    await s.store.db.deleteFrom('experiment_refs').where('kind', '=', 'group-metric').execute();
    await up(s.store.db as unknown as Kysely<unknown>);
    expect(await refs()).toEqual(written);
    // Run again (as on an instance that raced it), it adds nothing.
    await up(s.store.db as unknown as Kysely<unknown>);
    expect(await refs()).toEqual(written);
  });
});

describe('getExperiments: total_count is counted once until an experiment is created, changed or removed', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    for (const key of ['a', 'b', 'c']) await createExperimentIn(s, w, key);
  });
  afterAll(() => s.close());

  const total = async (query = '') => (await s.get(`${experimentsPath(w)}${query}`)).body.total_count;
  const semantic = (key: string, instructions: unknown[]) =>
    s.request('PATCH', experimentsPath(w, key), {
      raw: JSON.stringify({ instructions }),
      headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' },
    });

  it('follows creation, archiving and the status a start gives, filter by filter', async () => {
    expect(await total()).toBe(3);
    await createExperimentIn(s, w, 'd');
    expect(await total()).toBe(4);
    expect((await semantic('a', [{ kind: 'archiveExperiment' }])).status).toBe(200);
    expect(await total()).toBe(3);
    expect(await total('?lifecycleState=archived')).toBe(1);
    expect(await total('?lifecycleState=active,archived')).toBe(4);
    // Empty, as a client sends an unset string: the default, active experiments only (and no empty parameter in the links).
    const empty = (await s.get(`${experimentsPath(w)}?lifecycleState=`)).body;
    expect(empty.total_count).toBe(3);
    expect(empty.items.map((e: { key: string }) => e.key)).not.toContain('a');
    expect(empty._links.self.href).toBe(`${experimentsPath(w)}?limit=20&offset=0`);
    expect(await total('?lifecycleState=%20,')).toBe(3);
    expect(await total('?filter=status:running')).toBe(0);
    expect((await semantic('b', [{ kind: 'startIteration' }])).status).toBe(200);
    expect(await total('?filter=status:running')).toBe(1);
    expect(await total('?filter=status:not_started')).toBe(2);
  });

  it('is kept through new drafts (they change no experiment a list holds), and counted again after any other write', async () => {
    expect(await total()).toBe(3);
    // Removed behind iterlab's back (no change notice): the page shows it gone, the kept count does not yet.
    await s.store.db.deleteFrom('experiments').where('key', '=', 'c').execute();
    const draft = await s.post(`${experimentsPath(w, 'd')}/iterations`, iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }));
    expect(draft.status).toBe(200);
    const afterDraft = (await s.get(experimentsPath(w))).body;
    expect(afterDraft.items.map((e: { key: string }) => e.key)).toEqual(['d', 'b']);
    expect(afterDraft.total_count).toBe(3);
    // A filter by flag reads the drafts' references: counted on every list.
    expect(await total(`?filter=flagKey:${w.flag}`)).toBe(2);
    await createExperimentIn(s, w, 'e');
    expect(await total()).toBe(3);
  });
});

describe('getExperiments: filter=status matches the experiments with an iteration of that status', () => {
  let s: TestServer;
  let w: World;
  afterAll(() => s.close());
  const keys = async (status: string) => {
    const body = (await s.get(`${experimentsPath(w)}?filter=status:${status}`)).body;
    expect(body.total_count).toBe(body.items.length);
    return body.items.map((e: { key: string }) => e.key).sort();
  };
  const patch = async (key: string, instructions: unknown[]) => expect((await s.patch(experimentsPath(w, key), { instructions })).status).toBe(200);
  const newDraft = async (key: string) => expect((await s.post(`${experimentsPath(w, key)}/iterations`, iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }))).status).toBe(200);
  const stop = [{ kind: 'stopIteration', winningTreatmentId: '' }];

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    for (const key of ['fresh', 'done', 'again', 'live']) await createExperimentIn(s, w, key);
    stop[0].winningTreatmentId = w.variations[0];
    for (const key of ['done', 'again']) {
      await patch(key, [{ kind: 'startIteration' }]);
      await patch(key, stop);
    }
    await newDraft('again');
    await patch('live', [{ kind: 'startIteration' }]);
    await newDraft('live');
  });

  it('the draft, the current iteration and earlier ones all count', async () => {
    expect(await keys('not_started')).toEqual(['again', 'fresh', 'live']);
    expect(await keys('running')).toEqual(['live']);
    expect(await keys('stopped')).toEqual(['again', 'done']);
    // A new draft is seen by the next list.
    await newDraft('done');
    expect(await keys('not_started')).toEqual(['again', 'done', 'fresh', 'live']);
  });
});
