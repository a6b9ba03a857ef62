// Who may do what to persistent store integrations, and what no one sees: they are beta (403 without the header);
// readers read, writers write; custom roles need LaunchDarkly's integration actions on `integration/<key>/<id>`; the
// password is masked in every answer and audit entry, and a `test` op cannot probe it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { SECRET_MASK } from '../integrations/config.js';

const BETA = { 'LD-API-Version': 'beta' };
const SECRET = 'redis-secret-4711';

describe('persistent store integrations: security', () => {
  let s: TestServer;
  let w: World;
  let base: string;
  let self: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    base = `/api/v2/integration-capabilities/big-segment-store/${w.project}/production/redis`;
    const created = await s.post(base, { config: { host: 'redis.internal', password: SECRET } }, { headers: BETA });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    self = created.body._links.self.href;
  });
  afterAll(() => s.close());

  async function forbidden(send: () => Promise<Response>, message?: string): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(403);
    expect(res!.body.code).toBe('forbidden');
    if (message) expect(res!.body.message).toContain(message);
  }

  it('403 without LD-API-Version: beta, 401 without a token', async () => {
    await forbidden(() => s.get(self), 'beta');
    await forbidden(() => s.patch(self, [{ op: 'replace', path: '/on', value: true }]), 'beta');
    expect((await s.get(self, { token: null, headers: BETA })).status).toBe(401);
  });

  it('a reader reads but does not write', async () => {
    const reader = s.tokens.reader;
    expect((await s.get(self, { token: reader, headers: BETA })).status).toBe(200);
    await forbidden(() => s.patch(self, [{ op: 'replace', path: '/name', value: 'x' }], { token: reader, headers: BETA }));
    await forbidden(() => s.del(self, { token: reader, headers: BETA }));
  });

  it('a custom role needs updateOn on integration/redis/<id> to turn it on, updateName does not do', async () => {
    const role = await s.post('/api/v2/roles', { key: 'stores', name: 'Stores', policy: [{ effect: 'allow', resources: ['integration/redis/*'], actions: ['updateName'] }, { effect: 'allow', resources: ['proj/*'], actions: ['viewProject'] }] });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const token = (await s.post('/api/v2/tokens', { name: 'stores', customRoleIds: [role.body._id] })).body.token;
    await forbidden(() => s.patch(self, [{ op: 'replace', path: '/on', value: true }], { token, headers: BETA }));
    const renamed = await s.patch(self, [{ op: 'replace', path: '/name', value: 'Renamed' }], { token, headers: BETA });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
  });

  it('the password never shows: masked in answers and audit entries, a test op cannot probe it', async () => {
    const read = await s.get(self, { headers: BETA });
    expect(read.body.config.password).toBe(SECRET_MASK);
    const probe = await s.patch(self, [{ op: 'test', path: '/config/password', value: SECRET }], { headers: BETA });
    // The test meets the mask, not the secret: it fails as any failed test does.
    expect(probe.status).toBe(409);
    const patched = await s.patch(self, [{ op: 'replace', path: '/config/password', value: 'another-secret' }], { headers: BETA });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const entries = (await s.get(`/api/v2/auditlog?spec=integration/redis/${read.body._id}`)).body.items;
    for (const entry of entries) {
      const full = JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body);
      expect(full).not.toContain(SECRET);
      expect(full).not.toContain('another-secret');
    }
    const list = JSON.stringify((await s.get('/api/v2/integration-capabilities/big-segment-store', { headers: BETA })).body);
    expect(list).not.toContain('another-secret');
  });
});
