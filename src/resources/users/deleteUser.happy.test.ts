// deleteUser: the user's own context instance goes, from every application, as deleteContextInstances deletes it.
import { describe, expect, it } from 'vitest';
import { idOf } from '../../../test/support/contexts.js';
import { usersServer } from '../../../test/support/users.js';

describe('deleteUser', () => {
  const world = usersServer();

  it('204; the user is gone from the Users and Contexts APIs; audited on the environment as deleteContextInstances', async () => {
    const res = await world.s.del(`${world.users}/sandy`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await world.s.get(`${world.users}/sandy`)).status).toBe(404);
    expect((await world.s.get(world.users)).body).toMatchObject({ totalCount: 3 });
    expect((await world.s.get('/api/v2/projects/shop/environments/production/contexts/user/sandy')).body.items).toEqual([]);
    expect((await world.s.get(`/api/v2/projects/shop/environments/production/context-instances/${idOf('sandy')}`)).body.items).toEqual([]);
    const audit = (await world.s.get('/api/v2/auditlog?spec=proj/shop:env/production')).body.items;
    expect(JSON.stringify(audit[0])).toContain('deleted the user sandy in production');
    expect((await world.s.del(`${world.users}/sandy`)).status).toBe(404);
  });

  it('a user sent without kind, or in the older format, is deleted the same way', async () => {
    for (const key of ['kai', 'abbie']) expect((await world.s.del(`${world.users}/${key}`)).status).toBe(204);
    expect((await world.s.get(world.users)).body.items.map((i: { user: { key: string } }) => i.user.key)).toEqual(['henry']);
  });
});
