// Bad input to persistent store integrations: each refused with LaunchDarkly's {code, message} naming the field or
// what is missing, nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const STORES = '/api/v2/integration-capabilities/big-segment-store';

describe('persistent store integrations: errors', () => {
  let s: TestServer;
  let w: World;
  let redis: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    // Off, so that no sync runs against a host that is not there.
    const created = await s.post(`${STORES}/${w.project}/production/redis`, { config: { host: 'redis.internal', password: 'p' } }, BETA);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    redis = created.body._links.self.href;
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>, status: number, code: string, message: string): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
    expect(res!.body.code).toBe(code);
    expect(res!.body.message).toContain(message);
  }

  it('404 for an integration key that is no store, an unknown environment or project, an unknown id', async () => {
    await refused(() => s.post(`${STORES}/${w.project}/test/datadog`, { config: {} }, BETA), 404, 'not_found', 'big segment stores are redis and dynamodb');
    await refused(() => s.post(`${STORES}/${w.project}/nope/redis`, { config: { host: 'h' } }, BETA), 404, 'not_found', 'nope');
    await refused(() => s.post(`${STORES}/nope/test/redis`, { config: { host: 'h' } }, BETA), 404, 'not_found', 'nope');
    await refused(() => s.get(`${STORES}/${w.project}/production/redis/000000000000000000000000`, BETA), 404, 'not_found', '000000000000000000000000');
    // The id of the redis integration, asked for as a dynamodb one.
    await refused(() => s.get(redis.replace('/redis/', '/dynamodb/'), BETA), 404, 'not_found', 'dynamodb');
  });

  it('400 naming the field: no config, a missing required field, an unknown field, a bad port, a non-boolean tls', async () => {
    const post = (body: unknown) => () => s.post(`${STORES}/${w.project}/test/redis`, body, BETA);
    await refused(post({ name: 'x' }), 400, 'invalid_request', 'config');
    await refused(post({ config: {} }), 400, 'invalid_request', 'config.host');
    await refused(post({ config: { host: 'h', database: 3 } }), 400, 'invalid_request', 'config.database');
    await refused(post({ config: { host: 'h', port: 'http' } }), 400, 'invalid_request', 'config.port');
    await refused(post({ config: { host: 'h', port: '70000' } }), 400, 'invalid_request', 'config.port');
    await refused(post({ config: { host: 'h', tls: 'yes' } }), 400, 'invalid_request', 'config.tls');
    await refused(post({ config: { host: 'h' }, on: 'true' }), 400, 'invalid_request', 'on');
    await refused(() => s.post(`${STORES}/${w.project}/test/dynamodb`, { config: { tableName: 't' } }, BETA), 400, 'invalid_request', 'config.region');
  });

  it('409 for a second store in one environment', async () => {
    await refused(() => s.post(`${STORES}/${w.project}/production/dynamodb`, { config: { tableName: 't', region: 'r', roleArn: 'a' } }, BETA), 409, 'conflict', 'already has a big segment store');
  });

  it('a patch: 400 for a read-only member, a bad value, `on` taken away; nothing changes', async () => {
    await refused(() => s.patch(redis, [{ op: 'replace', path: '/version', value: 9 }], BETA), 400, 'invalid_request', 'version');
    await refused(() => s.patch(redis, [{ op: 'replace', path: '/config/port', value: 'x' }], BETA), 400, 'invalid_request', 'config.port');
    await refused(() => s.patch(redis, [{ op: 'remove', path: '/on' }], BETA), 400, 'invalid_request', 'on');
    await refused(() => s.patch(redis, { not: 'a patch' }, BETA), 400, 'invalid_request', '');
  });
});
