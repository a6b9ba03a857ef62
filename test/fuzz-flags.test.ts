// Property-based hostile input on feature flags: generated create bodies (POST /api/v2/flags/{p}) and JSON Patch
// bodies (PATCH), valid and invalid, with prototype keys both as JSON keys and in JSON Patch paths. Never a 5xx;
// errors in LaunchDarkly's shape naming the field; a refusal changes nothing; Object.prototype stays clean; valid
// bodies succeed; a `test` on the current version passes and a stale one is a 409 that writes nothing.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FLAG_INSTRUCTIONS } from '../src/resources/flags/instructions.js';
import { OPERATORS } from '../src/resources/flags/schemas.js';
import { canonicalJson } from '../src/resources/flags/validate.js';
import { forEachGenerated, FUZZ_TIMEOUT_MS, Fuzzer, keySequence, mutate, mutation, oddKey, oddString, oddValue, PROTO, rawJson, runs, storableText, tagText } from './support/fuzz.js';
import { startServer, type TestServer } from './support/server.js';

const P = 'fz';
const ENVS = ['production', 'test'];
const POST = 'postFeatureFlag';
const PATCH = 'patchFeatureFlag';
let s: TestServer;
let fuzz: Fuzzer;
let prereqVariation: string;
const nextKey = keySequence('ff');

beforeAll(async () => {
  s = await startServer();
  fuzz = new Fuzzer(s);
  expect((await s.post('/api/v2/projects', { key: P, name: 'Fuzz flags' })).status).toBe(201);
  expect((await s.post('/api/v2/teams', { key: 'fz-team', name: 'Fuzz team' })).status).toBe(201);
  const prereq = await s.post(`/api/v2/flags/${P}`, { key: 'prereq', name: 'Prerequisite' });
  expect(prereq.status).toBe(201);
  prereqVariation = prereq.body.variations[0]._id;
  for (const key of ['valid-target', 'hostile-target']) expect((await s.post(`/api/v2/flags/${P}`, { key, name: key })).status).toBe(201);
  expect((await s.post(`/api/v2/flags/${P}`, { key: 'multi', name: 'Multi', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] })).status).toBe(201);
  for (const env of ENVS) for (const key of SEGMENT_KEYS) expect((await s.post(`/api/v2/segments/${P}/${env}`, { key, name: key })).status).toBe(201);
});
afterEach(() => {
  fuzz.take();
});
afterAll(async () => {
  console.log(fuzz.report('fuzz-flags'));
  await s.close();
});

/** A lone surrogate cannot be percent-encoded as UTF-8; it goes as the invalid bytes a broken client would send. */
function percentEncoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

const customPropertyKey = storableText(60, 1).filter((k) => !/[\n\r\u2028\u2029]/.test(k) && k !== '__proto__');

/** Variation lists that are valid: at least two, one type, unique by value, no null. */
const variations = fc.oneof(
  fc.constant([{ value: true }, { value: false }]),
  fc.uniqueArray(storableText(100), { minLength: 2, maxLength: 6, selector: (v) => JSON.stringify(v) }).map((vs) => vs.map((value) => ({ value }))),
  fc.uniqueArray(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), { minLength: 2, maxLength: 6, selector: (v) => JSON.stringify(v) }).map((vs) => vs.map((value) => ({ value }))),
  fc
    .uniqueArray(fc.oneof(fc.dictionary(storableText(10, 1).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 })), {
      minLength: 2,
      maxLength: 5,
      selector: canonicalJson,
    })
    .map((vs) => vs.map((value) => ({ value }))),
).chain((vs) =>
  fc.tuple(fc.constant(vs), fc.array(fc.record({ name: storableText(100), description: storableText(200) }, { requiredKeys: [] }), { minLength: vs.length, maxLength: vs.length })).map(([list, extras]) =>
    list.map((v, i) => ({ ...extras[i], ...v })),
  ),
);

const validPost = fc
  .record({
    name: storableText(300, 1),
    keyTail: fc.stringMatching(/^[A-Za-z0-9._-]{0,20}$/),
    description: fc.option(storableText(500), { nil: undefined }),
    variations: fc.option(variations, { nil: undefined }),
    defaults: fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }),
    temporary: fc.option(fc.boolean(), { nil: undefined }),
    tags: fc.option(fc.array(tagText(60), { maxLength: 5 }), { nil: undefined }),
    customProperties: fc.option(fc.dictionary(customPropertyKey, fc.record({ name: storableText(60), value: fc.array(storableText(30), { maxLength: 3 }) }), { maxKeys: 3 }), { nil: undefined }),
    clientSideAvailability: fc.option(fc.record({ usingEnvironmentId: fc.boolean(), usingMobileKey: fc.boolean() }), { nil: undefined }),
    includeInSnippet: fc.option(fc.boolean(), { nil: undefined }),
    isFlagOn: fc.option(fc.boolean(), { nil: undefined }),
    purpose: fc.option(fc.constant('holdout'), { nil: undefined }),
    prerequisite: fc.boolean(),
    maintainerTeamKey: fc.option(fc.constant('fz-team'), { nil: undefined }),
  })
  .map((g) => {
    const body: Record<string, unknown> = { name: g.name, key: '' };
    for (const field of ['description', 'variations', 'temporary', 'tags', 'customProperties', 'clientSideAvailability', 'includeInSnippet', 'isFlagOn', 'purpose', 'maintainerTeamKey'] as const) {
      if (g[field] !== undefined) body[field] = g[field];
    }
    const count = g.variations?.length ?? 2;
    if (g.defaults) body.defaults = { onVariation: g.defaults[0] % count, offVariation: g.defaults[1] % count };
    if (g.prerequisite) body.initialPrerequisites = [{ key: 'prereq', variationId: prereqVariation }];
    return { body, keyTail: g.keyTail };
  });

describe('postFeatureFlag: generated bodies', { timeout: FUZZ_TIMEOUT_MS }, () => {
  it('valid bodies with odd but legal content are created and read back as sent', async () => {
    await forEachGenerated(validPost, runs(60), async ({ body, keyTail }) => {
      const sent: Record<string, any> = { ...body, key: `${nextKey()}${keyTail}` };
      const res = await fuzz.send(POST, 'POST', `/api/v2/flags/${P}`, { body: sent, expect: 'success', label: 'valid' });
      if (res.status !== 201) return;
      const read = (await s.get(`/api/v2/flags/${P}/${sent.key}`)).body;
      const want = ((sent.variations as { value: unknown }[] | undefined) ?? [{ value: true }, { value: false }]).map((v) => canonicalJson(v.value));
      const got = (read.variations as { value: unknown }[]).map((v) => canonicalJson(v.value));
      if (JSON.stringify(want) !== JSON.stringify(got)) fuzz.failures.push(`${POST} valid: variations came back as ${JSON.stringify(got)}, sent ${JSON.stringify(want)}`);
      if (read.name !== sent.name) fuzz.failures.push(`${POST} valid: name came back as ${JSON.stringify(read.name)}, sent ${JSON.stringify(sent.name)}`);
      if (sent.customProperties && canonicalJson(read.customProperties) !== canonicalJson(sent.customProperties)) {
        fuzz.failures.push(`${POST} valid: customProperties came back as ${JSON.stringify(read.customProperties)}, sent ${JSON.stringify(sent.customProperties)}`);
      }
    });
    expect(fuzz.take()).toEqual([]);
  });

  it('mutations of a valid body (missing, extra, mistyped, emptied, duplicated, hostile values)', async () => {
    await forEachGenerated(fc.array(mutation, { minLength: 1, maxLength: 4 }), runs(130), async (mutations) => {
      const base = {
        name: 'Mutated flag',
        key: nextKey(),
        description: 'd',
        variations: [{ value: 'a', name: 'A' }, { value: 'b', description: 'B' }],
        defaults: { onVariation: 0, offVariation: 1 },
        tags: ['t'],
        temporary: true,
        customProperties: { cp: { name: 'CP', value: ['v'] } },
        clientSideAvailability: { usingEnvironmentId: true, usingMobileKey: false },
        isFlagOn: true,
        initialPrerequisites: [{ key: 'prereq', variationId: prereqVariation }],
      };
      await fuzz.send(POST, 'POST', `/api/v2/flags/${P}`, { raw: rawJson(mutate(base, mutations)), label: 'mutated' });
    }, 20);
    expect(fuzz.take()).toEqual([]);
  });

  it('random and wholly hostile documents, and hostile clone sources', async () => {
    const fields = ['name', 'key', 'description', 'includeInSnippet', 'clientSideAvailability', 'variations', 'temporary', 'tags', 'customProperties', 'defaults', 'purpose', 'migrationSettings', 'maintainerId', 'maintainerTeamKey', 'initialPrerequisites', 'isFlagOn'];
    const random = fc.oneof(
      fc.dictionary(fc.constantFrom(...fields, PROTO, 'constructor'), oddValue, { maxKeys: 10 }),
      fc.record({ name: oddString, key: oddString, variations: fc.array(fc.record({ value: oddValue }), { maxLength: 4 }) }),
      fc.record({ name: fc.constant('Odd properties'), key: fc.constant('odd'), customProperties: fc.dictionary(oddKey, oddValue, { minKeys: 1, maxKeys: 3 }) }),
      oddValue,
    );
    await forEachGenerated(random, runs(40), async (body) => {
      await fuzz.send(POST, 'POST', `/api/v2/flags/${P}`, { raw: rawJson(body), label: 'random' });
    }, 21);
    // Custom property names the schema's key rules must hold for (a pattern `^(.*)$` does not match a newline).
    const oddNames = ['a\nb', '\n', 'a\r\nb', '\u2028', '', 'x'.repeat(300)];
    await forEachGenerated(fc.tuple(fc.constantFrom(...oddNames), fc.oneof(oddValue, fc.constant({ name: 'ok', value: ['v'] }))), runs(12), async ([name, value]) => {
      const body = { name: 'Odd property name', key: nextKey(), customProperties: { [name]: value } };
      const valid = name !== '' && name.length <= 256 && JSON.stringify(value) === JSON.stringify({ name: 'ok', value: ['v'] });
      const label = `custom property ${JSON.stringify(name).slice(0, 20)}`;
      await fuzz.send(POST, 'POST', `/api/v2/flags/${P}`, { body, expect: valid ? 'success' : 'refusal', label });
      const path = `/customProperties/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      await fuzz.send(PATCH, 'PATCH', `/api/v2/flags/${P}/hostile-target`, { body: [{ op: 'add', path, value }], expect: valid ? 'success' : 'refusal', label });
    }, 23);
    await forEachGenerated(fc.tuple(oddString, fc.boolean()), runs(10), async ([source, withVariations]) => {
      const body: Record<string, unknown> = { name: 'Clone', key: nextKey() };
      if (withVariations) body.variations = [{ value: 1 }, { value: 2 }];
      // An odd string may be a legal key that the random documents above made a flag of (seed 777001 made
      // `hasOwnProperty`): that one is cloned, unless the body also gives what a clone copies.
      const exists = source !== '' && (await s.get(`/api/v2/flags/${P}/${percentEncoded(source)}`)).body?.key === source;
      await fuzz.send(POST, 'POST', `/api/v2/flags/${P}?clone=${percentEncoded(source)}`, { body, expect: exists && !withVariations ? 'success' : 'refusal', label: 'clone' });
    }, 22);
    expect(fuzz.take()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// JSON Patch

type Op = { op: string; path: string; value?: unknown; from?: string };
const env = fc.constantFrom(...ENVS);
const variationIndex = fc.nat(1);
const rollout = fc.record({ a: fc.integer({ min: 0, max: 100_000 }), bucketBy: fc.option(fc.constantFrom('key', 'email', 'country'), { nil: undefined }), seed: fc.option(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { nil: undefined }) }).map((r) => ({
  variations: [
    { variation: 0, weight: r.a },
    { variation: 1, weight: 100_000 - r.a },
  ],
  ...(r.bucketBy ? { bucketBy: r.bucketBy } : {}),
  ...(r.seed ? { seed: r.seed } : {}),
}));
const REGEXES = ['^a.*$', '\\d+', '[\\u{1F680}]', '(?<name>x)', '.*'];
const SEGMENT_KEYS = ['seg-a', 'seg-b'];
const clause = fc.oneof(
  fc.record({ attribute: storableText(40, 1), op: fc.constantFrom(...OPERATORS.filter((o) => o !== 'matches' && o !== 'segmentMatch')), values: fc.array(fc.oneof(storableText(30), fc.integer(), fc.boolean()), { maxLength: 4 }), negate: fc.boolean() }, { requiredKeys: ['attribute', 'op', 'values'] }),
  fc.record({ attribute: fc.constantFrom('email', 'key'), op: fc.constant('matches'), values: fc.subarray(REGEXES, { minLength: 1 }) }),
  // segmentMatch names segments of the clause's environment (the suite creates them in each).
  fc.record({ attribute: fc.constant('segmentMatch'), op: fc.constant('segmentMatch'), values: fc.subarray(SEGMENT_KEYS, { minLength: 1 }), negate: fc.boolean() }),
);
const rule = fc.record({ clauses: fc.array(clause, { maxLength: 3 }), serve: fc.oneof(variationIndex.map((variation) => ({ variation })), rollout.map((r) => ({ rollout: r }))), description: fc.option(storableText(100), { nil: undefined }), trackEvents: fc.option(fc.boolean(), { nil: undefined }) }).map((r) => ({
  clauses: r.clauses,
  ...r.serve,
  ...(r.description !== undefined ? { description: r.description } : {}),
  ...(r.trackEvents !== undefined ? { trackEvents: r.trackEvents } : {}),
}));

/** Operations that always apply to a boolean flag, whatever earlier valid patches did to it. */
const validOp: fc.Arbitrary<Op> = fc.oneof(
  storableText(200, 1).map((value) => ({ op: 'replace', path: '/name', value })),
  storableText(300).map((value) => ({ op: 'replace', path: '/description', value })),
  fc.array(tagText(40), { maxLength: 4 }).map((value) => ({ op: 'replace', path: '/tags', value })),
  tagText(40).map((value) => ({ op: 'add', path: '/tags/-', value })),
  fc.boolean().map((value) => ({ op: 'replace', path: '/temporary', value })),
  fc.boolean().map((value) => ({ op: 'replace', path: '/deprecated', value })),
  fc.boolean().map((value) => ({ op: 'replace', path: '/archived', value })),
  fc.tuple(env, fc.boolean()).map(([e, value]) => ({ op: 'replace', path: `/environments/${e}/on`, value })),
  fc.tuple(env, variationIndex).map(([e, value]) => ({ op: 'replace', path: `/environments/${e}/offVariation`, value })),
  fc.tuple(env, fc.oneof(variationIndex.map((variation) => ({ variation })), rollout.map((r) => ({ rollout: r })))).map(([e, value]) => ({ op: 'replace', path: `/environments/${e}/fallthrough`, value })),
  fc.tuple(env, rule).map(([e, value]) => ({ op: 'add', path: `/environments/${e}/rules/-`, value })),
  fc.tuple(env, rule).map(([e, value]) => ({ op: 'add', path: `/environments/${e}/rules/0`, value })),
  env.map((e) => ({ op: 'replace', path: `/environments/${e}/rules`, value: [] })),
  fc.tuple(env, fc.uniqueArray(storableText(30, 1), { maxLength: 4 }), variationIndex).map(([e, values, variation]) => ({ op: 'replace', path: `/environments/${e}/targets`, value: values.length ? [{ values, variation }] : [] })),
  fc.tuple(env, fc.boolean()).map(([e, value]) => ({ op: 'replace', path: `/environments/${e}/trackEvents`, value })),
  fc.dictionary(customPropertyKey, fc.record({ name: storableText(40), value: fc.array(storableText(20), { maxLength: 3 }) }), { maxKeys: 2 }).map((value) => ({ op: 'replace', path: '/customProperties', value })),
  fc.record({ usingEnvironmentId: fc.boolean(), usingMobileKey: fc.boolean() }).map((value) => ({ op: 'replace', path: '/clientSideAvailability', value })),
  fc.tuple(variationIndex, variationIndex).map(([on, off]) => ({ op: 'replace', path: '/defaults', value: { onVariation: on, offVariation: off } })),
  fc.tuple(variationIndex, storableText(60)).map(([i, value]) => ({ op: 'add', path: `/variations/${i}/name`, value })),
  fc.tuple(env, fc.constantFrom('on', 'rules', 'fallthrough', 'offVariation', 'targets')).map(([e, field]) => ({ op: 'copy', from: `/environments/${e}/${field}`, path: `/environments/${e === 'production' ? 'test' : 'production'}/${field}` })),
);

type VersionTest = 'none' | 'current' | 'stale' | 'flag-current';

async function versions(key: string): Promise<{ env: number; flag: number }> {
  const flag = (await s.get(`/api/v2/flags/${P}/${key}`)).body;
  return { env: flag.environments.production.version, flag: flag._version };
}

const SEGMENTS = [
  'name', 'description', 'tags', 'temporary', 'variations', 'maintainerId', 'archived', 'deprecated', 'customProperties', 'clientSideAvailability',
  'includeInSnippet', 'defaults', 'environments', 'production', 'test', 'nope', 'on', 'targets', 'contextTargets', 'rules', 'fallthrough',
  'offVariation', 'prerequisites', 'trackEvents', 'version', 'salt', '_version', '_id', 'key', 'kind', 'rollout', 'variation', 'weight', 'clauses',
  'values', 'experimentAllocation', '0', '1', '-', '99', '01', '-1', '1e1', '__proto__', 'constructor', 'prototype', '', '~0', '~1', '~2', 'a~1b', '_links',
];
const segment = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...SEGMENTS) }, { weight: 1, arbitrary: oddString.map((v) => v.slice(0, 60)) });
const pointer = fc.oneof(
  { weight: 8, arbitrary: fc.array(segment, { maxLength: 6 }).map((parts) => parts.map((p) => `/${p}`).join('')) },
  { weight: 1, arbitrary: oddString },
);
const PROTO_PATHS = ['/__proto__', '/__proto__/polluted', '/constructor/prototype/polluted', '/customProperties/__proto__', '/customProperties/constructor', '/customProperties/x/__proto__/polluted', '/environments/__proto__', '/environments/production/__proto__/polluted', '/environments/production/rules/__proto__', '/variations/__proto__', '/prototype', '/tags/constructor', '/environments/constructor/on', '/defaults/__proto__'];
const hostileOp: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test'), path: pointer, value: fc.oneof(oddValue, rule, rollout, variationIndex), from: pointer }, { requiredKeys: ['op', 'path'] }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constantFrom('add', 'replace', 'test', 'remove', 'copy', 'move'), path: fc.constantFrom(...PROTO_PATHS), value: fc.constantFrom({ polluted: true }, 'x', 1), from: fc.constantFrom(...PROTO_PATHS, '/name') }, { requiredKeys: ['op', 'path', 'value'] }) },
  { weight: 1, arbitrary: fc.record({ op: oddValue, path: oddValue, value: oddValue, from: oddValue, [PROTO]: fc.constant({ polluted: true }) }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: oddValue },
);
const hostileBody = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.oneof(hostileOp, validOp), { maxLength: 5 }) },
  { weight: 2, arbitrary: fc.record({ comment: fc.oneof(storableText(50), oddValue), patch: fc.array(fc.oneof(hostileOp, validOp), { maxLength: 4 }) }, { requiredKeys: ['patch'] }) },
  { weight: 1, arbitrary: fc.record({ merge: oddValue, instructions: oddValue, comment: oddValue }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: oddValue },
);

describe('patchFeatureFlag: generated JSON Patch bodies', { timeout: FUZZ_TIMEOUT_MS }, () => {
  it('valid patches apply; a test on the current version passes, a stale one is a 409 that writes nothing', async () => {
    const patch = fc.record({ ops: fc.array(validOp, { minLength: 1, maxLength: 4 }), guard: fc.constantFrom<VersionTest>('none', 'none', 'current', 'stale', 'flag-current'), wrapped: fc.boolean(), comment: storableText(100) });
    await forEachGenerated(patch, runs(90), async ({ ops, guard, wrapped, comment }) => {
      const v = await versions('valid-target');
      const tests: Op[] =
        guard === 'current'
          ? [{ op: 'test', path: '/environments/production/version', value: v.env }]
          : guard === 'stale'
            ? [{ op: 'test', path: '/environments/production/version', value: v.env - 1 }]
            : guard === 'flag-current'
              ? [{ op: 'test', path: '/_version', value: v.flag }]
              : [];
      const all = [...tests, ...ops];
      const res = await fuzz.send(PATCH, 'PATCH', `/api/v2/flags/${P}/valid-target`, { body: wrapped ? { comment, patch: all } : all, expect: guard === 'stale' ? 'refusal' : 'success', label: `valid, test ${guard}` });
      if (guard === 'stale' && (res.status !== 409 || res.body.code !== 'optimistic_locking_error')) fuzz.failures.push(`${PATCH}: a stale version test answered ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      if (res.status === 200) {
        const after = await versions('valid-target');
        if (after.flag < v.flag || after.env < v.env) fuzz.failures.push(`${PATCH}: versions went back from ${JSON.stringify(v)} to ${JSON.stringify(after)}`);
      }
    }, 30);
    expect(fuzz.take()).toEqual([]);
  });

  it('hostile patches: odd ops, paths and values, read-only and nonexistent paths, malformed documents', async () => {
    await forEachGenerated(fc.tuple(hostileBody, fc.constantFrom('hostile-target', 'multi')), runs(140), async ([body, key]) => {
      await fuzz.send(PATCH, 'PATCH', `/api/v2/flags/${P}/${key}`, { raw: rawJson(body), label: 'hostile' });
    }, 31);
    expect(fuzz.take()).toEqual([]);
  });

  it('prototype keys in JSON Patch paths and values are refused and pollute nothing', async () => {
    const op = fc.record({ op: fc.constantFrom('add', 'replace', 'remove', 'move', 'copy'), path: fc.constantFrom(...PROTO_PATHS), from: fc.constantFrom(...PROTO_PATHS), value: fc.constantFrom({ polluted: true }, 'polluted') });
    await forEachGenerated(fc.array(op, { minLength: 1, maxLength: 3 }), runs(40), async (ops) => {
      await fuzz.send(PATCH, 'PATCH', `/api/v2/flags/${P}/hostile-target`, { body: ops, expect: 'refusal', label: 'prototype path' });
    }, 32);
    for (const raw of [
      `[{"op":"add","path":"/customProperties/x","value":{"name":"n","value":[],"__proto__":{"polluted":true}}}]`,
      `[{"op":"replace","path":"/environments/production/fallthrough","value":{"variation":0,"constructor":{"prototype":{"polluted":true}}}}]`,
      `{"comment":"c","patch":[],"__proto__":{"polluted":true}}`,
      `[{"op":"test","path":"/name","value":"x","__proto__":{"polluted":true}}]`,
    ]) {
      await fuzz.send(PATCH, 'PATCH', `/api/v2/flags/${P}/hostile-target`, { raw, expect: 'refusal', label: 'prototype key in a value' });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fuzz.take()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Semantic patch and JSON merge patch

/** Values that fit an instruction parameter by its name, for the flag `key`; hostile values are mixed in. */
function parameter(name: string, flag: any): fc.Arbitrary<unknown> {
  const variationIds: string[] = flag.variations.map((v: { _id: string }) => v._id);
  const ruleIds: string[] = flag.environments.production.rules.map((r: { _id: string }) => r._id);
  const clauseIds: string[] = flag.environments.production.rules.flatMap((r: { clauses: { _id: string }[] }) => r.clauses.map((c) => c._id));
  const plausible: Record<string, fc.Arbitrary<unknown>> = {
    variationId: fc.constantFrom(...variationIds),
    ruleId: ruleIds.length ? fc.constantFrom(...ruleIds) : fc.constant('no-rule'),
    beforeRuleId: ruleIds.length ? fc.constantFrom(...ruleIds) : fc.constant('no-rule'),
    clauseId: clauseIds.length ? fc.constantFrom(...clauseIds) : fc.constant('no-clause'),
    ruleIds: fc.shuffledSubarray(ruleIds),
    clauseIds: fc.subarray(clauseIds),
    rolloutWeights: fc.integer({ min: 0, max: 100_000 }).map((a) => ({ [variationIds[0]]: a, [variationIds[1]]: 100_000 - a })),
    rolloutBucketBy: fc.constantFrom('key', 'email'),
    rolloutContextKind: fc.constantFrom('user', 'org'),
    clauses: fc.array(clause, { maxLength: 2 }),
    clause,
    values: fc.array(storableText(20, 1), { minLength: 1, maxLength: 3 }),
    value: fc.oneof(storableText(60, 1), fc.constantFrom('usingMobileKey', 'usingEnvironmentId')),
    key: fc.constantFrom('prereq', 'multi', 'cp', nextKeyLike()),
    name: storableText(60),
    description: storableText(100),
    trackEvents: fc.boolean(),
    contextKind: fc.constantFrom('user', 'org'),
    targets: fc.array(fc.record({ variationId: fc.constantFrom(...variationIds), values: fc.array(storableText(20, 1), { maxLength: 3 }) }), { maxLength: 2 }),
    rules: fc.array(rule.map((r) => ({ clauses: r.clauses, variationId: variationIds[0] })), { maxLength: 2 }),
    prerequisites: fc.constant([{ key: 'prereq', variationId: prereqVariation }]),
    onVariationValue: fc.constantFrom(true, false, 'a'),
    offVariationValue: fc.constantFrom(true, false, 'a'),
  };
  return fc.oneof({ weight: 4, arbitrary: plausible[name] ?? storableText(30) }, { weight: 1, arbitrary: oddValue });
}
const nextKeyLike = () => 'no-such-flag';

// deleteFlag alone would delete the target flag and leave the rest of the run answering 404 (it has its own tests).
const KINDS = (Object.keys(FLAG_INSTRUCTIONS) as (keyof typeof FLAG_INSTRUCTIONS)[]).filter((kind) => kind !== 'deleteFlag');

/** One instruction of a kind, its parameters filled by name (some left out, an odd one added now and then). */
function instruction(flag: any): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(...KINDS).chain((kind) => {
    const properties = Object.keys((FLAG_INSTRUCTIONS[kind] as { properties: Record<string, unknown> }).properties);
    const fields = Object.fromEntries(properties.map((name) => [name, parameter(name, flag)]));
    return fc.tuple(fc.record(fields, { requiredKeys: [] }), fc.option(fc.tuple(oddKey, oddValue), { freq: 6 })).map(([params, extra]) => ({
      kind,
      ...params,
      ...(extra ? { [extra[0]]: extra[1] } : {}),
    }));
  });
}

describe('patchFeatureFlag: generated semantic and merge patches', { timeout: FUZZ_TIMEOUT_MS }, () => {
  it('semantic patches of every instruction kind, with plausible and hostile parameters', async () => {
    const flag = (await s.get(`/api/v2/flags/${P}/hostile-target`)).body;
    const body = fc.record(
      {
        environmentKey: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ENVS) }, { weight: 1, arbitrary: oddValue }),
        comment: fc.oneof(storableText(40), oddValue),
        instructions: fc.array(fc.oneof({ weight: 8, arbitrary: instruction(flag) }, { weight: 1, arbitrary: oddValue }), { minLength: 1, maxLength: 4 }),
      },
      { requiredKeys: ['instructions'] },
    );
    await forEachGenerated(fc.tuple(body, fc.boolean()), runs(100), async ([patch, semanticType]) => {
      const headers = semanticType ? { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } : undefined;
      await fuzz.send(PATCH, 'PATCH', `/api/v2/flags/${P}/hostile-target`, { raw: rawJson(patch), headers, label: 'semantic' });
    }, 33);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fuzz.take()).toEqual([]);
  });

  it('instructions that always apply succeed', async () => {
    const flag = (await s.get(`/api/v2/flags/${P}/valid-target`)).body;
    const ids: string[] = flag.variations.map((v: { _id: string }) => v._id);
    const valid = fc.oneof(
      fc.constantFrom({ kind: 'turnFlagOn' }, { kind: 'turnFlagOff' }, { kind: 'makeFlagTemporary' }, { kind: 'makeFlagPermanent' }),
      storableText(100, 1).map((value) => ({ kind: 'updateName', value })),
      storableText(200).map((value) => ({ kind: 'updateDescription', value })),
      fc.array(tagText(40), { minLength: 1, maxLength: 3 }).map((values) => ({ kind: 'addTags', values })),
      fc.constantFrom(...ids).map((variationId) => ({ kind: 'updateFallthroughVariationOrRollout', variationId })),
      fc.constantFrom(...ids).map((variationId) => ({ kind: 'updateOffVariation', variationId })),
      fc.tuple(fc.array(clause, { maxLength: 2 }), fc.constantFrom(...ids)).map(([clauses, variationId]) => ({ kind: 'addRule', clauses, variationId })),
      fc.tuple(fc.uniqueArray(storableText(20, 1), { minLength: 1, maxLength: 3 }), fc.constantFrom(...ids)).map(([values, variationId]) => ({ kind: 'addTargets', values, variationId, contextKind: 'user' })),
    );
    let targetSeq = 0;
    await forEachGenerated(fc.tuple(fc.array(valid, { minLength: 1, maxLength: 4 }), fc.constantFrom(...ENVS)), runs(50), async ([generated, environmentKey]) => {
      // A context key may be targeted to one variation only: each added one is new.
      const instructions = generated.map((ins) => ('values' in ins && ins.kind === 'addTargets' ? { ...ins, values: ins.values.map((v) => `${v}#${++targetSeq}`) } : ins));
      await fuzz.send(PATCH, 'PATCH', `/api/v2/flags/${P}/valid-target`, { body: { environmentKey, instructions }, expect: 'success', label: 'valid semantic' });
    }, 34);
    expect(fuzz.take()).toEqual([]);
  });

  it('JSON merge patches: editable members changed, read-only ones and hostile values refused, nothing polluted', async () => {
    const merge = fc.oneof(
      { weight: 3, arbitrary: fc.record({ name: storableText(60, 1), description: storableText(100), tags: fc.array(tagText(20), { maxLength: 3 }), temporary: fc.boolean(), environments: fc.record({ production: fc.record({ on: fc.boolean() }, { requiredKeys: [] }) }, { requiredKeys: [] }) }, { requiredKeys: [] }) },
      { weight: 3, arbitrary: fc.dictionary(fc.constantFrom(...SEGMENTS, PROTO), fc.oneof(oddValue, fc.dictionary(fc.constantFrom(...SEGMENTS, PROTO), oddValue, { maxKeys: 3 })), { maxKeys: 4 }) },
      { weight: 1, arbitrary: oddValue },
    );
    await forEachGenerated(fc.tuple(merge, fc.option(storableText(30), { nil: undefined })), runs(60), async ([m, comment]) => {
      await fuzz.send(PATCH, 'PATCH', `/api/v2/flags/${P}/hostile-target`, { raw: rawJson(comment === undefined ? { merge: m } : { comment, merge: m }), label: 'merge' });
    }, 35);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fuzz.take()).toEqual([]);
  });
});
