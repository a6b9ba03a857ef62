// Segments with the official Node server-side SDK: a flag rule that matches on a segment is evaluated against the
// segment's targets and rules as iterlab stores them, and segment changes reach open streams and polls.
import type { LDClient, LDContext } from '@launchdarkly/node-server-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('segments, as the official SDK evaluates them', () => {
  let s: TestServer;
  let w: World;
  let client: LDClient;
  let segmentRuleId: string;
  const segmentPath = () => `/api/v2/segments/${w.project}/production/testers`;

  beforeEach(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    expect((await s.post(`/api/v2/segments/${w.project}/production`, { key: 'testers', name: 'Testers' })).status).toBe(201);
    const patched = await s.patch(segmentPath(), {
      environmentKey: 'production',
      instructions: [
        { kind: 'addIncludedUsers', values: ['ada'] },
        { kind: 'addExcludedUsers', values: ['eve'] },
        { kind: 'addIncludedTargets', contextKind: 'org', values: ['acme'] },
        { kind: 'addRule', clauses: [{ contextKind: 'user', attribute: 'email', op: 'endsWith', values: ['@school.edu'], negate: false }] },
      ],
    });
    expect(patched.status).toBe(200);
    segmentRuleId = patched.body.rules[0]._id;
    // The segment's rule goes first: its members get false; everyone else the fallthrough's true.
    const flag = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [
      { op: 'add', path: '/environments/production/rules/0', value: { clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['testers'] }], variation: 1 } },
    ]);
    expect(flag.status, JSON.stringify(flag.body)).toBe(200);
    client = sdkClient(s.url, await sdkKeyOf(s, w.project));
    await client.waitForInitialization({ timeout: 10 });
  });
  afterEach(async () => {
    client.close();
    await s.close();
  });

  const value = (context: LDContext) => client.variation(w.flag, context, 'default');

  it('included users and contexts, rule matches, and excluded users', async () => {
    expect(await value({ kind: 'user', key: 'ada' })).toBe(false);
    expect(await value({ kind: 'org', key: 'acme' })).toBe(false);
    expect(await value({ kind: 'user', key: 'zed', email: 'zed@school.edu' })).toBe(false);
    // Excluded wins over the segment's rules.
    expect(await value({ kind: 'user', key: 'eve', email: 'eve@school.edu' })).toBe(true);
    expect(await value({ kind: 'user', key: 'bob' })).toBe(true);
    expect((await client.variationDetail(w.flag, { kind: 'user', key: 'ada' }, 'default')).reason).toMatchObject({ kind: 'RULE_MATCH', ruleIndex: 0 });
  });

  it('a segment change reaches the open stream', async () => {
    expect(await value({ kind: 'user', key: 'bob' })).toBe(true);
    expect((await s.patch(segmentPath(), [{ op: 'add', path: '/included/-', value: 'bob' }])).status).toBe(200);
    await vi.waitFor(async () => expect(await value({ kind: 'user', key: 'bob' })).toBe(false));
  });

  it('a rule weight includes that share of the contexts its clauses match, bucketed by the segment key and salt', async () => {
    const set = (weight: number) => s.patch(segmentPath(), { environmentKey: 'production', instructions: [{ kind: 'updateRuleRolloutAndContextKind', ruleId: segmentRuleId, weight, contextKind: 'user' }] });
    expect((await set(0)).status).toBe(200);
    await vi.waitFor(async () => expect(await value({ kind: 'user', key: 'zed', email: 'zed@school.edu' })).toBe(true));
    expect((await set(50000)).status).toBe(200);
    await vi.waitFor(async () => expect((await s.get('/sdk/latest-all', { token: await sdkKeyOf(s, w.project) })).body.segments.testers.rules[0].weight).toBe(50000));
    await vi.waitFor(async () => {
      let members = 0;
      for (let i = 0; i < 200; i++) if ((await value({ kind: 'user', key: `u${i}`, email: `u${i}@school.edu` })) === false) members++;
      expect(members).toBeGreaterThan(60);
      expect(members).toBeLessThan(140);
    });
  });

  it('a segment in use cannot be deleted; once no rule names it, it can, and SDKs forget it', async () => {
    const refused = await s.del(segmentPath());
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(w.flag);
    const flag = await s.get(`/api/v2/flags/${w.project}/${w.flag}`);
    expect(flag.body.environments.production.rules[0].clauses[0].op).toBe('segmentMatch');
    expect((await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'remove', path: '/environments/production/rules/0' }])).status).toBe(200);
    expect((await s.del(segmentPath())).status).toBe(204);
    await vi.waitFor(async () => expect(await value({ kind: 'user', key: 'ada' })).toBe(true));
    const polled = await s.get('/sdk/latest-all', { token: await sdkKeyOf(s, w.project) });
    expect(polled.body.segments).toEqual({});
  });

  it('a flag rule naming a segment the environment does not have is a 400 naming the clause', async () => {
    const res = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [
      { op: 'add', path: '/environments/production/rules/-', value: { clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['nobody'] }], variation: 0 } },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toContain('environments.production.rules[2].clauses[0].values[0]');
    expect(res.body.message).toContain('unknown segment "nobody"');
  });

  it('a polling SDK gets the segments too', async () => {
    const polling = sdkClient(s.url, await sdkKeyOf(s, w.project), { stream: false });
    try {
      await polling.waitForInitialization({ timeout: 10 });
      expect(await polling.variation(w.flag, { kind: 'org', key: 'acme' }, 'default')).toBe(false);
      expect(await polling.variation(w.flag, { kind: 'org', key: 'other' }, 'default')).toBe(true);
    } finally {
      polling.close();
    }
  });

  it('a cloned environment gets the segments its copied targeting matches on', async () => {
    const cloned = await s.post(`/api/v2/projects/${w.project}/environments`, { key: 'staging', name: 'Staging', color: '00ff00', source: { key: 'production' } });
    expect(cloned.status).toBe(201);
    const copy = await s.get(`/api/v2/segments/${w.project}/staging/testers`);
    expect(copy.status).toBe(200);
    expect(copy.body).toMatchObject({ key: 'testers', included: ['ada'], excluded: ['eve'], version: 1 });
    expect(copy.body._flags.map((f: { key: string }) => f.key)).toEqual([w.flag]);
  });
});
