// Property-based hostile input on metric creation (POST /api/v2/metrics/{p}): generated MetricPost bodies of every
// kind, valid (including Terraform's empty values for unused fields) and invalid. Never a 5xx; errors in
// LaunchDarkly's shape naming the field; a refusal changes nothing; Object.prototype stays clean; valid bodies succeed.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forEachGenerated, FUZZ_TIMEOUT_MS, Fuzzer, keySequence, mutate, mutation, oddString, oddValue, PROTO, rawJson, runs, storableText, tagText } from './support/fuzz.js';
import { startServer, type TestServer } from './support/server.js';

const P = 'fzm';
const POST = 'postMetric';
let s: TestServer;
let fuzz: Fuzzer;
const nextKey = keySequence('m');

beforeAll(async () => {
  s = await startServer();
  fuzz = new Fuzzer(s);
  expect((await s.post('/api/v2/projects', { key: P, name: 'Fuzz metrics' })).status).toBe(201);
  expect((await s.post(`/api/v2/metrics/${P}`, { key: 'taken', kind: 'custom', eventKey: 'e', isNumeric: false })).status).toBe(201);
});
afterEach(() => {
  fuzz.take();
});
afterAll(async () => {
  console.log(fuzz.report('fuzz-metrics'));
  await s.close();
});

const REGEXES = ['^/checkout', '.*cart.*', '\\?q=\\w+', '[\\u{1F680}]', '(?<id>\\d+)$'];
const url = fc.oneof(
  fc.record({ kind: fc.constantFrom('exact', 'canonical'), url: storableText(200, 1) }),
  fc.record({ kind: fc.constant('substring'), substring: storableText(200, 1) }),
  fc.record({ kind: fc.constant('regex'), pattern: fc.constantFrom(...REGEXES) }),
);
const common = {
  name: fc.option(storableText(300, 1), { nil: undefined }),
  description: fc.option(storableText(500), { nil: undefined }),
  tags: fc.option(fc.array(tagText(50), { maxLength: 5 }), { nil: undefined }),
  unitAggregationType: fc.option(fc.constantFrom('average', 'sum'), { nil: undefined }),
  units: fc.constantFrom<'none' | 'randomizationUnits' | 'analysisUnits' | 'both' | 'empty'>('none', 'randomizationUnits', 'analysisUnits', 'both', 'empty'),
  dataSource: fc.option(fc.record({ key: storableText(50, 1) }), { nil: undefined }),
  terraformEmpties: fc.boolean(),
  isActive: fc.option(fc.boolean(), { nil: undefined }),
};
// An EventFilter: a test of a context attribute or an event property, or a group of tests.
const filterTest = fc.record({ type: fc.constantFrom('contextAttribute', 'eventProperty'), attribute: storableText(30, 1), op: fc.constantFrom('in', 'startsWith', 'contains'), values: fc.array(fc.oneof(storableText(20), fc.integer()), { maxLength: 3 }), negate: fc.boolean() });
const filters = fc.oneof(filterTest, fc.record({ type: fc.constant('group'), op: fc.constantFrom('and', 'or'), values: fc.array(filterTest, { maxLength: 3 }), negate: fc.boolean() }));

const validMetric = fc.oneof(
  fc.record({
    ...common,
    kind: fc.constant('custom'),
    eventKey: storableText(100, 1).filter((v) => v.trim() !== ''),
    isNumeric: fc.boolean(),
    successCriteria: fc.option(fc.constantFrom('HigherThanBaseline', 'LowerThanBaseline'), { nil: undefined }),
    unit: fc.option(storableText(50, 1), { nil: undefined }),
    percentile: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    disabled: fc.option(fc.boolean(), { nil: undefined }),
    filters: fc.option(filters, { nil: undefined }),
  }),
  fc.record({ ...common, kind: fc.constant('pageview'), urls: fc.array(url, { minLength: 1, maxLength: 4 }) }),
  fc.record({ ...common, kind: fc.constant('click'), selector: storableText(200, 1), urls: fc.array(url, { minLength: 1, maxLength: 4 }) }),
).map((g) => {
  const body: Record<string, unknown> = { key: '', kind: g.kind };
  for (const field of ['name', 'description', 'tags', 'unitAggregationType', 'dataSource', 'isActive', 'eventKey', 'isNumeric', 'successCriteria', 'urls', 'selector', 'filters'] as const) {
    const value = (g as Record<string, unknown>)[field];
    if (value !== undefined) body[field] = value;
  }
  if (g.kind === 'custom') {
    const c = g as typeof g & { isNumeric: boolean; unit?: string; percentile?: number; disabled?: boolean };
    if (c.isNumeric && c.unit !== undefined) body.unit = c.unit;
    if (c.isNumeric && c.percentile !== undefined) {
      body.analysisType = 'percentile';
      body.percentileValue = c.percentile;
      if (c.disabled !== undefined) body.eventDefault = { disabled: true, value: 0 };
    } else if (c.disabled !== undefined) body.eventDefault = { disabled: c.disabled, value: 0 };
  }
  if (g.units === 'randomizationUnits' || g.units === 'both') body.randomizationUnits = ['user'];
  if (g.units === 'analysisUnits' || g.units === 'both') body.analysisUnits = ['user'];
  if (g.units === 'empty') body.randomizationUnits = [];
  // Terraform sends every field of every kind, empty when the kind does not use it.
  if (g.terraformEmpties) {
    for (const field of ['description', 'selector', 'unit', 'eventKey', 'maintainerId'] as const) if (body[field] === undefined) body[field] = '';
    for (const field of ['urls', 'analysisUnits'] as const) if (body[field] === undefined && !(field === 'analysisUnits' && body.randomizationUnits)) body[field] = [];
    if (g.kind !== 'custom') body.isNumeric = false;
  }
  return body;
});

describe('postMetric: generated MetricPost bodies', { timeout: FUZZ_TIMEOUT_MS }, () => {
  it('valid bodies of every kind, odd content and Terraform’s empty values included, are created', async () => {
    await forEachGenerated(validMetric, runs(120), async (generated) => {
      const body: Record<string, unknown> = { ...generated, key: nextKey() };
      const res = await fuzz.send(POST, 'POST', `/api/v2/metrics/${P}`, { body, expect: 'success', label: 'valid' });
      if (res.status === 201) {
        if (body.name !== undefined && res.body.name !== body.name) fuzz.failures.push(`${POST} valid: name came back as ${JSON.stringify(res.body.name)}`);
        if (res.body.kind !== body.kind) fuzz.failures.push(`${POST} valid: kind came back as ${res.body.kind}`);
      }
    }, 40);
    expect(fuzz.take()).toEqual([]);
  });

  it('mutations of a valid body of each kind', async () => {
    const bases = [
      { kind: 'custom', eventKey: 'purchase', isNumeric: true, unit: 'USD', successCriteria: 'HigherThanBaseline', unitAggregationType: 'sum', analysisType: 'percentile', percentileValue: 90, eventDefault: { disabled: true, value: 0 }, randomizationUnits: ['user'], tags: ['t'], filters: { type: 'eventProperty', attribute: 'a', op: 'in', values: ['x'], negate: false } },
      { kind: 'pageview', urls: [{ kind: 'exact', url: 'https://example.com/a' }, { kind: 'regex', pattern: '^/x' }], name: 'Page', description: 'd' },
      { kind: 'click', selector: '#buy', urls: [{ kind: 'substring', substring: '/cart' }], dataSource: { key: 'launchdarkly' } },
    ];
    await forEachGenerated(fc.tuple(fc.nat(bases.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 })), runs(250), async ([i, mutations]) => {
      const body = mutate({ key: nextKey(), ...bases[i] }, mutations);
      await fuzz.send(POST, 'POST', `/api/v2/metrics/${P}`, { raw: rawJson(body), label: `mutated ${bases[i].kind}` });
    }, 41);
    expect(fuzz.take()).toEqual([]);
  });

  it('random and wholly hostile documents, API v23 fields, and a duplicate key', async () => {
    const fields = ['key', 'kind', 'name', 'description', 'tags', 'selector', 'urls', 'isNumeric', 'unit', 'eventKey', 'successCriteria', 'randomizationUnits', 'analysisUnits', 'maintainerId', 'unitAggregationType', 'analysisType', 'percentileValue', 'eventDefault', 'dataSource', 'filters', 'denominator', 'windowStartOffset', 'winsorUpperPercentile', 'isActive'];
    const random = fc.oneof(
      fc.dictionary(fc.constantFrom(...fields, PROTO, 'constructor'), oddValue, { maxKeys: 12 }),
      fc.record({ key: oddString, kind: fc.constantFrom('custom', 'pageview', 'click', 'trace', 'funnel'), eventKey: oddValue, urls: oddValue, selector: oddValue, isNumeric: oddValue }, { requiredKeys: ['key', 'kind'] }),
      oddValue,
    );
    await forEachGenerated(random, runs(50), async (body) => {
      await fuzz.send(POST, 'POST', `/api/v2/metrics/${P}`, { raw: rawJson(body), label: 'random' });
    }, 42);
    // The v23 fields iterlab cannot compute are refused; winsorization and the (stored) windows are checked.
    const v23 = fc.tuple(fc.constantFrom('denominator', 'unitAggregationField', 'traceQuery', 'traceValueLocation'), oddValue);
    await forEachGenerated(v23, runs(15), async ([field, value]) => {
      const body = { key: nextKey(), kind: 'custom', eventKey: 'e', isNumeric: true, [field]: value };
      await fuzz.send(POST, 'POST', `/api/v2/metrics/${P}`, { raw: rawJson(body), expect: value === null ? 'any' : 'refusal', label: `v23 ${field}` });
    }, 43);
    const accepted = fc.tuple(fc.constantFrom('windowStartOffset', 'windowEndOffset', 'winsorLowerPercentile', 'winsorUpperPercentile', 'winsorExcludeImputed', 'winsorIncludeImputed'), oddValue, fc.boolean(), fc.constantFrom('launchdarkly', 'snowflake'));
    await forEachGenerated(accepted, runs(30), async ([field, value, numeric, source]) => {
      const body = { key: nextKey(), kind: 'custom', eventKey: 'e', isNumeric: numeric, dataSource: { key: source }, [field]: value };
      await fuzz.send(POST, 'POST', `/api/v2/metrics/${P}`, { raw: rawJson(body), label: `v23 ${field}` });
    }, 46);
    await forEachGenerated(validMetric, runs(5), async (generated) => {
      await fuzz.send(POST, 'POST', `/api/v2/metrics/${P}`, { body: { ...generated, key: 'taken' }, expect: 'refusal', label: 'duplicate key' });
    }, 44);
    expect(fuzz.take()).toEqual([]);
  });

  it('JSON Patch bodies on a metric: hostile ops and paths, prototype keys in paths, failed tests', async () => {
    expect((await s.post(`/api/v2/metrics/${P}`, { key: 'patched', kind: 'custom', eventKey: 'e', isNumeric: true })).status).toBe(201);
    const segment = fc.constantFrom('name', 'description', 'tags', 'eventKey', 'isNumeric', 'unit', 'kind', 'key', '_id', '_version', 'urls', 'randomizationUnits', 'analysisUnits', 'eventDefault', 'disabled', 'value', 'percentileValue', 'analysisType', 'isActive', '0', '-', '__proto__', 'constructor', 'prototype', '');
    const pointer = fc.array(segment, { maxLength: 4 }).map((parts) => parts.map((p) => `/${p}`).join(''));
    const op = fc.record({ op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'nope'), path: fc.oneof(pointer, oddString), value: oddValue, from: pointer }, { requiredKeys: ['op', 'path'] });
    const body = fc.oneof(fc.array(op, { maxLength: 4 }), fc.record({ comment: oddValue, patch: fc.array(op, { maxLength: 3 }) }), oddValue);
    await forEachGenerated(body, runs(100), async (patch) => {
      await fuzz.send('patchMetric', 'PATCH', `/api/v2/metrics/${P}/patched`, { raw: rawJson(patch), label: 'hostile' });
    }, 45);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fuzz.take()).toEqual([]);
  });
});
