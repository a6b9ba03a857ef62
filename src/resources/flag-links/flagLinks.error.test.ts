// Flag links (beta) refused: an unknown project, flag or link (404 naming it); a create body without a URL, with a URL
// that is not absolute http(s), with an integration's members, a bad or duplicate key, unknown or mistyped members; a
// patch that is malformed, touches a read-only or unknown member, sets a bad URL, or fails its `test` (409); and every
// route without `LD-API-Version: beta` (403). Each refused write leaves the links, the audit log and the store as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const LINKS = '/api/v2/flag-links/projects/shop/flags/checkout';
const OTHER_LINKS = '/api/v2/flag-links/projects/shop/flags/banner';
const OK = { deepLink: 'https://example.com/tickets/1' };

describe('Flag links: errors', () => {
  let s: TestServer;
  let keyed: Record<string, any>;
  let unkeyed: Record<string, any>;

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'banner', name: 'Banner' })).status).toBe(201);
    // The same flag key in another project: its links are not the shop flag's.
    expect((await s.post('/api/v2/flags/other', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
    const a = await s.post(LINKS, { deepLink: 'https://example.com/a', key: 'ticket', title: 'Ticket', description: 'The ticket' }, BETA);
    expect(a.status).toBe(201);
    keyed = a.body;
    const b = await s.post(LINKS, { deepLink: 'https://example.com/b' }, BETA);
    expect(b.status).toBe(201);
    unkeyed = b.body;
  });
  afterAll(() => s.close());

  /** What a refused write must leave alone: both flags' links, the newest audit entries, and every table. */
  async function snapshot(): Promise<unknown> {
    const links = await s.get(LINKS, BETA);
    const others = await s.get(OTHER_LINKS, BETA);
    expect(links.status).toBe(200);
    const audit = await s.get('/api/v2/auditlog?limit=20');
    expect(audit.status).toBe(200);
    return { links: links.body, others: others.body, audit: audit.body.items.map((e: { _id: string }) => e._id), digest: await digestStore(s.store) };
  }

  /** Sends a write that must be refused and asserts it changed nothing. */
  async function refused(send: () => Promise<Response>): Promise<Response> {
    const before = await snapshot();
    const res = await send();
    expect(await snapshot()).toEqual(before);
    return res;
  }

  async function expectError(send: () => Promise<Response>, status: number, code: string, message: string | RegExp, what: string): Promise<Response> {
    const res = await refused(send);
    expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
    expect(res.body.code, what).toBe(code);
    if (typeof message === 'string') expect(res.body.message, what).toContain(message);
    else expect(res.body.message, what).toMatch(message);
    return res;
  }

  describe('404 naming what is missing', () => {
    it('an unknown project, on every route', async () => {
      const base = '/api/v2/flag-links/projects/nope/flags/checkout';
      const sends: [string, () => Promise<Response>][] = [
        ['GET', () => s.get(base, BETA)],
        ['POST', () => s.post(base, OK, BETA)],
        ['PATCH', () => s.patch(`${base}/ticket`, [{ op: 'replace', path: '/title', value: 'x' }], BETA)],
        ['DELETE', () => s.del(`${base}/ticket`, BETA)],
      ];
      for (const [method, send] of sends) {
        const res = await expectError(send, 404, 'not_found', 'Project "nope" not found', method);
        expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
      }
    });

    it('an unknown flag, on every route', async () => {
      const base = '/api/v2/flag-links/projects/shop/flags/ghost';
      const sends: [string, () => Promise<Response>][] = [
        ['GET', () => s.get(base, BETA)],
        ['POST', () => s.post(base, OK, BETA)],
        ['PATCH', () => s.patch(`${base}/ticket`, [{ op: 'replace', path: '/title', value: 'x' }], BETA)],
        ['DELETE', () => s.del(`${base}/ticket`, BETA)],
      ];
      for (const [method, send] of sends) {
        const res = await expectError(send, 404, 'not_found', 'Flag "ghost" in project "shop" not found', method);
        expect(res.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
      }
    });

    it('an unknown link id or key on PATCH and DELETE', async () => {
      for (const id of ['no-such-link', '0123456789abcdef01234567']) {
        const patch = await expectError(() => s.patch(`${LINKS}/${id}`, [{ op: 'replace', path: '/title', value: 'x' }], BETA), 404, 'not_found', `Flag link "${id}" not found`, `PATCH ${id}`);
        expect(patch.body).toEqual({ code: 'not_found', message: `Flag link "${id}" not found` });
        const del = await expectError(() => s.del(`${LINKS}/${id}`, BETA), 404, 'not_found', `Flag link "${id}" not found`, `DELETE ${id}`);
        expect(del.body).toEqual({ code: 'not_found', message: `Flag link "${id}" not found` });
      }
    });

    it("another flag's link, by id or key, is not found through this flag (nor through the same flag key in another project)", async () => {
      for (const base of [OTHER_LINKS, '/api/v2/flag-links/projects/other/flags/checkout']) {
        for (const id of [keyed._id, 'ticket', unkeyed._id]) {
          await expectError(() => s.patch(`${base}/${id}`, [{ op: 'replace', path: '/title', value: 'hijacked' }], BETA), 404, 'not_found', `Flag link "${id}" not found`, `PATCH ${base}/${id}`);
          await expectError(() => s.del(`${base}/${id}`, BETA), 404, 'not_found', `Flag link "${id}" not found`, `DELETE ${base}/${id}`);
        }
      }
      expect((await s.get('/api/v2/flag-links/projects/other/flags/checkout', BETA)).body.items).toEqual([]);
    });
  });

  describe('createFlagLink: 400 naming the field', () => {
    it('deepLink missing, empty, mistyped, or not an absolute http(s) URL', async () => {
      const cases: [unknown, string][] = [
        [{}, 'deepLink: must be present'],
        [{ title: 'No URL' }, 'deepLink: must be present'],
        [{ deepLink: '' }, 'deepLink'],
        [{ deepLink: 5 }, 'deepLink: must be a string'],
        [{ deepLink: null }, 'deepLink'],
        [{ deepLink: 'not a url' }, 'deepLink: "not a url" is not an absolute URL'],
        [{ deepLink: ' https://example.com/spaced ' }, 'deepLink: must not begin or end with spaces'],
        [{ deepLink: '/relative/path' }, 'deepLink: "/relative/path" is not an absolute URL'],
        [{ deepLink: 'example.com/x' }, 'deepLink: "example.com/x" is not an absolute URL'],
        [{ deepLink: 'http://' }, 'deepLink'],
        [{ deepLink: 'ftp://x' }, 'deepLink: must be an http or https URL, not ftp:'],
        [{ deepLink: 'javascript:alert(1)' }, 'deepLink: must be an http or https URL, not javascript:'],
        [{ deepLink: 'mailto:someone@example.com' }, 'deepLink: must be an http or https URL, not mailto:'],
        [{ deepLink: 'file:///etc/passwd' }, 'deepLink: must be an http or https URL, not file:'],
        [{ deepLink: `https://example.com/${'x'.repeat(2100)}` }, 'deepLink: must be at most 2048 characters'],
      ];
      for (const [body, message] of cases) {
        const res = await expectError(() => s.post(LINKS, body, BETA), 400, 'invalid_request', message, JSON.stringify(body).slice(0, 80));
        expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toContain('deepLink');
      }
    });

    it("an integration's link: integrationKey (with or without metadata), or metadata alone", async () => {
      for (const body of [
        { ...OK, integrationKey: 'jira' },
        { ...OK, integrationKey: 'jira', metadata: { ticket: 'ABC-1' } },
      ]) {
        const res = await expectError(() => s.post(LINKS, body, BETA), 400, 'invalid_request', 'integrationKey', JSON.stringify(body));
        expect(res.body.errors).toContainEqual({ attribute: 'integrationKey', reason: expect.any(String) });
      }
      const res = await expectError(() => s.post(LINKS, { ...OK, metadata: { ticket: 'ABC-1' } }, BETA), 400, 'invalid_request', 'metadata', 'metadata alone');
      expect(res.body.errors).toEqual([{ attribute: 'metadata', reason: expect.any(String) }]);
      expect(res.body.message).not.toContain('integrationKey:');
      // Mistyped, they are named too.
      await expectError(() => s.post(LINKS, { ...OK, integrationKey: 7 }, BETA), 400, 'invalid_request', 'integrationKey', 'integrationKey: 7');
      await expectError(() => s.post(LINKS, { ...OK, metadata: { ticket: 1 } }, BETA), 400, 'invalid_request', 'metadata', 'metadata.ticket: 1');
      await expectError(() => s.post(LINKS, { ...OK, metadata: 'ABC-1' }, BETA), 400, 'invalid_request', 'metadata', 'metadata: "ABC-1"');
    });

    it('a bad key: spaces, empty, a leading punctuation mark, not a string, too long', async () => {
      for (const key of ['has spaces', ' ticket', '', '-leading', 'a/b', 'semi;colon', 'x'.repeat(257)]) {
        await expectError(() => s.post(LINKS, { ...OK, key }, BETA), 400, 'invalid_request', 'key', JSON.stringify(key).slice(0, 40));
      }
      await expectError(() => s.post(LINKS, { ...OK, key: 5 }, BETA), 400, 'invalid_request', 'key: must be a string', 'key: 5');
      await expectError(() => s.post(LINKS, { ...OK, key: null }, BETA), 400, 'invalid_request', 'key', 'key: null');
    });

    it('unknown members and wrong types, each named', async () => {
      const cases: [unknown, string][] = [
        [{ ...OK, url: 'https://example.com' }, 'url: is not allowed'],
        [{ ...OK, _deepLink: 'https://example.com' }, '_deepLink: is not allowed'],
        [{ ...OK, _id: '0123456789abcdef01234567' }, '_id: is not allowed'],
        [{ ...OK, title: 5 }, 'title: must be a string'],
        [{ ...OK, title: null }, 'title'],
        [{ ...OK, description: ['a'] }, 'description: must be a string'],
        [{ ...OK, title: 'x'.repeat(1025) }, 'title: must be at most 1024 characters'],
        [{ ...OK, description: 'x'.repeat(1025) }, 'description: must be at most 1024 characters'],
        [{ ...OK, timestamp: -1 }, 'timestamp'],
        [{ ...OK, timestamp: -1654104600000 }, 'timestamp'],
        [{ ...OK, timestamp: 1.5 }, 'timestamp'],
        [{ ...OK, timestamp: '1654104600000' }, 'timestamp'],
        [{ ...OK, timestamp: 1e17 }, 'timestamp'],
        // Past the end of year 9999, which RFC 3339 (one of _timestamp's forms) cannot write.
        [{ ...OK, timestamp: 253_402_300_800_000 }, 'timestamp'],
        // PostgreSQL text cannot hold NUL: refused on both databases alike.
        [{ ...OK, title: 'a\u0000b' }, 'NUL'],
      ];
      for (const [body, message] of cases) {
        await expectError(() => s.post(LINKS, body, BETA), 400, 'invalid_request', message, JSON.stringify(body).slice(0, 80));
      }
      // Every problem at once, each named.
      const all = await expectError(() => s.post(LINKS, { title: 5, timestamp: -1, extra: true }, BETA), 400, 'invalid_request', 'deepLink', 'several problems');
      for (const field of ['deepLink', 'title', 'timestamp', 'extra']) expect(all.body.message).toContain(field);
    });

    it('a body that is not a JSON object', async () => {
      for (const raw of ['null', '[]', '"x"', '5', '{', '']) {
        const res = await refused(() => s.request('POST', LINKS, { raw, headers: { ...BETA.headers, 'content-type': 'application/json' } }));
        expect(res.status, raw).toBe(400);
        expect(res.body.code, raw).toBe('invalid_request');
      }
    });
  });

  describe('createFlagLink: 409 for a key the flag already has', () => {
    it('a duplicate key on the same flag is a conflict naming it; the same key on another flag is fine', async () => {
      const dup = await expectError(() => s.post(LINKS, { deepLink: 'https://example.com/again', key: 'ticket' }, BETA), 409, 'conflict', 'ticket', 'duplicate key');
      expect(dup.body).toEqual({ code: 'conflict', message: 'The flag "checkout" already has a link with the key "ticket"' });

      const elsewhere = await s.post(OTHER_LINKS, { deepLink: 'https://example.com/again', key: 'ticket' }, BETA);
      expect(elsewhere.status).toBe(201);
      expect(elsewhere.body._key).toBe('ticket');
      const inOtherProject = await s.post('/api/v2/flag-links/projects/other/flags/checkout', { deepLink: 'https://example.com/again', key: 'ticket' }, BETA);
      expect(inOtherProject.status).toBe(201);

      // Still one "ticket" on checkout, and it is the first; a duplicate on the other flag is refused there too.
      const links = (await s.get(LINKS, BETA)).body.items.filter((l: { _key?: string }) => l._key === 'ticket');
      expect(links).toEqual([keyed]);
      await expectError(() => s.post(OTHER_LINKS, { deepLink: 'https://example.com/third', key: 'ticket' }, BETA), 409, 'conflict', 'ticket', 'duplicate on banner');
      // Links without a key never collide.
      const keyless = await s.post(LINKS, OK, BETA);
      expect(keyless.status).toBe(201);
      expect((await s.del(`${LINKS}/${keyless.body._id}`, BETA)).status).toBe(204);
    });
  });

  describe('updateFlagLink: refused patches', () => {
    const at = () => `${LINKS}/${keyed._id}`;

    it('a malformed patch: 400 naming the operation', async () => {
      const cases: [unknown, string][] = [
        [{}, 'must be an array of operations'],
        [{ title: 'merge-style' }, 'must be an array of operations'],
        ['replace', 'must be an array of operations'],
        [[{ op: 'frobnicate', path: '/title', value: 'x' }], 'patch[0]: op must be one of'],
        [[{ path: '/title', value: 'x' }], 'patch[0]: op must be one of'],
        [[{ op: 'replace', value: 'x' }], 'patch[0]: path must be a string'],
        [[{ op: 'replace', path: 'title', value: 'x' }], 'patch[0]: path "title" must start with /'],
        [[{ op: 'replace', path: '/title' }], 'patch[0]: a replace operation needs a value'],
        [[{ op: 'replace', path: '/title', value: 'ok' }, 'not an op'], 'patch[1]: must be an object'],
        [[{ op: 'move', path: '/title' }], 'patch[0]: a move operation needs from'],
        [[{ op: 'replace', path: '', value: {} }], 'patch[0].path'],
        [{ comment: 5, patch: [{ op: 'replace', path: '/title', value: 'x' }] }, 'comment: must be a string'],
        [{ comment: 'no patch', patch: 'x' }, 'must be an array of operations'],
      ];
      for (const [body, message] of cases) {
        await expectError(() => s.patch(at(), body, BETA), 400, 'invalid_request', message, JSON.stringify(body));
      }
      for (const raw of ['{', 'null']) {
        const res = await refused(() => s.request('PATCH', at(), { raw, headers: { ...BETA.headers, 'content-type': 'application/json' } }));
        expect(res.status, raw).toBe(400);
        expect(res.body.code, raw).toBe('invalid_request');
      }
    });

    it('an operation that changes a read-only member: 400 naming it', async () => {
      const cases: [unknown[], string][] = [
        [[{ op: 'replace', path: '/_id', value: '0123456789abcdef01234567' }], '/_id'],
        [[{ op: 'remove', path: '/_id' }], '/_id'],
        [[{ op: 'replace', path: '/_key', value: 'renamed' }], '/_key'],
        [[{ op: 'remove', path: '/_key' }], '/_key'],
        [[{ op: 'replace', path: '/_timestamp', value: { milliseconds: 0 } }], '/_timestamp'],
        [[{ op: 'replace', path: '/_timestamp/milliseconds', value: 0 }], '/_timestamp'],
        [[{ op: 'replace', path: '/_createdAt', value: 0 }], '/_createdAt'],
        [[{ op: 'replace', path: '/_member', value: { _id: 'someone-else' } }], '/_member'],
        [[{ op: 'replace', path: '/_member/_id', value: 'someone-else' }], '/_member'],
        [[{ op: 'remove', path: '/_member' }], '/_member'],
        [[{ op: 'replace', path: '/_links/parent/href', value: '/elsewhere' }], '/_links'],
        // A writable change beside it is not applied either.
        [[{ op: 'replace', path: '/title', value: 'sneaked' }, { op: 'replace', path: '/_createdAt', value: 1 }], '/_createdAt'],
        // Moving a read-only member into a writable one takes it away.
        [[{ op: 'move', from: '/_key', path: '/title' }], '/_key'],
      ];
      for (const [ops, member] of cases) {
        const res = await expectError(() => s.patch(at(), ops, BETA), 400, 'invalid_request', member, JSON.stringify(ops));
        expect(res.body.errors.map((e: { attribute: string }) => e.attribute).join(' '), JSON.stringify(ops)).toContain(member);
      }
      // A link without a key has no _key to add.
      await expectError(() => s.patch(`${LINKS}/${unkeyed._id}`, [{ op: 'add', path: '/_key', value: 'late' }], BETA), 400, 'invalid_request', '/_key', 'add /_key');
      // A read-only member may be tested, or set to the value it has.
      const same = await s.patch(at(), [{ op: 'test', path: '/_id', value: keyed._id }, { op: 'replace', path: '/_key', value: 'ticket' }], BETA);
      expect(same.status).toBe(200);
      expect(same.body).toEqual(keyed);
    });

    it('an unknown member: 400 naming it', async () => {
      for (const [ops, member] of [
        [[{ op: 'add', path: '/url', value: 'https://example.com' }], '/url'],
        [[{ op: 'replace', path: '/deepLink', value: 'https://example.com/c' }], '/deepLink'],
        [[{ op: 'add', path: '/_integrationKey', value: 'jira' }], '/_integrationKey'],
        [[{ op: 'add', path: '/_metadata', value: { a: 'b' } }], '/_metadata'],
        [[{ op: 'add', path: '/__proto__', value: { polluted: true } }], '/__proto__'],
      ] as [unknown[], string][]) {
        await expectError(() => s.patch(at(), ops, BETA), 400, 'invalid_request', member, JSON.stringify(ops));
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('a bad value for a writable member: 400 naming it', async () => {
      const cases: [unknown[], string][] = [
        [[{ op: 'replace', path: '/_deepLink', value: 'not a url' }], '_deepLink: "not a url" is not an absolute URL'],
        [[{ op: 'replace', path: '/_deepLink', value: 'ftp://x' }], '_deepLink: must be an http or https URL, not ftp:'],
        [[{ op: 'replace', path: '/_deepLink', value: 'javascript:alert(1)' }], '_deepLink: must be an http or https URL, not javascript:'],
        [[{ op: 'replace', path: '/_deepLink', value: '' }], '_deepLink'],
        [[{ op: 'replace', path: '/_deepLink', value: 5 }], '_deepLink: must be a string'],
        [[{ op: 'remove', path: '/_deepLink' }], '_deepLink: must be present'],
        [[{ op: 'replace', path: '/title', value: 5 }], 'title: must be a string'],
        [[{ op: 'replace', path: '/title', value: { nested: true } }], 'title: must be a string'],
        [[{ op: 'replace', path: '/description', value: 'x'.repeat(1025) }], 'description: must be at most 1024 characters'],
        [[{ op: 'replace', path: '/title', value: null }], 'title'],
        [[{ op: 'remove', path: '/nothing' }], '/nothing'],
        [[{ op: 'replace', path: '/title', value: 'a\u0000b' }], 'NUL'],
        [[{ op: 'copy', from: '/_member', path: '/description' }], 'description: must be a string'],
      ];
      for (const [ops, message] of cases) {
        await expectError(() => s.patch(at(), ops, BETA), 400, 'invalid_request', message, JSON.stringify(ops));
      }
      // Removing what is not there is an operation that cannot be applied.
      await expectError(() => s.patch(`${LINKS}/${unkeyed._id}`, [{ op: 'remove', path: '/title' }], BETA), 400, 'invalid_request', 'patch[0]', 'remove absent title');
    });

    it('a failed test: 409, nothing applied', async () => {
      const res = await expectError(
        () => s.patch(at(), [{ op: 'test', path: '/title', value: 'Stale title' }, { op: 'replace', path: '/title', value: 'Mine' }], BETA),
        409,
        'optimistic_locking_error',
        'operation 0',
        'failed test',
      );
      expect(res.body.message).toContain('Optimistic lock');
      // Later in the patch, after a change it would have applied.
      await expectError(
        () => s.patch(`${LINKS}/ticket`, [{ op: 'replace', path: '/description', value: 'Mine' }, { op: 'test', path: '/_deepLink', value: 'https://example.com/stale' }], BETA),
        409,
        'optimistic_locking_error',
        'operation 1',
        'failed test after a change',
      );
      await expectError(() => s.patch(at(), [{ op: 'test', path: '/_key', value: 'other' }], BETA), 409, 'optimistic_locking_error', 'operation 0', 'test of _key');
    });
  });

  describe('beta only', () => {
    it('without LD-API-Version: beta every route is 403 mentioning beta, before looking anything up, and nothing changes', async () => {
      const routes: [string, string, unknown?][] = [
        ['GET', LINKS],
        ['POST', LINKS, OK],
        ['PATCH', `${LINKS}/ticket`, [{ op: 'replace', path: '/title', value: 'x' }]],
        ['DELETE', `${LINKS}/ticket`],
        ['GET', '/api/v2/flag-links/projects/nope/flags/ghost'],
        ['POST', '/api/v2/flag-links/projects/nope/flags/ghost', {}],
        ['PATCH', '/api/v2/flag-links/projects/nope/flags/ghost/none', 'garbage'],
        ['DELETE', '/api/v2/flag-links/projects/nope/flags/ghost/none'],
      ];
      for (const headers of [{}, { 'LD-API-Version': '20240415' }] as Record<string, string>[]) {
        for (const [method, path, body] of routes) {
          const res = await refused(() => s.request(method, path, { body, headers }));
          const what = `${method} ${path} ${JSON.stringify(headers)}`;
          expect(res.status, what).toBe(403);
          expect(res.body, what).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
          expect(res.body.message).toMatch(/beta/);
        }
      }
      // With it, the same link is still there, unchanged.
      expect((await s.get(LINKS, BETA)).body.items).toContainEqual(keyed);
    });

    it('other methods are 405 method_not_allowed: PUT/PATCH/DELETE on the collection, GET/POST/PUT on a link', async () => {
      for (const [method, path] of [
        ['PUT', LINKS],
        ['PATCH', LINKS],
        ['DELETE', LINKS],
        ['GET', `${LINKS}/ticket`],
        ['POST', `${LINKS}/ticket`],
        ['PUT', `${LINKS}/ticket`],
      ]) {
        const res = await refused(() => s.request(method, path, { body: method === 'GET' ? undefined : OK, headers: BETA.headers }));
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.body).toEqual({ code: 'method_not_allowed', message: 'Method not allowed' });
      }
    });

    it('an unknown API version is 400 naming it', async () => {
      const res = await refused(() => s.post(LINKS, OK, { headers: { 'LD-API-Version': 'gamma' } }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toContain('LD-API-Version');
    });
  });
});
