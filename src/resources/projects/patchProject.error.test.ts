import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchProject: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('400 naming the field for read-only, unknown or invalid values; nothing changes', async () => {
    for (const [patch, attribute] of [
      [[{ op: 'replace', path: '/key', value: 'other' }], '/key'],
      [[{ op: 'replace', path: '/environments', value: [] }], '/environments'],
      [[{ op: 'replace', path: '/name', value: '' }], 'name'],
      [[{ op: 'replace', path: '/tags', value: 'x' }], 'tags'],
      [[{ op: 'replace', path: '/requireViewAssociationForNewFlags', value: 'yes' }], 'requireViewAssociationForNewFlags'],
      [[{ op: 'remove', path: '/name' }], 'name'],
      [[{ op: 'replace', path: '/nope/0', value: 1 }], '/nope/0'],
      [{ op: 'replace' }, 'body'],
    ] as [unknown, string][]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch('/api/v2/projects/shop', patch)))).toBe(false);
      expect(res!.status, JSON.stringify(patch)).toBe(400);
      expect(res!.body.errors.map((e: { attribute: string }) => e.attribute)).toContain(attribute);
    }
  });

  it('409 optimistic_locking_error when a test operation fails', async () => {
    const res = await s.patch('/api/v2/projects/shop', [{ op: 'test', path: '/name', value: 'Old' }, { op: 'replace', path: '/name', value: 'New' }]);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('optimistic_locking_error');
    expect((await s.get('/api/v2/projects/shop')).body.name).toBe('Shop');
  });

  it('404 naming the project', async () => {
    const res = await s.patch('/api/v2/projects/nope', [{ op: 'replace', path: '/name', value: 'x' }]);
    expect(res.status).toBe(404);
    expect(res.body.message).toContain('"nope"');
  });
});
