// Delivery configurations end to end, one test per operation: created for a feature store integration (201, config
// checked against its form, secrets masked, version 1), listed (all, by environment), read, patched (version counted,
// secrets kept when sent back masked), validated (the form checked; the validation request not sent, and said so)
// and deleted (204).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { SECRET_MASK } from '../integrations/config.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const ROOT = '/api/v2/integration-capabilities/featureStore';

describe('delivery configurations', () => {
  let s: TestServer;
  let w: World;
  let self: string;
  let akamai: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('createIntegrationDeliveryConfiguration: 201 with the configuration, the API token masked', async () => {
    const base = `${ROOT}/${w.project}/production/cloudflare`;
    const res = await s.post(base, { name: 'Edge', on: true, tags: ['edge'], config: { accountId: 'acc', namespaceId: 'kv', apiToken: 'cf-secret-1' } }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    self = `${base}/${res.body._id}`;
    expect(res.body).toEqual({
      _links: {
        self: { href: self, type: 'application/json' },
        parent: { href: ROOT, type: 'application/json' },
        project: { href: `/api/v2/projects/${w.project}`, type: 'application/json' },
        environment: { href: `/api/v2/projects/${w.project}/environments/production`, type: 'application/json' },
      },
      _id: res.body._id,
      integrationKey: 'cloudflare',
      projectKey: w.project,
      environmentKey: 'production',
      config: { accountId: 'acc', namespaceId: 'kv', apiToken: SECRET_MASK },
      on: true,
      tags: ['edge'],
      name: 'Edge',
      version: 1,
    });
    // Only config is required; an optional field takes the manifest's default.
    const minimal = await s.post(`${ROOT}/${w.project}/test/akamai-edgeworkers`, { config: { hostname: 'h.akamaiapis.net', namespaceId: 'ns', groupId: 'g', clientSecret: 'a', clientToken: 'b', accessToken: 'c' } }, BETA);
    expect(minimal.status, JSON.stringify(minimal.body)).toBe(201);
    expect(minimal.body).toMatchObject({ name: 'akamai-edgeworkers delivery configuration', on: false, tags: [], config: { network: 'production', clientSecret: SECRET_MASK } });
    akamai = minimal.body._links.self.href;
  });

  it('getIntegrationDeliveryConfigurations, getIntegrationDeliveryConfigurationByEnvironment, getIntegrationDeliveryConfigurationById', async () => {
    const one = await s.get(self, BETA);
    expect(one.status).toBe(200);
    const all = await s.get(ROOT, BETA);
    expect(all.body._links.self.href).toBe(ROOT);
    expect(all.body.items.map((i: { _id: string }) => i._id)).toEqual([one.body._id, akamai.split('/').pop()]);
    const production = await s.get(`${ROOT}/${w.project}/production`, BETA);
    expect(production.body).toEqual({ _links: { self: { href: `${ROOT}/${w.project}/production`, type: 'application/json' }, parent: { href: ROOT, type: 'application/json' } }, items: [one.body] });
  });

  it('patchIntegrationDeliveryConfiguration: version counted, the token kept when sent back masked, audited masked', async () => {
    const read = (await s.get(self, BETA)).body;
    const res = await s.patch(self, [{ op: 'replace', path: '/on', value: false }, { op: 'replace', path: '/config', value: { ...read.config, namespaceId: 'kv2' } }], BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...read, on: false, config: { ...read.config, namespaceId: 'kv2' }, version: 2 });
    const row = await s.store.db.selectFrom('delivery_configurations').select('doc').where('id', '=', read._id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.doc).config.apiToken).toBe('cf-secret-1');
    expect((await s.patch(self, [{ op: 'replace', path: '/config/apiToken', value: 'cf-secret-2' }], BETA)).body.version).toBe(3);
    const entries = (await s.get(`/api/v2/auditlog?spec=integration/cloudflare/${read._id}`)).body.items;
    expect(entries).toHaveLength(3);
    for (const entry of entries) expect(JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body)).not.toMatch(/cf-secret/);
  });

  it('validateIntegrationDeliveryConfiguration: the form checked; a validation request is not sent, and the answer says so', async () => {
    const cloudflare = await s.post(`${self}/validate`, undefined, BETA);
    expect(cloudflare.status, JSON.stringify(cloudflare.body)).toBe(200);
    expect(cloudflare.body).toEqual({ statusCode: 200, timestamp: expect.any(Number), responseBody: expect.stringContaining('matches the cloudflare form') });
    const edge = await s.post(`${akamai}/validate`, undefined, BETA);
    expect(edge.status).toBe(200);
    expect(edge.body.statusCode).toBeUndefined();
    expect(edge.body.error).toContain('was not sent');
    expect(edge.body.error).toContain('https://{{hostname}}/edgekv/v1/networks/{{network}}/namespaces/{{namespaceId}}');
  });

  it('deleteIntegrationDeliveryConfiguration: 204, then 404; deleting the environment deletes its configurations', async () => {
    expect((await s.del(self, BETA)).status).toBe(204);
    expect((await s.get(self, BETA)).status).toBe(404);
    expect((await s.del(`/api/v2/projects/${w.project}/environments/test`)).status).toBe(204);
    expect((await s.get(ROOT, BETA)).body.items).toEqual([]);
  });
});
