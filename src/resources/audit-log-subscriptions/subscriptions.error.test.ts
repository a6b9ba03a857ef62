// Audit log subscriptions refused: an unknown integration (404 naming it); a body, config field or statement that
// is missing, unknown or mistyped (400 naming it, nothing written); patches that cannot apply, touch read-only members
// or leave the subscription invalid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('audit log subscriptions: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/integrations/new-relic-apm', { name: 'apm', on: true, config: { apiKey: 'nr-key', applicationId: '42' } })).body._id;
  });
  afterAll(() => s.close());

  it('createSubscription: 404 for an unknown integration, 400 naming each problem; nothing written', async () => {
    const before = await digestStore(s.store);
    const unknown = await s.post('/api/v2/integrations/zapier', { name: 'x', config: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ code: 'not_found', message: expect.stringContaining('Integration "zapier" not found; audit log subscriptions are made for chronosphere, cloudtrail, datadog') });
    const ok = { name: 'ok', config: { apiKey: 'k', applicationId: '1' } };
    const cases: [unknown, string][] = [
      [{ config: ok.config }, 'name'],
      [{ ...ok, name: '' }, 'name'],
      [{ name: 'x' }, 'config: must be present'],
      [{ ...ok, config: [] }, 'config: must be an object of the new-relic-apm integration\'s fields (apiKey, applicationId, domain)'],
      [{ ...ok, config: { applicationId: '1' } }, 'config.apiKey: is required by the new-relic-apm integration'],
      [{ ...ok, config: { apiKey: '', applicationId: '1' } }, 'config.apiKey: must not be empty'],
      [{ ...ok, config: { apiKey: 7, applicationId: '1' } }, 'config.apiKey: must be a string'],
      [{ ...ok, config: { ...ok.config, domain: 'api.example.com' } }, 'config.domain: must be one of api.newrelic.com, api.eu.newrelic.com; got "api.example.com"'],
      [{ ...ok, config: { ...ok.config, url: 'https://x' } }, 'config.url: is not a field of the new-relic-apm integration; its fields are apiKey, applicationId, domain'],
      [{ ...ok, url: 'https://x' }, 'url: is not a field of the new-relic-apm integration'],
      [{ ...ok, on: 'yes' }, 'on'],
      [{ ...ok, tags: 'a' }, 'tags'],
      [{ ...ok, tags: [''] }, 'tags[0]'],
      [{ ...ok, statements: {} }, 'statements: must be an array of statements'],
      [{ ...ok, statements: [{ effect: 'maybe', resources: ['proj/*'], actions: ['*'] }] }, 'statements'],
      [{ ...ok, statements: [{ effect: 'allow', actions: ['*'] }] }, 'statements[0].resources'],
      [{ ...ok, statements: [{ effect: 'allow', resources: ['proj/*'], actions: ['update-on'] }] }, 'statements[0].actions[0]'],
      [{ ...ok, statements: [{ effect: 'allow', resources: ['proj/*:'], actions: ['*'] }] }, 'statements[0].resources[0]'],
    ];
    for (const [body, message] of cases) {
      const res = await s.post('/api/v2/integrations/new-relic-apm', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message, JSON.stringify(body)).toContain(message);
    }
    const typed: [string, Record<string, unknown>, string][] = [
      ['msteams', { url: 'not a url' }, 'config.url: "not a url" is not an absolute URL'],
      ['slack', { url: 'ftp://hooks.example.com' }, 'config.url: must be an http or https URL, not ftp:'],
      ['splunk', { 'base-url': 'https://s', token: 't', 'skip-ca-verification': 'true' }, 'config.skip-ca-verification: must be a boolean (true or false)'],
      ['datadog', { apiKey: 'k', hostURL: 'https://evil.example.com' }, 'config.hostURL: must be one of https://api.datadoghq.com'],
    ];
    for (const [key, config, message] of typed) {
      const res = await s.post(`/api/v2/integrations/${key}`, { name: 'typed', config });
      expect(res.status, key).toBe(400);
      expect(res.body.message, key).toContain(message);
    }
    for (const raw of ['null', '[]', '"x"', '{']) {
      const res = await s.request('POST', '/api/v2/integrations/msteams', { raw });
      expect(res.status, raw).toBe(400);
      expect(res.body.code).toBe('invalid_request');
    }
    expect(await digestStore(s.store)).toBe(before);
  });

  it('updateSubscription: 404s, then 400 (or 409 for a failed test) naming the operation or field; nothing written', async () => {
    const before = await digestStore(s.store);
    const path = `/api/v2/integrations/new-relic-apm/${id}`;
    for (const other of ['/api/v2/integrations/nope/' + id, '/api/v2/integrations/datadog/' + id, '/api/v2/integrations/new-relic-apm/0123456789abcdef01234567']) {
      const res = await s.patch(other, [{ op: 'replace', path: '/name', value: 'x' }]);
      expect(res.status, other).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    const cases: [unknown, number, string][] = [
      [{ op: 'replace', path: '/name', value: 'x' }, 400, 'body'],
      [[{ op: 'replace', path: '/kind', value: 'slack' }], 400, '/kind: is read-only'],
      [[{ op: 'replace', path: '/_id', value: 'x' }], 400, '/_id: is read-only'],
      [[{ op: 'replace', path: '/_status/successCount', value: 3 }], 400, '/_status: is read-only'],
      [[{ op: 'replace', path: '/secret', value: 'x' }], 400, '/secret: is not a field that can be patched'],
      [[{ op: 'replace', path: '/name', value: 5 }], 400, 'name'],
      [[{ op: 'remove', path: '/on' }], 400, 'on: must be a boolean'],
      [[{ op: 'remove', path: '/config/apiKey' }], 400, 'config.apiKey: is required by the new-relic-apm integration'],
      [[{ op: 'add', path: '/config/extra', value: 1 }], 400, 'config.extra: is not a field of the new-relic-apm integration'],
      [[{ op: 'replace', path: '/config', value: 'x' }], 400, 'config: must be an object'],
      [[{ op: 'replace', path: '/statements', value: [{ effect: 'allow' }] }], 400, 'statements[0].resources'],
      [[{ op: 'replace', path: '/tags', value: [1] }], 400, 'tags[0]: must be a string'],
      [[{ op: 'remove', path: '/missing' }], 400, '/missing'],
      [[{ op: 'test', path: '/name', value: 'not the name' }], 409, 'operation 0'],
      [{ comment: 5, patch: [] }, 400, 'comment: must be a string'],
    ];
    for (const [body, status, message] of cases) {
      const res = await s.patch(path, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.message, JSON.stringify(body)).toContain(message);
    }
    expect(await digestStore(s.store)).toBe(before);
  });
});
