// deleteContextInstances: errors — an instance the environment does not have, or an unknown project or environment, is a 404; nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOf, NOW, seedContexts } from '../../../test/support/contexts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteContextInstances: errors', () => {
  let s: TestServer;
  let base: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ({ base } = await seedContexts(s));
  });
  afterAll(() => s.close());

  it('404 naming the instance; nothing is deleted or audited', async () => {
    const before = (await s.get('/api/v2/auditlog')).body.items.length;
    const res = await s.del(`${base}/context-instances/${idOf('nobody')}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found' });
    expect(res.body.message).toContain(idOf('nobody'));
    expect((await s.post(`${base}/context-instances/search`, {})).body.totalCount).toBe(4);
    expect((await s.get('/api/v2/auditlog')).body.items.length).toBe(before);
  });

  it('404 for an unknown project or environment', async () => {
    for (const p of [`/api/v2/projects/nope/environments/production/context-instances/${idOf('sandy')}`, `/api/v2/projects/shop/environments/nope/context-instances/${idOf('sandy')}`]) {
      const res = await s.del(p);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });
});
