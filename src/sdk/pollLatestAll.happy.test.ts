// GET /sdk/latest-all: the official SDK in polling mode initializes and evaluates from it; the ETag lets a poll that
// finds nothing new be a 304, and any change makes a new one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('GET /sdk/latest-all (SDK polling)', () => {
  let s: TestServer;
  let w: World;
  let key: string;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    key = await sdkKeyOf(s, w.project);
  });
  afterAll(() => s.close());

  it('the official SDK initializes by polling and evaluates what is stored', async () => {
    const client = sdkClient(s.url, key, { stream: false });
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

  it('answers the flags and segments of the key\'s environment, in the SDK model', async () => {
    const res = await s.get('/sdk/latest-all', { token: key });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body)).toEqual(['flags', 'segments']);
    expect(res.body.segments).toEqual({});
    const flag = res.body.flags[w.flag];
    expect(flag).toMatchObject({
      key: w.flag,
      on: true,
      variations: [true, false],
      fallthrough: { variation: 0 },
      offVariation: 1,
      rules: [{ id: w.ruleId, variation: 0, clauses: [{ attribute: 'groups', op: 'in', values: ['beta'], negate: false }], trackEvents: false }],
      targets: [],
      contextTargets: [],
      prerequisites: [],
      deleted: false,
    });
    expect(typeof flag.version).toBe('number');
    expect(flag.salt).toMatch(/^[0-9a-f]{32}$/);
  });

  it('304 for the ETag the SDK holds; a change makes a new ETag with a higher flag version', async () => {
    const first = await s.get('/sdk/latest-all', { token: key });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await s.get('/sdk/latest-all', { token: key, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');

    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/offVariation', value: 0 }]);
    const changed = await s.get('/sdk/latest-all', { token: key, headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body.flags[w.flag].version).toBeGreaterThan(first.body.flags[w.flag].version);
    expect(changed.body.flags[w.flag].offVariation).toBe(0);
  });

  it('user targets and other kinds\' targets keep their order for the SDK', async () => {
    const res = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, {
      environmentKey: 'production',
      instructions: [
        { kind: 'addTargets', variationId: w.variations[1], values: ['bob'] },
        { kind: 'addTargets', contextKind: 'org', variationId: w.variations[1], values: ['acme'] },
      ],
    }, { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } });
    expect(res.status).toBe(200);
    const client = sdkClient(s.url, key, { stream: false });
    try {
      await client.waitForInitialization({ timeout: 10 });
      expect(await client.variationDetail(w.flag, { kind: 'user', key: 'bob' }, 'default')).toEqual({ value: false, variationIndex: 1, reason: { kind: 'TARGET_MATCH' } });
      expect(await client.variationDetail(w.flag, { kind: 'org', key: 'acme' }, 'default')).toEqual({ value: false, variationIndex: 1, reason: { kind: 'TARGET_MATCH' } });
      expect((await client.variationDetail(w.flag, { kind: 'user', key: 'carol' }, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' });
    } finally {
      client.close();
    }
  });
});
