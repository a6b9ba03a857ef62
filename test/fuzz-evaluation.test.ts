// Differential, property-based: iterlab's own evaluator (src/sdk/evaluation.ts, which answers the client-side and
// mobile SDKs and evaluateContextInstance) against the official Node server-side SDK, on the same flag data. Random
// flags and segments are made through the REST API (every clause operator, negation, nested attribute references
// and their escapes, context kinds, multi-contexts, targets, prerequisite chains, rollouts and experiments, segment
// rules with weights), then random contexts with odd attribute values are evaluated both ways: value, variation and
// reason must be the same for every flag. Every divergence is reported with the flag and the context.
import fc from 'fast-check';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody } from './support/fixtures.js';
import { FUZZ_SEED, FUZZ_TIMEOUT_MS, runs } from './support/fuzz.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

const P = 'evalx';
const ENV = 'production';
const KINDS = ['user', 'org', 'device'] as const;
const KEYS = ['ada', 'bob', 'cy', 'dee', 'ed', '42'];

// ---------------------------------------------------------------------------------------------------------
// Values: what contexts hold and what clauses compare them with, chosen to cross types and formats.

const STRINGS = ['ada', 'Ada', 'bob@example.com', 'example.com', '', ' ', '42', '4.5', '-1', 'true', 'null', 'beta', 'é', '🚀', 'a/b', '~'];
const SEMVERS = ['1', '1.2', '1.2.3', '1.2.3-beta.1', '1.2.3-beta.2', '1.2.3-alpha', '1.2.3+build.5', '1.2-rc.1', '2.0.0', ' 1.2.3', '1.2.3 ', 'v1.2.3', '01.2.3', '1.0.0-01', '1.2.3.4', '1.0.0-0', '1.0.0-x.7.z.92'];
const DATES = [
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00.123Z',
  '2024-06-01T12:30:00+02:00',
  '2024-06-01T12:30:00+02',
  '2024-06-01T12:30:00+0200',
  '2024-01-01t00:00:00z',
  '2024-01-01T00:00:00Zjunk',
  '2024-13-45T00:00:00Z',
  '2024-01-01',
  '2023-12-31T23:59:59-01:00',
];
const NUMBERS = [0, 1, -1, 4.5, 42, 1e21, 1704067200000, 1717237800000, 2 ** 53];
const scalar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 2, arbitrary: fc.constantFrom(...SEMVERS) },
  { weight: 2, arbitrary: fc.constantFrom(...DATES) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constantFrom(...KEYS) },
);
const attributeValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.array(fc.oneof(scalar, fc.constant(null), fc.constant([1])), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.record({ b: scalar, 'c/d': scalar, '~e': scalar }, { requiredKeys: [] }) },
);

/** Attribute names a context part may have (each with some value, or left out). */
const ATTRIBUTES = ['name', 'email', 'age', 'version', 'joined', 'groups', 'tier', 'a', 'a/b', '~x', 'anonymous', '_meta', 'custom', 'secondary'];

// Attribute references a clause names. With a context kind they are references (`/a/b`, `~1` for `/`, `~0` for
// `~`); without one, names as written (the old user model).
// `a~` is a reference the Node SDK refuses (the flag is malformed; the REST API takes it, as the Go SDK reads it
// as a name). References the API refuses (`/_meta/…`, `/a//b`), which data stored before that check may hold, are
// compared with the SDK in src/sdk/evaluation.test.ts. Not here: a path component that
// begins with `~` (`/~0x`), which the Node SDK alone reads unescaped; iterlab unescapes it, as the other SDKs and the
// reference's definition do (docs/compatibility.md, the client-side and mobile SDK endpoints; membership.test.ts).
const REFERENCES = ['name', '/name', 'email', 'age', '/age', 'version', 'joined', 'groups', 'tier', 'key', '/key', 'kind', '/kind', 'anonymous', '/anonymous', '/a/b', '/a/c~1d', '/a~1b', 'a~', '/a', 'missing', '/a/b/c'];
const LITERALS = ['name', 'email', 'age', 'version', 'key', 'kind', 'anonymous', 'a/b', '/a/b', '~x', 'a', 'custom', 'missing'];
const OPS = ['in', 'endsWith', 'startsWith', 'matches', 'contains', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'before', 'after', 'semVerEqual', 'semVerLessThan', 'semVerGreaterThan'];
const PATTERNS = ['^a', 'example\\.com$', '\\d+', '.*', '^$', 'B', '[🚀]'];

function clauseValues(op: string): fc.Arbitrary<unknown[]> {
  if (op === 'matches') return fc.subarray(PATTERNS, { minLength: 1, maxLength: 2 });
  if (op === 'in') return fc.array(fc.oneof(scalar, fc.constant(null), fc.constantFrom(...KINDS)), { maxLength: 3 });
  return fc.array(scalar, { minLength: 1, maxLength: 3 });
}

interface World {
  segments: { key: string; included: string[]; excluded: string[]; includedContexts: Target[]; excludedContexts: Target[]; rules: unknown[] }[];
  flags: Flag[];
  contexts: Record<string, unknown>[];
}
interface Target {
  contextKind: string;
  values: string[];
}
interface Flag {
  key: string;
  variations: { value: unknown }[];
  config: Record<string, unknown>;
}

const contextKind = fc.constantFrom(...KINDS);

/** A clause; segmentMatch names segments made before the one (or the flag) holding it, so there is no cycle. */
function clause(segmentKeys: string[]): fc.Arbitrary<Record<string, unknown>> {
  const attributeClause = fc.constantFrom(...OPS).chain((op) =>
    fc.oneof(
      fc.record({ contextKind, attribute: fc.constantFrom(...REFERENCES), op: fc.constant(op), values: clauseValues(op), negate: fc.boolean() }),
      fc.record({ attribute: fc.constantFrom(...LITERALS), op: fc.constant(op), values: clauseValues(op), negate: fc.boolean() }),
    ),
  );
  const kindClause = fc.record({ contextKind, attribute: fc.constantFrom('kind', '/kind'), op: fc.constantFrom('in', 'startsWith', 'matches'), values: fc.subarray(['user', 'org', 'device', 'o', '^d'], { minLength: 1 }), negate: fc.boolean() });
  if (segmentKeys.length === 0) return fc.oneof({ weight: 8, arbitrary: attributeClause }, { weight: 1, arbitrary: kindClause });
  const segmentClause = fc.record({ attribute: fc.constant('segmentMatch'), op: fc.constant('segmentMatch'), values: fc.subarray(segmentKeys, { minLength: 1, maxLength: Math.min(2, segmentKeys.length) }), negate: fc.boolean() });
  return fc.oneof({ weight: 6, arbitrary: attributeClause }, { weight: 1, arbitrary: kindClause }, { weight: 3, arbitrary: segmentClause });
}

const keys = fc.subarray(KEYS, { maxLength: 3 });
const targets = fc.array(fc.record({ contextKind: fc.constantFrom('user', 'org', 'device'), values: fc.subarray(KEYS, { minLength: 1, maxLength: 3 }) }), { maxLength: 1 });

function segment(index: number): fc.Arbitrary<World['segments'][number]> {
  const earlier = Array.from({ length: index }, (_, i) => `seg-${i}`);
  const rule = fc.record(
    {
      clauses: fc.array(clause(earlier), { maxLength: 2 }),
      weight: fc.integer({ min: 0, max: 100000 }),
      bucketBy: fc.constantFrom('key', 'name', 'age', '/a/b', 'a~'),
      rolloutContextKind: contextKind,
    },
    { requiredKeys: ['clauses'] },
  );
  // A key is either included or excluded (iterlab refuses both, as LaunchDarkly does).
  return fc.record({ key: fc.constant(`seg-${index}`), included: keys, excluded: keys, includedContexts: targets, excludedContexts: targets, rules: fc.array(rule, { maxLength: 2 }) }).map((seg) => {
    // `included` lists user keys, as `includedContexts` entries of kind user do.
    const included = (kind: string, key: string) => (kind === 'user' && seg.included.includes(key)) || seg.includedContexts.some((i) => i.contextKind === kind && i.values.includes(key));
    return {
      ...seg,
      excluded: seg.excluded.filter((k) => !included('user', k)),
      excludedContexts: seg.excludedContexts.map((t) => ({ ...t, values: t.values.filter((k) => !included(t.contextKind, k)) })).filter((t) => t.values.length > 0),
    };
  });
}

const VARIATION_SETS: unknown[][] = [
  [true, false],
  ['red', 'green', 'blue'],
  [0, 1.5, -3, 1e21],
  [{ a: 1 }, [1, 2], { b: [null] }],
];

function rollout(count: number): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      cut: fc.array(fc.integer({ min: 0, max: 100000 }), { minLength: count - 1, maxLength: count - 1 }),
      // 'a~' is an invalid reference to the Node SDK (with a context kind): the flag is malformed.
      bucketBy: fc.option(fc.constantFrom('key', 'name', 'age', '/a/b', 'a/b', 'version', 'kind', 'anonymous', 'a~'), { nil: undefined }),
      contextKind: fc.option(contextKind, { nil: undefined }),
      seed: fc.option(fc.integer({ min: 1, max: 0x7fffffff }), { nil: undefined }),
    })
    .map((r) => {
      const cuts = [0, ...r.cut.sort((a, b) => a - b), 100000];
      const variations = Array.from({ length: count }, (_, i) => ({ variation: i, weight: cuts[i + 1] - cuts[i] }));
      return {
        variations,
        ...(r.bucketBy !== undefined ? { bucketBy: r.bucketBy } : {}),
        ...(r.contextKind !== undefined ? { contextKind: r.contextKind } : {}),
        ...(r.seed !== undefined ? { seed: r.seed } : {}),
      };
    });
}

function serve(count: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(fc.nat(count - 1).map((variation) => ({ variation })), rollout(count).map((r) => ({ rollout: r })));
}

function flag(index: number, segmentKeys: string[], flagsBefore: { key: string; count: number }[]): fc.Arbitrary<Flag> {
  return fc.nat(VARIATION_SETS.length - 1).chain((set) => {
    const values = VARIATION_SETS[set];
    const count = values.length;
    // Prerequisites now and then, on recent flags: chains, off ones, and variations they may not serve.
    const prerequisite = flagsBefore.length === 0 ? fc.constant([]) : fc.option(fc.array(fc.constantFrom(...flagsBefore.slice(-6)).chain((p) => fc.nat(p.count - 1).map((variation) => ({ key: p.key, variation }))), { minLength: 1, maxLength: 2 }).map((ps) => ps.filter((p, i) => ps.findIndex((q) => q.key === p.key) === i)), { freq: 2, nil: [] });
    const rule = fc.tuple(fc.array(clause(segmentKeys), { maxLength: 3 }), serve(count), fc.boolean()).map(([clauses, s, trackEvents]) => ({ clauses, ...s, trackEvents }));
    return fc
      .record({
        on: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        offVariation: fc.option(fc.nat(count - 1), { nil: undefined }),
        targets: fc.array(fc.record({ values: fc.subarray(KEYS, { minLength: 1, maxLength: 2 }), variation: fc.nat(count - 1) }), { maxLength: 2 }),
        contextTargets: fc.array(fc.record({ contextKind: fc.constantFrom('user', 'org', 'device'), values: fc.subarray(KEYS, { minLength: 1, maxLength: 2 }), variation: fc.nat(count - 1) }), { maxLength: 2 }),
        rules: fc.array(rule, { maxLength: 3 }),
        fallthrough: serve(count),
        prerequisites: prerequisite,
      })
      .map((config) => ({ key: `flag-${index}`, variations: values.map((value) => ({ value })), config }));
  });
}

/** One part of a context: a key from a small pool (so targets hit), and some of the attributes, odd values included. */
const part = fc.record({ key: fc.constantFrom(...KEYS), attributes: fc.dictionary(fc.constantFrom(...ATTRIBUTES), attributeValue, { maxKeys: 7 }) }).map(({ key, attributes }) => {
  const out: Record<string, unknown> = { ...attributes, key };
  // `_meta` holds the private attributes' names (the SDK fails on anything else there).
  if ('_meta' in out) out._meta = { privateAttributes: ['email'] };
  return out;
});

const context: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.tuple(contextKind, part).map(([kind, p]) => ({ kind, ...p })),
  fc.tuple(fc.subarray([...KINDS], { minLength: 1 }), fc.array(part, { minLength: 3, maxLength: 3 })).map(([kinds, parts]) => ({ kind: 'multi', ...Object.fromEntries(kinds.map((k, i) => [k, parts[i]])) })),
  // A user without a kind (the old user model): built-in attributes at the top, the rest in `custom`.
  fc.tuple(part, fc.dictionary(fc.constantFrom(...ATTRIBUTES), attributeValue, { maxKeys: 3 })).map(([p, custom]) => {
    const { anonymous, _meta, ...rest } = p;
    return { ...rest, ...(anonymous !== undefined ? { anonymous } : {}), custom };
  }),
);

function world(flagCount: number, segmentCount: number, contextCount: number): fc.Arbitrary<World> {
  const segments = fc.tuple(...Array.from({ length: segmentCount }, (_, i) => segment(i)));
  const segmentKeys = Array.from({ length: segmentCount }, (_, i) => `seg-${i}`);
  // Flags one after the other, each able to name earlier ones as prerequisites.
  let flags: fc.Arbitrary<Flag[]> = fc.constant([]);
  for (let i = 0; i < flagCount; i++) {
    flags = flags.chain((before) => flag(i, segmentKeys, before.map((f) => ({ key: f.key, count: f.variations.length }))).map((f) => [...before, f]));
  }
  return fc.record({ segments, flags, contexts: fc.array(context, { minLength: contextCount, maxLength: contextCount }) });
}

// ---------------------------------------------------------------------------------------------------------

describe("iterlab's evaluator and the official Node server-side SDK give the same answers", { timeout: FUZZ_TIMEOUT_MS }, () => {
  let s: TestServer;
  let client: LDClient;
  let envId: string;
  let mobileKey: string;
  let w: World;
  let experimentFlags: string[];

  beforeAll(async () => {
    s = await startServer({ listen: true });
    // The world's flag runs an experiment (rollouts with kind experiment, a seed, untracked buckets are written
    // only by an iteration's start), beside the generated flags.
    const fixture = await createWorld(s, P);
    const version = await flagVersion(s, P, fixture.flag);
    await createExperimentIn(s, fixture, 'exp', iterationBody({ ...fixture, version }));
    expect((await s.patch(experimentsPath(fixture, 'exp'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    // A second one on a rule, randomized by org, with part of the traffic outside it (untracked buckets).
    expect((await s.put(`/api/v2/projects/${P}/experimentation-settings`, { randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'org' }] })).status).toBe(200);
    expect((await s.post(`/api/v2/metrics/${P}`, { key: 'org-metric', name: 'Org metric', kind: 'custom', eventKey: 'org-event', isNumeric: false, randomizationUnits: ['org'] })).status).toBe(201);
    const orgFlag = await s.post(`/api/v2/flags/${P}`, { key: 'org-experiment', name: 'Org experiment', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    expect(orgFlag.status).toBe(201);
    const ruled = await s.patch(`/api/v2/flags/${P}/org-experiment`, [
      { op: 'replace', path: `/environments/${ENV}/on`, value: true },
      { op: 'add', path: `/environments/${ENV}/rules/-`, value: { clauses: [{ contextKind: 'org', attribute: 'key', op: 'in', values: KEYS, negate: false }], variation: 2 } },
    ]);
    expect(ruled.status, JSON.stringify(ruled.body)).toBe(200);
    const orgVersion = ruled.body.environments[ENV].version;
    const ids: string[] = ruled.body.variations.map((v: { _id: string }) => v._id);
    const orgWorld = { ...fixture, flag: 'org-experiment', variations: ids, ruleId: ruled.body.environments[ENV].rules[0]._id, version: orgVersion };
    await createExperimentIn(
      s,
      orgWorld,
      'exp-org',
      iterationBody(orgWorld, {
        randomizationUnit: 'org',
        metrics: [{ key: 'org-metric' }],
        primarySingleMetricKey: 'org-metric',
        flags: { 'org-experiment': { ruleId: orgWorld.ruleId, flagConfigVersion: orgVersion } },
        treatments: [
          { name: 'A', baseline: true, allocationPercent: '40', parameters: [{ flagKey: 'org-experiment', variationId: ids[0] }] },
          { name: 'B', baseline: false, allocationPercent: '37.5', parameters: [{ flagKey: 'org-experiment', variationId: ids[1] }] },
        ],
      }),
    );
    const started = await s.patch(experimentsPath(orgWorld, 'exp-org'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    experimentFlags = [fixture.flag, 'org-experiment'];
    for (const key of experimentFlags) {
      await s.patch(`/api/v2/flags/${P}/${key}`, [{ op: 'replace', path: '/clientSideAvailability', value: { usingEnvironmentId: true, usingMobileKey: true } }]);
    }
    const environment = (await s.get(`/api/v2/projects/${P}/environments/${ENV}`)).body;
    envId = environment._id;
    mobileKey = environment.mobileKey;
    [w] = fc.sample(world(runs(120), 6, runs(60)), { numRuns: 1, seed: FUZZ_SEED });
    for (const seg of w.segments) {
      const made = await s.post(`/api/v2/segments/${P}/${ENV}`, { key: seg.key, name: seg.key });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const ops = (['included', 'excluded', 'includedContexts', 'excludedContexts', 'rules'] as const).map((field) => ({ op: 'replace', path: `/${field}`, value: seg[field] }));
      const patched = await s.patch(`/api/v2/segments/${P}/${ENV}/${seg.key}`, ops);
      expect(patched.status, `${seg.key}: ${JSON.stringify(patched.body)}`).toBe(200);
    }
    for (const f of w.flags) {
      const made = await s.post(`/api/v2/flags/${P}`, { key: f.key, name: f.key, variations: f.variations, clientSideAvailability: { usingEnvironmentId: true, usingMobileKey: true } });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const ops = Object.entries(f.config).map(([field, value]) => ({ op: 'replace', path: `/environments/${ENV}/${field}`, value }));
      if (f.config.offVariation === undefined) ops.push({ op: 'remove', path: `/environments/${ENV}/offVariation`, value: undefined });
      const patched = await s.patch(`/api/v2/flags/${P}/${f.key}`, ops.filter((op) => op.value !== undefined || op.op === 'remove'));
      expect(patched.status, `${f.key}: ${JSON.stringify(patched.body)}`).toBe(200);
    }
    client = sdkClient(s.url, await sdkKeyOf(s, P, ENV));
    await client.waitForInitialization({ timeout: 10 });
  });
  afterAll(async () => {
    client?.close();
    await s?.close();
  });

  it("a user's flag settings (`_value`) are the SDK's values for that user", async () => {
    const divergences: string[] = [];
    for (const key of KEYS) {
      const res = await s.get(`/api/v2/users/${P}/${ENV}/${key}/flags`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      for (const f of w.flags) {
        const want = await client.variationDetail(f.key, { kind: 'user', key }, null);
        const got = res.body.items[f.key]?._value;
        if (canonical(got) !== canonical(want.value)) divergences.push(`${f.key} for user ${key}: sdk ${JSON.stringify(want)}, settings ${JSON.stringify(got)}`);
      }
    }
    expect(divergences.slice(0, 5).join('\n'), `${divergences.length} divergences`).toBe('');
  });

  it('value, variation and reason of every flag for every context: client-side endpoint and evaluateContextInstance', async () => {
    const DEFAULT = '<sdk default>';
    const divergences: string[] = [];
    const kinds = new Map<string, number>();
    let compared = 0;
    for (const ctx of w.contexts) {
      // In turn: the client-side GET form (the context in the path, base64url), its REPORT form (in the body), and
      // the mobile SDKs' REPORT.
      const encoded = Buffer.from(JSON.stringify(ctx)).toString('base64url');
      const form = w.contexts.indexOf(ctx) % 3;
      const polled =
        form === 0 && encoded.length < 900
          ? await s.request('GET', `/sdk/evalx/${envId}/contexts/${encoded}?withReasons=true`, { token: null })
          : form === 2
            ? await s.request('REPORT', '/msdk/evalx/context?withReasons=true', { body: ctx, token: mobileKey })
            : await s.request('REPORT', `/sdk/evalx/${envId}/context?withReasons=true`, { body: ctx, token: null });
      expect(polled.status, JSON.stringify(polled.body)).toBe(200);
      const rest = await s.post(`/api/v2/projects/${P}/environments/${ENV}/flags/evaluate`, ctx);
      expect(rest.status, JSON.stringify(rest.body)).toBe(200);
      // What the SDK would bootstrap a client-side SDK with: whether a full event is wanted, with its reason, and the
      // prerequisites evaluated (for their events).
      const state = (await client.allFlagsState(ctx as never, { withReasons: true, clientSideOnly: true })).toJSON() as { $flagsState: Record<string, { trackEvents?: boolean; trackReason?: boolean; prerequisites?: string[] }> };
      const restByKey = new Map((rest.body.items as { key: string; _value: unknown; reason: Record<string, unknown> }[]).map((item) => [item.key, item]));
      for (const f of [...w.flags, ...experimentFlags.map((key) => ({ key, config: {} }))]) {
        const want = await client.variationDetail(f.key, ctx as never, DEFAULT);
        // Without a variation (an error, an off flag without an off variation) the SDK answers its default; iterlab, null.
        const wantValue = want.variationIndex === null || want.variationIndex === undefined ? null : want.value;
        const got = (polled.body as Record<string, { value: unknown; variation?: number; reason: unknown; trackEvents?: boolean; trackReason?: boolean; prerequisites?: string[] }>)[f.key];
        const meta = state.$flagsState[f.key];
        const wantEvents = JSON.stringify({ trackEvents: meta?.trackEvents === true, trackReason: meta?.trackReason === true, prerequisites: meta?.prerequisites ?? [] });
        const gotEvents = JSON.stringify({ trackEvents: got?.trackEvents === true, trackReason: got?.trackReason === true, prerequisites: got?.prerequisites ?? [] });
        if (wantEvents !== gotEvents) divergences.push(`${f.key} for ${JSON.stringify(ctx)}\n    sdk state: ${wantEvents}\n    evalx:     ${gotEvents}\n    flag:      ${JSON.stringify(f.config)}`);
        const gotRest = restByKey.get(f.key);
        const { ruleID, ...restReason } = (gotRest?.reason ?? {}) as Record<string, unknown>;
        const restAsSdk = ruleID === undefined ? restReason : { ...restReason, ruleId: ruleID };
        compared += 1;
        const kind = `${want.reason.kind}${want.reason.inExperiment ? ' inExperiment' : ''}`;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        const sdkAnswer = JSON.stringify({ value: wantValue, variation: want.variationIndex ?? null, reason: want.reason });
        const clientAnswer = JSON.stringify({ value: got?.value, variation: got?.variation ?? null, reason: got?.reason });
        const restAnswer = JSON.stringify({ value: gotRest?._value, variation: want.variationIndex ?? null, reason: restAsSdk });
        if (!sameAnswer(sdkAnswer, clientAnswer) || !sameAnswer(JSON.stringify({ ...JSON.parse(sdkAnswer), variation: null }), JSON.stringify({ ...JSON.parse(restAnswer), variation: null }))) {
          divergences.push(
            `${f.key} for ${JSON.stringify(ctx)}\n    sdk:     ${sdkAnswer}\n    evalx:   ${clientAnswer}\n    REST:    ${restAnswer}\n    flag:    ${JSON.stringify(f.config)}`,
          );
        }
      }
    }
    console.log(`fuzz-evaluation (seed ${FUZZ_SEED}): ${w.flags.length} flags, ${w.segments.length} segments, ${w.contexts.length} contexts, ${compared} evaluations compared; reasons ${JSON.stringify(Object.fromEntries(kinds))}`);
    expect(divergences.slice(0, 5).join('\n\n'), `${divergences.length} divergences`).toBe('');
    // The generated data reaches every kind of answer.
    for (const kind of ['OFF', 'FALLTHROUGH', 'FALLTHROUGH inExperiment', 'TARGET_MATCH', 'RULE_MATCH', 'RULE_MATCH inExperiment', 'PREREQUISITE_FAILED', 'ERROR']) expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
  });
});

/** The same JSON but for key order in the reason (the SDK's and iterlab's build it in different orders). */
function sameAnswer(a: string, b: string): boolean {
  return canonical(JSON.parse(a)) === canonical(JSON.parse(b));
}
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}
