// A migration script's second run: it creates the same metrics and flags again through the official client, gets 409
// for each, treats that as "already there" (as statsig-to-ld and Terraform do), and the store is unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AxiosError } from 'axios';
import { Configuration, FeatureFlagsApi, MetricsApi, ProjectsApi, type FeatureFlagBody, type MetricPost } from 'launchdarkly-api-typescript';
import { digestStore } from './support/digest.js';
import { startServer, type TestServer } from './support/server.js';

const METRICS: MetricPost[] = [
  { key: 'checkout-completed', name: 'Checkout completed', kind: 'custom', eventKey: 'checkout', isNumeric: false },
  { key: 'order-value', name: 'Order value', kind: 'custom', eventKey: 'order', isNumeric: true, unit: 'USD', unitAggregationType: 'sum' },
  { key: 'pricing-page', name: 'Pricing page', kind: 'pageview', urls: [{ kind: 'substring', substring: '/pricing' }] },
];

const FLAGS: FeatureFlagBody[] = [
  { key: 'new-checkout', name: 'New checkout', tags: ['migrated'] },
  { key: 'button-colour', name: 'Button colour', variations: [{ value: 'blue' }, { value: 'green' }, { value: 'red' }], tags: ['migrated'] },
];

type Outcome = 'created' | 'exists';

/** One run of the script: create everything; 409 means it is there already. Any other failure stops the run. */
async function migrate(metrics: MetricsApi, flags: FeatureFlagsApi): Promise<Record<string, Outcome>> {
  const outcome: Record<string, Outcome> = {};
  const attempt = async (name: string, create: () => Promise<{ status: number }>) => {
    try {
      expect((await create()).status).toBe(201);
      outcome[name] = 'created';
    } catch (err) {
      const response = (err as AxiosError<{ code: string; message: string }>).response;
      if (response?.status !== 409) throw err;
      expect(response.data.code).toBe('conflict');
      expect(response.data.message).toContain('already exists');
      outcome[name] = 'exists';
    }
  };
  for (const metric of METRICS) await attempt(`metric ${metric.key}`, () => metrics.postMetric('migrated', metric));
  for (const flag of FLAGS) await attempt(`flag ${flag.key}`, () => flags.postFeatureFlag('migrated', flag));
  return outcome;
}

describe('a migration script run twice', () => {
  let s: TestServer;
  let metrics: MetricsApi;
  let flags: FeatureFlagsApi;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    const config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    await new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url })).postProject({ name: 'Migrated', key: 'migrated' });
    metrics = new MetricsApi(config);
    flags = new FeatureFlagsApi(config);
  });
  afterAll(() => s.close());

  it('creates everything the first time; the second run gets 409 for each and changes nothing', async () => {
    const first = await migrate(metrics, flags);
    expect(Object.values(first)).toEqual(Array(METRICS.length + FLAGS.length).fill('created'));
    const digest = await digestStore(s.store);
    const reads = JSON.stringify([
      ...(await Promise.all(METRICS.map((m) => metrics.getMetric('migrated', m.key)))).map((r) => r.data),
      ...(await Promise.all(FLAGS.map((f) => flags.getFeatureFlag('migrated', f.key)))).map((r) => r.data),
    ]);

    const second = await migrate(metrics, flags);
    expect(Object.values(second)).toEqual(Array(METRICS.length + FLAGS.length).fill('exists'));
    expect(await digestStore(s.store)).toBe(digest);
    expect(
      JSON.stringify([
        ...(await Promise.all(METRICS.map((m) => metrics.getMetric('migrated', m.key)))).map((r) => r.data),
        ...(await Promise.all(FLAGS.map((f) => flags.getFeatureFlag('migrated', f.key)))).map((r) => r.data),
      ]),
    ).toBe(reads);
    expect((await flags.getFeatureFlags('migrated', undefined, 'migrated')).data.totalCount).toBe(FLAGS.length);
  });
});
