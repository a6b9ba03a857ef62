// Big segments in the SDK data and in iterlab's own evaluation: the payloads carry a big segment as LaunchDarkly
// does (unbounded, its context kind and generation, no target lists), the official Node SDK takes it as a big
// segment, and iterlab's evaluation (REST evaluate, client-side SDKs) answers from the stored targets.
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('big segments in SDK data and evaluation', () => {
  let s: TestServer;
  let w: World;
  let sdkKey: string;
  let envId: string;
  let client: LDClient;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    const segments = `/api/v2/segments/${w.project}/production`;
    expect((await s.post(segments, { key: 'vip', name: 'VIP', unbounded: true })).status).toBe(201);
    expect((await s.post(`${segments}/vip/contexts`, { included: { add: ['u1', 'both'] }, excluded: { add: ['u2', 'both'] } })).status).toBe(204);
    // The segment's rule goes first: its members get false; everyone else what the world's flag serves (true).
    const flag = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [
      { op: 'add', path: '/environments/production/rules/0', value: { clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['vip'] }], variation: 1 } },
      { op: 'replace', path: '/clientSideAvailability', value: { usingEnvironmentId: true, usingMobileKey: false } },
    ]);
    expect(flag.status, JSON.stringify(flag.body)).toBe(200);
    sdkKey = await sdkKeyOf(s, w.project);
    envId = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body._id;
    client = sdkClient(s.url, sdkKey);
    await client.waitForInitialization({ timeout: 10 });
  });
  afterAll(async () => {
    client.close();
    await s.close();
  });

  it('/sdk/latest-all carries the big segment as LaunchDarkly does: unbounded, kind, generation, no lists', async () => {
    const res = await s.get('/sdk/latest-all', { token: sdkKey });
    const vip = res.body.segments.vip;
    expect(vip).toEqual({ key: 'vip', version: 1, rules: [], salt: expect.any(String), unbounded: true, unboundedContextKind: 'user', generation: 1, deleted: false });
    expect(JSON.stringify(res.body)).not.toContain('"u1"');
  });

  it('the official Node SDK holds it as a big segment: without a big segment store it says NOT_CONFIGURED', async () => {
    const detail = await client.variationDetail(w.flag, { kind: 'user', key: 'u1' }, 'default');
    expect(detail.reason).toMatchObject({ bigSegmentsStatus: 'NOT_CONFIGURED' });
  });

  it("iterlab's evaluateContextInstance answers from the stored targets, reasons with bigSegmentsStatus HEALTHY", async () => {
    const evaluate = async (context: Record<string, unknown>) => {
      const res = await s.post(`/api/v2/projects/${w.project}/environments/production/flags/evaluate`, context);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.find((item: { key: string }) => item.key === w.flag);
    };
    expect(await evaluate({ kind: 'user', key: 'u1' })).toMatchObject({ _value: false, reason: { kind: 'RULE_MATCH', ruleIndex: 0, bigSegmentsStatus: 'HEALTHY' } });
    // Included and excluded at once: included wins, as in the SDKs' stores.
    expect((await evaluate({ kind: 'user', key: 'both' }))._value).toBe(false);
    expect(await evaluate({ kind: 'user', key: 'u2' })).toMatchObject({ _value: true, reason: { bigSegmentsStatus: 'HEALTHY' } });
    // A context without the segment's kind never reaches the targets.
    expect((await evaluate({ kind: 'org', key: 'u1' })).reason).not.toHaveProperty('bigSegmentsStatus');
  });

  it('client-side evaluation follows target changes', async () => {
    const values = async (key: string) => {
      const context = Buffer.from(JSON.stringify({ kind: 'user', key })).toString('base64url');
      const res = await s.get(`/sdk/evalx/${envId}/contexts/${context}?withReasons=true`, { token: null });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body[w.flag];
    };
    expect(await values('u3')).toMatchObject({ value: true, reason: { bigSegmentsStatus: 'HEALTHY' } });
    await s.post(`/api/v2/segments/${w.project}/production/vip/contexts`, { included: { add: ['u3'] } });
    expect(await values('u3')).toMatchObject({ value: false, reason: { kind: 'RULE_MATCH', bigSegmentsStatus: 'HEALTHY' } });
  });
});
