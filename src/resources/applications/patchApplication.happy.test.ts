// patchApplication: description and kind by JSON Patch (bare, with a comment) or merge patch; `_version` one more per
// change, none for a patch that changes nothing; the audit log keeps each change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverWithApplications } from '../../../test/support/applications.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import type { TestServer } from '../../../test/support/server.js';

describe('patchApplication', () => {
  let s: TestServer;
  beforeAll(async () => {
    ({ s } = await serverWithApplications(['application-id/cafe application-name/Cafe']));
  });
  afterAll(() => s.close());

  it('changes the description and kind, as JSON Patch, with a comment, or merge patch', async () => {
    const first = await s.patch('/api/v2/applications/cafe', [{ op: 'replace', path: '/description', value: 'The café app' }], BETA);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ key: 'cafe', description: 'The café app', kind: 'server', _version: 2 });
    const second = await s.patch('/api/v2/applications/cafe', { comment: 'it is an iPhone app', patch: [{ op: 'replace', path: '/kind', value: 'mobile' }] }, BETA);
    expect(second.body).toMatchObject({ kind: 'mobile', _version: 3 });
    const merged = await s.patch('/api/v2/applications/cafe', { merge: { description: null, kind: 'browser' } }, BETA);
    expect(merged.body).toMatchObject({ kind: 'browser', _version: 4 });
    expect(merged.body.description).toBeUndefined();
    expect((await s.get('/api/v2/applications/cafe', BETA)).body).toEqual(merged.body);

    const audit = await s.get('/api/v2/auditlog?spec=application/cafe');
    expect(audit.body.items.map((entry: { title?: string; description?: string }) => entry.description ?? entry.title)).toHaveLength(3);
    const commented = await s.get(`/api/v2/auditlog/${audit.body.items[1]._id}`);
    expect(commented.body).toMatchObject({ kind: 'application', name: 'Cafe', comment: 'it is an iPhone app' });
    expect(commented.body.accesses).toEqual([{ action: 'updateApplicationKind', resource: 'application/cafe' }]);
  });

  it('a patch that changes nothing (the same kind, a test, read-only members as they are) keeps the version', async () => {
    const before = (await s.get('/api/v2/applications/cafe', BETA)).body;
    const res = await s.patch(
      '/api/v2/applications/cafe',
      [
        { op: 'test', path: '/key', value: 'cafe' },
        { op: 'replace', path: '/kind', value: before.kind },
        { op: 'replace', path: '/name', value: 'Cafe' },
      ],
      BETA,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual(before);
  });
});
