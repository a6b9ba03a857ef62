// Every error a client can cause on the Applications API: exact status, code and a message naming the field; nothing
// written by a request that fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverWithApplications } from '../../../test/support/applications.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import type { TestServer } from '../../../test/support/server.js';

describe('Applications API errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    ({ s } = await serverWithApplications(['application-id/cafe application-version/1']));
  });
  afterAll(() => s.close());

  const expectError = async (res: Promise<{ status: number; body: unknown }>, status: number, code: string, message: string) => {
    const r = await res;
    expect({ status: r.status, body: r.body }).toEqual({ status, body: expect.objectContaining({ code, message }) });
  };

  it('without LD-API-Version: beta, 403', async () => {
    for (const res of [s.get('/api/v2/applications'), s.get('/api/v2/applications/cafe/versions'), s.del('/api/v2/applications/cafe')]) {
      const r = await res;
      expect(r.status).toBe(403);
      expect(r.body.message).toMatch(/beta/);
    }
  });

  it('an unknown application or version, 404 naming it', async () => {
    await expectError(s.get('/api/v2/applications/nope', BETA), 404, 'not_found', 'Application "nope" not found');
    await expectError(s.get('/api/v2/applications/nope/versions', BETA), 404, 'not_found', 'Application "nope" not found');
    await expectError(s.patch('/api/v2/applications/nope', [{ op: 'replace', path: '/kind', value: 'mobile' }], BETA), 404, 'not_found', 'Application "nope" not found');
    await expectError(s.del('/api/v2/applications/nope', BETA), 404, 'not_found', 'Application "nope" not found');
    await expectError(s.patch('/api/v2/applications/cafe/versions/9', [{ op: 'replace', path: '/supported', value: false }], BETA), 404, 'not_found', 'Version "9" of application "cafe" not found');
    await expectError(s.del('/api/v2/applications/cafe/versions/9', BETA), 404, 'not_found', 'Version "9" of application "cafe" not found');
    await expectError(s.del('/api/v2/applications/nope/versions/1', BETA), 404, 'not_found', 'Application "nope" not found');
  });

  it('a filter, sort or page the lists do not take, 400 naming it', async () => {
    const list = (query: string, path = '/api/v2/applications') => s.get(`${path}?${query}`, BETA);
    await expectError(list(`filter=${encodeURIComponent('supported equals true')}`), 400, 'invalid_request', 'filter: unknown filter field "supported"; use one of key, name, autoAdded, kind');
    await expectError(list(`filter=${encodeURIComponent('kind equals mobile')}`, '/api/v2/applications/cafe/versions'), 400, 'invalid_request', 'filter: unknown filter field "kind"; use one of key, name, autoAdded, supported');
    await expectError(list(`filter=${encodeURIComponent('kind startsWith m')}`), 400, 'invalid_request', 'filter: the field "kind" takes the operator equals or notEquals or anyOf, not "startsWith"');
    await expectError(list(`filter=${encodeURIComponent('kind equals desktop')}`), 400, 'invalid_request', 'filter: the field "kind" takes browser, mobile, server, not "desktop"');
    await expectError(list(`filter=${encodeURIComponent('autoAdded equals maybe')}`), 400, 'invalid_request', 'filter: the field "autoAdded" takes true or false, not "maybe"');
    await expectError(list(`filter=${encodeURIComponent('key equals ["a","b"]')}`), 400, 'invalid_request', 'filter: the field "key" takes one value with equals; use anyOf for several');
    await expectError(list('sort=key'), 400, 'invalid_request', 'sort: cannot sort by "key"; use creationDate, name (prefix - for descending, comma-separated)');
    await expectError(list('limit=0'), 400, 'invalid_request', 'limit: must be >= 1');
    await expectError(list('offset=-1', '/api/v2/applications/cafe/versions'), 400, 'invalid_request', 'offset: must be >= 0');
  });

  it('a patch of anything but description and kind, or to a value they cannot hold, 400 naming it; nothing written', async () => {
    const patch = (body: unknown) => s.patch('/api/v2/applications/cafe', body, BETA);
    await expectError(patch([{ op: 'replace', path: '/name', value: 'Renamed' }]), 400, 'invalid_request', '/name: is read-only and cannot be changed');
    await expectError(patch([{ op: 'replace', path: '/autoAdded', value: false }]), 400, 'invalid_request', '/autoAdded: is read-only and cannot be changed');
    await expectError(patch([{ op: 'replace', path: '/owner', value: 'me' }]), 400, 'invalid_request', '/owner: is not a field that can be patched; patchable fields are description, kind');
    await expectError(patch([{ op: 'replace', path: '/kind', value: 'desktop' }]), 400, 'invalid_request', 'kind: must be one of browser, mobile, server');
    await expectError(patch([{ op: 'remove', path: '/kind' }]), 400, 'invalid_request', 'kind: must be one of browser, mobile, server');
    await expectError(patch([{ op: 'replace', path: '/description', value: 5 }]), 400, 'invalid_request', 'description: must be a string');
    await expectError(patch([{ op: 'replace', path: '/description', value: 'x'.repeat(8_193) }]), 400, 'invalid_request', 'description: must be at most 8192 characters');
    await expectError(patch({}), 400, 'invalid_request', 'patch: must be present (or send the JSON Patch array itself as the body, or a JSON merge patch as the body itself or as {"merge": ...})');
    await expectError(patch([{ op: 'replace', path: '/description', value: 'ok' }, { op: 'replace', path: '/kind', value: 'tv' }]), 400, 'invalid_request', 'kind: must be one of browser, mobile, server');
    await expectError(patch([{ op: 'test', path: '/kind', value: 'mobile' }, { op: 'replace', path: '/description', value: 'ok' }]), 409, 'optimistic_locking_error', expect.stringContaining('operation 0'));
    expect((await s.get('/api/v2/applications/cafe', BETA)).body).toMatchObject({ _version: 1, kind: 'server' });
    expect((await s.get('/api/v2/applications/cafe', BETA)).body.description).toBeUndefined();
  });

  it('a version patch of anything but supported, or not a boolean, 400 naming it; nothing written', async () => {
    const patch = (body: unknown) => s.patch('/api/v2/applications/cafe/versions/1', body, BETA);
    await expectError(patch([{ op: 'replace', path: '/supported', value: 'maybe' }]), 400, 'invalid_request', 'supported: must be true or false');
    await expectError(patch([{ op: 'remove', path: '/supported' }]), 400, 'invalid_request', 'supported: must be true or false');
    await expectError(patch([{ op: 'replace', path: '/name', value: 'v1' }]), 400, 'invalid_request', '/name: is read-only and cannot be changed');
    await expectError(patch('supported'), 400, 'invalid_request', expect.stringMatching(/^body: /));
    expect((await s.get('/api/v2/applications/cafe/versions', BETA)).body.items).toMatchObject([{ supported: true, _version: 1 }]);
    expect((await s.get('/api/v2/auditlog?spec=application/cafe')).body.items).toEqual([]);
  });
});
