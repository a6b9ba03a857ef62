// Webhook deliveries end to end, over real HTTP to a local receiver: the payload is the audit entry as
// getAuditLogEntry shows it, signed with X-LD-Signature; statements pick what is sent; off, deleted and unsigned
// webhooks; a failed delivery is tried again after 5 s, 30 s and 2 min, then given up; create iteration's writes
// (SQLite's writer thread, PostgreSQL's iterlab_write_drafts) are delivered too; and on two instances of one
// PostgreSQL database every entry is delivered once.
import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDb } from '../../../test/support/db.js';
import { createExperimentIn, createWorld, experimentsPath, iterationBody } from '../../../test/support/fixtures.js';
import { sharedDatabase, startServer, type TestServer } from '../../../test/support/server.js';
import { startReceiver, type Receiver } from '../../../test/support/webhooks.js';
import { RETRY_DELAYS_MS } from './delivery.js';

const hmac = (text: string, secret: string) => crypto.createHmac('sha256', secret).update(text).digest('hex');

describe('webhook deliveries', () => {
  let s: TestServer;
  let receiver: Receiver;
  beforeAll(async () => {
    s = await startServer();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await s.close();
    await receiver.close();
  });
  afterEach(async () => {
    for (const hook of (await s.get('/api/v2/webhooks')).body.items) await s.del(`/api/v2/webhooks/${hook._id}`);
    receiver.received.length = 0;
  });

  it('POSTs each audit entry, as getAuditLogEntry shows it, signed with the secret', async () => {
    const hook = (await s.post('/api/v2/webhooks', { url: `${receiver.url}/signed`, sign: true, secret: 'frobozz', on: true })).body;
    await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    await vi.waitFor(() => expect(receiver.received.filter((r) => r.body.kind === 'project')).toHaveLength(1), { timeout: 5000 });
    const delivery = receiver.received.find((r) => r.body.kind === 'project')!;
    expect(delivery.path).toBe('/signed');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['x-ld-signature']).toBe(hmac(delivery.text, 'frobozz'));
    const entry = (await s.get(`/api/v2/auditlog/${delivery.body._id}`)).body;
    expect(delivery.body).toEqual(entry);
    expect(delivery.body).toMatchObject({ accesses: [{ action: 'createProject', resource: 'proj/shop' }], currentVersion: { key: 'shop' } });
    // The webhook's own creation was an entry too, written once it was on.
    expect(receiver.received.some((r) => r.body.accesses[0].resource === `webhook/${hook._id}`)).toBe(true);
  });

  it('statements pick the entries sent; an unsigned webhook has no signature; an off one gets nothing', async () => {
    const flagsOnly = (await s.post('/api/v2/webhooks', { url: `${receiver.url}/flags`, sign: false, on: true, statements: [{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['*'] }] })).body;
    await s.post('/api/v2/webhooks', { url: `${receiver.url}/off`, sign: false, on: false });
    await s.post('/api/v2/projects', { key: 'pick', name: 'Pick' });
    await s.post('/api/v2/flags/pick', { key: 'banner', name: 'Banner' });
    await s.patch('/api/v2/flags/pick/banner', [{ op: 'replace', path: '/environments/production/on', value: true }]);
    await vi.waitFor(() => expect(receiver.received.filter((r) => r.path === '/flags')).toHaveLength(2), { timeout: 5000 });
    // A later write is delivered only once the earlier ones have been looked at: nothing else is on its way.
    await s.patch('/api/v2/flags/pick/banner', [{ op: 'replace', path: '/description', value: 'x' }]);
    await vi.waitFor(() => expect(receiver.received.filter((r) => r.path === '/flags')).toHaveLength(3), { timeout: 5000 });
    const flags = receiver.received.filter((r) => r.path === '/flags');
    // Deliveries of one pass go out together, in no set order.
    expect(flags.slice(0, 2).map((r) => r.body.accesses[0].action).sort()).toEqual(['createFlag', 'updateOn']);
    expect(flags[2].body.currentVersion.description).toBe('x');
    expect(flags.every((r) => r.headers['x-ld-signature'] === undefined)).toBe(true);
    expect(receiver.received.filter((r) => r.path === '/off')).toEqual([]);
    expect(flagsOnly.statements).toEqual([{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['*'] }]);
  });

  it("create iteration's writes are delivered", async () => {
    await s.post('/api/v2/webhooks', { url: `${receiver.url}/experiments`, sign: false, on: true, statements: [{ effect: 'allow', resources: ['proj/*:env/*:experiment/*'], actions: ['*'] }] });
    const w = await createWorld(s, 'iter');
    await createExperimentIn(s, w, 'exp');
    const created = await s.post(`${experimentsPath(w, 'exp')}/iterations`, iterationBody(w, { hypothesis: 'A second draft' }));
    expect(created.status).toBe(200);
    const isDraft = (r: { body: { accesses: { action: string }[]; shortDescription: string } }) =>
      r.body.accesses[0].action === 'updateExperiment' && r.body.shortDescription.startsWith('created a new iteration');
    await vi.waitFor(() => expect(receiver.received.some(isDraft)).toBe(true), { timeout: 5000 });
    const draft = receiver.received.find(isDraft)!;
    expect(draft.body.currentVersion.hypothesis).toBe('A second draft');
  });

  it('a deleted webhook gets nothing more', async () => {
    // Its statements pick only the project made after its deletion (not its own creation).
    const hook = (await s.post('/api/v2/webhooks', { url: `${receiver.url}/gone`, sign: false, on: true, statements: [{ effect: 'allow', resources: ['proj/gone'], actions: ['*'] }] })).body;
    await s.del(`/api/v2/webhooks/${hook._id}`);
    await s.post('/api/v2/projects', { key: 'gone', name: 'Gone' });
    const seen = (await s.post('/api/v2/webhooks', { url: `${receiver.url}/seen`, sign: false, on: true })).body;
    await vi.waitFor(() => expect(receiver.received.some((r) => r.path === '/seen' && r.body.accesses[0].resource === `webhook/${seen._id}`)).toBe(true), { timeout: 5000 });
    expect(receiver.received.filter((r) => r.path === '/gone')).toEqual([]);
  });
});

describe('webhook deliveries: failures', () => {
  let s: TestServer;
  let receiver: Receiver;
  let clock = Date.UTC(2026, 11, 5, 12);
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await s.close();
    await receiver.close();
  });

  const pending = async () => s.store.db.selectFrom('webhook_deliveries').selectAll().execute();

  it('a failed delivery is tried again after 5 s, 30 s and 2 min, then given up', async () => {
    const hook = (await s.post('/api/v2/webhooks', { url: `${receiver.url}/flaky`, sign: false, on: true })).body;
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5000 });
    await vi.waitFor(async () => expect(await pending()).toEqual([]), { timeout: 5000 });
    receiver.received.length = 0;

    receiver.answer(500, 503, 404, 500);
    await s.post('/api/v2/projects', { key: 'flaky', name: 'Flaky' });
    for (const [i, delay] of RETRY_DELAYS_MS.entries()) {
      // The attempt is settled, and the next one is due `delay` after it. (The clock is moved only then: a move while
      // the failed answer was still on its way, on a busy machine, put the next attempt a whole delay later.)
      await vi.waitFor(async () => expect(await pending()).toEqual([{ entry_id: expect.any(String), webhook_id: hook._id, attempts: i + 1, next_at: clock + delay }]), { timeout: 5000 });
      // Not before its time.
      clock += delay - 1;
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(receiver.received).toHaveLength(i + 1);
      clock += 1;
      await vi.waitFor(() => expect(receiver.received).toHaveLength(i + 2), { timeout: 5000 });
    }
    await vi.waitFor(async () => expect(await pending()).toEqual([]), { timeout: 5000 });
    // The same entry each time: four attempts in all.
    expect(new Set(receiver.received.map((r) => r.body._id)).size).toBe(1);
    expect(receiver.received).toHaveLength(4);
  });

  it('a retry that then succeeds is not sent again; a retry of a webhook turned off is dropped', async () => {
    receiver.received.length = 0;
    const hook = (await s.get('/api/v2/webhooks')).body.items[0];
    receiver.answer(500);
    await s.post('/api/v2/projects', { key: 'twice', name: 'Twice' });
    await vi.waitFor(async () => expect((await pending()).map((p) => p.attempts)).toEqual([1]), { timeout: 5000 });
    clock += 5_000;
    await vi.waitFor(async () => expect(await pending()).toEqual([]), { timeout: 5000 });
    expect(receiver.received).toHaveLength(2);

    receiver.answer(500);
    await s.post('/api/v2/projects', { key: 'off', name: 'Off' });
    await vi.waitFor(async () => expect((await pending()).map((p) => p.webhook_id)).toEqual([hook._id]), { timeout: 5000 });
    await s.patch(`/api/v2/webhooks/${hook._id}`, [{ op: 'replace', path: '/on', value: false }]);
    const before = receiver.received.length;
    clock += 5_000;
    await vi.waitFor(async () => expect(await pending()).toEqual([]), { timeout: 5000 });
    expect(receiver.received).toHaveLength(before);
  });

  it('a redirect is not followed, and counts as a failure; so does a refused connection', async () => {
    const redirected = (await s.post('/api/v2/webhooks', { url: `${receiver.url}/moved`, sign: false, on: true, statements: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body;
    const closed = await startReceiver();
    await closed.close();
    const refused = (await s.post('/api/v2/webhooks', { url: `${closed.url}/nobody`, sign: false, on: true, statements: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body;
    receiver.received.length = 0;
    receiver.answer(302);
    await s.post('/api/v2/projects', { key: 'moved', name: 'Moved' });
    await vi.waitFor(async () => expect((await pending()).map((p) => p.webhook_id).sort()).toEqual([redirected._id, refused._id].sort()), { timeout: 5000 });
    expect((await pending()).every((p) => p.attempts === 1)).toBe(true);
    expect(receiver.received.map((r) => r.path)).toEqual(['/moved']);
  });
});

describe('webhook deliveries across a restart', () => {
  const instances = sharedDatabase(testDb);
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await instances.close();
    await receiver.close();
  });

  it('a POST still waiting when the app closes is cut short, kept without counting as an attempt, and made at the next start', async () => {
    const first = await instances.start();
    await first.post('/api/v2/webhooks', { url: `${receiver.url}/slow`, sign: false, on: true, statements: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] });
    receiver.answer(0);
    await first.post('/api/v2/projects', { key: 'restart', name: 'Restart' });
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 5000 });
    await first.close();

    // At once: a failed attempt would wait 5 s, and a row left under its lease 60 s.
    const second = await instances.start();
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 2000 });
    expect(receiver.received[1].body._id).toBe(receiver.received[0].body._id);
    await vi.waitFor(async () => expect(await second.store.db.selectFrom('webhook_deliveries').selectAll().execute()).toEqual([]), { timeout: 5000 });
  });
});

describe.skipIf(testDb !== 'postgres')('webhook deliveries on two instances of one PostgreSQL database', () => {
  const cluster = sharedDatabase('postgres');
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await cluster.close();
    await receiver.close();
  });

  it('every entry is delivered once, whichever instance wrote it', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    await a.post('/api/v2/webhooks', { url: receiver.url, sign: false, on: true, statements: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] });
    const writes = [];
    for (let i = 0; i < 20; i++) writes.push((i % 2 === 0 ? a : b).post('/api/v2/projects', { key: `p${i}`, name: `P${i}` }));
    expect((await Promise.all(writes)).map((r) => r.status)).toEqual(Array(20).fill(201));
    await vi.waitFor(() => expect(receiver.received).toHaveLength(20), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(new Set(receiver.received.map((r) => r.body._id)).size).toBe(20);
    expect(receiver.received).toHaveLength(20);
  });
});
