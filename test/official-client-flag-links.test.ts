// The official REST client (launchdarkly-api-typescript) manages flag links (beta) over real HTTP, unchanged:
// FlagLinksBetaApi.createFlagLink with a FlagLinkPost (201), getFlagLinks, updateFlagLink with a JSON Patch, and
// deleteFlagLink by id and by key (204); every member of FlagLinkRep, TimestampRep and FlagLinkMember arrives as the
// client declares it; an unknown flag or link is a 404 the client raises with LaunchDarkly's {code, message}.
//
// The beta header: the generated client does NOT send `LD-API-Version` for these operations (their parameter creators
// in api.ts set only Authorization and Content-Type, and no FlagLinksBetaApi method takes an API-version argument), so
// it goes in the Configuration's baseOptions headers, as LaunchDarkly's docs have users of its beta APIs do. The last
// test shows a client configured without it is refused (403).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, FeatureFlagsApi, FlagLinksBetaApi, ProjectsApi, type FlagLinkCollectionRep, type FlagLinkRep } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

const P = 'links-client';
const LINKS_PATH = `/api/v2/flag-links/projects/${P}/flags/checkout`;
const WHEN = Date.UTC(2022, 5, 16, 1, 16, 39, 935);

/** The members the client's types declare, each of its declared JSON type; the problems, each named. */
function repProblems(rep: FlagLinkRep): string[] {
  const problems: string[] = [];
  const want = (ok: boolean, what: string, value: unknown) => {
    if (!ok) problems.push(`${what} is ${JSON.stringify(value)}`);
  };
  want(typeof rep._id === 'string' && /^[0-9a-f]{24}$/.test(rep._id), '_id', rep._id);
  want(rep._key === undefined || typeof rep._key === 'string', '_key', rep._key);
  want(typeof rep._deepLink === 'string', '_deepLink', rep._deepLink);
  want(typeof rep._createdAt === 'number' && Number.isInteger(rep._createdAt), '_createdAt', rep._createdAt);
  const t = rep._timestamp;
  want(typeof t === 'object' && t !== null, '_timestamp', t);
  want(Number.isInteger(t?.milliseconds), '_timestamp.milliseconds', t?.milliseconds);
  want(Number.isInteger(t?.seconds), '_timestamp.seconds', t?.seconds);
  want(typeof t?.rfc3339 === 'string' && !Number.isNaN(Date.parse(t.rfc3339!)), '_timestamp.rfc3339', t?.rfc3339);
  want(typeof t?.simple === 'string', '_timestamp.simple', t?.simple);
  want(rep.title === undefined || typeof rep.title === 'string', 'title', rep.title);
  want(rep.description === undefined || typeof rep.description === 'string', 'description', rep.description);
  for (const [name, l] of Object.entries(rep._links ?? {})) want(typeof l.href === 'string' && typeof l.type === 'string', `_links.${name}`, l);
  want(typeof rep._links === 'object' && rep._links !== null, '_links', rep._links);
  if (rep._member !== undefined) {
    want(typeof rep._member._id === 'string', '_member._id', rep._member._id);
    for (const [name, l] of Object.entries(rep._member._links ?? {})) want(typeof l.href === 'string' && typeof l.type === 'string', `_member._links.${name}`, l);
  }
  want(rep._integrationKey === undefined, '_integrationKey', rep._integrationKey);
  want(rep._metadata === undefined, '_metadata', rep._metadata);
  return problems;
}

describe('flag links through launchdarkly-api-typescript (FlagLinksBetaApi)', () => {
  let s: TestServer;
  let links: FlagLinksBetaApi;
  let me: { _id: string; firstName?: string; lastName?: string };

  beforeAll(async () => {
    s = await startServer({ listen: true });
    const plain = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    await new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url })).postProject({ name: 'Links client', key: P });
    await new FeatureFlagsApi(plain).postFeatureFlag(P, { name: 'Checkout', key: 'checkout' });
    links = new FlagLinksBetaApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } }));
    me = (await s.get('/api/v2/members/me', { token: s.tokens.writer })).body;
  });
  afterAll(() => s.close());

  it('createFlagLink: 201 with every member of FlagLinkRep, TimestampRep and FlagLinkMember', async () => {
    const res = await links.createFlagLink(P, 'checkout', {
      key: 'flag-link-key-123abc',
      deepLink: 'https://example.com/archives/123123123',
      title: 'Example link title',
      description: 'Example link description',
      timestamp: WHEN,
    });
    expect(res.status).toBe(201);
    const rep: FlagLinkRep = res.data;
    expect(repProblems(rep)).toEqual([]);
    expect(rep).toEqual({
      _links: { parent: { href: LINKS_PATH, type: 'application/json' } },
      _key: 'flag-link-key-123abc',
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _deepLink: 'https://example.com/archives/123123123',
      // LaunchDarkly's own example of a TimestampRep.
      _timestamp: { milliseconds: 1655342199935, seconds: 1655342199, rfc3339: '2022-06-16T01:16:39Z', simple: '2022-06-16 01:16:39' },
      title: 'Example link title',
      description: 'Example link description',
      _createdAt: expect.any(Number),
      _member: {
        _links: { self: { href: `/api/v2/members/${me._id}`, type: 'application/json' } },
        _id: me._id,
        ...(me.firstName !== undefined ? { firstName: me.firstName } : {}),
        ...(me.lastName !== undefined ? { lastName: me.lastName } : {}),
      },
    });
    expect(Math.abs(rep._createdAt - Date.now())).toBeLessThan(60_000);
  });

  it('getFlagLinks: the collection, most recent first; a link made with only a URL has no key, title or description', async () => {
    const bare = (await links.createFlagLink(P, 'checkout', { deepLink: 'https://example.com/bare' })).data;
    expect(repProblems(bare)).toEqual([]);
    expect(bare).not.toHaveProperty('_key');
    expect(bare).not.toHaveProperty('title');
    expect(bare).not.toHaveProperty('description');
    // Its time is when it was made.
    expect(bare._timestamp.milliseconds).toBe(bare._createdAt);
    expect(bare._timestamp.seconds).toBe(Math.floor(bare._createdAt / 1000));
    expect(bare._timestamp.rfc3339).toBe(new Date(bare._createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'));

    const res = await links.getFlagLinks(P, 'checkout');
    expect(res.status).toBe(200);
    const collection: FlagLinkCollectionRep = res.data;
    expect(collection._links).toEqual({ self: { href: LINKS_PATH, type: 'application/json' } });
    expect(collection.items.flatMap(repProblems)).toEqual([]);
    expect(collection.items.map((l) => l._deepLink)).toEqual(['https://example.com/bare', 'https://example.com/archives/123123123']);
    expect(collection.items[0]).toEqual(bare);
  });

  it('updateFlagLink: a JSON Patch on the title, the description and the URL, by id and by key', async () => {
    const link = (await links.getFlagLinks(P, 'checkout')).data.items.find((l) => l._key === 'flag-link-key-123abc')!;
    const res = await links.updateFlagLink(P, 'checkout', link._id, [
      { op: 'test', path: '/title', value: 'Example link title' },
      { op: 'replace', path: '/title', value: 'Updated flag link title' },
      { op: 'remove', path: '/description' },
      { op: 'replace', path: '/_deepLink', value: 'https://example.com/archives/456' },
    ]);
    expect(res.status).toBe(200);
    expect(repProblems(res.data)).toEqual([]);
    const { description: _gone, ...rest } = link;
    expect(res.data).toEqual({ ...rest, title: 'Updated flag link title', _deepLink: 'https://example.com/archives/456' });
    expect(res.data).not.toHaveProperty('description');

    const byKey = await links.updateFlagLink(P, 'checkout', 'flag-link-key-123abc', [{ op: 'add', path: '/description', value: 'Described again' }]);
    expect(byKey.data).toEqual({ ...res.data, description: 'Described again' });
    expect((await links.getFlagLinks(P, 'checkout')).data.items.find((l) => l._id === link._id)).toEqual(byKey.data);
  });

  it('deleteFlagLink: by id and by key, 204, then gone', async () => {
    const byId = (await links.createFlagLink(P, 'checkout', { deepLink: 'https://example.com/by-id' })).data;
    const byIdRes = await links.deleteFlagLink(P, 'checkout', byId._id);
    expect(byIdRes.status).toBe(204);
    expect(byIdRes.data).toBeFalsy();
    const byKeyRes = await links.deleteFlagLink(P, 'checkout', 'flag-link-key-123abc');
    expect(byKeyRes.status).toBe(204);
    const left = (await links.getFlagLinks(P, 'checkout')).data.items;
    expect(left.map((l) => l._deepLink)).toEqual(['https://example.com/bare']);
  });

  it("LaunchDarkly's errors: 404 for an unknown flag, project or link; 400 for a bad URL; 403 without the beta header", async () => {
    expect(await clientFailure(links.getFlagLinks(P, 'ghost'))).toEqual({ status: 404, data: { code: 'not_found', message: `Flag "ghost" in project "${P}" not found` } });
    expect(await clientFailure(links.createFlagLink('nope', 'checkout', { deepLink: 'https://example.com' }))).toEqual({ status: 404, data: { code: 'not_found', message: 'Project "nope" not found' } });
    expect(await clientFailure(links.deleteFlagLink(P, 'checkout', 'no-such-link'))).toEqual({ status: 404, data: { code: 'not_found', message: 'Flag link "no-such-link" not found' } });
    expect(await clientFailure(links.updateFlagLink(P, 'checkout', '0123456789abcdef01234567', [{ op: 'replace', path: '/title', value: 'x' }]))).toEqual({
      status: 404,
      data: { code: 'not_found', message: 'Flag link "0123456789abcdef01234567" not found' },
    });

    const bad = await clientFailure(links.createFlagLink(P, 'checkout', { deepLink: 'not a url' }));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('deepLink: "not a url" is not an absolute URL') });

    // Without baseOptions headers the client sends no LD-API-Version of its own: every operation is refused.
    const plain = new FlagLinksBetaApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    const bare = (await links.getFlagLinks(P, 'checkout')).data.items[0];
    // Each call made when its turn comes: a call made ahead would fail before anything awaits it (an unhandled rejection).
    for (const call of [
      () => plain.getFlagLinks(P, 'checkout'),
      () => plain.createFlagLink(P, 'checkout', { deepLink: 'https://example.com/no-beta' }),
      () => plain.updateFlagLink(P, 'checkout', bare._id, [{ op: 'replace', path: '/title', value: 'no beta' }]),
      () => plain.deleteFlagLink(P, 'checkout', bare._id),
    ]) {
      const refused = await clientFailure(call());
      expect(refused.status).toBe(403);
      expect(refused.data).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
    }
    expect((await links.getFlagLinks(P, 'checkout')).data.items).toEqual([bare]);
  });
});
