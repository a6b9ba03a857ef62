// Updating audit log subscriptions by JSON Patch as Terraform's launchdarkly_audit_log_subscription sends it (replace
// /name, /tags, /config, /on, /statements at once); one config field replaced; a config read back with its masked
// secret keeping the secret; `{comment, patch}`; audited by the first change, with the comment, never the secret; a
// patch that changes nothing writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { SECRET_MASK } from '../integrations/config.js';

const secretOf = async (s: TestServer, id: string) =>
  JSON.parse((await s.store.db.selectFrom('audit_log_subscriptions').select('doc').where('id', '=', id).executeTakeFirstOrThrow()).doc).config.apiKey;

describe('updateSubscription', () => {
  let s: TestServer;
  let id: string;
  const path = () => `/api/v2/integrations/datadog/${id}`;
  beforeAll(async () => {
    s = await startServer();
    const body = { name: 'terraform test', on: true, tags: ['integrations', 'terraform'], config: { apiKey: 'first-key', hideMemberDetails: true }, statements: [{ effect: 'deny', resources: ['proj/*:env/*:flag/*'], actions: ['*'] }] };
    id = (await s.post('/api/v2/integrations/datadog', body)).body._id;
  });
  afterAll(() => s.close());

  it("Terraform's update: all five members replaced, the config with its secret in the clear", async () => {
    const statements = [{ effect: 'allow', resources: ['proj/*:env/production'], actions: ['*'] }];
    const res = await s.patch(path(), [
      { op: 'replace', path: '/name', value: 'terraform test v2' },
      { op: 'replace', path: '/tags', value: ['integrations'] },
      { op: 'replace', path: '/config', value: { apiKey: 'second-key', hideMemberDetails: true } },
      { op: 'replace', path: '/on', value: false },
      { op: 'replace', path: '/statements', value: statements },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _id: id, kind: 'datadog', name: 'terraform test v2', tags: ['integrations'], on: false, statements, config: { apiKey: SECRET_MASK, hideMemberDetails: true, hostURL: 'https://api.datadoghq.com' } });
    expect((await s.get(path())).body).toEqual(res.body);
    expect(await secretOf(s, id)).toBe('second-key');
  });

  it('one config field replaced keeps the secret; the config read and sent back (secret masked) keeps it too', async () => {
    const res = await s.patch(path(), { comment: 'EU site', patch: [{ op: 'replace', path: '/config/hostURL', value: 'https://api.datadoghq.eu' }] });
    expect(res.status).toBe(200);
    expect(res.body.config).toEqual({ apiKey: SECRET_MASK, hideMemberDetails: true, hostURL: 'https://api.datadoghq.eu' });
    const read = (await s.get(path())).body;
    const back = await s.patch(path(), [{ op: 'replace', path: '/config', value: { ...read.config, hideMemberDetails: false } }]);
    expect(back.body.config).toEqual({ ...read.config, hideMemberDetails: false });
    expect(await secretOf(s, id)).toBe('second-key');
    expect((await s.patch(path(), [{ op: 'replace', path: '/config/apiKey', value: 'third-key' }])).status).toBe(200);
    expect(await secretOf(s, id)).toBe('third-key');
  });

  it('audited by the first change, with the comment and the delta, never a secret; a patch that changes nothing writes nothing', async () => {
    const entries = (await s.get(`/api/v2/auditlog?spec=integration/datadog/${id}`)).body.items;
    expect(entries.map((e: { accesses: { action: string }[] }) => e.accesses[0].action)).toEqual(['updateConfiguration', 'updateConfiguration', 'updateConfiguration', 'updateName', 'createIntegration']);
    const eu = (await s.get(`/api/v2/auditlog/${entries[2]._id}`)).body;
    expect(eu).toMatchObject({ comment: 'EU site', delta: [{ op: 'replace', path: '/config/hostURL', value: 'https://api.datadoghq.eu' }] });
    expect((await s.get(`/api/v2/auditlog/${entries[0]._id}`)).body.delta).toEqual([{ op: 'replace', path: '/config/apiKey', value: SECRET_MASK }]);
    expect((await s.get(`/api/v2/auditlog/${entries[3]._id}`)).body.delta[2]).toEqual({ op: 'replace', path: '/config', value: { apiKey: SECRET_MASK, hideMemberDetails: true } });
    for (const entry of entries) expect(JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body)).not.toMatch(/first-key|second-key|third-key/);

    const same = await s.patch(path(), [{ op: 'replace', path: '/name', value: 'terraform test v2' }, { op: 'test', path: '/kind', value: 'datadog' }]);
    expect(same.status).toBe(200);
    expect((await s.get(`/api/v2/auditlog?spec=integration/datadog/${id}`)).body.items).toHaveLength(entries.length);
  });
});
