// Flag import configurations end to end, one test per operation: created (200, as LaunchDarkly documents; config
// checked against the Split or Unleash form, secrets masked, `_status` pending), listed, read, patched (version
// counted), an import job triggered (201; recorded as failed, since iterlab cannot reach Split) and deleted (204).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { SECRET_MASK } from '../integrations/config.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const ROOT = '/api/v2/integration-capabilities/flag-import';
const SPLIT = { workspaceApiKey: 'split-secret', workspaceId: 'ws', environmentId: 'env', ldApiKey: 'api-ld-secret' };

describe('flag import configurations', () => {
  let s: TestServer;
  let w: World;
  let self: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('createFlagImportConfiguration: 200 with it, defaults filled in, both keys masked', async () => {
    const res = await s.post(`${ROOT}/${w.project}/split`, { name: 'From Split', tags: ['migration'], config: SPLIT }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    self = `${ROOT}/${w.project}/split/${res.body._id}`;
    expect(res.body).toEqual({
      _links: { self: { href: self, type: 'application/json' }, parent: { href: ROOT, type: 'application/json' }, project: { href: `/api/v2/projects/${w.project}`, type: 'application/json' } },
      _id: res.body._id,
      integrationKey: 'split',
      projectKey: w.project,
      config: { ...SPLIT, workspaceApiKey: SECRET_MASK, ldApiKey: SECRET_MASK, splitTag: '', ldTag: 'imported-from-split', ldMaintainer: '' },
      tags: ['migration'],
      name: 'From Split',
      version: 1,
      _status: { status: 'pending', errors: [] },
    });
    const unleash = await s.post(`${ROOT}/${w.project}/unleash`, { config: { sourceBaseUrl: 'https://unleash.example', sourceApiKey: 'u', sourceProjectId: 'p', sourceEnvironmentId: 'e', ldApiKey: 'k' } }, BETA);
    expect(unleash.status, JSON.stringify(unleash.body)).toBe(200);
    expect(unleash.body).toMatchObject({ name: 'unleash flag import', tags: [], config: { ldTag: 'imported-from-unleash', sourceApiKey: SECRET_MASK } });
  });

  it('getFlagImportConfigurations and getFlagImportConfiguration', async () => {
    const one = await s.get(self, BETA);
    expect(one.status).toBe(200);
    const list = await s.get(ROOT, BETA);
    expect(list.body._links).toEqual({ self: { href: ROOT, type: 'application/json' } });
    expect(list.body.items[0]).toEqual(one.body);
    expect(list.body.items.map((i: { integrationKey: string }) => i.integrationKey)).toEqual(['split', 'unleash']);
  });

  it('patchFlagImportConfiguration: name, tags and config; version counted; secrets kept when sent back masked', async () => {
    const read = (await s.get(self, BETA)).body;
    const res = await s.patch(self, [{ op: 'replace', path: '/name', value: 'Split (all)' }, { op: 'add', path: '/tags/0', value: 'first' }, { op: 'replace', path: '/config', value: { ...read.config, splitTag: 'web' } }], BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...read, name: 'Split (all)', tags: ['first', 'migration'], config: { ...read.config, splitTag: 'web' }, version: 2 });
    const row = await s.store.db.selectFrom('flag_import_configurations').select('doc').where('id', '=', read._id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.doc).config).toMatchObject({ workspaceApiKey: 'split-secret', ldApiKey: 'api-ld-secret' });
  });

  it('triggerFlagImportJob: 201, no body; the job is recorded in _status as failed, saying why; no flag is created', async () => {
    const flagsBefore = (await s.get(`/api/v2/flags/${w.project}`)).body.totalCount;
    const res = await s.post(`${self}/trigger`, undefined, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const status = (await s.get(self, BETA)).body._status;
    expect(status).toEqual({ status: 'failed', lastError: expect.any(Number), errors: [{ integrationId: self.split('/').pop(), message: expect.stringContaining('no outbound network calls'), timestamp: status.lastError }] });
    expect((await s.post(`${self}/trigger`, undefined, BETA)).status).toBe(201);
    expect((await s.get(self, BETA)).body._status.errors).toHaveLength(2);
    expect((await s.get(`/api/v2/flags/${w.project}`)).body.totalCount).toBe(flagsBefore);
    const entries = (await s.get(`/api/v2/auditlog?spec=integration/split/${self.split('/').pop()}`)).body.items;
    expect(entries.length).toBe(4);
  });

  it('deleteFlagImportConfiguration: 204, then 404', async () => {
    expect((await s.del(self, BETA)).status).toBe(204);
    expect((await s.get(self, BETA)).status).toBe(404);
    expect((await s.get(ROOT, BETA)).body.items.map((i: { integrationKey: string }) => i.integrationKey)).toEqual(['unleash']);
  });
});
