// Persistent store integrations end to end: created, read, listed, patched and deleted as LaunchDarkly shows them
// (secrets masked, version counted, audited); and the sync, proved by the official Node SDK reading big segment
// membership from the Redis iterlab fills, through @launchdarkly/node-server-sdk-redis's RedisBigSegmentStore.
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { RedisBigSegmentStore } from '@launchdarkly/node-server-sdk-redis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { REDIS_URL_FOR_TESTS, redisAvailable, uniquePrefix } from '../../../test/support/redis.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { SECRET_MASK } from '../integrations/config.js';
import { contextKeyHash } from './sync.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const redisUp = await redisAvailable();
const redisUrl = new URL(REDIS_URL_FOR_TESTS);

describe('persistent store integrations', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('creates a dynamodb integration (stored, not synced), reads, lists, patches and deletes it', async () => {
    const base = `/api/v2/integration-capabilities/big-segment-store/${w.project}/test/dynamodb`;
    const config = { tableName: 'segments', region: 'us-east-1', roleArn: 'arn:aws:iam::1:role/ld', externalId: 'ext' };
    const created = await s.post(base, { name: 'Dynamo', config, tags: ['t'], on: true }, BETA);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body._id;
    expect(created.body).toMatchObject({
      _links: { self: { href: `${base}/${id}` }, parent: { href: '/api/v2/integration-capabilities/big-segment-store' }, project: { href: `/api/v2/projects/${w.project}` }, environment: { href: `/api/v2/projects/${w.project}/environments/test` } },
      integrationKey: 'dynamodb',
      projectKey: w.project,
      environmentKey: 'test',
      config: { ...config, prefix: '' },
      on: true,
      tags: ['t'],
      name: 'Dynamo',
      version: 1,
      _status: { available: false, potentiallyStale: true },
    });
    // iterlab cannot reach AWS: the status says so.
    await vi.waitFor(async () => {
      const status = (await s.get(`${base}/${id}`, BETA)).body._status;
      expect(status.errors[0].message).toContain('does not sync DynamoDB');
    });
    expect((await s.get('/api/v2/integration-capabilities/big-segment-store', BETA)).body.items.map((i: { _id: string }) => i._id)).toContain(id);
    const patched = await s.patch(`${base}/${id}`, [{ op: 'replace', path: '/name', value: 'Renamed' }, { op: 'replace', path: '/on', value: false }], BETA);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Renamed', on: false, version: 2 });
    const audit = (await s.get(`/api/v2/auditlog?spec=integration/dynamodb/${id}`)).body.items;
    expect(audit.length).toBe(2);
    expect((await s.del(`${base}/${id}`, BETA)).status).toBe(204);
    expect((await s.get(`${base}/${id}`, BETA)).status).toBe(404);
  });

  it('goes with its environment', async () => {
    await s.post(`/api/v2/projects/${w.project}/environments`, { key: 'gone', name: 'Gone', color: '000000' });
    const created = await s.post(`/api/v2/integration-capabilities/big-segment-store/${w.project}/gone/redis`, { config: { host: 'localhost' } }, BETA);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await s.del(`/api/v2/projects/${w.project}/environments/gone`)).status).toBe(204);
    expect(await s.store.db.selectFrom('big_segment_stores').select('id').where('id', '=', created.body._id).executeTakeFirst()).toBeUndefined();
  });

  describe.skipIf(!redisUp)('synced into Redis, as the official Node SDK reads it', () => {
    const prefix = uniquePrefix('bss').slice(0, -1);
    let client: LDClient;
    let redis: ReturnType<typeof createClient>;
    let integration: string;
    const segments = () => `/api/v2/segments/${w.project}/production`;

    beforeAll(async () => {
      redis = createClient({ url: REDIS_URL_FOR_TESTS });
      await redis.connect();
      expect((await s.post(segments(), { key: 'big', name: 'Big', unbounded: true })).status).toBe(201);
      expect((await s.post(`${segments()}/big/contexts`, { included: { add: ['in-1', 'in-2'] }, excluded: { add: ['out'] } })).status).toBe(204);
      const flag = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [
        { op: 'add', path: '/environments/production/rules/0', value: { clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['big'] }], variation: 1 } },
      ]);
      expect(flag.status, JSON.stringify(flag.body)).toBe(200);
      const config = { host: redisUrl.hostname, port: redisUrl.port || '6379', password: redisUrl.password, prefix };
      const created = await s.post(`/api/v2/integration-capabilities/big-segment-store/${w.project}/production/redis`, { name: 'Redis', config, on: true }, BETA);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.config.password).toBe(redisUrl.password ? SECRET_MASK : '');
      integration = created.body._links.self.href;
      client = sdkClient(s.url, await sdkKeyOf(s, w.project), {
        bigSegments: { store: RedisBigSegmentStore({ redisOpts: REDIS_URL_FOR_TESTS as never, prefix }), userCacheTime: 0.01, statusPollInterval: 0.05 },
      });
      await client.waitForInitialization({ timeout: 10 });
    });
    afterAll(async () => {
      client?.close();
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*` })) keys.push(...batch);
      if (keys.length > 0) await redis.del(keys);
      await redis.quit();
    });

    // The world's flag serves true to everyone; the big segment's rule serves its members false.
    const value = (key: string) => client.variationDetail(w.flag, { kind: 'user', key }, 'default');

    it('writes the layout the SDK reads, and reports the sync in _status', async () => {
      await vi.waitFor(async () => expect((await s.get(integration, BETA)).body._status).toMatchObject({ available: true, potentiallyStale: false, lastSync: expect.any(Number) }));
      expect(await redis.sMembers(`${prefix}:big_segment_include:${contextKeyHash('in-1')}`)).toEqual(['big.g1']);
      expect(await redis.sMembers(`${prefix}:big_segment_exclude:${contextKeyHash('out')}`)).toEqual(['big.g1']);
      expect(Number(await redis.get(`${prefix}:big_segments_synchronized_on`))).toBeGreaterThan(0);
    });

    it('the SDK evaluates included contexts into the segment and others out, with the store HEALTHY', async () => {
      await vi.waitFor(async () => expect((await value('in-1')).reason).toMatchObject({ kind: 'RULE_MATCH', bigSegmentsStatus: 'HEALTHY' }));
      expect((await value('in-1')).value).toBe(false);
      expect((await value('in-2')).value).toBe(false);
      expect((await value('out')).value).toBe(true);
      expect((await value('stranger')).value).toBe(true);
    });

    it('sees target changes once iterlab resyncs', async () => {
      expect((await s.post(`${segments()}/big/contexts`, { included: { add: ['stranger'], remove: ['in-2'] } })).status).toBe(204);
      await vi.waitFor(async () => {
        expect((await value('stranger')).value).toBe(false);
        expect((await value('in-2')).value).toBe(true);
      });
      expect(await redis.exists(`${prefix}:big_segment_include:${contextKeyHash('in-2')}`)).toBe(0);
    });

    it('a store it cannot reach: the error goes into _status, the REST write succeeds', async () => {
      const res = await s.patch(integration, [{ op: 'replace', path: '/config/port', value: '1' }], BETA);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await vi.waitFor(async () => {
        const status = (await s.get(integration, BETA)).body._status;
        expect(status).toMatchObject({ available: false, potentiallyStale: true, lastError: expect.any(Number) });
        expect(status.errors[0]).toMatchObject({ message: expect.any(String), timestamp: expect.any(Number) });
      });
    });
  });
});
