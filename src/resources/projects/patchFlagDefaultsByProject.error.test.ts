import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchFlagDefaultsByProject: errors', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/flag-defaults';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('400 naming the field for read-only, unknown or invalid values; nothing changes', async () => {
    for (const [patch, attribute, reason] of [
      [[{ op: 'replace', path: '/_links/self/href', value: '/x' }], '/_links', 'is read-only and cannot be changed'],
      [[{ op: 'replace', path: '/key', value: 'x' }], '/key', 'is not a field that can be patched; patchable fields are tags, temporary, booleanDefaults, defaultClientSideAvailability'],
      [[{ op: 'remove', path: '/temporary' }], 'temporary', 'must be present'],
      [[{ op: 'replace', path: '/temporary', value: null }], 'temporary', 'must be a boolean'],
      [[{ op: 'add', path: '/tags/-', value: 3 }], 'tags[0]', 'must be a string'],
      [[{ op: 'replace', path: '/booleanDefaults/onVariation', value: 2 }], 'booleanDefaults.onVariation', 'must be <= 1'],
      [[{ op: 'remove', path: '/booleanDefaults/trueDisplayName' }], 'booleanDefaults.trueDisplayName', 'must be present'],
      [[{ op: 'replace', path: '/defaultClientSideAvailability/usingMobileKey', value: 'yes' }], 'defaultClientSideAvailability.usingMobileKey', 'must be a boolean'],
      [[{ op: 'replace', path: '', value: {} }], 'patch[0].path', 'must name a field; the whole resource cannot be replaced'],
      [[{ op: 'remove', path: '/booleanDefaults/nope' }], 'patch[0]', expect.stringContaining('/booleanDefaults/nope')],
      [{ op: 'replace' }, 'body', 'must be an array of operations'],
    ] as [unknown, string, unknown][]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(path, patch)))).toBe(false);
      expect(res!.status, JSON.stringify(patch)).toBe(400);
      expect(res!.body.code).toBe('invalid_request');
      expect(res!.body.errors, JSON.stringify(patch)).toContainEqual({ attribute, reason });
    }
    expect((await s.get(path)).body.temporary).toBe(true);
  });

  it('409 optimistic_locking_error when a test operation fails; nothing changes', async () => {
    let res: Response | undefined;
    const ops = [{ op: 'test', path: '/temporary', value: false }, { op: 'replace', path: '/tags', value: ['x'] }];
    expect(await changedBy(s.store, async () => (res = await s.patch(path, ops)))).toBe(false);
    expect(res!.status).toBe(409);
    expect(res!.body.code).toBe('optimistic_locking_error');
    expect(res!.body.message).toContain('operation 0');
  });

  it('400 naming comment when it is not a string', async () => {
    const res = await s.patch(path, { comment: 5, patch: [{ op: 'replace', path: '/temporary', value: false }] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'comment', reason: 'must be a string' }]);
  });

  it('404 naming the project', async () => {
    const res = await s.patch('/api/v2/projects/nope/flag-defaults', [{ op: 'replace', path: '/temporary', value: false }]);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });
});
