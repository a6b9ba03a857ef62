import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('members, caller identity and the API root', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('GET /api/v2/members/me is the member behind the token, for any role', async () => {
    for (const role of ['reader', 'writer', 'admin'] as const) {
      const res = await s.get('/api/v2/members/me', { token: s.tokens[role] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ _id: s.deps.accountId, email: 'owner@iterlab.local', role: 'owner', _pendingInvite: false, _verified: true });
    }
    expect((await s.get('/api/v2/members/me', { token: null })).status).toBe(401);
  });

  it('GET /api/v2/members/{id} and the members list', async () => {
    expect((await s.get(`/api/v2/members/${s.deps.accountId}`)).body._id).toBe(s.deps.accountId);
    expect((await s.get('/api/v2/members/0123456789abcdef01234567')).body).toEqual({ code: 'not_found', message: 'Member "0123456789abcdef01234567" not found' });
    const list = await s.get('/api/v2/members', { token: s.tokens.reader });
    expect(list.status).toBe(200);
    expect(list.body.totalCount).toBe(1);
    expect(list.body.items[0]._id).toBe(s.deps.accountId);
    expect((await s.get('/api/v2/members?filter=query:nobody')).body.items).toEqual([]);
    expect((await s.get('/api/v2/members?filter=role:owner')).body.totalCount).toBe(1);
    const bad = await s.get('/api/v2/members?filter=accessCheck:x');
    expect(bad.status).toBe(400);
    const lastSeen = await s.get('/api/v2/members?filter=lastSeen:yesterday');
    expect(lastSeen.status).toBe(400);
    expect(lastSeen.body.message).toContain('lastSeen');
    expect(bad.body.errors[0].attribute).toBe('filter');
  });

  it('members show hasPassword false and mfaEnforced false, with no mfaGracePeriodExpiresAt (2026-07), even when invited with a password', async () => {
    const invited = await s.post('/api/v2/members', [{ email: 'pat@acme.com', role: 'reader', password: 'hunter2-hunter2' }]);
    expect(invited.status).toBe(201);
    expect(invited.body.items[0]).toMatchObject({ hasPassword: false, mfaEnforced: false, mfa: 'disabled' });
    for (const id of [s.deps.accountId, invited.body.items[0]._id]) {
      const member = (await s.get(`/api/v2/members/${id}`)).body;
      expect([member.hasPassword, member.mfaEnforced, 'mfaGracePeriodExpiresAt' in member]).toEqual([false, false, false]);
    }
    const row = await s.store.db.selectFrom('members').select('doc').where('id', '=', invited.body.items[0]._id).executeTakeFirstOrThrow();
    expect(row.doc).not.toContain('hunter2');
    const refused = await s.patch(`/api/v2/members/${invited.body.items[0]._id}`, [{ op: 'replace', path: '/hasPassword', value: true }]);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('hasPassword');
    await s.del(`/api/v2/members/${invited.body.items[0]._id}`);
  });

  it('GET /api/v2/caller-identity says which token called', async () => {
    const tokens = (await s.get('/api/v2/tokens')).body.items as { _id: string; name: string; role: string }[];
    const reader = tokens.find((t) => t.name === 'test reader')!;
    const res = await s.get('/api/v2/caller-identity', { token: s.tokens.reader });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accountId: s.deps.accountId,
      authKind: 'token',
      tokenKind: 'personal',
      tokenId: reader._id,
      tokenName: 'test reader',
      memberId: s.deps.accountId,
      serviceToken: false,
      scopes: ['read'],
    });
    expect((await s.get('/api/v2/caller-identity', { token: s.tokens.writer })).body.scopes).toEqual(['read', 'write']);
    expect((await s.get('/api/v2/caller-identity', { token: null })).status).toBe(401);
  });

  it('GET /api/v2 lists the resource categories as links', async () => {
    const res = await s.get('/api/v2', { token: s.tokens.reader });
    expect(res.status).toBe(200);
    expect(res.body.links.projects).toEqual({ href: '/api/v2/projects', type: 'application/json' });
    expect(res.body.links.auditLog.href).toBe('/api/v2/auditlog');
  });

  it('a member a team grants actions shows them as permissionGrants (resource team/<key>); one granted nothing shows none', async () => {
    const invited = await s.post('/api/v2/members', [{ email: 'grants-a@acme.com' }, { email: 'grants-b@acme.com' }]);
    const [a, b] = invited.body.items.map((m: { _id: string }) => m._id);
    expect(invited.body.items[0].permissionGrants).toBeUndefined();
    const team = await s.post('/api/v2/teams', {
      key: 'grants-team',
      name: 'Grants',
      memberIDs: [b],
      permissionGrants: [{ actionSet: 'maintainTeam', memberIDs: [a] }, { actions: ['updateTeamName'], memberIDs: [a, b] }],
    });
    expect(team.status).toBe(201);
    const shown = (await s.get(`/api/v2/members/${a}`)).body;
    expect(shown.teams).toEqual([]);
    expect(shown.permissionGrants).toEqual([
      { actionSet: 'maintainTeam', resource: 'team/grants-team' },
      { actions: ['updateTeamName'], resource: 'team/grants-team' },
    ]);
    const listed = (await s.get('/api/v2/members?filter=query:grants-b')).body.items[0];
    expect(listed.teams.map((t: { key: string }) => t.key)).toEqual(['grants-team']);
    expect(listed.permissionGrants).toEqual([{ actions: ['updateTeamName'], resource: 'team/grants-team' }]);
    expect((await s.get('/api/v2/members/me')).body.permissionGrants).toBeUndefined();
    // Read-only to patchMember.
    const refused = await s.patch(`/api/v2/members/${a}`, [{ op: 'replace', path: '/permissionGrants', value: [] }]);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('permissionGrants');
  });
});
