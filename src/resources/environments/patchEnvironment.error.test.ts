import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchEnvironment: errors', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/test';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('400 naming the field for read-only keys and invalid values; nothing changes', async () => {
    for (const [patch, attribute] of [
      [[{ op: 'replace', path: '/apiKey', value: 'sdk-mine' }], '/apiKey'],
      [[{ op: 'replace', path: '/key', value: 'qa' }], '/key'],
      [[{ op: 'replace', path: '/color', value: 'green' }], 'color'],
      [[{ op: 'replace', path: '/defaultTtl', value: 61 }], 'defaultTtl'],
      [[{ op: 'replace', path: '/secureMode', value: 'yes' }], 'secureMode'],
      [[{ op: 'replace', path: '/approvalSettings/required', value: true }], '/approvalSettings/required'],
    ] as [unknown, string][]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(path, patch)))).toBe(false);
      expect(res!.status, JSON.stringify(patch)).toBe(400);
      expect(res!.body.errors.map((e: { attribute: string }) => e.attribute)).toContain(attribute);
    }
  });

  it('409 when a test operation fails; 404 naming the project or environment', async () => {
    expect((await s.patch(path, [{ op: 'test', path: '/name', value: 'Nope' }])).body.code).toBe('optimistic_locking_error');
    expect((await s.patch('/api/v2/projects/shop/environments/nope', [])).body.message).toContain('"nope"');
    expect((await s.patch('/api/v2/projects/nope/environments/test', [])).status).toBe(404);
  });
});
