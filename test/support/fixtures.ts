// A small world for experiment tests, built through the API as a user would: a project, an on flag with a
// targeting rule, metrics, a funnel group, and helpers for valid IterationInput bodies.
import { expect } from 'vitest';
import { insertToken, mintToken } from '../../src/resources/tokens/tokens.js';
import type { TestServer } from './server.js';

/** What the builders below need of a server: an in-process TestServer, or a client of a real one. */
export type ApiClient = Pick<TestServer, 'get' | 'post' | 'patch'>;

export interface World {
  project: string;
  env: string;
  flag: string;
  /** Variation _ids of the flag: [true, false]. */
  variations: string[];
  /** The production targeting version of the flag. */
  version: number;
  ruleId: string;
  metric: string;
  numericMetric: string;
  funnel: string;
  standardGroup: string;
}

async function ok<T>(res: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

const BETA = { headers: { 'LD-API-Version': 'beta' } };

export async function flagVersion(s: ApiClient, project: string, flag: string, env = 'production'): Promise<number> {
  const res = await s.get(`/api/v2/flags/${project}/${flag}`);
  return res.body.environments[env].version as number;
}

export async function createWorld(s: ApiClient, project = 'proj'): Promise<World> {
  await ok(s.post('/api/v2/projects', { name: 'Project', key: project }), 201);
  const flag = await ok<any>(s.post(`/api/v2/flags/${project}`, { name: 'Checkout button', key: 'checkout-button' }), 201);
  await ok(
    s.patch(`/api/v2/flags/${project}/checkout-button`, [
      { op: 'replace', path: '/environments/production/on', value: true },
      {
        op: 'add',
        path: '/environments/production/rules/-',
        value: {
          description: 'Beta users',
          clauses: [{ attribute: 'groups', op: 'in', values: ['beta'], negate: false }],
          variation: 0,
          trackEvents: false,
        },
      },
    ]),
    200,
  );
  const read = await ok<any>(s.get(`/api/v2/flags/${project}/checkout-button`), 200);
  await ok(s.post(`/api/v2/metrics/${project}`, { key: 'checkout-completed', name: 'Checkout completed', kind: 'custom', eventKey: 'checkout', isNumeric: false }), 201);
  await ok(
    s.post(`/api/v2/metrics/${project}`, {
      key: 'revenue',
      name: 'Revenue',
      kind: 'custom',
      eventKey: 'purchase',
      isNumeric: true,
      unit: 'USD',
      successCriteria: 'HigherThanBaseline',
      unitAggregationType: 'sum',
    }),
    201,
  );
  await ok(s.post(`/api/v2/metrics/${project}`, { key: 'cart-viewed', name: 'Cart viewed', kind: 'pageview', urls: [{ kind: 'substring', substring: '/cart' }] }), 201);
  const maintainerId = (await ok<any>(s.get('/api/v2/tokens'), 200)).items[0].memberId;
  await ok(
    s.post(
      `/api/v2/projects/${project}/metric-groups`,
      {
        key: 'checkout-funnel',
        name: 'Checkout funnel',
        kind: 'funnel',
        maintainerId,
        tags: [],
        metrics: [
          { key: 'cart-viewed', nameInGroup: 'Viewed cart' },
          { key: 'checkout-completed', nameInGroup: 'Checked out' },
        ],
      },
      BETA,
    ),
    201,
  );
  await ok(
    s.post(
      `/api/v2/projects/${project}/metric-groups`,
      {
        key: 'money',
        name: 'Money',
        kind: 'standard',
        maintainerId,
        tags: [],
        metrics: [{ key: 'revenue', nameInGroup: '' }],
      },
      BETA,
    ),
    201,
  );
  return {
    project,
    env: 'production',
    flag: 'checkout-button',
    variations: flag.variations.map((v: { _id: string }) => v._id),
    version: read.environments.production.version,
    ruleId: read.environments.production.rules[0]._id,
    metric: 'checkout-completed',
    numericMetric: 'revenue',
    funnel: 'checkout-funnel',
    standardGroup: 'money',
  };
}

/**
 * A segment with something in every part a patch can touch (user and org targets, an excluded key, a tagged rule),
 * for suites that call every route with keys that exist. Returns the created segment.
 */
export async function createSegment(s: ApiClient, projectKey: string, environmentKey: string, key: string): Promise<any> {
  const path = `/api/v2/segments/${projectKey}/${environmentKey}`;
  await ok(s.post(path, { name: `Segment ${key}`, key, description: 'fixture', tags: ['fixture'] }), 201);
  return ok(
    s.patch(`${path}/${key}`, [
      { op: 'replace', path: '/included', value: ['user-in'] },
      { op: 'replace', path: '/excluded', value: ['user-out'] },
      { op: 'replace', path: '/includedContexts', value: [{ contextKind: 'org', values: ['org-in'] }] },
      { op: 'add', path: '/rules/-', value: { description: 'Staff', clauses: [{ attribute: 'email', op: 'endsWith', values: ['@example.com'], negate: false }] } },
    ]),
    200,
  );
}

/** A valid IterationInput for the world's flag: 50/50 on the fallthrough, primary metric checkout-completed. */
export function iterationBody(w: World, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    hypothesis: 'The green button lifts checkout completion',
    metrics: [{ key: w.metric }, { key: w.numericMetric, isGroup: false }],
    primarySingleMetricKey: w.metric,
    treatments: [
      { name: 'Control', baseline: true, allocationPercent: '50', parameters: [{ flagKey: w.flag, variationId: w.variations[0] }] },
      { name: 'Green', baseline: false, allocationPercent: '50', parameters: [{ flagKey: w.flag, variationId: w.variations[1] }] },
    ],
    flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: w.version } },
    ...overrides,
  };
}

export function experimentsPath(w: World, key?: string): string {
  const base = `/api/v2/projects/${w.project}/environments/${w.env}/experiments`;
  return key ? `${base}/${key}` : base;
}

/** Creates an experiment; without an iteration, a valid one against the flag's current version. */
export async function createExperimentIn(s: ApiClient, w: World, key = 'checkout-exp', iteration?: Record<string, unknown>): Promise<any> {
  const body = iteration ?? iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag, w.env) });
  return ok(s.post(experimentsPath(w), { name: `Experiment ${key}`, key, iteration: body }), 201);
}

/** Creates an experiment (as createExperimentIn) and starts its iteration. */
export async function startExperimentIn(s: ApiClient, w: World, key = 'checkout-exp', iteration?: Record<string, unknown>): Promise<any> {
  await createExperimentIn(s, w, key, iteration);
  return ok(s.patch(experimentsPath(w, key), { instructions: [{ kind: 'startIteration' }] }), 200);
}

/** Whether a user context evaluates flagKey in environmentKey as in an experiment (the reason SDKs would report). */
export async function evaluatesInExperiment(s: ApiClient, w: World, environmentKey: string, flagKey: string): Promise<boolean | undefined> {
  const res = await s.post(`/api/v2/projects/${w.project}/environments/${environmentKey}/flags/evaluate`, { kind: 'user', key: 'ada' });
  return res.body.items.find((item: { key: string }) => item.key === flagKey).reason.inExperiment;
}

/**
 * Runs action once, just before the next write's transaction begins (after the write has validated its input
 * from cached reads): a concurrent change at the worst moment, without timing. Create iteration's writes at once
 * (PostgreSQL's iterlab_write_drafts, SQLite's writer thread) count as transactions too.
 */
export function beforeNextTransaction(s: TestServer, action: () => Promise<unknown>): void {
  const store = s.store;
  const { tx, writeOffThread } = store;
  const executeQuery = store.db.executeQuery.bind(store.db);
  const restore = () => {
    for (const name of ['tx', 'writeOffThread'] as const) delete (store as unknown as Record<string, unknown>)[name];
    delete (store.db as { executeQuery?: unknown }).executeQuery;
  };
  store.tx = (async (fn: Parameters<typeof tx>[0]) => {
    restore();
    await action();
    return tx.call(store, fn);
  }) as typeof tx;
  store.writeOffThread = (async (write: Parameters<typeof writeOffThread>[0]) => {
    restore();
    await action();
    return writeOffThread.call(store, write);
  }) as typeof writeOffThread;
  store.db.executeQuery = (async (query: Parameters<typeof executeQuery>[0]) => {
    if (!('sql' in query) || !query.sql.includes('iterlab_write_drafts')) return executeQuery(query);
    restore();
    await action();
    return executeQuery(query);
  }) as typeof executeQuery;
}

/**
 * Another member of the account (invited as a writer) and a writer token of theirs, made in the store as the member
 * would make it: a reviewer of the owner's approval requests, say.
 */
export async function memberWithToken(s: Pick<TestServer, 'post' | 'store'>, email: string, firstName?: string): Promise<{ id: string; token: string }> {
  const invited = await s.post('/api/v2/members', [{ email, role: 'writer', ...(firstName !== undefined ? { firstName } : {}) }]);
  expect(invited.status, JSON.stringify(invited.body)).toBe(201);
  const id: string = invited.body.items[0]._id;
  const token = mintToken();
  await insertToken(s.store.db, id, token, { name: email, role: 'writer' }, Date.now());
  return { id, token };
}

/** The members of an environment's flag settings that a copy takes (getFeatureFlag's, or the official client's FeatureFlagConfig). */
interface CopiedConfig {
  on?: unknown;
  offVariation?: unknown;
  fallthrough?: unknown;
  prerequisites?: unknown;
  targets?: unknown;
  contextTargets?: unknown;
  rules?: { _id?: string; clauses: { _id?: string }[] }[];
}

/**
 * What copying flag settings takes of an environment's (as getFeatureFlag shows them): its targeting, the rules and
 * their clauses without their `_id`s, which are per environment. Two environments are alike after a copy when these are.
 */
export function copiedSettings(config: CopiedConfig): Record<string, unknown> {
  const { on, offVariation, fallthrough, prerequisites, targets, contextTargets } = config;
  const rules = (config.rules ?? []).map(({ _id, clauses, ...rule }) => ({ ...rule, clauses: clauses.map(({ _id: _clause, ...clause }) => clause) }));
  return { on, offVariation, fallthrough, prerequisites, targets, contextTargets, rules };
}
