// OAuth 2.0 clients: every error a caller can cause is a 4xx naming the field, and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('OAuth 2.0 clients: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/oauth/clients', { name: 'Client', redirectUri: 'https://example.com/cb' })).body._clientId;
  });
  afterAll(() => s.close());

  it('a registration without a name or redirect URI, or with an unknown field, is a 400 naming it', async () => {
    await expectRefused(s.store, () => s.post('/api/v2/oauth/clients', { redirectUri: 'https://example.com/cb' }), 400, 'invalid_request', /name/);
    await expectRefused(s.store, () => s.post('/api/v2/oauth/clients', { name: 'No URI' }), 400, 'invalid_request', /redirectUri/);
    await expectRefused(s.store, () => s.post('/api/v2/oauth/clients', { name: '', redirectUri: 'https://example.com/cb' }), 400, 'invalid_request', /name/);
    await expectRefused(s.store, () => s.post('/api/v2/oauth/clients', { name: 'X', redirectUri: 'https://example.com/cb', redirectUris: [] }), 400, 'invalid_request', /redirectUris/);
  });

  it('a redirect URI that is not an absolute https URI without query or fragment is a 400 naming redirectUri', async () => {
    for (const [uri, reason] of [
      ['example.com/cb', /redirectUri: "example.com\/cb" is not an absolute URI/],
      ['http://example.com/cb', /redirectUri: must use the https scheme, not "http"/],
      ['myapp://callback', /redirectUri: must use the https scheme/],
      ['https://example.com/cb?x=1', /redirectUri: must not have query parameters/],
      ['https://example.com/cb#top', /redirectUri: must not have a fragment/],
    ] as const) {
      await expectRefused(s.store, () => s.post('/api/v2/oauth/clients', { name: 'Bad', redirectUri: uri }), 400, 'invalid_request', reason);
      await expectRefused(s.store, () => s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'replace', path: '/redirectUri', value: uri }]), 400, 'invalid_request', reason);
    }
  });

  it('a patch of a read-only or unknown field, a malformed patch, or an empty name is a 400 naming it', async () => {
    await expectRefused(s.store, () => s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'replace', path: '/_clientId', value: 'mine' }]), 400, 'invalid_request', /\/_clientId: is read-only/);
    await expectRefused(s.store, () => s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'replace', path: '/_creationDate', value: 1 }]), 400, 'invalid_request', /_creationDate/);
    await expectRefused(s.store, () => s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'add', path: '/_clientSecret', value: 'x' }]), 400, 'invalid_request', /_clientSecret/);
    await expectRefused(s.store, () => s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'replace', path: '/name', value: '' }]), 400, 'invalid_request', /name/);
    await expectRefused(s.store, () => s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'remove', path: '/redirectUri' }]), 400, 'invalid_request', /redirectUri/);
    await expectRefused(s.store, () => s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'jump', path: '/name' }]), 400, 'invalid_request', /patch\[0\]/);
    await expectRefused(s.store, () => s.patch(`/api/v2/oauth/clients/${id}`, { comment: 'not a patch' }), 400, 'invalid_request', /patch/);
  });

  it('a failed test is a 409; an unknown client is a 404 naming it', async () => {
    await expectRefused(s.store, () => s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'test', path: '/name', value: 'Other' }, { op: 'replace', path: '/name', value: 'X' }]), 409, 'optimistic_locking_error');
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const send of [() => s.get(`/api/v2/oauth/clients/${unknown}`), () => s.patch(`/api/v2/oauth/clients/${unknown}`, [{ op: 'replace', path: '/name', value: 'X' }]), () => s.del(`/api/v2/oauth/clients/${unknown}`)]) {
      await expectRefused(s.store, send, 404, 'not_found', `OAuth 2.0 client "${unknown}" not found`);
    }
  });
});
