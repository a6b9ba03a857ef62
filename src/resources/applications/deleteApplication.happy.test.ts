// deleteApplication and deleteApplicationVersion: 204, gone (a version with its application), audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverWithApplications } from '../../../test/support/applications.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import type { TestServer } from '../../../test/support/server.js';

describe('deleteApplication / deleteApplicationVersion', () => {
  let s: TestServer;
  beforeAll(async () => {
    ({ s } = await serverWithApplications(['application-id/cafe application-version/1', 'application-id/cafe application-version/2']));
  });
  afterAll(() => s.close());

  it('deletes a version, then the application with the rest', async () => {
    expect((await s.del('/api/v2/applications/cafe/versions/1', BETA)).status).toBe(204);
    expect((await s.get('/api/v2/applications/cafe/versions', BETA)).body.items.map((v: { key: string }) => v.key)).toEqual(['2']);
    expect((await s.del('/api/v2/applications/cafe', BETA)).status).toBe(204);
    expect((await s.get('/api/v2/applications/cafe', BETA)).status).toBe(404);
    expect(await s.store.db.selectFrom('application_versions').selectAll().execute()).toEqual([]);
    const audit = await s.get('/api/v2/auditlog?spec=application/cafe');
    expect(audit.body.items.map((entry: { _id: string }) => entry._id)).toHaveLength(2);
  });
});
