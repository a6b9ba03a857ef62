// Integration configurations end to end, one test per operation: created (201, configValues checked against the
// integration's form, defaults filled in, secrets masked), listed, read, patched (JSON Patch, secrets kept when sent
// back masked, audited with the secret masked) and deleted (204).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { SECRET_MASK } from '../integrations/config.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const STATEMENTS = [{ effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['*'] }];

describe('integration configurations', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('createIntegrationConfiguration: 201, defaults filled in, the secret masked', async () => {
    const res = await s.post('/api/v2/integration-configurations/keys/datadog', { name: 'Datadog prod', enabled: true, tags: ['ops', 'ops'], configValues: { apiKey: 'dd-secret-1' }, capabilityConfig: { auditLogEventsHook: { statements: STATEMENTS } } }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body._id;
    expect(res.body).toEqual({
      _links: { self: { href: `/api/v2/integration-configurations/${id}`, type: 'application/json' }, parent: { href: '/api/v2/integration-configurations/keys/datadog', type: 'application/json' } },
      _id: id,
      name: 'Datadog prod',
      _createdAt: expect.any(Number),
      _integrationKey: 'datadog',
      tags: ['ops'],
      enabled: true,
      configValues: { apiKey: SECRET_MASK, hideMemberDetails: false, hostURL: 'https://api.datadoghq.com' },
      capabilityConfig: { auditLogEventsHook: { statements: STATEMENTS } },
      // 2026-07: maintained by the member who created it; no setup members (no setup endpoint answers this).
      _maintainerId: (await s.get('/api/v2/members/me')).body._id,
    });
    const approvals = await s.post('/api/v2/integration-configurations/keys/custom-approvals', { name: 'Approvals', configValues: { apiKey: 'k', baseURL: 'https://approvals.example' }, capabilityConfig: { approvals: { additionalFormVariables: [{ key: 'ticket', name: 'Ticket', type: 'string', isOptional: true }] } } }, BETA);
    expect(approvals.status, JSON.stringify(approvals.body)).toBe(201);
    expect(approvals.body).toMatchObject({ enabled: false, tags: [], configValues: { apiKey: SECRET_MASK, baseURL: 'https://approvals.example' } });
  });

  it('getAllIntegrationConfigurations and getIntegrationConfiguration', async () => {
    const one = await s.get(`/api/v2/integration-configurations/${id}`, BETA);
    expect(one.status).toBe(200);
    const list = await s.get('/api/v2/integration-configurations/keys/datadog', BETA);
    expect(list.body).toEqual({ _links: { self: { href: '/api/v2/integration-configurations/keys/datadog', type: 'application/json' } }, items: [one.body] });
    expect((await s.get('/api/v2/integration-configurations/keys/honeycomb', BETA)).body.items).toEqual([]);
  });

  it('updateIntegrationConfiguration: JSON Patch; configValues sent back as read keep the secret; audited masked', async () => {
    const read = (await s.get(`/api/v2/integration-configurations/${id}`, BETA)).body;
    const res = await s.patch(
      `/api/v2/integration-configurations/${id}`,
      { comment: 'quieter', patch: [{ op: 'replace', path: '/enabled', value: false }, { op: 'replace', path: '/configValues', value: { ...read.configValues, hostURL: 'https://api.datadoghq.eu' } }, { op: 'add', path: '/tags/-', value: 'eu' }] },
      BETA,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...read, enabled: false, tags: ['ops', 'eu'], configValues: { ...read.configValues, hostURL: 'https://api.datadoghq.eu' } });
    const row = await s.store.db.selectFrom('integration_configurations').select('doc').where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.doc).configValues.apiKey).toBe('dd-secret-1');
    const secret = await s.patch(`/api/v2/integration-configurations/${id}`, [{ op: 'replace', path: '/configValues/apiKey', value: 'dd-secret-2' }], BETA);
    expect(secret.body.configValues.apiKey).toBe(SECRET_MASK);
    // The maintainer is kept through patches, and read-only: it may be tested, not replaced.
    expect(secret.body._maintainerId).toBe(read._maintainerId);
    expect((await s.patch(`/api/v2/integration-configurations/${id}`, [{ op: 'test', path: '/_maintainerId', value: read._maintainerId }], BETA)).status).toBe(200);
    const replaced = await s.patch(`/api/v2/integration-configurations/${id}`, [{ op: 'replace', path: '/_maintainerId', value: 'someone-else' }], BETA);
    expect(replaced.status).toBe(400);
    expect(replaced.body.message).toContain('_maintainerId');
    const entries = (await s.get(`/api/v2/auditlog?spec=integration/datadog/${id}`)).body.items;
    expect(entries.map((e: { title?: string; description?: string }) => e)).toHaveLength(3);
    for (const entry of entries) expect(JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body)).not.toMatch(/dd-secret/);
    // A patch that changes nothing records nothing.
    expect((await s.patch(`/api/v2/integration-configurations/${id}`, [{ op: 'replace', path: '/enabled', value: false }], BETA)).status).toBe(200);
    expect((await s.get(`/api/v2/auditlog?spec=integration/datadog/${id}`)).body.items).toHaveLength(3);
  });

  it('deleteIntegrationConfiguration: 204, then 404', async () => {
    expect((await s.del(`/api/v2/integration-configurations/${id}`, BETA)).status).toBe(204);
    expect((await s.get(`/api/v2/integration-configurations/${id}`, BETA)).status).toBe(404);
    expect((await s.get('/api/v2/integration-configurations/keys/datadog', BETA)).body.items).toEqual([]);
  });
});
