// getContextInstanceSegmentsMembershipByEnv against the official Node SDK: for hundreds of generated contexts, the
// membership iterlab reports for each segment is what the SDK decides when a flag's rule matches on that segment.
import type { LDClient, LDContext } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { random } from '../../analysis/bayesian.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const clause = (attribute: string, op: string, values: unknown[], extra: Record<string, unknown> = {}) => ({ attribute, op, values, ...extra });
const SEGMENTS: Record<string, Record<string, unknown>> = {
  lists: {
    included: ['u1', 'u2'],
    excluded: ['u3'],
    includedContexts: [{ contextKind: 'org', values: ['o1'] }],
    excludedContexts: [{ contextKind: 'org', values: ['o2'] }],
    rules: [{ clauses: [clause('email', 'endsWith', ['@x.com'], { contextKind: 'user' })] }],
  },
  operators: {
    rules: [
      { clauses: [clause('age', 'greaterThanOrEqual', [30], { contextKind: 'user' }), clause('country', 'in', ['NZ', 'CA'], { contextKind: 'user' })] },
      { clauses: [clause('version', 'semVerGreaterThan', ['2.0.0'], { contextKind: 'user' })] },
      { clauses: [clause('signup', 'before', ['2024-01-01T00:00:00Z'], { contextKind: 'user' })] },
      { clauses: [clause('name', 'matches', ['^A'], { contextKind: 'user' })] },
      { clauses: [clause('groups', 'in', ['beta'], { contextKind: 'user' })] },
      { clauses: [clause('plan', 'in', ['free'], { contextKind: 'user', negate: true }), clause('age', 'lessThan', [25], { contextKind: 'user' })] },
    ],
  },
  weighted: { rules: [{ clauses: [], weight: 50000, rolloutContextKind: 'user' }] },
  cities: { rules: [{ clauses: [clause('/address/city', 'in', ['Springfield'], { contextKind: 'org' })] }] },
  legacy: { rules: [{ clauses: [clause('name', 'startsWith', ['Bo'])] }] },
  nested: { rules: [{ clauses: [clause('segmentMatch', 'segmentMatch', ['lists']), clause('kind', 'in', ['org'])] }] },
};

/** A varied context: users, orgs and both, with and without the attributes the segments read. */
function generated(next: () => number): LDContext {
  const pick = <T,>(items: T[]): T => items[Math.floor(next() * items.length)];
  const maybe = <T,>(value: T): T | undefined => (next() < 0.6 ? value : undefined);
  const user = {
    kind: 'user',
    key: pick(['u1', 'u2', 'u3', 'u4', 'u5', `u-${Math.floor(next() * 1e6)}`]),
    email: maybe(pick(['a@x.com', 'b@y.com'])),
    age: maybe(pick([20, 24, 30, 41])),
    country: maybe(pick(['NZ', 'CA', 'DE'])),
    version: maybe(pick(['1.0.0', '2.1', '2.0.0-beta', '3', 'not-a-version'])),
    signup: maybe(pick(['2023-06-01T00:00:00Z', '2025-02-01T12:00:00Z', 1_600_000_000_000])),
    name: maybe(pick(['Ada', 'Bob', 'bo'])),
    groups: maybe(pick([['beta'], ['alpha', 'beta'], ['alpha']])),
    plan: maybe(pick(['free', 'pro'])),
  };
  const org = { kind: 'org', key: pick(['o1', 'o2', 'o3', `o-${Math.floor(next() * 1e6)}`]), address: maybe({ city: pick(['Springfield', 'Shelbyville']) }) };
  const clean = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const shape = next();
  if (shape < 0.4) return clean(user) as LDContext;
  if (shape < 0.6) return clean(org) as LDContext;
  const { kind: _u, ...userPart } = clean(user);
  const { kind: _o, ...orgPart } = clean(org);
  return { kind: 'multi', user: userPart, org: orgPart } as unknown as LDContext;
}

describe('getContextInstanceSegmentsMembershipByEnv', () => {
  let s: TestServer;
  let w: World;
  let client: LDClient;
  const evaluate = (context: unknown) => s.post(`/api/v2/projects/${w.project}/environments/production/segments/evaluate`, context, { token: s.tokens.reader });

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    for (const [key, fields] of Object.entries(SEGMENTS)) {
      expect((await s.post(`/api/v2/segments/${w.project}/production`, { key, name: key, description: `The ${key} segment` })).status).toBe(201);
      const patched = await s.patch(`/api/v2/segments/${w.project}/production/${key}`, Object.entries(fields).map(([field, value]) => ({ op: 'replace', path: `/${field}`, value })));
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      // A flag per segment: true for its members, false for everyone else.
      expect((await s.post(`/api/v2/flags/${w.project}`, { key: `in-${key}`, name: `In ${key}` })).status).toBe(201);
      const flag = await s.patch(`/api/v2/flags/${w.project}/in-${key}`, [
        { op: 'replace', path: '/environments/production/on', value: true },
        { op: 'replace', path: '/environments/production/fallthrough', value: { variation: 1 } },
        { op: 'add', path: '/environments/production/rules/-', value: { clauses: [clause('segmentMatch', 'segmentMatch', [key])], variation: 0 } },
      ]);
      expect(flag.status, JSON.stringify(flag.body)).toBe(200);
    }
    client = sdkClient(s.url, await sdkKeyOf(s, w.project));
    await client.waitForInitialization({ timeout: 10 });
  });
  afterAll(async () => {
    client.close();
    await s.close();
  });

  it('agrees with the official SDK on every segment for 300 generated contexts', async () => {
    const next = random(20261204);
    const members = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const context = generated(next);
      const res = await evaluate(context);
      expect(res.status).toBe(200);
      for (const item of res.body.items) {
        const sdk = await client.variation(`in-${item.key}`, context, 'default');
        expect(item.isMember, `${item.key} for ${JSON.stringify(context)}`).toBe(sdk);
        if (item.isMember) members.set(item.key, (members.get(item.key) ?? 0) + 1);
      }
    }
    // Every segment had members and non-members among the contexts: the comparison covered both answers.
    for (const key of Object.keys(SEGMENTS)) {
      expect(members.get(key) ?? 0, key).toBeGreaterThan(5);
      expect(members.get(key) ?? 0, key).toBeLessThan(295);
    }
  });

  it('says why: individually targeted, or by a rule; an excluded key is no member; each item links its segment', async () => {
    const res = await evaluate({ kind: 'user', key: 'u1', email: 'z@x.com' });
    expect(res.status).toBe(200);
    expect(res.body._links.self.href).toBe(`/api/v2/projects/${w.project}/environments/production/segments/evaluate`);
    const lists = res.body.items.find((item: { key: string }) => item.key === 'lists');
    expect(lists).toEqual({
      name: 'lists',
      key: 'lists',
      description: 'The lists segment',
      unbounded: false,
      external: '',
      isMember: true,
      isIndividuallyTargeted: true,
      isRuleTargeted: false,
      _links: { self: { href: `/api/v2/segments/${w.project}/production/lists`, type: 'application/json' } },
    });
    const byRule = (await evaluate({ kind: 'user', key: 'u9', email: 'z@x.com' })).body.items.find((item: { key: string }) => item.key === 'lists');
    expect(byRule).toMatchObject({ isMember: true, isIndividuallyTargeted: false, isRuleTargeted: true });
    const excluded = (await evaluate({ kind: 'user', key: 'u3', email: 'z@x.com' })).body.items.find((item: { key: string }) => item.key === 'lists');
    expect(excluded).toMatchObject({ isMember: false, isIndividuallyTargeted: false, isRuleTargeted: false });
    expect(res.body.items.map((item: { key: string }) => item.key)).toEqual(Object.keys(SEGMENTS).sort());
  });

  it('a legacy user (no kind) is a user, its custom attributes read like the others', async () => {
    const res = await evaluate({ key: 'u9', custom: { groups: ['beta'] } });
    expect(res.status).toBe(200);
    expect(res.body.items.find((item: { key: string }) => item.key === 'operators')).toMatchObject({ isMember: true, isRuleTargeted: true });
  });
});
