import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchEnvironment: happy path', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/test';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('changes the settings and answers the Environment', async () => {
    const before = (await s.get(path)).body;
    const res = await s.patch(path, [
      { op: 'replace', path: '/name', value: 'QA' },
      { op: 'replace', path: '/color', value: '00FF00' },
      { op: 'replace', path: '/defaultTtl', value: 5 },
      { op: 'replace', path: '/secureMode', value: true },
      { op: 'replace', path: '/requireComments', value: true },
      { op: 'add', path: '/tags/-', value: 'qa' },
      { op: 'replace', path: '/critical', value: true },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'test', name: 'QA', color: '00FF00', defaultTtl: 5, secureMode: true, requireComments: true, tags: ['qa'], critical: true });
    expect(res.body.apiKey).toBe(before.apiKey);
    expect((await s.get(path)).body).toEqual(res.body);
  });

  it('a patch that changes nothing writes nothing', async () => {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(path, [{ op: 'replace', path: '/name', value: 'QA' }])))).toBe(false);
    expect(res!.status).toBe(200);
  });
});
