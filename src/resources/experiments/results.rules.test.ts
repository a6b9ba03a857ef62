// Two experiments on one flag at once, one on the fallthrough and one on a targeting rule: each iteration's exposures
// are the feature events whose reason names its rule (FALLTHROUGH, or RULE_MATCH with its ruleId), so each counts
// only its own units and their conversions. A reason that names no rule counts only while the rule is alone.
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { exposureIsOfRule } from './results.js';

type Reason = Record<string, unknown>;
const FALLTHROUGH: Reason = { kind: 'FALLTHROUGH', inExperiment: true };
/** An exposure of `unit` to the variation, with the evaluation's reason, at `at`; `context` adds attributes. */
const exposure = (w: World, unit: string, variation: number, reason: Reason, at: number, context: Record<string, unknown> = {}) => ({
  kind: 'feature',
  key: w.flag,
  creationDate: at,
  context: { kind: 'user', key: unit, ...context },
  value: variation === 0,
  variation,
  version: 3,
  reason,
});
const conversion = (unit: string, at: number) => ({ kind: 'custom', key: 'checkout', creationDate: at, context: { kind: 'user', key: unit } });
const purchase = (unit: string, at: number, value: number) => ({ kind: 'custom', key: 'purchase', creationDate: at, context: { kind: 'user', key: unit }, metricValue: value });

/** Starts an experiment on the rule of the world's flag, its iteration against the flag's current version. */
async function startOn(s: TestServer, w: World, key: string, ruleId: string, overrides: Record<string, unknown> = {}): Promise<number> {
  const version = await flagVersion(s, w.project, w.flag);
  await createExperimentIn(s, w, key, iterationBody(w, { flags: { [w.flag]: { ruleId, flagConfigVersion: version } }, ...overrides }));
  const started = await s.patch(experimentsPath(w, key), { instructions: [{ kind: 'startIteration' }] });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return started.body.currentIteration.startedAt as number;
}

async function post(s: TestServer, w: World, events: unknown[]): Promise<void> {
  const posted = await s.request('POST', '/bulk', { body: events, token: await sdkKeyOf(s, w.project) });
  expect(posted.status, JSON.stringify(posted.body)).toBe(202);
}

/** Per treatment (control, green): traffic, units and conversions of the conversion metric. */
async function counts(s: TestServer, w: World, key: string): Promise<{ traffic: number; units: number; eventValuesSum: number }[]> {
  const res = await s.get(`${experimentsPath(w, key)}/metrics/${w.metric}/results?expand=traffic`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.treatmentResults.map((t: { traffic: number; units: number; eventValuesSum: number }) => ({ traffic: t.traffic, units: t.units, eventValuesSum: t.eventValuesSum }));
}

describe('results of two experiments on one flag, on the fallthrough and on a rule', () => {
  let s: TestServer;
  let w: World;
  const ruleMatch = (ruleId: string): Reason => ({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId, inExperiment: true });

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const group = { key: w.standardGroup, isGroup: true };
    const metrics = [{ key: w.metric }, { key: w.numericMetric, isGroup: false }, group];
    await startOn(s, w, 'on-fallthrough', 'fallthrough', { metrics, attributes: ['country'] });
    const at = await startOn(s, w, 'on-rule', w.ruleId, { metrics, attributes: ['country'] });
    const events: unknown[] = [];
    // 60 units through the fallthrough (every third converts, each buys for 1), 40 through the rule (every second
    // converts, each buys for 100); "both-*" are exposed through each, as a context that joins the beta group is.
    for (let u = 0; u < 60; u++) {
      events.push(exposure(w, `f-${u}`, u % 2, FALLTHROUGH, at, { country: 'NZ' }));
      if (u % 3 === 0) events.push(conversion(`f-${u}`, at + 1));
      events.push(purchase(`f-${u}`, at + 1, 1));
    }
    for (let u = 0; u < 40; u++) {
      events.push(exposure(w, `r-${u}`, u % 2, ruleMatch(w.ruleId), at, { country: 'CA' }));
      if (u % 2 === 0) events.push(conversion(`r-${u}`, at + 1));
      events.push(purchase(`r-${u}`, at + 1, 100));
    }
    for (let u = 0; u < 4; u++) {
      events.push(exposure(w, `both-${u}`, 0, FALLTHROUGH, at, { country: 'NZ' }), exposure(w, `both-${u}`, 1, ruleMatch(w.ruleId), at + 1, { country: 'CA' }));
      events.push(conversion(`both-${u}`, at + 2));
    }
    // Neither experiment's: another rule's, and reasons naming no rule while two rules are in play.
    events.push(exposure(w, 'other-rule', 0, ruleMatch('no-such-rule'), at), conversion('other-rule', at + 1));
    events.push(exposure(w, 'no-kind', 0, { inExperiment: true }, at), conversion('no-kind', at + 1));
    events.push(exposure(w, 'rule-no-id', 0, { kind: 'RULE_MATCH', ruleIndex: 0, inExperiment: true }, at), conversion('rule-no-id', at + 1));
    // Text PostgreSQL's JSON functions refuse (a lone surrogate, stored as its escape) does not keep an exposure from
    // its rule (the edge refuses a NUL, which they refuse too).
    events.push(exposure(w, 'surrogate-f', 1, FALLTHROUGH, at, { country: 'NZ', note: 'a\udc00b' }), conversion('surrogate-f', at + 1));
    events.push(exposure(w, 'surrogate-r', 1, ruleMatch(w.ruleId), at, { country: 'CA', note: 'a\ud800b' }), conversion('surrogate-r', at + 1));
    await post(s, w, events);
  });
  afterAll(() => s.close());

  it("each experiment's traffic and conversions are only its own rule's units", async () => {
    // Fallthrough: f-0..59 (30 a treatment, 10 of whose convert), both-0..3 in control, surrogate-f in green.
    expect(await counts(s, w, 'on-fallthrough')).toEqual([
      { traffic: 34, units: 34, eventValuesSum: 10 + 4 },
      { traffic: 31, units: 31, eventValuesSum: 10 + 1 },
    ]);
    // Rule: r-0..39 (20 a treatment; the even ones, all in control, convert), both-0..3 and surrogate-r in green.
    expect(await counts(s, w, 'on-rule')).toEqual([
      { traffic: 20, units: 20, eventValuesSum: 20 },
      { traffic: 25, units: 25, eventValuesSum: 0 + 4 + 1 },
    ]);
  });

  it("slices hold only the rule's units", async () => {
    const slices = async (key: string) => {
      const res = await s.get(`${experimentsPath(w, key)}/metrics/${w.metric}/results?expand=traffic`);
      return res.body.results.slice(1).map((r: { attributeValue: string; treatmentResults: { traffic: number }[] }) => [r.attributeValue, r.treatmentResults.map((t) => t.traffic)]);
    };
    // A unit's attributes are those of its first exposure to the iteration.
    expect(await slices('on-fallthrough')).toEqual([['NZ', [34, 31]]]);
    expect(await slices('on-rule')).toEqual([['CA', [20, 25]]]);
  });

  it("a metric group's members count only the rule's units", async () => {
    const spent = async (key: string) => {
      const res = await s.get(`${experimentsPath(w, key)}/metric-groups/${w.standardGroup}/results`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.metrics[0].results.treatmentResults.map((t: { units: number; eventValuesSum: number }) => [t.units, t.eventValuesSum]);
    };
    expect(await spent('on-fallthrough')).toEqual([
      [34, 30],
      [31, 30],
    ]);
    expect(await spent('on-rule')).toEqual([
      [20, 2000],
      [25, 2000],
    ]);
  });
});

describe('an exposure whose reason names no rule', () => {
  let s: TestServer;
  let w: World;

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const at = await startOn(s, w, 'alone', 'fallthrough');
    await post(s, w, [
      exposure(w, 'standard', 0, FALLTHROUGH, at),
      // Older or non-standard senders: no kind. Alone on the flag, the experiment's rule is the only one it can be.
      exposure(w, 'no-kind', 1, { inExperiment: true }, at),
      // Named rules that are not the fallthrough never count.
      exposure(w, 'a-rule', 1, { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: w.ruleId, inExperiment: true }, at),
      exposure(w, 'some-rule', 1, { kind: 'RULE_MATCH', ruleIndex: 0, inExperiment: true }, at),
      ...['standard', 'no-kind', 'a-rule', 'some-rule'].map((unit) => conversion(unit, at + 1)),
    ]);
  });
  afterAll(() => s.close());

  it('counts while the iteration is alone on the flag, as before reasons were compared', async () => {
    expect(await counts(s, w, 'alone')).toEqual([
      { traffic: 1, units: 1, eventValuesSum: 1 },
      { traffic: 1, units: 1, eventValuesSum: 1 },
    ]);
  });

  it('which rule a reason names, for an iteration alone on its flag or not', () => {
    const cases: [Reason, string, boolean, boolean][] = [
      [{ kind: 'FALLTHROUGH' }, 'fallthrough', false, true],
      [{ kind: 'FALLTHROUGH' }, 'rule-1', true, false],
      [{ kind: 'RULE_MATCH', ruleId: 'rule-1' }, 'rule-1', false, true],
      [{ kind: 'RULE_MATCH', ruleId: 'rule-2' }, 'rule-1', true, false],
      [{ kind: 'RULE_MATCH', ruleId: 'rule-1' }, 'fallthrough', true, false],
      [{ kind: 'RULE_MATCH' }, 'rule-1', true, true],
      [{ kind: 'RULE_MATCH' }, 'rule-1', false, false],
      [{ kind: 'RULE_MATCH' }, 'fallthrough', true, false],
      [{}, 'fallthrough', true, true],
      [{}, 'rule-1', false, false],
      [{ kind: 'TARGET_MATCH' }, 'rule-1', true, false],
    ];
    for (const [reason, ruleId, alone, counted] of cases) expect(exposureIsOfRule(reason, { ruleId, alone }), JSON.stringify([reason, ruleId, alone])).toBe(counted);
  });
});

describe('the official SDK evaluating a flag with an experiment on its fallthrough and one on its rule', () => {
  let s: TestServer;
  let w: World;
  let client: LDClient;
  /** Units served by each experiment, by variation index. */
  const served = { fallthrough: [0, 0], rule: [0, 0] };

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    await startOn(s, w, 'sdk-fallthrough', 'fallthrough');
    await startOn(s, w, 'sdk-rule', w.ruleId);
    client = sdkClient(s.url, await sdkKeyOf(s, w.project), { sendEvents: true, flushInterval: 3600 });
    await client.waitForInitialization({ timeout: 10 });
    for (let i = 0; i < 60; i++) {
      // The rule matches the beta group.
      const beta = i % 3 === 0;
      const detail = await client.variationDetail(w.flag, { kind: 'user', key: `sdk-${i}`, groups: beta ? ['beta'] : [] }, false);
      expect(detail.reason).toMatchObject(beta ? { kind: 'RULE_MATCH', ruleId: w.ruleId, inExperiment: true } : { kind: 'FALLTHROUGH', inExperiment: true });
      served[beta ? 'rule' : 'fallthrough'][detail.variationIndex!]++;
    }
    await client.flush();
  });
  afterAll(async () => {
    client.close();
    await s.close();
  });

  it('each experiment counts the units its rule served', async () => {
    expect((await counts(s, w, 'sdk-fallthrough')).map((t) => t.traffic)).toEqual(served.fallthrough);
    expect((await counts(s, w, 'sdk-rule')).map((t) => t.traffic)).toEqual(served.rule);
  });
});
