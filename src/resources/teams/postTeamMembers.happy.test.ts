// Adding members to a team from a CSV file: 201 and added when every row is a member not yet on the team; 207
// naming each row's problem, and nobody added, when some are not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { csvUpload } from '../../../test/support/upload.js';

describe('postTeamMembers', () => {
  let s: TestServer;
  const upload = (csv: string) => {
    const { body, headers } = csvUpload(csv);
    return s.request('POST', '/api/v2/teams/qa/members', { raw: body, headers });
  };
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/members', [{ email: 'a@acme.com' }, { email: 'b@acme.com' }, { email: 'c@acme.com' }]);
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA' });
  });
  afterAll(() => s.close());

  it('201: a header row, quoted cells, extra columns and any case; the members are on the team', async () => {
    const res = await upload('email,name\n"A@acme.com",Ada\nb@acme.com,Bo\n');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ items: [{ status: 'success', value: 'A@acme.com' }, { status: 'success', value: 'b@acme.com' }] });
    expect((await s.get('/api/v2/teams/qa?expand=members')).body.members.totalCount).toBe(2);
  });

  it('lines ended by CR alone are lines too', async () => {
    const res = await upload('email\rc@acme.com\r');
    expect(res.status).toBe(201);
    expect(res.body.items).toEqual([{ status: 'success', value: 'c@acme.com' }]);
    await s.patch('/api/v2/teams/qa', { instructions: [{ kind: 'removeMembers', values: [(await s.get('/api/v2/members?filter=email:c@acme.com')).body.items[0]._id] }] });
  });

  it('207: each row that cannot be added says why, by line; nobody is added', async () => {
    const res = await upload('c@acme.com\n\na@acme.com\nnot an email\nc@acme.com\nz@acme.com\n');
    expect(res.status).toBe(207);
    expect(res.body.items).toEqual([
      { status: 'success', value: 'c@acme.com' },
      { status: 'error', value: '', message: 'Line 2: empty row' },
      { status: 'error', value: 'a@acme.com', message: 'Line 3: email already exists in the specified team' },
      { status: 'error', value: 'not an email', message: 'Line 4: invalid email formatting' },
      { status: 'error', value: 'c@acme.com', message: 'Line 5: duplicate entry' },
      { status: 'error', value: 'z@acme.com', message: 'Line 6: email does not belong to a LaunchDarkly member' },
    ]);
    expect((await s.get('/api/v2/teams/qa?expand=members')).body.members.totalCount).toBe(2);
  });
});
