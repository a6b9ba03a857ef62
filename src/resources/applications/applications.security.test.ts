// Who may manage applications: every token must be valid; readers read; writers and admins change and delete. Custom
// roles: every token reads (account-wide, as webhooks); changes need LaunchDarkly's application actions on
// `application/<key>` (updateApplicationDescription, updateApplicationKind, deleteApplication,
// updateApplicationVersionSupport, deleteApplicationVersion). SDK credentials open none of these routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverWithApplications } from '../../../test/support/applications.js';
import { changedBy } from '../../../test/support/digest.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import type { Response, TestServer } from '../../../test/support/server.js';

describe('applications: security', () => {
  let s: TestServer;
  let sdkKey: string;
  const as = (token: string | null) => ({ token, headers: BETA.headers });
  beforeAll(async () => {
    ({ s, sdkKey } = await serverWithApplications(['application-id/cafe application-version/1', 'application-id/other application-version/1']));
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>, status: number): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
  }

  const writes = (token: string | null, key = 'cafe') => [
    () => s.patch(`/api/v2/applications/${key}`, [{ op: 'replace', path: '/description', value: 'd' }], as(token)),
    () => s.patch(`/api/v2/applications/${key}/versions/1`, [{ op: 'replace', path: '/supported', value: false }], as(token)),
    () => s.del(`/api/v2/applications/${key}/versions/1`, as(token)),
    () => s.del(`/api/v2/applications/${key}`, as(token)),
  ];

  it('401 without a valid token (an SDK key is none); readers read but may not write', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000', sdkKey]) {
      for (const send of [() => s.get('/api/v2/applications', as(token)), () => s.get('/api/v2/applications/cafe/versions', as(token)), ...writes(token)]) await refused(send, 401);
    }
    expect((await s.get('/api/v2/applications', as(s.tokens.reader))).body.totalCount).toBe(2);
    expect((await s.get('/api/v2/applications/cafe?expand=flags', as(s.tokens.reader))).status).toBe(200);
    for (const send of writes(s.tokens.reader)) await refused(send, 403);
  });

  it('custom roles: every token reads; each change needs its action on the application', async () => {
    const role = async (actions: string[], resource = 'application/cafe') => {
      const made = await s.post('/api/v2/tokens', { name: actions.join(), inlineRole: [{ effect: 'allow', resources: [resource], actions }] });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body.token as string;
    };
    // Allowed nothing about applications.
    const none = await role(['viewProject'], 'proj/*');
    expect((await s.get('/api/v2/applications', as(none))).status).toBe(200);
    expect((await s.get('/api/v2/applications/cafe/versions', as(none))).status).toBe(200);
    for (const send of writes(none)) await refused(send, 403);

    const describer = await role(['updateApplicationDescription']);
    expect((await s.patch('/api/v2/applications/cafe', [{ op: 'replace', path: '/description', value: 'd' }], as(describer))).status).toBe(200);
    await refused(() => s.patch('/api/v2/applications/cafe', [{ op: 'replace', path: '/kind', value: 'mobile' }], as(describer)), 403);
    await refused(() => s.patch('/api/v2/applications/other', [{ op: 'replace', path: '/description', value: 'd' }], as(describer)), 403);
    const kinder = await role(['updateApplicationKind']);
    expect((await s.patch('/api/v2/applications/cafe', { merge: { kind: 'mobile' } }, as(kinder))).status).toBe(200);

    const support = await role(['updateApplicationVersionSupport']);
    expect((await s.patch('/api/v2/applications/cafe/versions/1', [{ op: 'replace', path: '/supported', value: false }], as(support))).status).toBe(200);
    await refused(() => s.del('/api/v2/applications/cafe/versions/1', as(support)), 403);
    const versionDeleter = await role(['deleteApplicationVersion']);
    await refused(() => s.del('/api/v2/applications/cafe', as(versionDeleter)), 403);
    expect((await s.del('/api/v2/applications/cafe/versions/1', as(versionDeleter))).status).toBe(204);
    const deleter = await role(['deleteApplication'], 'application/*');
    expect((await s.del('/api/v2/applications/cafe', as(deleter))).status).toBe(204);
    expect((await s.del('/api/v2/applications/other', as(s.tokens.writer))).status).toBe(204);
  });
});
