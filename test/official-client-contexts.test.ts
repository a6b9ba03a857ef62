// The official REST client (launchdarkly-api-typescript) asks iterlab which value each flag gives a context
// (ContextsApi.evaluateContextInstance), over real HTTP, with its own query parameters and a reader token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, ContextsApi } from 'launchdarkly-api-typescript';
import { startServer, type TestServer } from './support/server.js';

describe('evaluateContextInstance through launchdarkly-api-typescript', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    await s.post('/api/v2/projects', { name: 'Eval', key: 'eval' });
    await s.post('/api/v2/flags/eval', { key: 'banner', name: 'Banner', variations: [{ value: 'red' }, { value: 'blue' }], tags: ['ui'] });
    await s.post('/api/v2/flags/eval', { key: 'checkout', name: 'Checkout' });
    await s.patch('/api/v2/flags/eval/banner', [
      { op: 'replace', path: '/environments/production/on', value: true },
      { op: 'add', path: '/environments/production/rules/-', value: { clauses: [{ contextKind: 'user', attribute: 'country', op: 'in', values: ['NZ'] }], variation: 1 } },
      { op: 'replace', path: '/environments/production/fallthrough', value: { variation: 0 } },
    ]);
  });
  afterAll(() => s.close());

  it('values and reasons for a context, filtered and paged by the client\'s parameters', async () => {
    const contexts = new ContextsApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    const kiwi = await contexts.evaluateContextInstance('eval', 'production', { kind: 'user', key: 'ada', country: 'NZ' });
    expect(kiwi.status).toBe(200);
    expect(kiwi.data.totalCount).toBe(2);
    const banner = kiwi.data.items.find((item) => item.key === 'banner')!;
    expect(banner).toMatchObject({ name: 'Banner', _value: 'blue', reason: { kind: 'RULE_MATCH', ruleIndex: 0 } });
    expect(banner.reason?.ruleID).toEqual(expect.any(String));
    expect(kiwi.data.items.find((item) => item.key === 'checkout')).toMatchObject({ _value: false, reason: { kind: 'OFF' } });

    const other = await contexts.evaluateContextInstance('eval', 'production', { kind: 'user', key: 'bob' }, 1, 0, '-key', 'tags contains ["ui"]');
    expect(other.data).toMatchObject({ totalCount: 1, items: [{ key: 'banner', _value: 'red', reason: { kind: 'FALLTHROUGH' } }] });
  });
});
