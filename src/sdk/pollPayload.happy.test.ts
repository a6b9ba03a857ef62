// GET /sdk/poll (FDv2): the official SDK's data system on polling alone initializes and evaluates from it; the body
// is one payload's events, a basis that is current is answered `none`, and the ETag makes a repeated poll a 304.
import type { LDOptions } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');

describe('GET /sdk/poll (FDv2)', () => {
  let s: TestServer;
  let w: World;
  let key: string;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => NOW });
    w = await createWorld(s);
    key = await sdkKeyOf(s, w.project);
  });
  afterAll(() => s.close());

  it('the official SDK polling through its data system initializes and evaluates what is stored', async () => {
    const client = sdkClient(s.url, key, { dataSystem: { dataSource: { dataSourceOptionsType: 'pollingOnly' } } } as LDOptions);
    try {
      await client.waitForInitialization({ timeout: 10 });
      expect(await client.variationDetail(w.flag, { kind: 'user', key: 'ada', groups: ['beta'] }, 'default')).toEqual({
        value: true,
        variationIndex: 0,
        reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: w.ruleId },
      });
    } finally {
      client.close();
    }
  });

  it('one payload: the intent, each flag and segment in the SDK model, and the state it makes', async () => {
    expect((await s.post(`/api/v2/segments/${w.project}/production`, { key: 'testers', name: 'Testers' })).status).toBe(201);
    const res = await s.get('/sdk/poll', { token: key });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const environmentId = res.headers['x-ld-envid'];
    expect(environmentId).toEqual(expect.any(String));
    const latest = (await s.get('/sdk/latest-all', { token: key })).body;
    expect(res.body).toEqual({
      events: [
        { event: 'server-intent', data: { payloads: [{ id: environmentId, target: NOW, intentCode: 'xfer-full', reason: 'payload-missing' }] } },
        { event: 'put-object', data: { kind: 'segment', key: 'testers', version: latest.segments.testers.version, object: latest.segments.testers } },
        { event: 'put-object', data: { kind: 'flag', key: w.flag, version: latest.flags[w.flag].version, object: latest.flags[w.flag] } },
        { event: 'payload-transferred', data: { state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), version: NOW, id: environmentId } },
      ],
    });
  });

  it('a current basis is `none`; an old one, or a change since, is everything again under a new state', async () => {
    const state = (await s.get('/sdk/poll', { token: key })).body.events.at(-1).data.state;
    const current = await s.get(`/sdk/poll?basis=${encodeURIComponent(state)}`, { token: key });
    expect(current.body).toEqual({ events: [{ event: 'server-intent', data: { payloads: [expect.objectContaining({ intentCode: 'none', reason: 'up-to-date', target: NOW })] } }] });

    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
    const changed = await s.get(`/sdk/poll?basis=${encodeURIComponent(state)}`, { token: key });
    expect(changed.body.events[0].data.payloads[0]).toMatchObject({ intentCode: 'xfer-full', reason: 'stale' });
    expect(changed.body.events.find((e: any) => e.data.key === w.flag).data.object.on).toBe(false);
    expect(changed.body.events.at(-1).data.state).not.toBe(state);
  });

  it('with a running clock (the payload\'s version changes with every poll), the ETag still gives 304 until a change', async () => {
    const running = await startServer();
    try {
      const world = await createWorld(running);
      const token = await sdkKeyOf(running, world.project);
      const first = await running.get('/sdk/poll', { token });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await running.get('/sdk/poll', { token, headers: { 'if-none-match': first.headers.etag as string } })).status).toBe(304);
      const state = first.body.events.at(-1).data.state;
      const none = await running.get(`/sdk/poll?basis=${encodeURIComponent(state)}`, { token });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await running.get(`/sdk/poll?basis=${encodeURIComponent(state)}`, { token, headers: { 'if-none-match': none.headers.etag as string } })).status).toBe(304);
      await running.patch(`/api/v2/flags/${world.project}/${world.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
      expect((await running.get('/sdk/poll', { token, headers: { 'if-none-match': first.headers.etag as string } })).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('304 for the ETag the SDK holds; a change makes a new ETag', async () => {
    const first = await s.get('/sdk/poll', { token: key });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect((await s.get('/sdk/poll', { token: key, headers: { 'if-none-match': etag } })).status).toBe(304);
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: true }]);
    const after = await s.get('/sdk/poll', { token: key, headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
  });
});
