// Account usage: every parameter a caller can get wrong is a 400 naming it (a flag, project or environment in the
// path that does not exist: a 404), and nothing else answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageWorld, type UsageWorld } from '../../../test/support/usage.js';

describe('account usage: errors', () => {
  let w: UsageWorld;
  beforeAll(async () => {
    w = await usageWorld();
  });
  afterAll(() => w.s.close());

  async function refused(path: string, query: Record<string, string | number | (string | number)[]>, attribute: string, status = 400): Promise<string> {
    const res = await w.usage(path, query);
    expect(res.status, `${path} ${JSON.stringify(query)} ${JSON.stringify(res.body)}`).toBe(status);
    expect(res.body.code).toBe(status === 400 ? 'invalid_request' : 'not_found');
    expect(res.body.message).toContain(attribute);
    return res.body.message;
  }

  const newer = ['total-contexts', 'clientside-contexts', 'serverside-contexts', 'total-mau', 'clientside-mau', 'experimentation-events', 'experimentation-keys', 'service-connections', 'data-export-events', 'ai-runs', 'warehouse-export'].map((p) => `/api/v2/usage/${p}`);
  const zero = ['errors', 'logs', 'metrics', 'sessions', 'traces'].map((p) => `/api/v2/usage/observability/${p}`).concat('/api/v2/usage/vega-ai');
  const older = ['/api/v2/usage/mau', '/api/v2/usage/mau/bycategory', '/api/v2/usage/mau/sdks', '/api/v2/usage/events/received', '/api/v2/usage/streams/server', '/api/v2/usage/streams/client/bysdkversion', '/api/v2/usage/evaluations/shop/production/checkout'];

  it('from and to: a Unix timestamp, from not after to, given once; at most 365 days where LaunchDarkly says so', async () => {
    for (const path of [...newer, ...zero, ...older]) {
      expect(await refused(path, { from: 'yesterday' }, 'from')).toContain('"yesterday"');
      await refused(path, { to: '-5' }, 'to');
      await refused(path, { from: w.clock.now, to: w.clock.now - 1 }, 'from: must not be after to');
      await refused(path, { from: [1, 2] }, 'from: may be given once');
      await refused(path, { to: '99999999999999999' }, 'to');
    }
    for (const path of [...newer, ...zero]) await refused(path, { from: w.clock.now - 366 * 86_400_000 }, 'at most 365 days');
    // Where LaunchDarkly sets no maximum, an answer still holds at most 10,000 periods.
    for (const path of older.filter((p) => !p.endsWith('/sdks'))) expect(await refused(path, { from: 0, to: '8640000000000000' }, 'from')).toContain('more than 10000 daily periods');
    expect((await w.usage('/api/v2/usage/mau', { from: w.clock.now - 9000 * 86_400_000 })).status).toBe(200);
  });

  it('aggregationType and granularity: the values each operation takes, and their pairs', async () => {
    for (const path of [...newer, ...zero]) {
      await refused(path, { aggregationType: 'weekly_peak' }, 'aggregationType');
      await refused(path, { granularity: 'weekly' }, 'granularity');
    }
    for (const path of ['total-contexts', 'clientside-mau'].map((p) => `/api/v2/usage/${p}`)) {
      expect(await refused(path, { aggregationType: 'incremental', granularity: 'monthly' }, 'granularity')).toContain('not supported with aggregationType incremental');
      await refused(path, { granularity: 'hourly' }, 'granularity');
    }
    await refused('/api/v2/usage/service-connections', { aggregationType: 'incremental', granularity: 'monthly' }, 'granularity');
    await refused('/api/v2/usage/service-connections', { aggregationType: 'rolling_30d' }, 'aggregationType');
    await refused('/api/v2/usage/observability/metrics', { aggregationType: 'rolling_30d' }, 'aggregationType');
    await refused('/api/v2/usage/vega-ai', { granularity: 'hourly' }, 'granularity');
    await refused('/api/v2/usage/mau', { aggregationType: 'incremental' }, 'aggregationType');
  });

  it('groupBy, anonymous, sdktype: only the values each operation names', async () => {
    await refused('/api/v2/usage/total-contexts', { groupBy: 'flag' }, 'groupBy');
    // sdkType groups the total only: the client-side and server-side figures are one type each.
    await refused('/api/v2/usage/clientside-contexts', { groupBy: 'sdkType' }, 'groupBy');
    await refused('/api/v2/usage/experimentation-keys', { groupBy: 'eventKey' }, 'groupBy');
    await refused('/api/v2/usage/data-export-events', { groupBy: 'projectId' }, 'groupBy');
    await refused('/api/v2/usage/total-mau', { anonymous: 'maybe' }, 'anonymous');
    await refused('/api/v2/usage/mau', { groupby: 'flag' }, 'groupby');
    await refused('/api/v2/usage/mau', { sdktype: 'browser' }, 'sdktype');
    await refused('/api/v2/usage/mau/sdks', { sdktype: 'mobile' }, 'sdktype');
    await refused('/api/v2/usage/streams/server/bysdkversion', { sdk: ['a', 'b'] }, 'sdk');
    await refused('/api/v2/usage/ai-runs', { groupBy: 'sdkAppId' }, 'groupBy');
    await refused('/api/v2/usage/warehouse-export', { groupBy: 'sdkName' }, 'groupBy');
    expect(await refused('/api/v2/usage/warehouse-export', { destination: ['redshift', 'kinesis'] }, 'destination')).toContain('"kinesis"');
  });

  it('sdk-versions/all: ids that exist, the SDK types and connection types its answers show, each given once', async () => {
    const all = '/api/v2/usage/sdk-versions/all';
    expect(await refused(all, { projectId: 'nope' }, 'projectId')).toContain('"nope"');
    expect(await refused(all, { environmentId: w.projectId.shop }, 'environmentId')).toContain(w.projectId.shop);
    expect(await refused(all, { sdkType: 'browser' }, 'sdkType')).toContain('must be one of server, client');
    await refused(all, { connectionType: 'relay' }, 'connectionType');
    await refused(all, { sdkName: ['a', 'b'] }, 'sdkName: may be given once');
  });

  it('projects and environments: known keys, environments of exactly one project', async () => {
    for (const path of newer) {
      expect(await refused(path, { projectKey: 'nope' }, 'projectKey')).toContain('"nope"');
      await refused(path, { environmentKey: 'production' }, 'environmentKey: needs exactly one projectKey');
      await refused(path, { projectKey: ['shop', 'labs'], environmentKey: 'production' }, 'environmentKey');
      expect(await refused(path, { projectKey: 'labs', environmentKey: 'test' }, 'environmentKey')).toContain('"test"');
    }
    for (const path of zero) await refused(path, { projectKey: 'nope' }, 'projectKey');
    await refused('/api/v2/usage/mau', { project: 'nope' }, 'project');
    await refused('/api/v2/usage/mau', { environment: 'production' }, 'environment: needs exactly one project');
  });

  it('path parameters: type, source; the flag, its project and environment', async () => {
    await refused('/api/v2/usage/events/sent', {}, 'type');
    for (const path of ['/api/v2/usage/streams/mobile', '/api/v2/usage/streams/mobile/bysdkversion', '/api/v2/usage/streams/mobile/sdkversions']) await refused(path, {}, 'source');
    await refused('/api/v2/usage/evaluations/nope/production/checkout', {}, 'nope', 404);
    await refused('/api/v2/usage/evaluations/shop/staging/checkout', {}, 'staging', 404);
    await refused('/api/v2/usage/evaluations/shop/production/nope', {}, 'Flag "nope"', 404);
    // A flag of another project is not found through this one.
    await refused('/api/v2/usage/evaluations/labs/production/checkout', {}, 'checkout', 404);
    await refused('/api/v2/usage/evaluations/shop/production/checkout', { tz: 'Mars/Olympus_Mons' }, 'tz');
    await refused('/api/v2/usage/streams/server', { tz: 'Nowhere' }, 'tz');
  });
});
