// Flag links (beta): who may do what. No token, an unknown one or an SDK key: 401. A reader may list but not write
// (403); a writer and an admin may write. Custom roles: createFlagLink, updateFlagLink and deleteFlagLink on
// `proj/shop:env/*:flag/checkout` allow that one action on that one flag; listing needs viewProject. A refused request
// changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { 'LD-API-Version': 'beta' };
const LINKS = '/api/v2/flag-links/projects/shop/flags/checkout';
const BANNER_LINKS = '/api/v2/flag-links/projects/shop/flags/banner';
const CHECKOUT = 'proj/shop:env/*:flag/checkout';

describe('Flag links: security', () => {
  let s: TestServer;
  let n = 0;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'banner', name: 'Banner' })).status).toBe(201);
  });
  afterAll(() => s.close());

  const get = (path: string, token: string | null) => s.get(path, { token, headers: BETA });
  const post = (path: string, body: unknown, token: string | null) => s.post(path, body, { token, headers: BETA });
  const patch = (path: string, body: unknown, token: string | null) => s.patch(path, body, { token, headers: BETA });
  const del = (path: string, token: string | null) => s.del(path, { token, headers: BETA });

  /** A link made by the admin, to be changed or deleted by others. */
  async function makeLink(path = LINKS): Promise<{ _id: string; _key: string }> {
    const res = await post(path, { deepLink: `https://example.com/${++n}`, key: `link-${n}`, title: `Link ${n}` }, s.tokens.admin);
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Sends a request that must be refused and asserts it changed nothing. */
  async function refused(send: () => Promise<Response>, status: number, code: string): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
    expect(res!.body.code).toBe(code);
    return res!;
  }

  async function customRoleToken(key: string, policy: unknown[]): Promise<string> {
    const role = await s.post('/api/v2/roles', { key, name: key, policy });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const token = await s.post('/api/v2/tokens', { name: key, customRoleIds: [role.body._id] });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    return token.body.token;
  }

  const viewShop = { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] };

  it('401 without a token, with an unknown one, or with an SDK key, on every route, whether the flag exists or not', async () => {
    const link = await makeLink();
    const sdkKey = (await s.get('/api/v2/projects/shop/environments/production')).body.apiKey;
    expect(sdkKey).toMatch(/^sdk-/);
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000', 'not-a-token', sdkKey]) {
      for (const base of [LINKS, '/api/v2/flag-links/projects/nope/flags/ghost']) {
        for (const send of [
          () => get(base, token),
          () => post(base, { deepLink: 'https://example.com/anon' }, token),
          () => patch(`${base}/${link._id}`, [{ op: 'replace', path: '/title', value: 'anon' }], token),
          () => del(`${base}/${link._id}`, token),
        ]) {
          const res = await refused(send, 401, 'unauthorized');
          expect(res.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
        }
      }
    }
  });

  it('a reader may list, but not create, update or delete (403)', async () => {
    const link = await makeLink();
    const list = await get(LINKS, s.tokens.reader);
    expect(list.status).toBe(200);
    expect(list.body.items.map((l: { _id: string }) => l._id)).toContain(link._id);
    await refused(() => post(LINKS, { deepLink: 'https://example.com/reader' }, s.tokens.reader), 403, 'forbidden');
    await refused(() => patch(`${LINKS}/${link._id}`, [{ op: 'replace', path: '/title', value: 'reader' }], s.tokens.reader), 403, 'forbidden');
    await refused(() => del(`${LINKS}/${link._id}`, s.tokens.reader), 403, 'forbidden');
    await refused(() => del(`${LINKS}/${link._key}`, s.tokens.reader), 403, 'forbidden');
    // Refused before the body is looked at: a bad body is still a 403, not a 400.
    await refused(() => post(LINKS, { deepLink: 'not a url', bogus: true }, s.tokens.reader), 403, 'forbidden');
  });

  it('a writer and an admin may create, update and delete; the link records who made it', async () => {
    for (const token of [s.tokens.writer, s.tokens.admin]) {
      const me = (await s.get('/api/v2/members/me', { token })).body;
      const made = await post(LINKS, { deepLink: 'https://example.com/w', title: 'W' }, token);
      expect(made.status).toBe(201);
      expect(made.body._member?._id).toBe(me._id);
      const patched = await patch(`${LINKS}/${made.body._id}`, [{ op: 'replace', path: '/title', value: 'W2' }], token);
      expect(patched.status).toBe(200);
      expect(patched.body.title).toBe('W2');
      expect((await del(`${LINKS}/${made.body._id}`, token)).status).toBe(204);
    }
  });

  it('a custom role allowing createFlagLink on the checkout flag may create there, and nowhere else, and not update or delete', async () => {
    const token = await customRoleToken('checkout-linker', [{ effect: 'allow', resources: [CHECKOUT], actions: ['createFlagLink'] }, viewShop]);
    const made = await post(LINKS, { deepLink: 'https://example.com/by-role', key: 'by-role' }, token);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await get(LINKS, token)).status).toBe(200);
    await refused(() => post(BANNER_LINKS, { deepLink: 'https://example.com/by-role' }, token), 403, 'forbidden');
    await refused(() => patch(`${LINKS}/by-role`, [{ op: 'replace', path: '/title', value: 'role' }], token), 403, 'forbidden');
    await refused(() => del(`${LINKS}/by-role`, token), 403, 'forbidden');
    expect((await get(LINKS, s.tokens.admin)).body.items.map((l: { _key?: string }) => l._key)).toContain('by-role');
  });

  it('a custom role allowing updateFlagLink on the checkout flag may update there, and nowhere else, and not create or delete', async () => {
    const token = await customRoleToken('checkout-editor', [{ effect: 'allow', resources: [CHECKOUT], actions: ['updateFlagLink'] }, viewShop]);
    const link = await makeLink();
    const banner = await makeLink(BANNER_LINKS);
    const res = await patch(`${LINKS}/${link._key}`, [{ op: 'replace', path: '/title', value: 'edited by role' }], token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.title).toBe('edited by role');
    await refused(() => patch(`${BANNER_LINKS}/${banner._id}`, [{ op: 'replace', path: '/title', value: 'role' }], token), 403, 'forbidden');
    await refused(() => post(LINKS, { deepLink: 'https://example.com/editor' }, token), 403, 'forbidden');
    await refused(() => del(`${LINKS}/${link._id}`, token), 403, 'forbidden');
  });

  it('a custom role allowing deleteFlagLink on the checkout flag may delete there, and nowhere else, and not create or update', async () => {
    const token = await customRoleToken('checkout-cleaner', [{ effect: 'allow', resources: [CHECKOUT], actions: ['deleteFlagLink'] }, viewShop]);
    const link = await makeLink();
    const banner = await makeLink(BANNER_LINKS);
    await refused(() => del(`${BANNER_LINKS}/${banner._id}`, token), 403, 'forbidden');
    await refused(() => post(LINKS, { deepLink: 'https://example.com/cleaner' }, token), 403, 'forbidden');
    await refused(() => patch(`${LINKS}/${link._id}`, [{ op: 'replace', path: '/title', value: 'role' }], token), 403, 'forbidden');
    expect((await del(`${LINKS}/${link._key}`, token)).status).toBe(204);
    expect((await get(LINKS, s.tokens.admin)).body.items.map((l: { _id: string }) => l._id)).not.toContain(link._id);
  });

  it('a custom role with every flag-link action but no viewProject on the project is refused, even the list', async () => {
    const token = await customRoleToken('blind-linker', [
      { effect: 'allow', resources: [CHECKOUT], actions: ['createFlagLink', 'updateFlagLink', 'deleteFlagLink'] },
      { effect: 'allow', resources: ['proj/other'], actions: ['viewProject'] },
    ]);
    const link = await makeLink();
    await refused(() => get(LINKS, token), 403, 'forbidden');
    await refused(() => post(LINKS, { deepLink: 'https://example.com/blind' }, token), 403, 'forbidden');
    await refused(() => patch(`${LINKS}/${link._id}`, [{ op: 'replace', path: '/title', value: 'blind' }], token), 403, 'forbidden');
    await refused(() => del(`${LINKS}/${link._id}`, token), 403, 'forbidden');
  });

  it('a custom role that denies an action wins over a role that allows everything', async () => {
    const token = await customRoleToken('no-unlinking', [
      { effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['*'] },
      { effect: 'deny', resources: [CHECKOUT], actions: ['deleteFlagLink'] },
      viewShop,
    ]);
    const link = await makeLink();
    await refused(() => del(`${LINKS}/${link._id}`, token), 403, 'forbidden');
    const made = await post(LINKS, { deepLink: 'https://example.com/allowed' }, token);
    expect(made.status).toBe(201);
    const banner = await makeLink(BANNER_LINKS);
    expect((await del(`${BANNER_LINKS}/${banner._id}`, token)).status).toBe(204);
  });

  it('ids and keys that try to escape the path or inject are plain values', async () => {
    const link = await makeLink();
    for (const id of [`${link._key}' or '1'='1`, "' OR 1=1 --", '..%2F..%2Fflags%2Fbanner', '%25', `${link._id}%20`]) {
      const res = await refused(() => del(`${LINKS}/${id}`, s.tokens.admin), 404, 'not_found');
      expect(res.body.message).toContain('Flag link');
    }
    expect((await get(LINKS, s.tokens.admin)).body.items.map((l: { _id: string }) => l._id)).toContain(link._id);
  });
});
