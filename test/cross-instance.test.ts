// Two instances (in one process, each with its own pool and LISTEN connection) on one PostgreSQL database:
// a write through one is seen by the other's caches on the very next request.
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PgChangeBus } from '../src/store/changes.js';
import { ADMIN_DATABASE_URL, testDb } from './support/db.js';
import { sharedDatabase, type TestServer } from './support/server.js';

describe.skipIf(testDb !== 'postgres')('cross-instance cache invalidation (PostgreSQL)', () => {
  const instances = sharedDatabase();
  afterEach(() => instances.close());

  async function twoInstances(options: { bBus?: (url: string) => Promise<PgChangeBus> } = {}) {
    const a = await instances.start();
    const changeBus = options.bBus ? await options.bBus((await instances.database()).url) : undefined;
    const b = await instances.start({ changeBus });
    return { a, b };
  }

  async function mintThrough(server: TestServer, role = 'reader'): Promise<{ id: string; token: string }> {
    const created = await server.post('/api/v2/tokens', { name: `t-${Math.random()}`, role });
    expect(created.status).toBe(201);
    return { id: created.body._id, token: created.body.token };
  }

  it('a token revoked through A is refused by B on the very next request (every time)', async () => {
    const { a, b } = await twoInstances();
    for (let round = 0; round < 25; round++) {
      const { id, token } = await mintThrough(a);
      // B authenticates it, so B's cache now holds it as valid
      expect((await b.get('/api/v2/projects', { token })).status).toBe(200);
      expect((await b.get('/api/v2/projects', { token })).status).toBe(200);
      expect((await a.del(`/api/v2/tokens/${id}`)).status).toBe(204);
      const next = await b.get('/api/v2/projects', { token });
      expect(next.status, `round ${round}`).toBe(401);
      expect(next.body.code).toBe('unauthorized');
    }
  });

  it('a custom role changed through A governs its token on B on the very next request', async () => {
    const { a, b } = await twoInstances();
    expect((await a.post('/api/v2/projects', { key: 'roles', name: 'Roles' })).status).toBe(201);
    const role = await a.post('/api/v2/roles', { key: 'viewer', name: 'Viewer', policy: [{ effect: 'allow', resources: ['proj/roles'], actions: ['viewProject'] }] });
    expect(role.status).toBe(201);
    const created = await a.post('/api/v2/tokens', { customRoleIds: [role.body._id] });
    expect(created.status).toBe(201);
    const token = created.body.token;
    for (let round = 0; round < 10; round++) {
      expect((await b.get('/api/v2/projects/roles', { token })).status, `round ${round}`).toBe(200);
      expect((await a.patch('/api/v2/roles/viewer', [{ op: 'replace', path: '/policy/0/effect', value: 'deny' }])).status).toBe(200);
      expect((await b.get('/api/v2/projects/roles', { token })).status, `round ${round}`).toBe(403);
      expect((await a.patch('/api/v2/roles/viewer', [{ op: 'replace', path: '/policy/0/effect', value: 'allow' }])).status).toBe(200);
    }
  });

  it('a token created through A is accepted by B even after B cached it as unknown', async () => {
    const { a, b } = await twoInstances();
    const { id, token } = await mintThrough(a);
    expect((await a.del(`/api/v2/tokens/${id}`)).status).toBe(204);
    expect((await b.get('/api/v2/projects', { token })).status).toBe(401);
    const again = await mintThrough(a);
    expect((await b.get('/api/v2/projects', { token: again.token })).status).toBe(200);
  });

  it('while B cannot LISTEN it serves nothing from cache: a revocation through A still applies on B at once', async () => {
    // A long backoff keeps B deaf for the length of the test.
    const { a, b } = await twoInstances({
      bBus: (url) =>
        PgChangeBus.start(url, {
          log: { info: () => {}, warn: () => {} },
          notifyFallback: async () => {},
          minBackoffMs: 20_000,
        }),
    });
    const { id, token } = await mintThrough(a);
    expect((await b.get('/api/v2/projects', { token })).status).toBe(200);
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pgBus(b).listenerPid]).finally(() => admin.end());
    await vi.waitFor(() => expect(pgBus(b).live).toBe(false));
    expect((await b.get('/api/v2/projects', { token })).status).toBe(200);
    expect((await a.del(`/api/v2/tokens/${id}`)).status).toBe(204);
    expect((await b.get('/api/v2/projects', { token })).status).toBe(401);
    const metrics = await b.get('/metrics');
    expect(metrics.body).toMatch(/^iterlab_change_bus_listening 0$/m);
    expect(metrics.body).toMatch(/^iterlab_change_bus_disconnects_total 1$/m);
  });
});

function pgBus(server: TestServer): PgChangeBus {
  if (server.bus instanceof PgChangeBus) return server.bus;
  throw new Error('this instance has no PostgreSQL change bus');
}
