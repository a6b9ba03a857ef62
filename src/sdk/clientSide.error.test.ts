// The client-side evaluation endpoints (/sdk/evalx) refusing and qualifying: contexts that are not contexts, an
// unknown client-side ID, secure mode's hash; and what the answer says besides values: reasons on request, the ETag,
// trackEvents/trackReason (rules, the flag, experiments), off and archived flags, multi-kind and legacy contexts.
import crypto from 'node:crypto';
import { init, type LDContext } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from '../../test/support/fixtures.js';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const b64 = (context: unknown) => Buffer.from(JSON.stringify(context)).toString('base64url');
const CLIENT = { usingEnvironmentId: true, usingMobileKey: false };

/** A server with the world's flag made available to client-side SDKs; helpers for its evalx routes. */
async function clientWorld() {
  const s = await startServer();
  const w = await createWorld(s);
  const env = (await s.get(`/api/v2/projects/${w.project}/environments/${w.env}`)).body;
  const made = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/clientSideAvailability', value: CLIENT }]);
  expect(made.status, JSON.stringify(made.body)).toBe(200);
  const envId: string = env._id;
  const sdkKey: string = env.apiKey;
  return {
    s,
    w,
    envId,
    sdkKey,
    get: (context: unknown, query = '', headers: Record<string, string> = {}) => s.get(`/sdk/evalx/${envId}/contexts/${b64(context)}${query}`, { token: null, headers }),
    report: (context: unknown, query = '', headers: Record<string, string> = {}) => s.request('REPORT', `/sdk/evalx/${envId}/context${query}`, { body: context, token: null, headers }),
    /** The flag's version as the server-side SDKs are sent it (evalx's version and flagVersion). */
    version: async (flag: string) => (await s.get('/sdk/latest-all', { token: sdkKey })).body.flags[flag].version as number,
    /** A new boolean flag available to client-side SDKs. */
    flag: async (key: string, patch: unknown[] = []) => {
      const res = await s.post(`/api/v2/flags/${w.project}`, { name: key, key, clientSideAvailability: CLIENT });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      if (patch.length > 0) {
        const patched = await s.patch(`/api/v2/flags/${w.project}/${key}`, patch);
        expect(patched.status, JSON.stringify(patched.body)).toBe(200);
        return patched.body;
      }
      return res.body;
    },
  };
}

describe('client-side evaluation: contexts refused', () => {
  let c: Awaited<ReturnType<typeof clientWorld>>;
  beforeAll(async () => {
    c = await clientWorld();
  });
  afterAll(() => c.s.close());

  it('GET: a path segment that is not base64url JSON is a 400 naming the context', async () => {
    for (const segment of ['!!!', Buffer.from('not json').toString('base64url'), Buffer.from('{"kind":"user","key":').toString('base64url')]) {
      const res = await c.s.get(`/sdk/evalx/${c.envId}/contexts/${segment}`, { token: null });
      expect(res.status, segment).toBe(400);
      expect(res.body).toEqual({ code: 'invalid_request', message: "context: the path segment must be the base64url encoding of a context's JSON" });
    }
  });

  it('GET: JSON that is not a valid context is a 400 naming what is wrong', async () => {
    const cases: [unknown, string][] = [
      [{ kind: 'user' }, 'context.key: must be a non-empty string'],
      [{ kind: 'user', key: '' }, 'context.key: must be a non-empty string'],
      [{ kind: 'org', key: 7 }, 'context.key: must be a non-empty string'],
      [{ name: 'no key' }, "context.key: must be a string or a number (a legacy user's, without a kind, may be empty)"],
      [{ key: true }, "context.key: must be a string or a number (a legacy user's, without a kind, may be empty)"],
      [{ key: { id: 1 } }, "context.key: must be a string or a number (a legacy user's, without a kind, may be empty)"],
      [{ kind: 'user', key: 123 }, 'context.key: must be a non-empty string'],
      [[{ kind: 'user', key: 'u' }], 'context: must be a context object, e.g. {"kind": "user", "key": "user-key-123abc"}'],
      ['user-key', 'context: must be a context object, e.g. {"kind": "user", "key": "user-key-123abc"}'],
      [{ kind: 'multi' }, 'context: a multi-context must hold at least one context'],
      [{ kind: 'multi', user: { key: 'u' }, org: { name: 'Acme' } }, 'context.org.key: must be a non-empty string'],
      [{ kind: 'multi', org: 'acme' }, 'context.org: must be a context object'],
      [{ kind: 'not a kind', key: 'u' }, 'context.kind: must be a context kind (letters, digits, ".", "_" and "-") or "multi"'],
    ];
    for (const [context, message] of cases) {
      const res = await c.get(context);
      expect(res.status, JSON.stringify(context)).toBe(400);
      expect(res.body).toEqual({ code: 'invalid_request', message });
    }
  });

  it('REPORT: a body that is not a valid context is a 400 naming what is wrong', async () => {
    const missingKey = await c.report({ kind: 'user', name: 'Sandy' });
    expect(missingKey.status).toBe(400);
    expect(missingKey.body).toEqual({ code: 'invalid_request', message: 'context.key: must be a non-empty string' });
    const multi = await c.report({ kind: 'multi', user: { key: 'u' }, org: {} });
    expect(multi.status).toBe(400);
    expect(multi.body).toEqual({ code: 'invalid_request', message: 'context.org.key: must be a non-empty string' });
    for (const body of [[], 'user-key', 42]) {
      const res = await c.report(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toEqual({ code: 'invalid_request', message: 'context: must be a context object, e.g. {"kind": "user", "key": "user-key-123abc"}' });
    }
    const none = await c.s.request('REPORT', `/sdk/evalx/${c.envId}/context`, { token: null });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^context: /) });
    const malformed = await c.s.request('REPORT', `/sdk/evalx/${c.envId}/context`, { raw: '{"kind":"user",', token: null });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('invalid_request');
  });

  it('the stream routes refuse a bad context the same way, before any stream starts', async () => {
    const get = await c.s.get(`/eval/${c.envId}/${b64({ kind: 'user' })}`, { token: null });
    expect(get.status).toBe(400);
    expect(get.body).toEqual({ code: 'invalid_request', message: 'context.key: must be a non-empty string' });
    expect(get.headers['content-type']).toMatch(/^application\/json/);
    const report = await c.s.request('REPORT', `/eval/${c.envId}`, { body: { kind: 'multi' }, token: null });
    expect(report.status).toBe(400);
    expect(report.body).toEqual({ code: 'invalid_request', message: 'context: a multi-context must hold at least one context' });
    expect(c.s.app.clientStreams.connections).toBe(0);
  });

  it('an unknown client-side ID is a 404, with the CORS header a browser needs to read it', async () => {
    const context = b64({ kind: 'user', key: 'u' });
    const requests: [string, string, unknown?][] = [
      ['GET', `/sdk/evalx/5f0000000000000000000000/contexts/${context}`],
      ['REPORT', '/sdk/evalx/5f0000000000000000000000/context', { kind: 'user', key: 'u' }],
      ['GET', `/eval/5f0000000000000000000000/${context}`],
      ['REPORT', '/eval/5f0000000000000000000000', { kind: 'user', key: 'u' }],
      ['GET', '/sdk/goals/5f0000000000000000000000'],
      ['POST', '/events/bulk/5f0000000000000000000000', [{ kind: 'custom', key: 'k', context: { kind: 'user', key: 'u' } }]],
      ['POST', '/events/diagnostic/5f0000000000000000000000', { kind: 'diagnostic' }],
      // The environment's key is not its client-side ID.
      ['GET', `/sdk/evalx/${c.w.env}/contexts/${context}`],
      ['GET', `/sdk/evalx/${c.sdkKey}/contexts/${context}`],
    ];
    for (const [method, url, body] of requests) {
      const res = await c.s.request(method, url, { body, token: null, headers: { origin: 'https://shop.example.com' } });
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message: expect.stringMatching(/^Environment with client-side ID ".+" not found$/) });
      expect(res.headers['access-control-allow-origin'], `${method} ${url}`).toBe('*');
    }
    // An unknown environment is reported before a bad context.
    const both = await c.s.get('/sdk/evalx/5f0000000000000000000000/contexts/!!!', { token: null });
    expect(both.status).toBe(404);
    expect(both.body.message).toBe('Environment with client-side ID "5f0000000000000000000000" not found');
  });
});

describe('client-side evaluation: secure mode', () => {
  let c: Awaited<ReturnType<typeof clientWorld>>;
  const hmac = (key: string, canonical: string) => crypto.createHmac('sha256', key).update(canonical).digest('hex');
  beforeAll(async () => {
    c = await clientWorld();
    const res = await c.s.patch(`/api/v2/projects/${c.w.project}/environments/${c.w.env}`, [{ op: 'replace', path: '/secureMode', value: true }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.secureMode).toBe(true);
  });
  afterAll(() => c.s.close());

  it('without h, or with a wrong h: 400, on GET and REPORT', async () => {
    const context = { kind: 'user', key: 'secure-user' };
    const wrong = [
      '',
      hmac(c.sdkKey, 'someone-else'),
      hmac('sdk-not-the-key', 'secure-user'),
      hmac(c.sdkKey, 'secure-user').toUpperCase().replace(/^./, 'G'),
      hmac(c.sdkKey, 'secure-user').slice(0, 40),
      crypto.createHash('sha256').update('secure-user').digest('hex'),
    ];
    for (const query of ['', ...wrong.map((h) => `?h=${h}`)]) {
      for (const res of [await c.get(context, query), await c.report(context, query)]) {
        expect(res.status, query).toBe(400);
        expect(res.body).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^h: secure mode/) });
        expect(res.headers['access-control-allow-origin']).toBe('*');
      }
    }
    // The stream is refused the same way.
    const stream = await c.s.get(`/eval/${c.envId}/${b64(context)}`, { token: null });
    expect(stream.status).toBe(400);
    expect(stream.body.message).toMatch(/^h: secure mode/);
  });

  it("the right h (HMAC-SHA256 of the context's canonical key under the SDK key): 200", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'user', key: 'secure-user' }, 'secure-user'],
      [{ key: 'legacy-user', name: 'No kind' }, 'legacy-user'],
      [{ kind: 'org', key: 'acme' }, 'org:acme'],
      [{ kind: 'multi', user: { key: 'u1' }, org: { key: 'acme' }, device: { key: 'd9' } }, 'device:d9:org:acme:user:u1'],
    ];
    for (const [context, canonical] of cases) {
      const h = hmac(c.sdkKey, canonical);
      for (const res of [await c.get(context, `?h=${h}`), await c.report(context, `?h=${h}`)]) {
        expect(res.status, JSON.stringify(context)).toBe(200);
        expect(Object.keys(res.body)).toEqual([c.w.flag]);
      }
      // Another context's hash does not open this one.
      expect((await c.get({ kind: 'user', key: 'intruder' }, `?h=${h}`)).status).toBe(400);
    }
  });

  it("agrees with the official server-side SDK's secureModeHash, ':' and '%' in keys escaped", async () => {
    const sdk = init(c.sdkKey, { offline: true, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    try {
      const contexts: LDContext[] = [
        { kind: 'user', key: 'a:b%c' },
        { kind: 'org', key: 'a:b%c' },
        { kind: 'multi', user: { key: 'u:1' }, org: { key: '50%' } },
      ];
      for (const context of contexts) {
        const h = sdk.secureModeHash(context);
        expect((await c.get(context, `?h=${h}`)).status, JSON.stringify(context)).toBe(200);
      }
      expect(sdk.secureModeHash({ kind: 'org', key: 'a:b%c' })).toBe(hmac(c.sdkKey, 'org:a%3Ab%25c'));
    } finally {
      sdk.close();
    }
  });

  it('secure mode off again: h is not needed, and a wrong one is ignored', async () => {
    expect((await c.s.patch(`/api/v2/projects/${c.w.project}/environments/${c.w.env}`, [{ op: 'replace', path: '/secureMode', value: false }])).status).toBe(200);
    expect((await c.get({ kind: 'user', key: 'secure-user' })).status).toBe(200);
    expect((await c.get({ kind: 'user', key: 'secure-user' }, '?h=nonsense')).status).toBe(200);
    expect((await c.s.patch(`/api/v2/projects/${c.w.project}/environments/${c.w.env}`, [{ op: 'replace', path: '/secureMode', value: true }])).status).toBe(200);
    expect((await c.get({ kind: 'user', key: 'secure-user' })).status).toBe(400);
  });
});

describe('client-side evaluation: what each flag carries', () => {
  let c: Awaited<ReturnType<typeof clientWorld>>;
  beforeAll(async () => {
    c = await clientWorld();
  });
  afterAll(() => c.s.close());

  it('values only by default; ?withReasons=true adds each reason', async () => {
    const version = await c.version(c.w.flag);
    const plain = await c.get({ kind: 'user', key: 'beta-user', groups: ['beta'] });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(plain.body).toEqual({ [c.w.flag]: { value: true, variation: 0, version, flagVersion: version, trackEvents: false } });
    const beta = await c.get({ kind: 'user', key: 'beta-user', groups: ['beta'] }, '?withReasons=true');
    expect(beta.body).toEqual({ [c.w.flag]: { value: true, variation: 0, version, flagVersion: version, trackEvents: false, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: c.w.ruleId } } });
    const other = await c.report({ kind: 'user', key: 'someone' }, '?withReasons=true');
    expect(other.body).toEqual({ [c.w.flag]: { value: true, variation: 0, version, flagVersion: version, trackEvents: false, reason: { kind: 'FALLTHROUGH' } } });
    expect((await c.get({ kind: 'user', key: 'someone' }, '?withReasons=false')).body[c.w.flag].reason).toBeUndefined();
  });

  it('ETag: the same answer again is a 304 to If-None-Match; a change makes a new ETag', async () => {
    const context = { kind: 'user', key: 'etag-user' };
    const first = await c.get(context);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await c.get(context, '', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    // A browser reads the 304 only with the CORS header.
    expect(again.headers['access-control-allow-origin']).toBe('*');
    // Among others the SDK holds, too.
    expect((await c.get(context, '', { 'if-none-match': `"stale", ${etag}` })).status).toBe(304);
    // REPORT answers the same body, so the same ETag.
    const report = await c.report(context, '', { 'if-none-match': etag });
    expect(report.status).toBe(304);
    // A stale ETag is answered in full.
    const stale = await c.get(context, '', { 'if-none-match': '"stale"' });
    expect(stale.status).toBe(200);
    expect(stale.body).toEqual(first.body);
    // Reasons make another body, another ETag.
    const withReasons = await c.get(context, '?withReasons=true', { 'if-none-match': etag });
    expect(withReasons.status).toBe(200);
    expect(withReasons.headers.etag).not.toBe(etag);

    const off = await c.s.patch(`/api/v2/flags/${c.w.project}/${c.w.flag}`, [{ op: 'replace', path: `/environments/${c.w.env}/fallthrough/variation`, value: 1 }]);
    expect(off.status).toBe(200);
    const changed = await c.get(context, '', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.body[c.w.flag].value).toBe(false);
    expect(changed.headers.etag).not.toBe(etag);
    expect((await c.get(context, '', { 'if-none-match': changed.headers.etag as string })).status).toBe(304);
    await c.s.patch(`/api/v2/flags/${c.w.project}/${c.w.flag}`, [{ op: 'replace', path: `/environments/${c.w.env}/fallthrough/variation`, value: 0 }]);
  });

  it('a rule with trackEvents: trackEvents, trackReason and the reason, for the contexts it matches only', async () => {
    await c.flag('tracked-rule', [
      { op: 'replace', path: '/environments/production/on', value: true },
      { op: 'add', path: '/environments/production/rules/-', value: { clauses: [{ attribute: 'groups', op: 'in', values: ['beta'], negate: false }], variation: 1, trackEvents: true } },
    ]);
    const flag = (await c.s.get(`/api/v2/flags/${c.w.project}/tracked-rule`)).body;
    const ruleId = flag.environments.production.rules[0]._id;
    const version = await c.version('tracked-rule');
    const beta = await c.get({ kind: 'user', key: 'b', groups: ['beta'] });
    expect(beta.body['tracked-rule']).toEqual({ value: false, variation: 1, version, flagVersion: version, trackEvents: true, trackReason: true, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId } });
    const other = await c.get({ kind: 'user', key: 'o' });
    expect(other.body['tracked-rule']).toEqual({ value: true, variation: 0, version, flagVersion: version, trackEvents: false });
  });

  it('trackEventsFallthrough: trackEvents, trackReason and the reason for the contexts falling through', async () => {
    await c.flag('tracked-fallthrough', [
      { op: 'replace', path: '/environments/production/on', value: true },
      { op: 'replace', path: '/environments/production/trackEventsFallthrough', value: true },
    ]);
    const version = await c.version('tracked-fallthrough');
    expect((await c.get({ kind: 'user', key: 'o' })).body['tracked-fallthrough']).toEqual({
      value: true,
      variation: 0,
      version,
      flagVersion: version,
      trackEvents: true,
      trackReason: true,
      reason: { kind: 'FALLTHROUGH' },
    });
  });

  it("the flag's own trackEvents: trackEvents only, no trackReason, no reason unless asked", async () => {
    await c.flag('tracked-flag', [
      { op: 'replace', path: '/environments/production/on', value: true },
      { op: 'replace', path: '/environments/production/trackEvents', value: true },
    ]);
    const version = await c.version('tracked-flag');
    expect((await c.get({ kind: 'user', key: 'o' })).body['tracked-flag']).toEqual({ value: true, variation: 0, version, flagVersion: version, trackEvents: true });
    expect((await c.get({ kind: 'user', key: 'o' }, '?withReasons=true')).body['tracked-flag']).toEqual({
      value: true,
      variation: 0,
      version,
      flagVersion: version,
      trackEvents: true,
      reason: { kind: 'FALLTHROUGH' },
    });
  });

  it('a flag that is off: its off variation, reason OFF when reasons are asked for', async () => {
    await c.flag('switched-off');
    const version = await c.version('switched-off');
    expect((await c.get({ kind: 'user', key: 'o' })).body['switched-off']).toEqual({ value: false, variation: 1, version, flagVersion: version, trackEvents: false });
    expect((await c.get({ kind: 'user', key: 'o' }, '?withReasons=true')).body['switched-off']).toEqual({
      value: false,
      variation: 1,
      version,
      flagVersion: version,
      trackEvents: false,
      reason: { kind: 'OFF' },
    });
  });

  it('off with no off variation: value null and no variation; a prerequisite off elsewhere: PREREQUISITE_FAILED', async () => {
    await c.flag('no-off-variation', [{ op: 'remove', path: '/environments/production/offVariation' }]);
    const version = await c.version('no-off-variation');
    expect((await c.get({ kind: 'user', key: 'o' }, '?withReasons=true')).body['no-off-variation']).toEqual({
      value: null,
      version,
      flagVersion: version,
      trackEvents: false,
      reason: { kind: 'OFF' },
    });
    // The prerequisite is not available to client-side SDKs: it is evaluated all the same, and stays unsent.
    const hidden = await c.s.post(`/api/v2/flags/${c.w.project}`, { name: 'hidden', key: 'hidden-prereq', clientSideAvailability: { usingEnvironmentId: false, usingMobileKey: false } });
    expect(hidden.status).toBe(201);
    await c.flag('with-prereq', [
      { op: 'replace', path: '/environments/production/on', value: true },
      { op: 'add', path: '/environments/production/prerequisites/-', value: { key: 'hidden-prereq', variation: 0 } },
    ]);
    const failed = await c.get({ kind: 'user', key: 'o' }, '?withReasons=true');
    expect(failed.body['with-prereq']).toMatchObject({ value: false, variation: 1, reason: { kind: 'PREREQUISITE_FAILED', prerequisiteKey: 'hidden-prereq' } });
    expect(failed.body['hidden-prereq']).toBeUndefined();
    expect((await c.s.patch(`/api/v2/flags/${c.w.project}/hidden-prereq`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    const met = await c.get({ kind: 'user', key: 'o' }, '?withReasons=true');
    expect(met.body['with-prereq']).toMatchObject({ value: true, variation: 0, reason: { kind: 'FALLTHROUGH' } });
  });

  it('a segment change alters the values of flags matching on it (and the ETag), not their versions', async () => {
    expect((await c.s.post(`/api/v2/segments/${c.w.project}/production`, { name: 'Testers', key: 'testers' })).status).toBe(201);
    await c.flag('by-segment', [
      { op: 'replace', path: '/environments/production/on', value: true },
      { op: 'add', path: '/environments/production/rules/-', value: { clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['testers'], negate: false }], variation: 1 } },
    ]);
    const before = await c.get({ kind: 'user', key: 'tester' });
    expect(before.body['by-segment']).toMatchObject({ value: true, variation: 0 });
    expect((await c.s.patch(`/api/v2/segments/${c.w.project}/production/testers`, [{ op: 'add', path: '/included/-', value: 'tester' }])).status).toBe(200);
    const after = await c.get({ kind: 'user', key: 'tester' }, '', { 'if-none-match': before.headers.etag as string });
    expect(after.status).toBe(200);
    expect(after.body['by-segment']).toEqual({ ...before.body['by-segment'], value: false, variation: 1 });
    expect((await c.get({ kind: 'user', key: 'not-a-tester' })).body['by-segment']).toMatchObject({ value: true });
  });

  it('the context path segment: base64url, padded or not', async () => {
    // Its standard base64 has '/' and '=': base64url turns the one to '_', and may keep or drop the other.
    const json = JSON.stringify({ kind: 'user', key: '??>>' });
    expect(Buffer.from(json).toString('base64')).toMatch(/\/.*=$/);
    const padded = Buffer.from(json).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    const unpadded = Buffer.from(json).toString('base64url');
    for (const segment of [padded, unpadded]) {
      const res = await c.s.get(`/sdk/evalx/${c.envId}/contexts/${segment}`, { token: null });
      expect(res.status, segment).toBe(200);
      expect(res.body[c.w.flag]).toMatchObject({ value: true });
    }
  });

  it('archived and deleted flags are absent', async () => {
    await c.flag('to-archive', [{ op: 'replace', path: '/environments/production/on', value: true }]);
    await c.flag('to-delete');
    expect(Object.keys((await c.get({ kind: 'user', key: 'o' })).body)).toEqual(expect.arrayContaining(['to-archive', 'to-delete']));
    const archived = await c.s.patch(`/api/v2/flags/${c.w.project}/to-archive`, [{ op: 'replace', path: '/archived', value: true }]);
    expect(archived.status, JSON.stringify(archived.body)).toBe(200);
    expect((await c.s.del(`/api/v2/flags/${c.w.project}/to-delete`)).status).toBe(204);
    for (const res of [await c.get({ kind: 'user', key: 'o' }), await c.report({ kind: 'user', key: 'o' }, '?withReasons=true')]) {
      expect(res.status).toBe(200);
      expect(res.body['to-archive']).toBeUndefined();
      expect(res.body['to-delete']).toBeUndefined();
      expect(res.body[c.w.flag]).toBeDefined();
    }
  });

  it('multi-context evaluation: a rule on another kind matches its part of a multi-context', async () => {
    await c.flag('by-org', [
      { op: 'replace', path: '/environments/production/on', value: true },
      { op: 'add', path: '/environments/production/rules/-', value: { clauses: [{ contextKind: 'org', attribute: 'key', op: 'in', values: ['acme'], negate: false }], variation: 1 } },
    ]);
    const ruleId = (await c.s.get(`/api/v2/flags/${c.w.project}/by-org`)).body.environments.production.rules[0]._id;
    const cases: [Record<string, unknown>, boolean, unknown][] = [
      [{ kind: 'user', key: 'u' }, true, { kind: 'FALLTHROUGH' }],
      [{ kind: 'org', key: 'acme' }, false, { kind: 'RULE_MATCH', ruleIndex: 0, ruleId }],
      [{ kind: 'multi', user: { key: 'u' }, org: { key: 'acme' } }, false, { kind: 'RULE_MATCH', ruleIndex: 0, ruleId }],
      [{ kind: 'multi', user: { key: 'u' }, org: { key: 'globex' } }, true, { kind: 'FALLTHROUGH' }],
    ];
    for (const [context, value, reason] of cases) {
      for (const res of [await c.get(context, '?withReasons=true'), await c.report(context, '?withReasons=true')]) {
        expect(res.status).toBe(200);
        expect(res.body['by-org'], JSON.stringify(context)).toMatchObject({ value, reason });
      }
    }
    // The world's rule on users' groups reads the multi-context's user part.
    const multi = await c.get({ kind: 'multi', user: { key: 'u', groups: ['beta'] }, org: { key: 'acme' } }, '?withReasons=true');
    expect(multi.body[c.w.flag].reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: c.w.ruleId });
  });

  it('a legacy user (no kind): evaluated as a user, its custom attributes read by rules', async () => {
    const cases = [{ key: 'legacy', custom: { groups: ['beta'] } }];
    for (const context of cases) {
      for (const res of [await c.get(context, '?withReasons=true'), await c.report(context, '?withReasons=true')]) {
        expect(res.status, JSON.stringify(context)).toBe(200);
        expect(res.body[c.w.flag]).toMatchObject({ value: true, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: c.w.ruleId } });
        // The org rule does not match a user.
        expect(res.body['by-org']).toMatchObject({ reason: { kind: 'FALLTHROUGH' } });
      }
    }
    const plain = await c.get({ key: 'legacy-plain' }, '?withReasons=true');
    expect(plain.body[c.w.flag].reason).toEqual({ kind: 'FALLTHROUGH' });
    // Outside `custom`, only the built-in attributes (name, email, country…) are a legacy user's, as the SDKs read it.
    for (const res of [await c.get({ key: 'legacy', groups: ['beta'] }, '?withReasons=true'), await c.report({ key: 'legacy', groups: ['beta'] }, '?withReasons=true')]) {
      expect(res.body[c.w.flag].reason).toEqual({ kind: 'FALLTHROUGH' });
    }
  });

  it('a legacy user with a numeric key is evaluated as its text, and one with an empty key is evaluated, as the SDKs evaluate them', async () => {
    await c.flag('legacy-keys', [
      { op: 'replace', path: `/environments/${c.w.env}/on`, value: true },
      { op: 'replace', path: `/environments/${c.w.env}/targets`, value: [{ values: ['123'], variation: 0 }] },
      { op: 'replace', path: `/environments/${c.w.env}/fallthrough`, value: { rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] } } },
    ]);
    const text = await c.get({ key: '123' }, '?withReasons=true');
    for (const res of [await c.get({ key: 123 }, '?withReasons=true'), await c.report({ key: 123 }, '?withReasons=true')]) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body['legacy-keys']).toMatchObject({ value: true, reason: { kind: 'TARGET_MATCH' } });
      expect(res.body).toEqual(text.body);
    }
    // Bucketed by its text too: a number's rollout bucket is the one of the same digits as a key.
    const bucketed = await c.get({ key: 4567 }, '?withReasons=true');
    expect(bucketed.body['legacy-keys']).toEqual((await c.get({ key: '4567' }, '?withReasons=true')).body['legacy-keys']);
    for (const res of [await c.get({ key: '' }, '?withReasons=true'), await c.report({ key: '', custom: { groups: ['beta'] } }, '?withReasons=true')]) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body['legacy-keys']).toMatchObject({ reason: { kind: 'FALLTHROUGH' } });
    }
    const beta = await c.report({ key: '', custom: { groups: ['beta'] } }, '?withReasons=true');
    expect(beta.body[c.w.flag]).toMatchObject({ value: true, reason: { kind: 'RULE_MATCH', ruleIndex: 0 } });
    // A context with a kind still needs a non-empty string key.
    expect((await c.report({ kind: 'user', key: '' })).status).toBe(400);
    // The mobile routes read contexts alike.
    const mobileKey = (await c.s.get(`/api/v2/projects/${c.w.project}/environments/${c.w.env}`)).body.mobileKey;
    for (const context of [{ key: 123 }, { key: '' }]) {
      const mobile = await c.s.request('REPORT', '/msdk/evalx/context', { body: context, token: null, headers: { authorization: mobileKey } });
      expect(mobile.status, JSON.stringify(mobile.body)).toBe(200);
    }
  });
});

describe('client-side evaluation: experiments', () => {
  let c: Awaited<ReturnType<typeof clientWorld>>;
  let w: World;
  beforeAll(async () => {
    c = await clientWorld();
    w = c.w;
    const version = (await c.s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments[w.env].version;
    await createExperimentIn(c.s, w, 'client-exp', iterationBody({ ...w, version }));
    const started = await c.s.patch(experimentsPath(w, 'client-exp'), { instructions: [{ kind: 'startIteration' }] }, { headers: { 'LD-API-Version': 'beta' } });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
  });
  afterAll(() => c.s.close());

  it('a context in a running experiment: trackEvents, trackReason and reason.inExperiment, reasons asked for or not', async () => {
    const version = await c.version(w.flag);
    for (let i = 0; i < 10; i++) {
      for (const query of ['', '?withReasons=true']) {
        const res = await c.get({ kind: 'user', key: `unit-${i}` }, query);
        expect(res.status).toBe(200);
        const flag = res.body[w.flag];
        expect(flag).toEqual({
          value: flag.variation === 0,
          variation: expect.any(Number),
          version,
          flagVersion: version,
          trackEvents: true,
          trackReason: true,
          reason: { kind: 'FALLTHROUGH', inExperiment: true },
        });
      }
    }
  });

  it('a context the experiment does not cover (matching the rule before the fallthrough): not tracked', async () => {
    const res = await c.get({ kind: 'user', key: 'beta-unit', groups: ['beta'] });
    const version = await c.version(w.flag);
    expect(res.body[w.flag]).toEqual({ value: true, variation: 0, version, flagVersion: version, trackEvents: false });
  });
});
