// The official REST client (launchdarkly-api-typescript) drives the flag routes over real HTTP, unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, FeatureFlagsApi, ProjectsApi } from 'launchdarkly-api-typescript';
import { startServer, type TestServer } from './support/server.js';

describe('flags through launchdarkly-api-typescript', () => {
  let s: TestServer;
  let flags: FeatureFlagsApi;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    const configuration = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    flags = new FeatureFlagsApi(configuration);
    await new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url })).postProject({ name: 'Client', key: 'client' });
  });
  afterAll(() => s.close());

  it('creates, reads, patches, lists and deletes a flag', async () => {
    const created = await flags.postFeatureFlag('client', { name: 'Checkout', key: 'checkout', variations: [{ value: 'a' }, { value: 'b' }] });
    expect(created.status).toBe(201);
    expect(created.data.kind).toBe('multivariate');

    const patched = await flags.patchFeatureFlag('client', 'checkout', {
      comment: 'launch',
      patch: [
        { op: 'test', path: '/environments/production/version', value: 1 },
        { op: 'replace', path: '/environments/production/on', value: true },
        { op: 'add', path: '/environments/production/rules/-', value: { variation: 1, clauses: [{ attribute: 'email', op: 'endsWith', values: ['@acme.com'], negate: false }] } },
      ],
    });
    expect(patched.data.environments!.production.on).toBe(true);
    expect(patched.data.environments!.production.version).toBe(2);
    expect(patched.data.environments!.production.rules![0]._id).toBeTypeOf('string');

    const read = await flags.getFeatureFlag('client', 'checkout', 'production');
    expect(Object.keys(read.data.environments!)).toEqual(['production']);

    const stale = await flags
      .patchFeatureFlag('client', 'checkout', { patch: [{ op: 'test', path: '/environments/production/version', value: 1 }, { op: 'replace', path: '/name', value: 'x' }] })
      .catch((err: { response: { status: number; data: unknown } }) => err.response);
    expect(stale.status).toBe(409);
    expect(stale.data).toMatchObject({ code: 'optimistic_locking_error' });

    const list = await flags.getFeatureFlags('client', 'production', undefined, 10, 0, undefined, false);
    expect(list.data.totalCount).toBe(1);
    expect(list.data.items[0].environments!.production.rules).toHaveLength(1);

    expect((await flags.deleteFeatureFlag('client', 'checkout')).status).toBe(204);
    const gone = await flags.getFeatureFlag('client', 'checkout').catch((err: { response: { status: number } }) => err.response);
    expect(gone.status).toBe(404);
  });
});
