// Delivery configurations refused: an integration without the featureStore capability, an unknown project,
// environment or id (404 naming it); a config that is missing, unknown or mistyped (400 naming the field, nothing
// written); patches that touch read-only members or leave the configuration invalid. The validate answer reports a
// saved config that no longer matches its form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const ROOT = '/api/v2/integration-capabilities/featureStore';
const FASTLY = { storeId: 'store', apiToken: 'token' };

describe('delivery configurations: errors', () => {
  let s: TestServer;
  let w: World;
  let self: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    self = (await s.post(`${ROOT}/${w.project}/production/fastly`, { config: FASTLY }, BETA)).body._links.self.href;
  });
  afterAll(() => s.close());

  it('createIntegrationDeliveryConfiguration: 404 naming what is missing, 400 naming each problem; nothing written', async () => {
    const before = await digestStore(s.store);
    const redis = await s.post(`${ROOT}/${w.project}/production/redis`, { config: {} }, BETA);
    expect(redis.status).toBe(404);
    expect(redis.body.message).toBe('Integration "redis" not found; delivery configurations are made for akamai-edgeworkers, cloudflare, fastly, generic-feature-store, vercel');
    expect((await s.post(`${ROOT}/nope/production/fastly`, { config: FASTLY }, BETA)).body.message).toContain('"nope"');
    expect((await s.post(`${ROOT}/${w.project}/nope/fastly`, { config: FASTLY }, BETA)).body.message).toContain('"nope"');
    const cases: [unknown, string][] = [
      [{}, 'config: must be present'],
      [{ config: 'x' }, "config: must be an object of the fastly integration's fields (storeId, apiToken)"],
      [{ config: { storeId: 'x' } }, 'config.apiToken: is required by the fastly integration'],
      [{ config: { ...FASTLY, storeId: '' } }, 'config.storeId: must not be empty'],
      [{ config: { ...FASTLY, region: 'eu' } }, 'config.region: is not a field of the fastly integration'],
      [{ config: FASTLY, on: 1 }, 'on: must be a boolean'],
      [{ config: FASTLY, name: '' }, 'name: must not be empty'],
      [{ config: FASTLY, tags: 'a' }, 'tags: must be an array'],
    ];
    for (const [body, message] of cases) {
      const res = await s.post(`${ROOT}/${w.project}/production/fastly`, body, BETA);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toContain(message);
    }
    const generic = await s.post(`${ROOT}/${w.project}/production/generic-feature-store`, { config: { validationReqUrl: 'not a url', featureStoreReqUrl: 'https://x.example' } }, BETA);
    expect(generic.status).toBe(400);
    expect(generic.body.message).toContain('config.validationReqUrl');
    expect(await digestStore(s.store)).toEqual(before);
  });

  it('404 for an id of another integration, environment or project, and for a key without the capability', async () => {
    const id = self.split('/').pop();
    for (const path of [`${ROOT}/${w.project}/production/cloudflare/${id}`, `${ROOT}/${w.project}/test/fastly/${id}`, `${ROOT}/${w.project}/production/fastly/0123456789abcdef01234567`]) {
      for (const res of [await s.get(path, BETA), await s.patch(path, [{ op: 'replace', path: '/on', value: true }], BETA), await s.post(`${path}/validate`, undefined, BETA), await s.del(path, BETA)]) {
        expect(res.status, path).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
    }
    expect((await s.get(`${ROOT}/nope/production`, BETA)).status).toBe(404);
    expect((await s.get(`${ROOT}/${w.project}/production/datadog/${id}`, BETA)).body.message).toContain('Integration "datadog" not found');
  });

  it('patchIntegrationDeliveryConfiguration: refused patches change nothing', async () => {
    const before = await digestStore(s.store);
    const cases: [unknown, number, string][] = [
      [[{ op: 'replace', path: '/version', value: 9 }], 400, 'version'],
      [[{ op: 'replace', path: '/integrationKey', value: 'cloudflare' }], 400, 'integrationKey'],
      [[{ op: 'remove', path: '/on' }], 400, 'on: must be a boolean'],
      [[{ op: 'remove', path: '/config/storeId' }], 400, 'config.storeId: is required by the fastly integration'],
      [[{ op: 'add', path: '/config/extra', value: 'x' }], 400, 'config.extra: is not a field of the fastly integration'],
      [[{ op: 'test', path: '/config/apiToken', value: 'token' }], 409, ''],
    ];
    for (const [patch, status, message] of cases) {
      const res = await s.patch(self, patch, BETA);
      expect(res.status, JSON.stringify(patch)).toBe(status);
      expect(res.body.message).toContain(message);
    }
    expect(await digestStore(s.store)).toEqual(before);
  });

  it('validateIntegrationDeliveryConfiguration: a saved config that no longer matches its form is reported (200, statusCode 400)', async () => {
    const id = self.split('/').pop()!;
    const row = await s.store.db.selectFrom('delivery_configurations').select('doc').where('id', '=', id).executeTakeFirstOrThrow();
    const doc = JSON.parse(row.doc);
    await s.store.db.updateTable('delivery_configurations').set({ doc: JSON.stringify({ ...doc, config: { storeId: 'store' } }) }).where('id', '=', id).execute();
    const res = await s.post(`${self}/validate`, undefined, BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ statusCode: 400, error: expect.stringContaining('config.apiToken is required by the fastly integration'), timestamp: expect.any(Number) });
  });
});
