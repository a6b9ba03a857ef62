// postTeamMembers' 400s, with the reference's messages: a body that is no file, an empty file, and files in which
// no row could be added for one reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { csvUpload } from '../../../test/support/upload.js';

describe('postTeamMembers: errors', () => {
  let s: TestServer;
  const upload = (csv: string, team = 'qa') => {
    const { body, headers } = csvUpload(csv);
    return s.request('POST', `/api/v2/teams/${team}/members`, { raw: body, headers });
  };
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/members', [{ email: 'a@acme.com' }]);
    await s.post('/api/v2/teams', { key: 'qa', name: 'QA', memberIDs: [] });
  });
  afterAll(() => s.close());

  it('400 with the reference message for each file nothing can be taken from', async () => {
    const cases: [string, string][] = [
      ['', 'File is empty'],
      ['\n\n', 'File is empty'],
      ['bad one\nbad two@\n', 'All emails have invalid formatting'],
      ['nobody@acme.com\n', 'No emails belong to members of your LaunchDarkly organization'],
    ];
    for (const [csv, message] of cases) {
      const res = await upload(csv);
      expect(res.status, JSON.stringify(csv)).toBe(400);
      expect(res.body).toEqual({ code: 'invalid_request', message });
    }
    expect((await upload('a@acme.com')).status).toBe(201);
    expect((await upload('a@acme.com')).body).toEqual({ code: 'invalid_request', message: 'All emails belong to existing team members' });
  });

  it('400 "Unable to process file" for JSON or a form without parts; 404 for a team that does not exist', async () => {
    const json = await s.post('/api/v2/teams/qa/members', { file: 'a@acme.com' });
    expect(json.body).toEqual({ code: 'invalid_request', message: 'Unable to process file' });
    const noParts = await s.request('POST', '/api/v2/teams/qa/members', { raw: 'nothing', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect(noParts.body).toEqual({ code: 'invalid_request', message: 'Unable to process file' });
    expect((await upload('a@acme.com', 'nope')).status).toBe(404);
  });
});
