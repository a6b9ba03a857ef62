// Calling a trigger's URL, without a token: its action runs on the flag in its environment (a new version, audited as
// done by the trigger), the call is counted with its body; a flag already as the action leaves it is not changed
// again; any body is taken; a disabled trigger acknowledges and does nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, flagVersion, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { conflict } from '../../http/errors.js';
import { registerFlagGuard } from '../flags/guards.js';

// A guard that refuses changes to one flag of this file while `refusing` is set: a refused trigger call.
let refusing = false;
registerFlagGuard(async (change) => {
  if (refusing && change.flagKey === 'trigger-refused') throw conflict('Flag "trigger-refused" is frozen for this test');
});

describe('a trigger URL (POST /webhook/triggers/{id}/{secret})', () => {
  let s: TestServer;
  let w: World;
  let clock = Date.UTC(2026, 11, 5, 9);
  /** The turnFlagOff trigger of the first test, and the path of its URL (its secret is shown once). */
  let off: { _id: string; triggerURL: string };
  let offPath: string;
  const triggers = () => `/api/v2/flags/${w.project}/${w.flag}/triggers/production`;
  const urlPath = (trigger: { triggerURL: string }) => new URL(trigger.triggerURL).pathname;
  const isOn = async (env = 'production') => (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments[env].on as boolean;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('turns the flag off in its environment only; counted, with the body; audited as the trigger', async () => {
    const trigger = (off = (await s.post(triggers(), { integrationKey: 'datadog', instructions: [{ kind: 'turnFlagOff' }] })).body);
    offPath = urlPath(trigger);
    expect(await isOn()).toBe(true);
    const before = await flagVersion(s, w.project, w.flag);
    clock += 1000;
    const res = await s.post(offPath, { alert: 'p99 latency', value: 1234 }, { token: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(await isOn()).toBe(false);
    expect(await flagVersion(s, w.project, w.flag)).toBe(before + 1);
    const read = (await s.get(`${triggers()}/${trigger._id}`)).body;
    expect(read).toMatchObject({ _triggerCount: 1, _lastTriggeredAt: clock, _recentTriggerBodies: [{ timestamp: clock, jsonBody: { alert: 'p99 latency', value: 1234 } }], _version: 1 });
    const entry = (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items[0];
    expect(entry).toMatchObject({ accesses: [{ action: 'updateOn', resource: `proj/${w.project}:env/production:flag/${w.flag}` }], shortDescription: 'turned off the flag Checkout button in production, by its datadog trigger' });
    expect(entry).not.toHaveProperty('member');
  });

  it('called again: the flag stays as it is, without a new version; the call is counted; any body is taken, and kept only as a small JSON object', async () => {
    const trigger = off;
    const version = await flagVersion(s, w.project, w.flag);
    clock += 1000;
    expect((await s.request('POST', offPath, { raw: 'not json', headers: { 'content-type': 'text/plain' }, token: null })).status).toBe(200);
    clock += 1000;
    expect((await s.request('POST', offPath, { raw: '{broken', headers: { 'content-type': 'application/json' }, token: null })).status).toBe(200);
    clock += 1000;
    expect((await s.request('POST', offPath, { token: null })).status).toBe(200);
    // Bodies no request body may be are taken as calls all the same, and not kept: 5,000 levels deep, or over 8 KB.
    clock += 1000;
    expect((await s.request('POST', offPath, { raw: '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), headers: { 'content-type': 'application/json' }, token: null })).status).toBe(200);
    clock += 1000;
    expect((await s.post(offPath, { alert: 'x'.repeat(9000) }, { token: null })).status).toBe(200);
    expect(await isOn()).toBe(false);
    expect(await flagVersion(s, w.project, w.flag)).toBe(version);
    const read = (await s.get(`${triggers()}/${trigger._id}`)).body;
    expect(read._triggerCount).toBe(6);
    // Newest first; only a JSON object is kept as jsonBody.
    expect(read._recentTriggerBodies.slice(0, 5)).toEqual([0, 1, 2, 3, 4].map((ago) => ({ timestamp: clock - ago * 1000 })));
  });

  it('a turnFlagOn trigger turns it back on; a disabled one does nothing and counts nothing; enabled again, it acts', async () => {
    const on = (await s.post(triggers(), { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOn' }] })).body;
    expect((await s.post(urlPath(on), undefined, { token: null })).status).toBe(200);
    expect(await isOn()).toBe(true);
    await s.patch(`${triggers()}/${off._id}`, { instructions: [{ kind: 'disableTrigger' }] });
    const count = (await s.get(`${triggers()}/${off._id}`)).body._triggerCount;
    expect((await s.post(offPath, undefined, { token: null })).status).toBe(200);
    expect(await isOn()).toBe(true);
    expect((await s.get(`${triggers()}/${off._id}`)).body._triggerCount).toBe(count);
    await s.patch(`${triggers()}/${off._id}`, { instructions: [{ kind: 'enableTrigger' }] });
    expect((await s.post(offPath, undefined, { token: null })).status).toBe(200);
    expect(await isOn()).toBe(false);
  });

  it('keeps the latest 10 bodies', async () => {
    const trigger = (await s.post(triggers(), { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOn' }] })).body;
    for (let i = 0; i < 12; i++) await s.post(urlPath(trigger), { i }, { token: null });
    const read = (await s.get(`${triggers()}/${trigger._id}`)).body;
    expect(read._triggerCount).toBe(12);
    expect(read._recentTriggerBodies.map((b: { jsonBody: { i: number } }) => b.jsonBody.i)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  });

  it('_status (2026-07) is active, inactive when disabled, failed after a refused call (with _lastFailedAt) until a call acts again', async () => {
    expect((await s.post(`/api/v2/flags/${w.project}`, { name: 'Refused', key: 'trigger-refused' })).status).toBe(201);
    const path = `/api/v2/flags/${w.project}/trigger-refused/triggers/production`;
    const trigger = (await s.post(path, { integrationKey: 'datadog', instructions: [{ kind: 'turnFlagOn' }] })).body;
    expect(trigger._status).toBe('active');
    expect(trigger).not.toHaveProperty('_lastFailedAt');
    refusing = true;
    clock += 1000;
    const refused = await s.post(urlPath(trigger), {}, { token: null });
    expect(refused.status).toBe(409);
    const failedAt = clock;
    const failed = (await s.get(`${path}/${trigger._id}`)).body;
    expect(failed).toMatchObject({ _status: 'failed', _lastFailedAt: failedAt, _triggerCount: 0 });
    expect((await s.get(path)).body.items[0]).toMatchObject({ _status: 'failed', _lastFailedAt: failedAt });
    expect((await s.patch(`${path}/${trigger._id}`, { instructions: [{ kind: 'disableTrigger' }] })).body._status).toBe('inactive');
    expect((await s.patch(`${path}/${trigger._id}`, { instructions: [{ kind: 'enableTrigger' }] })).body._status).toBe('failed');
    refusing = false;
    clock += 1000;
    expect((await s.post(urlPath(trigger), {}, { token: null })).status).toBe(200);
    expect((await s.get(`${path}/${trigger._id}`)).body).toMatchObject({ _status: 'active', _lastFailedAt: failedAt, _lastTriggeredAt: clock, _triggerCount: 1 });
  });
});
