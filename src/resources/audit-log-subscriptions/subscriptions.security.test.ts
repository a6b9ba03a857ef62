// Who may do what to audit log subscriptions, and what no one sees: readers read, writers and admins write; custom
// roles need createIntegration, updateName / updateOn / updateTags / updateConfiguration or deleteIntegration on
// `integration/<integrationKey>/<id>`; a secret is masked in every answer and audit entry, for every caller, and no
// patch reads it out (copy) or probes it (test).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { SECRET_MASK } from '../integrations/config.js';

const SECRET = 'honeycomb-secret-4711';
const CONFIG = { apiKey: SECRET, datasetName: 'ld' };

describe('audit log subscriptions: security', () => {
  let s: TestServer;
  let roleCount = 0;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  async function make(name: string, key = 'honeycomb', config: Record<string, unknown> = CONFIG): Promise<Record<string, any>> {
    const res = await s.post(`/api/v2/integrations/${key}`, { name, config });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function customRoleToken(policy: unknown[]): Promise<string> {
    roleCount += 1;
    const role = await s.post('/api/v2/roles', { key: `subscription-role-${roleCount}`, name: `Subscription role ${roleCount}`, policy });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    return (await s.post('/api/v2/tokens', { name: `subscription token ${roleCount}`, customRoleIds: [role.body._id] })).body.token;
  }

  async function forbidden(send: () => Promise<Response>): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(403);
    expect(res!.body.code).toBe('forbidden');
  }

  it('a reader reads but cannot create, update or delete; a writer can', async () => {
    const sub = await make('Readable');
    const token = s.tokens.reader;
    expect((await s.get('/api/v2/integrations/honeycomb', { token })).status).toBe(200);
    expect((await s.get(`/api/v2/integrations/honeycomb/${sub._id}`, { token })).body).toEqual(sub);
    await forbidden(() => s.post('/api/v2/integrations/honeycomb', { name: 'No', config: CONFIG }, { token }));
    await forbidden(() => s.patch(`/api/v2/integrations/honeycomb/${sub._id}`, [{ op: 'replace', path: '/on', value: true }], { token }));
    await forbidden(() => s.del(`/api/v2/integrations/honeycomb/${sub._id}`, { token }));
    const writer = s.tokens.writer;
    expect((await s.post('/api/v2/integrations/honeycomb', { name: 'By a writer', config: CONFIG }, { token: writer })).status).toBe(201);
    expect((await s.patch(`/api/v2/integrations/honeycomb/${sub._id}`, [{ op: 'replace', path: '/on', value: true }], { token: writer })).status).toBe(200);
    expect((await s.del(`/api/v2/integrations/honeycomb/${sub._id}`, { token: writer })).status).toBe(204);
  });

  it('the secret is masked for every caller, admin included, in every read, answer and audit entry', async () => {
    const sub = await make('Masked');
    expect(sub.config.apiKey).toBe(SECRET_MASK);
    for (const token of [s.tokens.admin, s.tokens.writer, s.tokens.reader]) {
      const texts = [JSON.stringify((await s.get('/api/v2/integrations/honeycomb', { token })).body), JSON.stringify((await s.get(`/api/v2/integrations/honeycomb/${sub._id}`, { token })).body)];
      for (const text of texts) {
        expect(text).not.toContain(SECRET);
        expect(text).toContain(SECRET_MASK);
      }
    }
    const updated = await s.patch(`/api/v2/integrations/honeycomb/${sub._id}`, [{ op: 'replace', path: '/config', value: { apiKey: `${SECRET}-2`, datasetName: 'ld2' } }]);
    expect(JSON.stringify(updated.body)).not.toContain(SECRET);
    const entries = (await s.get(`/api/v2/auditlog?spec=integration/honeycomb/${sub._id}`)).body.items;
    for (const entry of entries) expect(JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body)).not.toContain(SECRET);
  });

  it('no patch reads the secret out or tells a right guess from a wrong one', async () => {
    const sub = await make('No oracle');
    const path = `/api/v2/integrations/honeycomb/${sub._id}`;
    const copied = await s.patch(path, [{ op: 'copy', from: '/config/apiKey', path: '/name' }]);
    expect(copied.status).toBe(200);
    expect(copied.body.name).toBe(SECRET_MASK);
    const answers = [];
    for (const guess of [SECRET, 'wrong guess']) {
      const res = await s.patch(path, [{ op: 'test', path: '/config/apiKey', value: guess }, { op: 'replace', path: '/name', value: 'Guessed' }]);
      expect(res.status).toBe(409);
      // The message repeats the caller's guess, and otherwise shows only the mask: the same for either.
      answers.push(res.body.message.replace(guess, 'GUESS'));
    }
    expect(answers[0]).toEqual(answers[1]);
    expect((await s.get(path)).body.name).toBe(SECRET_MASK);
  });

  it('custom roles: createIntegration on integration/honeycomb/* creates Honeycomb subscriptions only; every token may read', async () => {
    const token = await customRoleToken([{ effect: 'allow', resources: ['integration/honeycomb/*'], actions: ['createIntegration'] }]);
    const made = await s.post('/api/v2/integrations/honeycomb', { name: 'By a custom role', config: CONFIG }, { token });
    expect(made.status).toBe(201);
    await forbidden(() => s.post('/api/v2/integrations/msteams', { name: 'Teams', config: { url: 'https://outlook.office.com/webhook/x' } }, { token }));
    await forbidden(() => s.del(`/api/v2/integrations/honeycomb/${made.body._id}`, { token }));
    const nothing = await customRoleToken([]);
    expect((await s.get(`/api/v2/integrations/honeycomb/${made.body._id}`, { token: nothing })).status).toBe(200);
    await forbidden(() => s.post('/api/v2/integrations/honeycomb', { name: 'Nothing', config: CONFIG }, { token: nothing }));
  });

  it("custom roles: each member's action on that subscription; Terraform's five replaces need them all", async () => {
    const mine = await make('Mine');
    const other = await make('Other');
    const token = await customRoleToken([{ effect: 'allow', resources: [`integration/honeycomb/${mine._id}`], actions: ['updateName', 'updateOn', 'updateTags'] }]);
    const path = `/api/v2/integrations/honeycomb/${mine._id}`;
    const renamed = await s.patch(path, [{ op: 'replace', path: '/name', value: 'Renamed' }, { op: 'replace', path: '/on', value: true }, { op: 'replace', path: '/tags', value: ['t'] }], { token });
    expect(renamed.status).toBe(200);
    await forbidden(() => s.patch(`/api/v2/integrations/honeycomb/${other._id}`, [{ op: 'replace', path: '/name', value: 'No' }], { token }));
    await forbidden(() => s.patch(path, [{ op: 'replace', path: '/config/datasetName', value: 'other' }], { token }));
    await forbidden(() => s.patch(path, [{ op: 'replace', path: '/statements', value: [] }], { token }));
    await forbidden(() => s.del(path, { token }));
    const all = await customRoleToken([{ effect: 'allow', resources: ['integration/*'], actions: ['updateName', 'updateOn', 'updateTags', 'updateConfiguration', 'deleteIntegration'] }]);
    const terraform = [
      { op: 'replace', path: '/name', value: 'Terraform' },
      { op: 'replace', path: '/tags', value: [] },
      { op: 'replace', path: '/config', value: CONFIG },
      { op: 'replace', path: '/on', value: false },
      { op: 'replace', path: '/statements', value: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] },
    ];
    expect((await s.patch(path, terraform, { token: all })).status).toBe(200);
    expect((await s.del(path, { token: all })).status).toBe(204);
  });
});
