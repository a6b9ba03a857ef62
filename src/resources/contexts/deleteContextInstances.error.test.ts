// deleteContextInstances: errors — an instance the environment does not have, or an unknown project or environment, is a 404; nothing is written.
import { describe, expect, it } from 'vitest';
import { expectUnknownProjectAndEnvironment, idOf, seededServer } from '../../../test/support/contexts.js';

describe('deleteContextInstances: errors', () => {
  const world = seededServer();

  it('404 naming the instance; nothing is deleted or audited', async () => {
    const before = (await world.s.get('/api/v2/auditlog')).body.items.length;
    const res = await world.s.del(`${world.base}/context-instances/${idOf('nobody')}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found' });
    expect(res.body.message).toContain(idOf('nobody'));
    expect((await world.s.post(`${world.base}/context-instances/search`, {})).body.totalCount).toBe(4);
    expect((await world.s.get('/api/v2/auditlog')).body.items.length).toBe(before);
  });

  it('404 for an unknown project or environment', async () => {
    await expectUnknownProjectAndEnvironment(world.s, 'DELETE', `context-instances/${idOf('sandy')}`);
  });
});
