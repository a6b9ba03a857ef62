// Flag import configurations refused: an integration that is no import source, an unknown project or id (404 naming
// it); a config that is missing, unknown or mistyped (400 naming the field, nothing written); a second configuration
// of one integration in a project (409); patches that touch read-only members (`_status` among them) or leave the
// configuration invalid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const ROOT = '/api/v2/integration-capabilities/flag-import';
const SPLIT = { workspaceApiKey: 'split-secret', workspaceId: 'ws', environmentId: 'env', ldApiKey: 'ld' };
const UNLEASH = { sourceBaseUrl: 'https://unleash.example', sourceApiKey: 'k', sourceProjectId: 'p', sourceEnvironmentId: 'e', ldApiKey: 'l' };

describe('flag import configurations: errors', () => {
  let s: TestServer;
  let w: World;
  let self: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    self = (await s.post(`${ROOT}/${w.project}/split`, { config: SPLIT }, BETA)).body._links.self.href;
  });
  afterAll(() => s.close());

  it('createFlagImportConfiguration: 404 naming what is missing, 400 naming each problem, 409 for a second; nothing written', async () => {
    const before = await digestStore(s.store);
    const other = await s.post(`${ROOT}/${w.project}/launchdarkly`, { config: {} }, BETA);
    expect(other.status).toBe(404);
    expect(other.body.message).toBe('Integration "launchdarkly" not found; flags are imported from split and unleash');
    expect((await s.post(`${ROOT}/nope/split`, { config: SPLIT }, BETA)).body).toEqual({ code: 'not_found', message: expect.stringContaining('"nope"') });
    const cases: [unknown, string][] = [
      [{ name: 'x' }, 'config: must be present'],
      [{ config: [] }, 'config: must be an object'],
      [{ config: { ...UNLEASH, sourceProjectId: undefined } }, 'config.sourceProjectId: is required by the unleash integration'],
      [{ config: { ...UNLEASH, ldApiKey: 1 } }, 'config.ldApiKey: must be a string'],
      [{ config: { ...UNLEASH, splitTag: 'x' } }, 'config.splitTag: is not a field of the unleash integration'],
      [{ config: UNLEASH, tags: [1] }, 'tags[0]'],
    ];
    for (const [body, message] of cases) {
      const res = await s.post(`${ROOT}/${w.project}/unleash`, body, BETA);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toContain(message);
    }
    const second = await s.post(`${ROOT}/${w.project}/split`, { config: SPLIT }, BETA);
    expect(second.status).toBe(409);
    expect(second.body).toEqual({ code: 'conflict', message: `Project "${w.project}" already has a split flag import configuration (${self.split('/').pop()}); a project has one per integration` });
    expect(await digestStore(s.store)).toEqual(before);
  });

  it('404 for an id of another integration or project, and an unknown id, on every operation', async () => {
    const id = self.split('/').pop();
    for (const path of [`${ROOT}/${w.project}/unleash/${id}`, `${ROOT}/${w.project}/split/0123456789abcdef01234567`]) {
      for (const res of [await s.get(path, BETA), await s.patch(path, [{ op: 'replace', path: '/name', value: 'x' }], BETA), await s.post(`${path}/trigger`, undefined, BETA), await s.del(path, BETA)]) {
        expect(res.status, path).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
    }
    expect((await s.get(`${ROOT}/nope/split/${id}`, BETA)).status).toBe(404);
  });

  it('triggerFlagImportJob takes no body: one is a 400, nothing recorded', async () => {
    const before = await digestStore(s.store);
    const res = await s.post(`${self}/trigger`, { now: true }, BETA);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('this operation takes no body') });
    expect(await digestStore(s.store)).toEqual(before);
  });

  it('patchFlagImportConfiguration: refused patches change nothing', async () => {
    const before = await digestStore(s.store);
    const cases: [unknown, number, string][] = [
      [[{ op: 'replace', path: '/_status/status', value: 'complete' }], 400, '_status'],
      [[{ op: 'replace', path: '/on', value: true }], 400, '/on: is not a field that can be patched; patchable fields are name, tags, config'],
      [[{ op: 'remove', path: '/config/workspaceId' }], 400, 'config.workspaceId: is required by the split integration'],
      [[{ op: 'replace', path: '/name', value: '' }], 400, 'name: must not be empty'],
      [[{ op: 'test', path: '/config/ldApiKey', value: 'ld' }], 409, ''],
    ];
    for (const [patch, status, message] of cases) {
      const res = await s.patch(self, patch, BETA);
      expect(res.status, JSON.stringify(patch)).toBe(status);
      expect(res.body.message).toContain(message);
    }
    expect(await digestStore(s.store)).toEqual(before);
  });
});
