// patchApplicationVersion: `supported` by JSON Patch, as a boolean or as LaunchDarkly's example sends it ("false").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverWithApplications } from '../../../test/support/applications.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import type { TestServer } from '../../../test/support/server.js';

describe('patchApplicationVersion', () => {
  let s: TestServer;
  beforeAll(async () => {
    ({ s } = await serverWithApplications(['application-id/cafe application-version/42']));
  });
  afterAll(() => s.close());

  it('marks a version unsupported and supported again; the same value changes nothing', async () => {
    const off = await s.patch('/api/v2/applications/cafe/versions/42', [{ op: 'replace', path: '/supported', value: 'false' }], BETA);
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ key: '42', supported: false, _version: 2 });
    const same = await s.patch('/api/v2/applications/cafe/versions/42', [{ op: 'replace', path: '/supported', value: false }], BETA);
    expect(same.body).toEqual(off.body);
    const on = await s.patch('/api/v2/applications/cafe/versions/42', { merge: { supported: true } }, BETA);
    expect(on.body).toMatchObject({ supported: true, _version: 3 });
    expect((await s.get('/api/v2/applications/cafe/versions', BETA)).body.items).toEqual([on.body]);
    const audit = await s.get('/api/v2/auditlog?spec=application/cafe');
    expect(audit.body.items).toHaveLength(2);
  });
});
