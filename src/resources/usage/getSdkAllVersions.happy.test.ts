// Every SDK version seen in the last day: each version an SDK streamed with or sent events from (not only its highest,
// as getSdkVersionsDetails), per environment and type, with its project and environment, the application its stream
// named and how it connected; filtered by each parameter. Traffic older than a day is not shown.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ctx, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const HOUR = 3_600_000;

describe('getSdkAllVersions', () => {
  let w: UsageWorld;
  let stream: AbortController;
  beforeAll(async () => {
    w = await usageWorld(Date.UTC(2026, 2, 15, 10, 30), { listen: true });
    // Two days ago: a version no longer seen.
    w.clock.now -= 2 * 24 * HOUR;
    await w.send('shop/production', [{ kind: 'identify', creationDate: w.clock.now, context: ctx('old') }], { userAgent: 'NodeJSClient/8.0.0' });
    w.clock.now += 2 * 24 * HOUR;
    await w.send('shop/production', [{ kind: 'identify', creationDate: w.clock.now, context: ctx('a') }], { userAgent: 'NodeJSClient/9.7.1' });
    await w.send('shop/production', [{ kind: 'identify', creationDate: w.clock.now, context: ctx('b') }], { userAgent: 'NodeJSClient/9.10.0' });
    await w.send('labs/production', [{ kind: 'identify', creationDate: w.clock.now, context: ctx('c') }], { kind: 'browser', userAgent: 'JSClient/3.4.0' });
    // A server-side SDK's stream, naming its application.
    stream = new AbortController();
    const res = await fetch(`${w.s.url}/all`, {
      headers: { Authorization: w.env['shop/production'].sdkKey, 'User-Agent': 'NodeJSClient/9.10.0', 'X-LaunchDarkly-Tags': 'application-id/com.example.shop' },
      signal: stream.signal,
    });
    expect(res.status).toBe(200);
    await vi.waitFor(async () => expect((await all()).body.some((d: { connectionType: string }) => d.connectionType === 'streaming')).toBe(true));
  });
  afterAll(async () => {
    stream.abort();
    await w.s.close();
  });

  const all = (query: Record<string, string> = {}) => w.usage('/api/v2/usage/sdk-versions/all', query);

  it('each version seen, per environment and type, with where and how', async () => {
    const res = await all();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const projects = Object.fromEntries(await Promise.all(['shop', 'labs'].map(async (key) => [key, (await w.s.get(`/api/v2/projects/${key}`)).body.name])));
    const place = (project: string, env: string) => ({
      projectId: w.projectId[project],
      projectKey: project,
      projectName: projects[project],
      environmentId: w.env[`${project}/${env}`].id,
      environmentKey: env,
      environmentName: env,
    });
    expect(res.body).toEqual([
      { name: 'JSClient', version: '3.4.0', type: 'client', ...place('labs', 'production'), connectionType: 'events' },
      { name: 'NodeJSClient', version: '9.7.1', type: 'server', ...place('shop', 'production'), connectionType: 'events' },
      { name: 'NodeJSClient', version: '9.10.0', type: 'server', ...place('shop', 'production'), applicationId: 'com.example.shop', connectionType: 'streaming' },
    ]);
    // getSdkVersionsDetails shows the highest version only.
    const details = await w.usage('/api/v2/usage/sdk-versions/details');
    expect(details.body.map((d: { name: string; version: string }) => `${d.name}/${d.version}`)).toEqual(['JSClient/3.4.0', 'NodeJSClient/9.10.0']);
  });

  it('filters: environment, project, SDK name, type, application, connection type', async () => {
    const versions = async (query: Record<string, string>) => {
      const res = await all(query);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.map((d: { name: string; version: string }) => `${d.name}/${d.version}`);
    };
    expect(await versions({ environmentId: w.env['labs/production'].id })).toEqual(['JSClient/3.4.0']);
    expect(await versions({ environmentId: w.env['shop/test'].id })).toEqual([]);
    expect(await versions({ projectId: w.projectId.shop })).toEqual(['NodeJSClient/9.7.1', 'NodeJSClient/9.10.0']);
    expect(await versions({ sdkName: 'JSClient' })).toEqual(['JSClient/3.4.0']);
    expect(await versions({ sdkType: 'server' })).toEqual(['NodeJSClient/9.7.1', 'NodeJSClient/9.10.0']);
    expect(await versions({ sdkType: 'client' })).toEqual(['JSClient/3.4.0']);
    expect(await versions({ sdkAppId: 'com.example.shop' })).toEqual(['NodeJSClient/9.10.0']);
    expect(await versions({ connectionType: 'streaming' })).toEqual(['NodeJSClient/9.10.0']);
    expect(await versions({ connectionType: 'events', projectId: w.projectId.shop })).toEqual(['NodeJSClient/9.7.1']);
    expect(await versions({ connectionType: 'direct' })).toHaveLength(3);
    expect(await versions({ connectionType: 'proxy' })).toEqual([]);
  });
});
