// The official REST client (launchdarkly-api-typescript) over real HTTP, unchanged: OAuth2ClientsApi (the secret once,
// then never), AnnouncementsApi (status by the clock, filter, pages, the one-banner 409), SegmentsApi's big segment
// exports and imports (the export's file fetched from its download link, an upload sent as the client's FormData,
// read back through the membership operations), and FeatureFlagsApi.postMigrationSafetyIssues.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnnouncementsApi, Configuration, FeatureFlagsApi, OAuth2ClientsApi, ProjectsApi, SegmentsApi } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

const NOW = 1_731_439_800_000;
const P = 'transfers';
const E = 'production';

describe('OAuth 2.0 clients, announcements, big segment transfers and migration safety through launchdarkly-api-typescript', () => {
  let s: TestServer;
  let config: Configuration;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => NOW });
    config = new Configuration({ apiKey: s.tokens.admin, basePath: s.url });
    await new ProjectsApi(config).postProject({ key: P, name: 'Transfers' });
  });
  afterAll(() => s.close());

  it('OAuth2ClientsApi: register (the secret shown once), list, read, patch, delete', async () => {
    const clients = new OAuth2ClientsApi(config);
    const created = await clients.createOAuth2Client({ name: 'Example Client', redirectUri: 'https://example.com/callback', description: 'SSO' });
    expect(created.status).toBe(201);
    expect(created.data._clientSecret).toMatch(/^[0-9a-f]{64}$/);
    const id = created.data._clientId;
    expect((await clients.getOAuthClients()).data.items.map((c) => c._clientId)).toEqual([id]);
    const read = (await clients.getOAuthClientById(id)).data;
    expect(read).toMatchObject({ name: 'Example Client', description: 'SSO', redirectUri: 'https://example.com/callback', _accountId: s.deps.accountId });
    expect(read._clientSecret).toBeUndefined();
    const patched = await clients.patchOAuthClient(id, [{ op: 'replace', path: '/name', value: 'Example Client V2' }]);
    expect(patched.data.name).toBe('Example Client V2');
    const refused = await clientFailure(clients.createOAuth2Client({ name: 'Plain', redirectUri: 'http://example.com/cb' }));
    expect(refused).toMatchObject({ status: 400, data: { code: 'invalid_request', message: expect.stringContaining('redirectUri') } });
    expect((await clients.deleteOAuthClient(id)).status).toBe(204);
    expect(await clientFailure(clients.getOAuthClientById(id))).toMatchObject({ status: 404, data: { code: 'not_found' } });
  });

  it('AnnouncementsApi: create, list by status and page, update, the one-banner 409, delete', async () => {
    const announcements = new AnnouncementsApi(config);
    const current = await announcements.createAnnouncementPublic({ title: 'System Maintenance Notice', message: '**Maintenance** tonight', severity: 'warning', isDismissible: true, startTime: NOW - 60_000, endTime: NOW + 60_000 });
    expect(current.status).toBe(201);
    expect(current.data._status).toBe('active');
    const next = await announcements.createAnnouncementPublic({ title: 'Code freeze', message: 'Freeze', severity: 'info', isDismissible: false, startTime: NOW + 60_000 });
    expect(next.data._status).toBe('scheduled');
    expect((await announcements.getAnnouncementsPublic('active')).data.items.map((a) => a._id)).toEqual([current.data._id]);
    const page = (await announcements.getAnnouncementsPublic(undefined, 1, 1)).data;
    expect(page.items.map((a) => a._id)).toEqual([current.data._id]);
    expect(page._links.prev?.href).toBe('/api/v2/announcements?limit=1&offset=0');
    const updated = await announcements.updateAnnouncementPublic(next.data._id, [{ op: 'replace', path: '/severity', value: 'critical' }]);
    expect(updated.data.severity).toBe('critical');
    const overlap = await clientFailure(announcements.createAnnouncementPublic({ title: 'Overlap', message: 'x', severity: 'info', isDismissible: true, startTime: NOW }));
    expect(overlap).toMatchObject({ status: 409, data: { code: 'conflict' } });
    expect((await announcements.deleteAnnouncementPublic(next.data._id)).status).toBe(204);
    expect((await announcements.getAnnouncementsPublic()).data.items).toHaveLength(1);
  });

  it('SegmentsApi: import a CSV file into a big segment (merge, then replace), export it and download the file', async () => {
    const segments = new SegmentsApi(config);
    await segments.postSegment(P, E, { key: 'big', name: 'Big', unbounded: true, unboundedContextKind: '' });
    const merged = await segments.createBigSegmentImport(P, E, 'big', new File(['u1\nu2\nu3\n'], 'bigsegimport.csv', { type: 'text/csv' }), 'merge', false);
    expect(merged.status).toBe(204);
    const importId = String(merged.headers.location).split('/').pop()!;
    expect((await segments.getBigSegmentImport(P, E, 'big', importId)).data).toMatchObject({ id: importId, segmentKey: 'big', mode: 'merge', status: 'complete', files: [{ filename: 'bigsegimport.csv', status: 'complete' }] });
    expect((await segments.getSegmentMembershipForContext(P, E, 'big', 'u2')).data).toMatchObject({ included: true });
    await segments.createBigSegmentImport(P, E, 'big', new File(['u3\nu4\n'], 'replace.csv', { type: 'text/csv' }), 'replace');
    expect((await segments.getSegmentMembershipForContext(P, E, 'big', 'u1')).data).toMatchObject({ included: false });

    const exported = await segments.createBigSegmentExport(P, E, 'big');
    expect(exported.status).toBe(200);
    const exportId = String(exported.headers.location).split('/').pop()!;
    const info = (await segments.getBigSegmentExport(P, E, 'big', exportId)).data;
    expect(info).toMatchObject({ id: exportId, segmentKey: 'big', status: 'complete', sizeBytes: 6, size: '6 B' });
    // The download link, fetched as a client would: with the access token.
    const file = await fetch(`${s.url}${(info._links.download as { href: string }).href}`, { headers: { authorization: s.tokens.reader } });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('u3\nu4\n');
    const bad = await clientFailure(segments.createBigSegmentImport(P, E, 'big', new File([''], 'empty.csv', { type: 'text/csv' }), 'merge'));
    expect(bad).toMatchObject({ status: 400, data: { code: 'invalid_request', message: expect.stringContaining('file') } });
  });

  it('FeatureFlagsApi.postMigrationSafetyIssues: 204 for a flag that is not a migration flag', async () => {
    const flags = new FeatureFlagsApi(config);
    await flags.postFeatureFlag(P, { key: 'checkout', name: 'Checkout' });
    const res = await flags.postMigrationSafetyIssues(P, 'checkout', E, { instructions: [{ kind: 'turnFlagOn' }] });
    expect(res.status).toBe(204);
  });
});
