// Invitations refused: every problem named, conflicts with LaunchDarkly's code and invalid_emails, nothing written.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMembers: errors', () => {
  let s: TestServer;
  const count = async () => (await s.get('/api/v2/members')).body.totalCount as number;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/members', [{ email: 'taken@acme.com' }])).status).toBe(201);
  });
  afterAll(() => s.close());

  it('400 for a body that is not a list of 1 to 50 members', async () => {
    for (const body of [{}, [], Array.from({ length: 51 }, (_, i) => ({ email: `m${i}@acme.com` })), 'x']) {
      const res = await s.post('/api/v2/members', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('body') });
    }
  });

  it('400 naming each field of each member; one bad member refuses them all', async () => {
    const before = await count();
    const res = await s.post('/api/v2/members', [
      { email: 'fine@acme.com' },
      { email: 'not an email', role: 'owner', firstName: 5, customRoles: ['no-such-role'], teamKeys: ['qa'], roleAttributes: { x: 'y' } },
      'nope',
    ]);
    expect(res.status).toBe(400);
    const attributes = res.body.errors.map((e: { attribute: string }) => e.attribute);
    expect(attributes).toEqual(expect.arrayContaining(['[1].email', '[1].role', '[1].firstName', '[1].roleAttributes', '[2]']));
    expect(res.body.message).toContain('[1].email');
    const unknownRole = await s.post('/api/v2/members', [{ email: 'fine@acme.com', customRoles: ['no-such-role'] }]);
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.errors).toEqual([{ attribute: '[0].customRoles[0]', reason: 'no custom role has the id or key "no-such-role"' }]);
    const unknownTeam = await s.post('/api/v2/members', [{ email: 'fine@acme.com', teamKeys: ['qa'] }]);
    expect(unknownTeam.status).toBe(400);
    expect(unknownTeam.body.errors).toEqual([{ attribute: '[0].teamKeys[0]', reason: 'no team has the key "qa"' }]);
    expect(await count()).toBe(before);
  });

  it('400 naming email for an address over 254 characters (RFC 5321), which no index could hold at 3000', async () => {
    const before = await count();
    // Random, so that PostgreSQL cannot compress it into an index row.
    const local = crypto.randomBytes(2250).toString('base64url'); // 3000 characters
    const res = await s.post('/api/v2/members', [{ email: `${local}@acme.com` }]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: '[0].email', reason: 'must be an email address of at most 254 characters' }]);
    expect(res.body.message).toContain('[0].email');
    const longest = `${'a'.repeat(245)}@acme.com`;
    expect(longest).toHaveLength(254);
    expect((await s.post('/api/v2/members', [{ email: longest }])).status).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('an email already in the account (in any case), or twice in the request: 400 with code and invalid_emails', async () => {
    const before = await count();
    const taken = await s.post('/api/v2/members', [{ email: 'new@acme.com' }, { email: 'TAKEN@acme.com' }]);
    expect(taken.status).toBe(400);
    expect(taken.body).toMatchObject({ code: 'email_already_exists_in_account', invalid_emails: ['taken@acme.com'], message: expect.stringContaining('taken@acme.com') });
    const twice = await s.post('/api/v2/members', [{ email: 'twin@acme.com' }, { email: 'Twin@acme.com' }]);
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({ code: 'duplicate_email', invalid_emails: ['twin@acme.com'] });
    expect(await count()).toBe(before);
  });
});
