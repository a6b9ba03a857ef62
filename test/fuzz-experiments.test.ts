// Property-based hostile input on the founding endpoint (create iteration) and on create experiment: generated
// IterationInput and ExperimentPost bodies, valid and invalid. Never a 5xx; errors in LaunchDarkly's shape naming
// the field; a refusal changes nothing; Object.prototype stays clean; valid bodies succeed and read back as sent.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from './support/fixtures.js';
import { forEachGenerated, FUZZ_TIMEOUT_MS, Fuzzer, keySequence, mutate, mutation, nested, oddKey, oddString, oddValue, PROTO, rawJson, runs, storableText, tagText } from './support/fuzz.js';
import { startServer, type TestServer } from './support/server.js';

let s: TestServer;
let w: World;
let fuzz: Fuzzer;
const EXPERIMENT = 'fuzz-exp';
const ITERATIONS = 'createIteration';
const EXPERIMENTS = 'createExperiment';

beforeAll(async () => {
  s = await startServer();
  w = await createWorld(s);
  await createExperimentIn(s, w, EXPERIMENT);
  await createExperimentIn(s, w, 'archived-exp');
  expect((await s.patch(experimentsPath(w, 'archived-exp'), { instructions: [{ kind: 'archiveExperiment' }] })).status).toBe(200);
  fuzz = new Fuzzer(s);
});
afterEach(() => {
  fuzz.take();
});
afterAll(async () => {
  console.log(fuzz.report('fuzz-experiments'));
  await s.close();
});

const iterationsPath = (key = EXPERIMENT) => `${experimentsPath(w, key)}/iterations`;

/** An allocation in thousandths of a percent written as LaunchDarkly's decimal string, with or without trailing zeros. */
function percent(thousandths: number, style: number): string {
  const whole = Math.floor(thousandths / 1000);
  const frac = thousandths % 1000;
  if (frac === 0) return [`${whole}`, `${whole}.0`, `${whole}.000`][style % 3];
  const digits = String(frac).padStart(3, '0');
  return `${whole}.${style % 2 === 0 ? digits.replace(/0+$/, '') : digits}`;
}

interface ValidIteration {
  body: Record<string, unknown>;
  /** What the answer must echo. */
  echo: { hypothesis: string; allocations: string[]; ruleId: string };
}

/**
 * IterationInput bodies that are valid in every way, with odd-but-legal content: they must be accepted. `bandit`:
 * for a multi-armed bandit's experiment, the only kind that takes a reallocationFrequencyMillis.
 */
function validIteration(bandit: boolean): fc.Arbitrary<ValidIteration> {
  const metricSets = [
    { metrics: [{ key: w.metric }], primary: { primarySingleMetricKey: w.metric } },
    { metrics: [{ key: w.metric, isGroup: false }, { key: w.numericMetric }, { key: w.standardGroup, isGroup: true }], primary: { primarySingleMetricKey: w.numericMetric } },
    { metrics: [{ key: w.funnel, isGroup: true }, { key: w.metric }], primary: { primaryFunnelKey: w.funnel } },
    { metrics: [{ key: w.metric, primary: true }, { key: w.numericMetric }], primary: {} },
  ];
  return fc
    .record({
      hypothesis: storableText(400),
      canReshuffleTraffic: fc.option(fc.boolean(), { nil: undefined }),
      metricSet: fc.nat(metricSets.length - 1),
      control: fc.integer({ min: 0, max: 100_000 }),
      treatmentShare: fc.double({ min: 0, max: 1, noNaN: true }),
      styles: fc.tuple(fc.nat(5), fc.nat(5)),
      single: fc.boolean(),
      baselineSecond: fc.boolean(),
      // A treatment's name may be anything but blank.
      names: fc.tuple(storableText(200, 1).filter((v) => v.trim() !== ''), storableText(200, 1).filter((v) => v.trim() !== '')),
      ruleId: fc.constantFrom('fallthrough', 'rule'),
      flagsAsString: fc.boolean(),
      notIn: fc.option(fc.nat(1), { nil: undefined }),
      unit: fc.option(fc.constant('user'), { nil: undefined }),
      attributes: fc.option(fc.uniqueArray(storableText(50, 1), { maxLength: 8 }), { nil: undefined }),
      // No covariate file can exist in iterlab (LaunchDarkly uploads them in its UI): an empty id, meaning none, is the only valid one.
      covariateId: fc.option(fc.constant(''), { nil: undefined }),
      reallocation: bandit ? fc.option(fc.integer({ min: 1, max: 2 ** 31 }), { nil: undefined }) : fc.constant(undefined),
      extras: fc.dictionary(fc.constantFrom('constructor', 'prototype', 'x-unknown', '🚀', '\u202ekey', 'primary', '_links'), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 3 }),
    })
    .map((g) => {
      const ruleId = g.ruleId === 'rule' ? w.ruleId : 'fallthrough';
      const other = Math.floor((100_000 - g.control) * g.treatmentShare);
      const names = g.names[0] === g.names[1] ? [g.names[0], `${g.names[1]} (2)`] : g.names;
      const treatments = g.single
        ? [{ name: names[0], baseline: true, allocationPercent: percent(g.control, g.styles[0]), parameters: [{ flagKey: w.flag, variationId: w.variations[0] }] }]
        : [
            { name: names[0], baseline: !g.baselineSecond, allocationPercent: percent(g.control, g.styles[0]), parameters: [{ flagKey: w.flag, variationId: w.variations[0] }] },
            { name: names[1], baseline: g.baselineSecond, allocationPercent: percent(other, g.styles[1]), parameters: [{ flagKey: w.flag, variationId: w.variations[1] }] },
          ];
      const flag: Record<string, unknown> = { ruleId, flagConfigVersion: w.version };
      if (g.notIn !== undefined) flag.notInExperimentVariationId = w.variations[g.notIn];
      const flags = { [w.flag]: flag };
      const set = metricSets[g.metricSet];
      const body: Record<string, unknown> = {
        ...g.extras,
        hypothesis: g.hypothesis,
        metrics: set.metrics,
        ...set.primary,
        treatments,
        flags: g.flagsAsString ? JSON.stringify(flags) : flags,
      };
      if (g.canReshuffleTraffic !== undefined) body.canReshuffleTraffic = g.canReshuffleTraffic;
      if (g.unit !== undefined) body.randomizationUnit = g.unit;
      if (g.attributes !== undefined) body.attributes = g.attributes;
      if (g.covariateId !== undefined) body.covariateId = g.covariateId;
      if (g.reallocation !== undefined) body.reallocationFrequencyMillis = g.reallocation;
      return { body, echo: { hypothesis: g.hypothesis, allocations: treatments.map((t) => t.allocationPercent), ruleId } };
    });
}

function checkEcho(rep: any, echo: ValidIteration['echo']): string[] {
  const problems: string[] = [];
  if (rep?.status !== 'not_started') problems.push(`status ${rep?.status}`);
  if (rep?.hypothesis !== echo.hypothesis) problems.push(`hypothesis came back as ${JSON.stringify(rep?.hypothesis)}`);
  const allocations = (rep?.treatments ?? []).map((t: { allocationPercent: string }) => t.allocationPercent);
  if (JSON.stringify(allocations) !== JSON.stringify(echo.allocations)) problems.push(`allocations came back as ${JSON.stringify(allocations)}`);
  if (rep?.flags?.[w.flag]?.targetingRule !== echo.ruleId) problems.push(`targetingRule came back as ${rep?.flags?.[w.flag]?.targetingRule}`);
  return problems;
}

/** Every field of IterationInput with a hostile value, or a hostile document altogether. */
const randomIteration = () =>
  fc.oneof(
    fc.dictionary(
      fc.constantFrom('hypothesis', 'canReshuffleTraffic', 'metrics', 'primarySingleMetricKey', 'primaryFunnelKey', 'treatments', 'flags', 'randomizationUnit', 'reallocationFrequencyMillis', 'covariateId', 'attributes', PROTO, 'constructor'),
      oddValue,
      { maxKeys: 11 },
    ),
    fc.jsonValue({ maxDepth: 4 }),
    oddValue,
  );

/** allocationPercent spellings, and whether they are LaunchDarkly's decimal string (true), clearly not (false), or arguable. */
const ALLOCATIONS: [unknown, boolean | 'either'][] = [
  ['50', true],
  ['0', true],
  ['100', true],
  ['0.001', true],
  ['99.999', true],
  ['33.333', true],
  ['12.5', true],
  ['50.000', true],
  ['100.000', true],
  ['100.001', false],
  ['101', false],
  ['1000', false],
  ['50.0001', false],
  ['-1', false],
  ['-0', false],
  ['+50', false],
  ['1e2', false],
  ['0x32', false],
  ['NaN', false],
  ['Infinity', false],
  ['50%', false],
  ['50,5', false],
  ['.5', false],
  ['50.', false],
  ['', false],
  [' ', false],
  ['٥٠', false],
  ['５０', false],
  ['5\u00000', false],
  [50, false],
  [0.5, false],
  [null, false],
  [true, false],
  [['50'], false],
  [{ value: '50' }, false],
  [' 50', 'either'],
  ['50 ', 'either'],
  ['050', 'either'],
  ['\u200b50', false],
];

describe('createIteration: generated IterationInput bodies', { timeout: FUZZ_TIMEOUT_MS }, () => {
  it('valid bodies with odd but legal content are accepted and read back as sent', async () => {
    await forEachGenerated(validIteration(false), runs(60), async ({ body, echo }) => {
      const res = await fuzz.send(ITERATIONS, 'POST', iterationsPath(), { body, expect: 'success', label: 'valid' });
      if (res.status === 200) for (const problem of checkEcho(res.body, echo)) fuzz.failures.push(`${ITERATIONS} valid: ${problem}: ${JSON.stringify(body).slice(0, 400)}`);
    });
    expect(fuzz.take()).toEqual([]);
  });

  it('mutations of a valid body (missing, extra, mistyped, emptied, duplicated, hostile values) reach deep validation', async () => {
    await forEachGenerated(fc.array(mutation, { minLength: 1, maxLength: 4 }), runs(180), async (mutations) => {
      const body = mutate(iterationBody(w), mutations);
      await fuzz.send(ITERATIONS, 'POST', iterationsPath(), { raw: rawJson(body), label: 'mutated' });
    }, 1);
    expect(fuzz.take()).toEqual([]);
  });

  it('random and wholly hostile documents', async () => {
    await forEachGenerated(randomIteration(), runs(50), async (body) => {
      await fuzz.send(ITERATIONS, 'POST', iterationsPath(), { raw: rawJson(body), expect: 'refusal', label: 'random' });
    }, 2);
    expect(fuzz.take()).toEqual([]);
  });

  it('allocationPercent edge cases: decimal strings in 0–100 with up to 3 decimals are accepted, the rest refused', async () => {
    const pick = fc.tuple(fc.nat(ALLOCATIONS.length - 1), fc.nat(ALLOCATIONS.length - 1));
    await forEachGenerated(pick, runs(60), async ([i, j]) => {
      const [a, aValid] = ALLOCATIONS[i];
      const [b, bValid] = ALLOCATIONS[j];
      const body = iterationBody(w);
      const treatments = body.treatments as Record<string, unknown>[];
      treatments[0].allocationPercent = a;
      treatments[1].allocationPercent = b;
      const sum = (x: unknown) => Number(String(x).trim());
      let expectation: 'success' | 'refusal' | 'any' = 'any';
      if (aValid === false || bValid === false) expectation = 'refusal';
      else if (aValid === true && bValid === true) expectation = sum(a) + sum(b) <= 100 ? 'success' : 'refusal';
      await fuzz.send(ITERATIONS, 'POST', iterationsPath(), { raw: rawJson(body), expect: expectation, label: `allocationPercent ${JSON.stringify(a)} + ${JSON.stringify(b)}` });
    }, 3);
    expect(fuzz.take()).toEqual([]);
  });

  it('`flags` as a JSON string: the spec example’s form is decoded; anything else in the string is refused like the object would be', async () => {
    const good = () => ({ [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: w.version } });
    const strings: [string, string, 'success' | 'refusal'][] = [
      ['object', JSON.stringify(good()), 'success'],
      ['object with whitespace', ` \n${JSON.stringify(good(), null, 2)}\t`, 'success'],
      ['not JSON', '{flags}', 'refusal'],
      ['truncated', JSON.stringify(good()).slice(0, -3), 'refusal'],
      ['array', '[]', 'refusal'],
      ['null', 'null', 'refusal'],
      ['number', '12', 'refusal'],
      ['string in a string', JSON.stringify(JSON.stringify(good())), 'refusal'],
      ['empty', '', 'refusal'],
      ['__proto__ key', `{"__proto__":{"polluted":true},"${w.flag}":{"ruleId":"fallthrough","flagConfigVersion":${w.version}}}`, 'refusal'],
      ['__proto__ inside the flag', `{"${w.flag}":{"ruleId":"fallthrough","flagConfigVersion":${w.version},"__proto__":{"polluted":true}}}`, 'refusal'],
      ['constructor.prototype', `{"constructor":{"prototype":{"polluted":true}}}`, 'refusal'],
      ['NUL in a flag key', `{"a\\u0000b":{"ruleId":"fallthrough","flagConfigVersion":1}}`, 'refusal'],
      ['NUL in the rule id', `{"${w.flag}":{"ruleId":"fall\\u0000through","flagConfigVersion":${w.version}}}`, 'refusal'],
      ['lone surrogate flag key', `{"\\ud800":{"ruleId":"fallthrough","flagConfigVersion":1}}`, 'refusal'],
      ['deeply nested', `{"${w.flag}":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, 'refusal'],
      ['version as a string', JSON.stringify({ [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: String(w.version) } }), 'refusal'],
      ['a thousand flags', JSON.stringify(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`f${i}`, { ruleId: 'fallthrough', flagConfigVersion: 1 }]))), 'refusal'],
    ];
    for (const [label, flags, expectation] of strings) {
      await fuzz.send(ITERATIONS, 'POST', iterationsPath(), { body: iterationBody(w, { flags }), expect: expectation, label: `flags as string: ${label}` });
    }
    // And generated strings: whatever they hold, the invariants hold.
    await forEachGenerated(fc.oneof(oddString, fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.dictionary(oddKey, oddValue).map(rawJson)), runs(30), async (flags) => {
      await fuzz.send(ITERATIONS, 'POST', iterationsPath(), { body: iterationBody(w, { flags }), label: 'flags as generated string' });
    }, 4);
    expect(fuzz.take()).toEqual([]);
  });

  it('prototype keys anywhere in the body are refused and pollute nothing', async () => {
    const places = fc.record({ at: fc.nat(), key: fc.constantFrom(PROTO, 'constructor'), value: fc.constantFrom({ polluted: true }, { prototype: { polluted: true } }, 'x') });
    await forEachGenerated(places, runs(30), async ({ at, key, value }) => {
      const body = mutate(iterationBody(w), [{ kind: 'extra', at, key, value }]);
      const refused = key === PROTO || (typeof value === 'object' && 'prototype' in value);
      await fuzz.send(ITERATIONS, 'POST', iterationsPath(), { raw: rawJson(body), expect: refused ? 'refusal' : 'any', label: `${key === PROTO ? '__proto__' : key} key` });
    }, 5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fuzz.take()).toEqual([]);
  });

  it('an archived or missing experiment: refused whatever the body', async () => {
    await forEachGenerated(fc.tuple(fc.constantFrom('archived-exp', 'no-such-exp', '__proto__', 'constructor'), fc.boolean()), runs(8), async ([key, valid]) => {
      const body = valid ? iterationBody(w) : { hypothesis: 1 };
      await fuzz.send(ITERATIONS, 'POST', iterationsPath(key), { body, expect: 'refusal', label: key });
    }, 6);
    expect(fuzz.take()).toEqual([]);
  });
});

const nextKey = keySequence('fz');

describe('createExperiment: generated ExperimentPost bodies', { timeout: FUZZ_TIMEOUT_MS }, () => {
  it('valid bodies with odd but legal content are accepted', async () => {
    // `holdout` is not legal here: a holdout's experiment is made by creating the holdout.
    const post = fc.option(fc.constantFrom('experiment', 'mab'), { nil: undefined }).chain((type) => fc.record({
      name: storableText(300, 1),
      description: fc.option(storableText(300), { nil: undefined }),
      keyTail: fc.stringMatching(/^[A-Za-z0-9._-]{0,20}$/),
      tags: fc.option(fc.array(tagText(40), { maxLength: 5 }), { nil: undefined }),
      methodology: fc.option(fc.constantFrom('bayesian', 'frequentist', 'export_only'), { nil: undefined }),
      dataSource: fc.option(fc.constantFrom('launchdarkly', 'snowflake', 'databricks', 'redshift'), { nil: undefined }),
      type: fc.constant(type),
      analysisConfig: fc.option(
        fc.record({ bayesianThreshold: fc.constantFrom('10', '5'), multipleComparisonCorrectionMethod: fc.constantFrom('bonferroni', 'benjamini-hochberg'), sequentialTestingEnabled: fc.boolean() }, { requiredKeys: [] }),
        { nil: undefined },
      ),
      iteration: validIteration(type === 'mab'),
    }));
    await forEachGenerated(post, runs(40), async (g) => {
      const key = `${nextKey()}${g.keyTail}`;
      const body: Record<string, unknown> = { name: g.name, key, iteration: g.iteration.body };
      for (const field of ['description', 'tags', 'methodology', 'dataSource', 'type', 'analysisConfig'] as const) if (g[field] !== undefined) body[field] = g[field];
      const res = await fuzz.send(EXPERIMENTS, 'POST', experimentsPath(w), { body, expect: 'success', label: 'valid' });
      if (res.status === 201) {
        const read = (await s.get(`${experimentsPath(w, key)}?expand=treatments`)).body;
        const problems = checkEcho(read.currentIteration, g.iteration.echo);
        if (res.body.name !== g.name || read.name !== g.name) problems.push(`name came back as ${JSON.stringify(res.body.name)}`);
        for (const problem of problems) fuzz.failures.push(`${EXPERIMENTS} valid: ${problem}: ${JSON.stringify(body).slice(0, 400)}`);
      }
    }, 10);
    expect(fuzz.take()).toEqual([]);
  });

  it('mutations of a valid body reach the iteration inside it', async () => {
    await forEachGenerated(fc.array(mutation, { minLength: 1, maxLength: 4 }), runs(120), async (mutations) => {
      const body = mutate({ name: 'Fuzzed experiment', key: nextKey(), description: 'd', tags: ['t'], iteration: iterationBody(w) }, mutations);
      await fuzz.send(EXPERIMENTS, 'POST', experimentsPath(w), { raw: rawJson(body), label: 'mutated' });
    }, 11);
    expect(fuzz.take()).toEqual([]);
  });

  it('random and wholly hostile documents', async () => {
    const random = fc.oneof(
      fc.dictionary(
        fc.constantFrom('name', 'key', 'description', 'maintainerId', 'iteration', 'holdoutId', 'tags', 'methodology', 'analysisConfig', 'dataSource', 'type', PROTO, 'constructor'),
        oddValue,
        { maxKeys: 8 },
      ),
      fc.record({ name: oddString, key: oddString, iteration: randomIteration() }),
      oddValue,
    );
    await forEachGenerated(random, runs(50), async (body) => {
      await fuzz.send(EXPERIMENTS, 'POST', experimentsPath(w), { raw: rawJson(body), expect: 'refusal', label: 'random' });
    }, 12);
    expect(fuzz.take()).toEqual([]);
  });

  it('a duplicate key is refused and changes nothing, whatever else the body holds', async () => {
    await forEachGenerated(fc.array(mutation, { maxLength: 2 }), runs(10), async (mutations) => {
      const body = mutate({ name: 'Again', key: EXPERIMENT, iteration: iterationBody(w) }, mutations);
      await fuzz.send(EXPERIMENTS, 'POST', experimentsPath(w), { raw: rawJson(body), label: 'duplicate key' });
    }, 13);
    expect(fuzz.take()).toEqual([]);
  });
});
