import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMetric: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  async function rejects(body: Record<string, unknown>, errors: { attribute: string; reason: string | RegExp }[]) {
    const res = await s.post('/api/v2/metrics/shop', body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual(errors.map((e) => ({ attribute: e.attribute, reason: typeof e.reason === 'string' ? e.reason : expect.stringMatching(e.reason) })));
    for (const e of errors) expect(res.body.message).toContain(e.attribute);
    expect((await s.get(`/api/v2/metrics/shop/${String(body.key)}`)).status).toBe(404);
  }

  it("400 naming each field a kind requires but did not get", async () => {
    await rejects({ key: 'c1', kind: 'click' }, [
      { attribute: 'selector', reason: 'must be present for click metrics' },
      { attribute: 'urls', reason: 'must list at least one URL for click metrics' },
    ]);
    await rejects({ key: 'p1', kind: 'pageview', urls: [] }, [{ attribute: 'urls', reason: 'must list at least one URL for pageview metrics' }]);
    await rejects({ key: 'u1', kind: 'custom', eventKey: '' }, [
      { attribute: 'eventKey', reason: 'must be present for custom metrics' },
      { attribute: 'isNumeric', reason: /must be present for custom metrics/ },
    ]);
    await rejects({ key: 'u1', kind: 'custom', eventKey: '  ', isNumeric: false }, [{ attribute: 'eventKey', reason: /must not be blank/ }]);
    await rejects({ key: 'u1', kind: 'custom', eventKey: 'e', isNumeric: false, filters: { type: 'contextAttribute', attribute: 'country', op: 'bogusOp', values: ['JP'], negate: false } }, [
      { attribute: 'filters.op', reason: /must be one of in, endsWith/ },
    ]);
    await rejects({ key: 'u1', kind: 'custom', eventKey: 'e', isNumeric: false, filters: { type: 'group', op: 'and', values: [{ type: 'eventProperty', op: 'in', values: [1], negate: false }], negate: false } }, [
      { attribute: 'filters.values[0].attribute', reason: /must name the event property/ },
    ]);
  });

  it('400 naming each field the kind does not take', async () => {
    await rejects({ key: 'u2', kind: 'custom', eventKey: 'e', isNumeric: false, selector: '.x', urls: [{ kind: 'exact', url: 'https://a' }] }, [
      { attribute: 'selector', reason: 'applies to click metrics only, not to custom metrics' },
      { attribute: 'urls', reason: 'applies to click and pageview metrics only, not to custom metrics' },
    ]);
    await rejects({ key: 'p2', kind: 'pageview', urls: [{ kind: 'exact', url: 'https://a' }], eventKey: 'e', successCriteria: 'HigherThanBaseline', isNumeric: true }, [
      { attribute: 'eventKey', reason: 'applies to custom metrics only, not to pageview metrics' },
      { attribute: 'successCriteria', reason: 'applies to custom metrics only, not to pageview metrics' },
      { attribute: 'isNumeric', reason: 'applies to custom metrics only, not to pageview metrics' },
    ]);
    await rejects({ key: 'u3', kind: 'custom', eventKey: 'e', isNumeric: false, unit: 'USD' }, [
      { attribute: 'unit', reason: 'applies to numeric custom metrics (isNumeric true) only' },
    ]);
  });

  it('400 naming the URL matcher that is incomplete or contradictory', async () => {
    await rejects(
      {
        key: 'p3',
        kind: 'pageview',
        urls: [{ kind: 'exact' }, { kind: 'substring', substring: '/a', url: 'https://a' }, { kind: 'regex', pattern: '(' }, { url: 'https://b' }],
      },
      [
        { attribute: 'urls[0].url', reason: 'must be present for a exact URL' },
        { attribute: 'urls[1].url', reason: 'does not apply to a substring URL (use substring)' },
        { attribute: 'urls[2].pattern', reason: /^is not a valid regular expression/ },
        { attribute: 'urls[3].kind', reason: 'must be present (exact, canonical, substring or regex)' },
      ],
    );
  });

  it('400 for percentile analysis without its value, or a percentile value without percentile analysis', async () => {
    const numeric = { kind: 'custom', eventKey: 'e', isNumeric: true };
    await rejects({ key: 'n1', ...numeric, analysisType: 'percentile' }, [{ attribute: 'percentileValue', reason: 'must be present when analysisType is percentile' }]);
    await rejects({ key: 'n2', ...numeric, percentileValue: 90 }, [{ attribute: 'percentileValue', reason: 'applies only when analysisType is percentile, not mean' }]);
    await rejects({ key: 'n3', kind: 'custom', eventKey: 'e', isNumeric: false, analysisType: 'percentile', percentileValue: 50 }, [
      { attribute: 'analysisType', reason: 'percentile analysis applies to numeric custom metrics and count metrics (unitAggregationType sum) only' },
    ]);
    await rejects({ key: 'n4', ...numeric, analysisType: 'percentile', percentileValue: 101 }, [{ attribute: 'percentileValue', reason: /100/ }]);
    await rejects({ key: 'n5', ...numeric, analysisType: 'percentile', percentileValue: 90, eventDefault: { disabled: false } }, [
      { attribute: 'eventDefault.disabled', reason: 'units without events cannot be included in a percentile analysis' },
    ]);
    await rejects({ key: 'n6', ...numeric, eventDefault: { value: 3 } }, [{ attribute: 'eventDefault.value', reason: 'must be 0, the only default value LaunchDarkly supports' }]);
  });

  it("400 with LaunchDarkly's own message for a unit the project has not registered", async () => {
    const res = await s.post('/api/v2/metrics/shop', { key: 'sid', kind: 'custom', eventKey: 'e', isNumeric: false, randomizationUnits: ['user', 'stableid'] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'invalid_request',
      message: 'Randomization unit "stableid" not found in project settings [user]',
      errors: [{ attribute: 'randomizationUnits[1]', reason: 'Randomization unit "stableid" not found in project settings [user]' }],
    });
    const newer = await s.post('/api/v2/metrics/shop', { key: 'sid', kind: 'custom', eventKey: 'e', isNumeric: false, analysisUnits: ['stableid'] });
    expect(newer.body.errors[0].attribute).toBe('analysisUnits[0]');
    await rejects({ key: 'both', kind: 'custom', eventKey: 'e', isNumeric: false, randomizationUnits: ['user'], analysisUnits: ['org'] }, [
      { attribute: 'analysisUnits', reason: 'must equal randomizationUnits when both are given (analysisUnits is its newer name)' },
    ]);
  });

  it('400 for a maintainer that is not a member', async () => {
    await rejects({ key: 'm1', kind: 'custom', eventKey: 'e', isNumeric: false, maintainerId: '000000000000000000000000' }, [
      { attribute: 'maintainerId', reason: 'no member has the ID "000000000000000000000000"' },
    ]);
  });

  it('400 naming fields of the newer API that iterlab cannot compute, and kinds it does not know', async () => {
    await rejects({ key: 'ratio', kind: 'custom', eventKey: 'e', isNumeric: true, denominator: { eventName: 'x', isNumeric: false, unitAggregationType: 'sum' } }, [
      { attribute: 'denominator', reason: /not supported by iterlab/ },
    ]);
    await rejects({ key: 'trace', kind: 'trace' }, [{ attribute: 'kind', reason: 'must be one of "pageview", "click", "custom"' }]);
    await rejects({ key: 'bad-type', kind: 'custom', eventKey: 'e', isNumeric: 'yes', unitAggregationType: 'count_distinct' }, [
      { attribute: 'isNumeric', reason: 'must be a boolean' },
      { attribute: 'unitAggregationType', reason: 'must be one of "average", "sum"' },
    ]);
  });

  it('400 for winsorization of hosted events, out of its open interval, bounds in the wrong order, or on a conversion metric, and for windows that are not whole milliseconds', async () => {
    // LaunchDarkly winsorizes the metrics of warehouse data sources only.
    await rejects({ key: 'w0', kind: 'custom', eventKey: 'e', isNumeric: true, winsorUpperPercentile: 99 }, [
      { attribute: 'winsorUpperPercentile', reason: 'winsorization applies to metrics of a warehouse data source only, not to LaunchDarkly-hosted events (dataSource.key "launchdarkly")' },
    ]);
    await rejects({ key: 'w0', kind: 'custom', eventKey: 'e', isNumeric: true, dataSource: { key: 'launchdarkly' }, winsorLowerPercentile: 1 }, [
      { attribute: 'winsorLowerPercentile', reason: /not to LaunchDarkly-hosted events/ },
    ]);
    const numeric = { kind: 'custom', eventKey: 'e', isNumeric: true, dataSource: { key: 'snowflake' } };
    await rejects({ key: 'w1', ...numeric, winsorLowerPercentile: 0, winsorUpperPercentile: 100 }, [
      { attribute: 'winsorLowerPercentile', reason: 'must be > 0' },
      { attribute: 'winsorUpperPercentile', reason: 'must be < 100' },
    ]);
    await rejects({ key: 'w2', ...numeric, winsorLowerPercentile: 95, winsorUpperPercentile: 5 }, [
      { attribute: 'winsorUpperPercentile', reason: 'must be greater than winsorLowerPercentile (95)' },
    ]);
    await rejects({ key: 'w3', ...numeric, winsorLowerPercentile: 5, winsorUpperPercentile: 5 }, [
      { attribute: 'winsorUpperPercentile', reason: 'must be greater than winsorLowerPercentile (5)' },
    ]);
    await rejects({ key: 'w4', kind: 'custom', eventKey: 'e', isNumeric: false, winsorUpperPercentile: 99, winsorIncludeImputed: true }, [
      { attribute: 'winsorUpperPercentile', reason: 'winsorization applies to numeric custom metrics (isNumeric true) only' },
      { attribute: 'winsorIncludeImputed', reason: 'winsorization applies to numeric custom metrics (isNumeric true) only' },
    ]);
    await rejects({ key: 'w5', ...numeric, winsorUpperPercentile: '99', windowStartOffset: 1.5, windowEndOffset: 'later' }, [
      { attribute: 'winsorUpperPercentile', reason: 'must be a number' },
      { attribute: 'windowStartOffset', reason: 'must be an integer' },
      { attribute: 'windowEndOffset', reason: 'must be an integer' },
    ]);
  });

  it('400 for a missing key or kind, and for a key LaunchDarkly would not accept', async () => {
    const res = await s.post('/api/v2/metrics/shop', { eventKey: 'e' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([{ attribute: 'key', reason: 'must be present' }, { attribute: 'kind', reason: 'must be present' }]));
    const badKey = await s.post('/api/v2/metrics/shop', { key: 'has space', kind: 'custom', eventKey: 'e', isNumeric: false });
    expect(badKey.status).toBe(400);
    expect(badKey.body.errors[0].attribute).toBe('key');
  });

  it('400 for a body that is not JSON or not an object', async () => {
    const bad = await s.request('POST', '/api/v2/metrics/shop', { raw: '{"key": "x",' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/not valid JSON/);
    const list = await s.post('/api/v2/metrics/shop', [{ key: 'x' }]);
    expect(list.status).toBe(400);
    expect(list.body.code).toBe('invalid_request');
  });

  it('404 naming a project that does not exist', async () => {
    const res = await s.post('/api/v2/metrics/nope', { key: 'x', kind: 'custom', eventKey: 'e', isNumeric: false });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('409 conflict on a duplicate key; the first metric is untouched', async () => {
    expect((await s.post('/api/v2/metrics/shop', { key: 'dup', kind: 'custom', eventKey: 'first', isNumeric: false })).status).toBe(201);
    const res = await s.post('/api/v2/metrics/shop', { key: 'dup', kind: 'custom', eventKey: 'second', isNumeric: false });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A metric with the key "dup" already exists in project "shop"' });
    expect((await s.get('/api/v2/metrics/shop/dup')).body.eventKey).toBe('first');
  });

  it('concurrent creates of one key: exactly one 201, the rest 409', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => s.post('/api/v2/metrics/shop', { key: 'race', kind: 'custom', eventKey: `e${i}`, isNumeric: false })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.status === 201)!;
    expect((await s.get('/api/v2/metrics/shop/race')).body).toEqual(winner.body);
  });
});
