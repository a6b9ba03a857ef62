// Creating audit log subscriptions: 201 with the Integration as LaunchDarkly shows it (links, kind, masked secrets,
// defaults filled in, zero status counts); Terraform's body for several integrations; the legacy top-level url; the
// creation audited without the secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { SECRET_MASK } from '../integrations/config.js';

const STATEMENTS = [{ effect: 'deny', resources: ['proj/*:env/*:flag/*'], actions: ['*'] }];

describe('createSubscription', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it("201 with the Integration: Terraform's Datadog body, its secret masked and hostURL's default filled in", async () => {
    const body = { name: 'terraform test', on: true, tags: ['integrations', 'terraform'], config: { apiKey: 'thisisasecretkey', hideMemberDetails: true }, statements: STATEMENTS };
    const res = await s.post('/api/v2/integrations/datadog', body);
    expect(res.status).toBe(201);
    const id = res.body._id;
    expect(res.body).toEqual({
      _links: { self: { href: `/api/v2/integrations/datadog/${id}`, type: 'application/json' }, parent: { href: '/api/v2/integrations/datadog', type: 'application/json' } },
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      kind: 'datadog',
      name: 'terraform test',
      config: { apiKey: SECRET_MASK, hideMemberDetails: true, hostURL: 'https://api.datadoghq.com' },
      statements: STATEMENTS,
      on: true,
      tags: ['integrations', 'terraform'],
      _status: { successCount: 0, errorCount: 0 },
    });
    // Stored in the clear: a delivery (not built) would need it.
    const row = await s.store.db.selectFrom('audit_log_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.doc).config.apiKey).toBe('thisisasecretkey');

    const entry = (await s.get(`/api/v2/auditlog?spec=integration/datadog/${id}`)).body.items[0];
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(full).toMatchObject({ kind: 'integration', name: 'terraform test', accesses: [{ action: 'createIntegration', resource: `integration/datadog/${id}` }] });
    expect(full.currentVersion).toEqual(res.body);
    expect(JSON.stringify(full)).not.toContain('thisisasecretkey');
  });

  it("the other integrations Terraform's tests create: Dynatrace, Microsoft Teams, Slack, Splunk (kebab-case fields)", async () => {
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ['dynatrace', { apiToken: 'verysecrettoken', url: 'https://launchdarkly.appdynamics.com', entity: 'APPLICATION_METHOD' }, { apiToken: SECRET_MASK, url: 'https://launchdarkly.appdynamics.com', entity: 'APPLICATION_METHOD', tag: '' }],
      ['msteams', { url: 'https://outlook.office.com/webhook/terraform-test' }, { url: 'https://outlook.office.com/webhook/terraform-test' }],
      ['slack', { url: 'https://hooks.slack.com/services/SOME-RANDOM-HOOK' }, { url: 'https://hooks.slack.com/services/SOME-RANDOM-HOOK' }],
      ['splunk', { 'base-url': 'https://launchdarkly.splunk.com', token: 'averysecrettoken', 'skip-ca-verification': true }, { 'base-url': 'https://launchdarkly.splunk.com', token: SECRET_MASK, 'skip-ca-verification': true }],
    ];
    for (const [key, config, shown] of cases) {
      const res = await s.post(`/api/v2/integrations/${key}`, { name: 'terraform test', on: true, tags: ['integrations'], config, statements: STATEMENTS });
      expect(res.status, key).toBe(201);
      expect(res.body.kind).toBe(key);
      expect(res.body.config, key).toEqual(shown);
    }
  });

  it("only name and config given: off, no tags, no statements; the legacy top-level url is the Slack webhook's; CloudTrail's externalId generated", async () => {
    const slack = await s.post('/api/v2/integrations/slack', { name: 'legacy', url: 'https://hooks.slack.com/services/LEGACY', config: {} });
    expect(slack.status).toBe(201);
    expect(slack.body).toMatchObject({ name: 'legacy', on: false, tags: [], statements: [], config: { url: 'https://hooks.slack.com/services/LEGACY' } });
    const trail = await s.post('/api/v2/integrations/cloudtrail', { name: 'trail', config: { ingestionChannelArn: 'arn:aws:cloudtrail:us-east-1:123:channel/x' } });
    expect(trail.status).toBe(201);
    expect(trail.body.config).toEqual({ accountId: '', externalId: expect.stringMatching(/^[0-9a-f-]{36}$/), ingestionChannelArn: 'arn:aws:cloudtrail:us-east-1:123:channel/x' });
  });
});
