// The official REST client (launchdarkly-api-typescript) manages audit log subscriptions over real HTTP, unchanged,
// as Terraform's launchdarkly_audit_log_subscription does: IntegrationAuditLogSubscriptionsApi.createSubscription
// (SubscriptionPost), getSubscriptions, getSubscriptionByID, updateSubscription with Terraform's five replaces
// (/name, /tags, /config, /on, /statements), deleteSubscription. Every field of Integration comes back
// deserialized; the secret masked; an unknown integration, an unknown id or a bad config is the client's error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, IntegrationAuditLogSubscriptionsApi, type Integration, type StatementPost } from 'launchdarkly-api-typescript';
import { SECRET_MASK } from '../src/resources/integrations/config.js';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

const STATEMENTS: StatementPost[] = [{ actions: ['*'], effect: 'deny', resources: ['proj/*:env/*:flag/*'] }];

describe('audit log subscriptions through launchdarkly-api-typescript (IntegrationAuditLogSubscriptionsApi)', () => {
  let s: TestServer;
  let api: IntegrationAuditLogSubscriptionsApi;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    api = new IntegrationAuditLogSubscriptionsApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
  });
  afterAll(() => s.close());

  it('create, list, read, update as Terraform does, delete', async () => {
    const created = await api.createSubscription('datadog', { name: 'terraform test', on: true, tags: ['integrations', 'terraform'], config: { apiKey: 'thisisasecretkey', hideMemberDetails: true }, statements: STATEMENTS });
    expect(created.status).toBe(201);
    const sub: Integration = created.data;
    // Deserialized member for member as the server sent it (createSubscription.happy.test.ts checks what that is).
    expect(sub).toEqual((await s.get(`/api/v2/integrations/datadog/${sub._id}`)).body);
    expect(sub).toMatchObject({ kind: 'datadog', config: { apiKey: SECRET_MASK, hideMemberDetails: true, hostURL: 'https://api.datadoghq.com' }, statements: STATEMENTS, _status: { successCount: 0, errorCount: 0 } });

    const list = await api.getSubscriptions('datadog');
    expect(list.status).toBe(200);
    expect(list.data).toEqual({ _links: { self: { href: '/api/v2/integrations/datadog', type: 'application/json' } }, items: [sub], key: 'datadog' });
    expect((await api.getSubscriptionByID('datadog', sub._id!)).data).toEqual(sub);

    // Terraform's update: the five members it manages replaced at once, the config as the user wrote it (secret in the clear).
    const statements: StatementPost[] = [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/production'] }];
    const updated = await api.updateSubscription('datadog', sub._id!, [
      { op: 'replace', path: '/name', value: 'terraform test v2' },
      { op: 'replace', path: '/tags', value: ['integrations'] },
      { op: 'replace', path: '/config', value: { apiKey: 'thisisasecretkey', hideMemberDetails: true } },
      { op: 'replace', path: '/on', value: false },
      { op: 'replace', path: '/statements', value: statements },
    ]);
    expect(updated.status).toBe(200);
    expect(updated.data).toEqual({ ...sub, name: 'terraform test v2', tags: ['integrations'], on: false, statements });
    expect((await api.getSubscriptionByID('datadog', sub._id!)).data).toEqual(updated.data);

    const deleted = await api.deleteSubscription('datadog', sub._id!);
    expect(deleted.status).toBe(204);
    expect((await api.getSubscriptions('datadog')).data.items).toEqual([]);
  });

  it("errors as the client's: 404 for an unknown integration or id (Terraform then drops it from state), 400 naming a config field", async () => {
    const unknownId = await clientFailure(api.getSubscriptionByID('msteams', '0123456789abcdef01234567'));
    expect(unknownId.status).toBe(404);
    expect(unknownId.data.code).toBe('not_found');
    const unknownIntegration = await clientFailure(api.getSubscriptions('not-an-integration'));
    expect(unknownIntegration).toMatchObject({ status: 404, data: { code: 'not_found', message: expect.stringContaining('"not-an-integration"') } });
    const badConfig = await clientFailure(api.createSubscription('honeycomb', { name: 'wrong config', config: { url: 'https://bad-config.com/terraform-test' }, statements: STATEMENTS }));
    expect(badConfig.status).toBe(400);
    expect(badConfig.data.message).toContain('config.url: is not a field of the honeycomb integration');
    expect(badConfig.data.message).toContain('config.apiKey: is required by the honeycomb integration');
  });
});
