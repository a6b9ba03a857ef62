// The official REST client (launchdarkly-api-typescript) manages the three integration areas over real HTTP,
// unchanged: IntegrationsBetaApi (integration configurations), IntegrationDeliveryConfigurationsBetaApi (edge feature
// store delivery configurations, validation) and FlagImportConfigurationsBetaApi (Split and Unleash imports, import
// jobs). The generated client does not send LD-API-Version for beta operations, so the Configuration's baseOptions
// carry it, as a caller must. Every answer comes back deserialized member for member; secrets masked; refusals are
// the client's errors with LaunchDarkly's bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, FlagImportConfigurationsBetaApi, IntegrationDeliveryConfigurationsBetaApi, IntegrationsBetaApi, ProjectsApi } from 'launchdarkly-api-typescript';
import { SECRET_MASK } from '../src/resources/integrations/config.js';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

const P = 'integrations-client';

describe('integrations through launchdarkly-api-typescript (IntegrationsBetaApi, IntegrationDeliveryConfigurationsBetaApi, FlagImportConfigurationsBetaApi)', () => {
  let s: TestServer;
  let config: Configuration;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } });
    await new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url })).postProject({ name: 'Integrations client', key: P, environments: [{ key: 'production', name: 'Production', color: '000000' }] });
  });
  afterAll(() => s.close());

  it('IntegrationsBetaApi: create, list, read, update, delete an integration configuration', async () => {
    const api = new IntegrationsBetaApi(config);
    const statements = [{ effect: 'allow' as const, resources: ['proj/*:env/production:flag/*'], actions: ['*'] }];
    const created = await api.createIntegrationConfiguration('datadog', { name: 'Datadog', enabled: true, tags: ['ops'], configValues: { apiKey: 'dd-key', hostURL: 'https://api.datadoghq.eu' }, capabilityConfig: { auditLogEventsHook: { statements } } });
    expect(created.status).toBe(201);
    const rep = created.data;
    expect(rep).toEqual((await s.get(`/api/v2/integration-configurations/${rep._id}`, { headers: { 'LD-API-Version': 'beta' } })).body);
    expect(rep).toMatchObject({ name: 'Datadog', _integrationKey: 'datadog', enabled: true, configValues: { apiKey: SECRET_MASK, hostURL: 'https://api.datadoghq.eu' }, capabilityConfig: { auditLogEventsHook: { statements } } });
    expect((await api.getAllIntegrationConfigurations('datadog')).data.items).toEqual([rep]);
    expect((await api.getIntegrationConfiguration(rep._id)).data).toEqual(rep);
    const updated = await api.updateIntegrationConfiguration(rep._id, [{ op: 'replace', path: '/enabled', value: false }, { op: 'replace', path: '/name', value: 'Datadog EU' }]);
    expect(updated.status).toBe(200);
    expect(updated.data).toEqual({ ...rep, enabled: false, name: 'Datadog EU' });
    expect((await api.deleteIntegrationConfiguration(rep._id)).status).toBe(204);
    const gone = await clientFailure(api.getIntegrationConfiguration(rep._id));
    expect(gone).toMatchObject({ status: 404, data: { code: 'not_found' } });
    const bad = await clientFailure(api.createIntegrationConfiguration('datadog', { name: 'x', configValues: {} }));
    expect(bad).toMatchObject({ status: 400, data: { code: 'invalid_request', message: expect.stringContaining('configValues.apiKey') } });
  });

  it('IntegrationDeliveryConfigurationsBetaApi: create, list, list by environment, read, patch, validate, delete', async () => {
    const api = new IntegrationDeliveryConfigurationsBetaApi(config);
    const created = await api.createIntegrationDeliveryConfiguration(P, 'production', 'cloudflare', { name: 'Workers KV', on: true, config: { accountId: 'a', namespaceId: 'n', apiToken: 'cf-token' } });
    expect(created.status).toBe(201);
    const rep = created.data;
    expect(rep).toMatchObject({ integrationKey: 'cloudflare', projectKey: P, environmentKey: 'production', config: { apiToken: SECRET_MASK }, on: true, version: 1 });
    expect((await api.getIntegrationDeliveryConfigurations()).data.items).toEqual([rep]);
    expect((await api.getIntegrationDeliveryConfigurationByEnvironment(P, 'production')).data.items).toEqual([rep]);
    expect((await api.getIntegrationDeliveryConfigurationById(P, 'production', 'cloudflare', rep._id)).data).toEqual(rep);
    const patched = await api.patchIntegrationDeliveryConfiguration(P, 'production', 'cloudflare', rep._id, [{ op: 'replace', path: '/on', value: false }]);
    expect(patched.data).toEqual({ ...rep, on: false, version: 2 });
    const validated = await api.validateIntegrationDeliveryConfiguration(P, 'production', 'cloudflare', rep._id);
    expect(validated.status).toBe(200);
    expect(validated.data).toMatchObject({ statusCode: 200, timestamp: expect.any(Number) });
    expect((await api.deleteIntegrationDeliveryConfiguration(P, 'production', 'cloudflare', rep._id)).status).toBe(204);
    expect(await clientFailure(api.getIntegrationDeliveryConfigurationById(P, 'production', 'cloudflare', rep._id))).toMatchObject({ status: 404 });
    expect(await clientFailure(api.createIntegrationDeliveryConfiguration(P, 'production', 'datadog', { config: {} }))).toMatchObject({ status: 404, data: { code: 'not_found' } });
  });

  it('FlagImportConfigurationsBetaApi: create (200), list, read, patch, trigger an import job (201), delete', async () => {
    const api = new FlagImportConfigurationsBetaApi(config);
    const created = await api.createFlagImportConfiguration(P, 'split', { name: 'From Split', tags: ['migration'], config: { workspaceApiKey: 'split-key', workspaceId: 'w', environmentId: 'e', ldApiKey: 'ld-key' } });
    expect(created.status).toBe(200);
    const rep = created.data;
    expect(rep).toMatchObject({ integrationKey: 'split', projectKey: P, config: { workspaceApiKey: SECRET_MASK, ldApiKey: SECRET_MASK, ldTag: 'imported-from-split' }, version: 1, _status: { status: 'pending', errors: [] } });
    expect((await api.getFlagImportConfigurations()).data.items).toEqual([rep]);
    expect((await api.getFlagImportConfiguration(P, 'split', rep._id)).data).toEqual(rep);
    const patched = await api.patchFlagImportConfiguration(P, 'split', rep._id, [{ op: 'replace', path: '/config/splitTag', value: 'web' }]);
    expect(patched.data).toEqual({ ...rep, config: { ...rep.config, splitTag: 'web' }, version: 2 });
    const triggered = await api.triggerFlagImportJob(P, 'split', rep._id);
    expect(triggered.status).toBe(201);
    const status = (await api.getFlagImportConfiguration(P, 'split', rep._id)).data._status;
    expect(status.status).toBe('failed');
    expect(status.errors?.[0].message).toContain('no outbound network calls');
    expect((await api.deleteFlagImportConfiguration(P, 'split', rep._id)).status).toBe(204);
    expect(await clientFailure(api.getFlagImportConfiguration(P, 'split', rep._id))).toMatchObject({ status: 404 });
  });
});
