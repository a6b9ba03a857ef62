// Integration configurations refused: an unknown integration or id (404 naming it); a body, configValues field or
// capabilityConfig that is missing, unknown or mistyped (400 naming it, nothing written); a name taken (409); patches
// that cannot apply, touch read-only members or leave the configuration invalid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const OK = { name: 'ok', configValues: { apiKey: 'k', applicationId: '1' } };

describe('integration configurations: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/integration-configurations/keys/new-relic-apm', { ...OK, name: 'apm' }, BETA)).body._id;
  });
  afterAll(() => s.close());

  it('createIntegrationConfiguration: 404 for an integration that takes none, 400 naming each problem; nothing written', async () => {
    const before = await digestStore(s.store);
    for (const key of ['zapier', 'slack', 'split', 'redis', 'constructor']) {
      const unknown = await s.post(`/api/v2/integration-configurations/keys/${key}`, OK, BETA);
      expect(unknown.status, key).toBe(404);
      expect(unknown.body).toEqual({ code: 'not_found', message: expect.stringContaining(`Integration "${key}" not found; integration configurations are made for chronosphere, cloudtrail, custom-approvals, datadog`) });
    }
    const cases: [unknown, string][] = [
      [{ configValues: OK.configValues }, 'name: must be present'],
      [{ ...OK, name: '' }, 'name: must not be empty'],
      // 1,000 CJK characters (3,000 bytes) are within the schema's 1,024 characters, but no index row holds them.
      [{ ...OK, name: Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20_000))).join('') }, 'name: must be at most 1024 bytes of UTF-8, not 3000'],
      [{ name: 'x' }, 'configValues: must be present'],
      [{ ...OK, configValues: 'k' }, "configValues: must be an object of the new-relic-apm integration's fields (apiKey, applicationId, domain)"],
      [{ ...OK, configValues: { applicationId: '1' } }, 'configValues.apiKey: is required by the new-relic-apm integration'],
      [{ ...OK, configValues: { ...OK.configValues, apiKey: 7 } }, 'configValues.apiKey: must be a string'],
      [{ ...OK, configValues: { ...OK.configValues, domain: 'x' } }, 'configValues.domain: must be one of api.newrelic.com, api.eu.newrelic.com; got "x"'],
      [{ ...OK, configValues: { ...OK.configValues, url: 'https://x' } }, 'configValues.url: is not a field of the new-relic-apm integration'],
      [{ ...OK, enabled: 'yes' }, 'enabled: must be a boolean'],
      [{ ...OK, tags: [''] }, 'tags[0]'],
      [{ ...OK, capabilityConfig: [] }, 'capabilityConfig: must be an object'],
      [{ ...OK, capabilityConfig: { approvals: {} } }, 'capabilityConfig.approvals: is not a capability of the new-relic-apm integration; it has auditLogEventsHook'],
      [{ ...OK, capabilityConfig: { trigger: {} } }, 'capabilityConfig.trigger: is not a capability'],
      [{ ...OK, capabilityConfig: { auditLogEventsHook: { policy: [] } } }, 'capabilityConfig.auditLogEventsHook.policy: is not a field of auditLogEventsHook'],
      [{ ...OK, capabilityConfig: { auditLogEventsHook: { statements: [{ effect: 'allow', actions: ['*'] }] } } }, 'capabilityConfig.auditLogEventsHook.statements[0].resources'],
    ];
    for (const [body, message] of cases) {
      const res = await s.post('/api/v2/integration-configurations/keys/new-relic-apm', body, BETA);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message, JSON.stringify(body)).toContain(message);
    }
    const approvals = { name: 'a', configValues: { apiKey: 'k', baseURL: 'b' } };
    const variables: [unknown, string][] = [
      [{ additionalFormVariables: {} }, 'capabilityConfig.approvals.additionalFormVariables: must be an array'],
      [{ additionalFormVariables: [{ name: 'n', type: 'string' }] }, 'capabilityConfig.approvals.additionalFormVariables[0].key: must be present'],
      [{ additionalFormVariables: [{ key: 'k', name: 'n', type: 'number' }] }, 'capabilityConfig.approvals.additionalFormVariables[0].type'],
      [{ additionalFormVariables: [{ key: 'k', name: 'n', type: 'enum' }] }, 'capabilityConfig.approvals.additionalFormVariables[0].allowedValues: must list the values an enum allows'],
      [{ additionalFormVariables: [{ key: 'k', name: 'n', type: 'string' }, { key: 'k', name: 'm', type: 'string' }] }, 'capabilityConfig.approvals.additionalFormVariables[1].key: repeats "k"'],
    ];
    for (const [config, message] of variables) {
      const res = await s.post('/api/v2/integration-configurations/keys/custom-approvals', { ...approvals, capabilityConfig: { approvals: config } }, BETA);
      expect(res.status, JSON.stringify(config)).toBe(400);
      expect(res.body.message).toContain(message);
    }
    expect(await digestStore(s.store)).toEqual(before);
  });

  it('createIntegrationConfiguration: 409 for a name the integration already has; another integration may use it', async () => {
    const taken = await s.post('/api/v2/integration-configurations/keys/new-relic-apm', { ...OK, name: 'apm' }, BETA);
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ code: 'conflict', message: 'The new-relic-apm integration already has a configuration named "apm"' });
    expect((await s.post('/api/v2/integration-configurations/keys/honeycomb', { name: 'apm', configValues: { apiKey: 'k', datasetName: 'd' } }, BETA)).status).toBe(201);
  });

  it('404 for an unknown id or integration on every by-id operation and the list', async () => {
    const missing = '0123456789abcdef01234567';
    for (const res of [
      await s.get(`/api/v2/integration-configurations/${missing}`, BETA),
      await s.patch(`/api/v2/integration-configurations/${missing}`, [{ op: 'replace', path: '/name', value: 'x' }], BETA),
      await s.del(`/api/v2/integration-configurations/${missing}`, BETA),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message: `Integration configuration "${missing}" not found` });
    }
    expect((await s.get('/api/v2/integration-configurations/keys/nope', BETA)).status).toBe(404);
  });

  it('updateIntegrationConfiguration: refused patches change nothing', async () => {
    const before = await digestStore(s.store);
    const self = `/api/v2/integration-configurations/${id}`;
    const cases: [unknown, number, string][] = [
      [{ op: 'replace', path: '/name', value: 'x' }, 400, 'body'],
      [[{ op: 'replace', path: '/_integrationKey', value: 'datadog' }], 400, '_integrationKey'],
      [[{ op: 'replace', path: '/color', value: 'x' }], 400, '/color: is not a field that can be patched'],
      [[{ op: 'remove', path: '/enabled' }], 400, 'enabled: must be a boolean'],
      [[{ op: 'remove', path: '/configValues/applicationId' }], 400, 'configValues.applicationId: is required by the new-relic-apm integration'],
      [[{ op: 'replace', path: '/configValues/domain', value: 'x' }], 400, 'configValues.domain'],
      [[{ op: 'replace', path: '/name', value: '' }], 400, 'name: must not be empty'],
      [[{ op: 'replace', path: '/name', value: '鍵'.repeat(400) }], 400, 'name: must be at most 1024 bytes of UTF-8, not 1200'],
      [[{ op: 'add', path: '/capabilityConfig', value: { approvals: {} } }], 400, 'capabilityConfig.approvals'],
      [[{ op: 'test', path: '/name', value: 'other' }, { op: 'replace', path: '/name', value: 'x' }], 409, ''],
      [[{ op: 'replace', path: '/missing/deep', value: 1 }], 400, ''],
    ];
    for (const [patch, status, message] of cases) {
      const res = await s.patch(self, patch, BETA);
      expect(res.status, JSON.stringify(patch)).toBe(status);
      expect(res.body.message, JSON.stringify(patch)).toContain(message);
    }
    expect(await digestStore(s.store)).toEqual(before);
    await s.post('/api/v2/integration-configurations/keys/new-relic-apm', { ...OK, name: 'second' }, BETA);
    const renamed = await s.patch(self, [{ op: 'replace', path: '/name', value: 'second' }], BETA);
    expect(renamed.status).toBe(409);
    expect(renamed.body.code).toBe('conflict');
  });
});
