// GET /all with the official Node server-side SDK: it initializes from the put, evaluates what iterlab stores, and
// follows flag changes, deletions and an experiment's start as they are written through the REST API.
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../test/support/fixtures.js';
import { expectFollowsFlagLifecycle, sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const beta = { kind: 'user', key: 'ada', groups: ['beta'] };
const other = { kind: 'user', key: 'bob' };

describe('GET /all (the SDK stream)', () => {
  let s: TestServer;
  let w: World;
  let client: LDClient;

  beforeEach(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    client = sdkClient(s.url, await sdkKeyOf(s, w.project));
    await client.waitForInitialization({ timeout: 10 });
  });
  afterEach(async () => {
    client.close();
    await s.close();
  });

  it('serves every flag of the environment as the SDK evaluates it: rules, fallthrough, off', async () => {
    expect(await client.variationDetail(w.flag, beta, 'default')).toEqual({
      value: true,
      variationIndex: 0,
      reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: w.ruleId },
    });
    expect(await client.variationDetail(w.flag, other, 'default')).toEqual({ value: true, variationIndex: 0, reason: { kind: 'FALLTHROUGH' } });
    const all = await client.allFlagsState(other);
    expect(all.valid).toBe(true);
    expect(Object.keys(all.allValues())).toEqual([w.flag]);
  });

  it('the open stream is counted in /metrics', async () => {
    const metrics = await s.get('/metrics', { token: null });
    expect(metrics.body).toMatch(/^iterlab_sdk_streams 1$/m);
  });

  it('follows targeting changes, new flags, deletions and a key created again below its deletion', async () => {
    await expectFollowsFlagLifecycle(s, w.project, w.flag, client);
  });

  it('an archived flag is gone for SDKs, and back when restored', async () => {
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/archived', value: true }]);
    await vi.waitFor(async () => expect((await client.variationDetail(w.flag, other, 'default')).reason).toEqual({ kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' }));
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/archived', value: false }]);
    await vi.waitFor(async () => expect(await client.variation(w.flag, other, 'default')).toBe(true));
  });

  it('a started iteration is an experiment rollout: units are bucketed by the seed and marked in the experiment', async () => {
    await createExperimentIn(s, w);
    const started = await s.patch(`${experimentsPath(w, 'checkout-exp')}`, { instructions: [{ kind: 'startIteration' }] }, { headers: { 'LD-API-Version': 'beta' } });
    expect(started.status).toBe(200);
    const flag = await s.get(`/api/v2/flags/${w.project}/${w.flag}`);
    const rollout = flag.body.environments.production.fallthrough.rollout;
    expect(rollout.seed).toBeGreaterThan(0);

    await vi.waitFor(async () => expect((await client.variationDetail(w.flag, other, 'default')).reason).toEqual({ kind: 'FALLTHROUGH', inExperiment: true }));
    // 50/50 on the fallthrough: over many units both treatments are served, every one of them in the experiment.
    const served = new Map<unknown, number>();
    for (let i = 0; i < 200; i++) {
      const detail = await client.variationDetail(w.flag, { kind: 'user', key: `unit-${i}` }, 'default');
      expect(detail.reason).toEqual({ kind: 'FALLTHROUGH', inExperiment: true });
      served.set(detail.value, (served.get(detail.value) ?? 0) + 1);
    }
    expect([...served.keys()].sort()).toEqual([false, true]);
    expect(served.get(true)).toBeGreaterThan(60);
    expect(served.get(false)).toBeGreaterThan(60);
    // The rule still matches its own audience first; only the fallthrough is in the experiment.
    expect((await client.variationDetail(w.flag, beta, 'default')).reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: w.ruleId });
  });
});
