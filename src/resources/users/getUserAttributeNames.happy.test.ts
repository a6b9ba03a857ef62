// getUserAttributeNames (beta): the attribute names of the users seen in the last 30 days, as standard, custom and private.
import { describe, expect, it } from 'vitest';
import { NOW } from '../../../test/support/contexts.js';
import { sendUsers, usersServer } from '../../../test/support/users.js';

describe('getUserAttributeNames', () => {
  const world = usersServer();
  const BETA = { headers: { 'LD-API-Version': 'beta' } };

  it("standard names in the User schema's order, custom and private ones by name; a user not seen for 30 days does not count", async () => {
    await sendUsers(world.s, [{ context: { kind: 'user', key: 'old', secondary: 'x', legacyOnly: true }, at: NOW - 31 * 24 * 3_600_000 }]);
    const res = await world.s.get('/api/v2/user-attributes/shop/production', BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      private: ['email'],
      custom: ['activeTrial', 'address', 'groups', 'ip', 'tags'],
      standard: ['key', 'country', 'email', 'firstName', 'lastName', 'name'],
    });
    // The old user is still a user.
    expect((await world.s.get(`${world.users}/old`)).status).toBe(200);
  });
});
