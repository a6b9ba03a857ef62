// Regression cases of iterlab's evaluator (evaluation.ts, membership.ts), each a divergence from the official Node
// server-side SDK that test/fuzz-evaluation.test.ts found: the same flag and segment data are given to the SDK (its
// TestData source) and to evaluate(), and both must give the expected answer. The one deliberate difference (a
// reference component beginning with `~`) is checked last.
import { init, integrations, type LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextsByKind } from '../resources/contexts/context.js';
import type { SegmentDoc } from '../resources/segments/model.js';
import { evaluate, type SdkFlagModel } from './evaluation.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const td = new integrations.TestData();
let client: LDClient;

function flag(key: string, overrides: Partial<SdkFlagModel>): SdkFlagModel {
  return { key, on: true, salt: 'salt', prerequisites: [], targets: [], contextTargets: [], rules: [], fallthrough: { variation: 0 }, offVariation: 1, variations: ['fallthrough', 'off', 'matched', 'other'], ...overrides };
}
const rule = (clauses: SdkFlagModel['rules'][number]['clauses'], serve: Partial<SdkFlagModel['rules'][number]> = { variation: 2 }) => ({ id: 'r0', clauses, ...serve });
const clause = (attribute: string, op: string, values: unknown[], extra: { contextKind?: string; negate?: boolean } = {}) => ({ attribute, op, values, negate: false, ...extra });

const segments = new Map<string, SegmentDoc>();
const SEGMENT: SegmentDoc = {
  name: 'S',
  tags: [],
  creationDate: 1,
  lastModifiedDate: 1,
  included: [],
  excluded: [],
  includedContexts: [],
  excludedContexts: [],
  rules: [{ _id: 'sr', clauses: [{ _id: 'c', attribute: 'tier', op: 'in', values: ['gold'], negate: false }], weight: 100000, bucketBy: 'a~', rolloutContextKind: 'user' }],
  version: 1,
  salt: 'segsalt',
};
segments.set('bad-weight', SEGMENT);

const FLAGS: SdkFlagModel[] = [
  // `/kind` is the context's kinds, as `kind` is.
  flag('kind-reference', { rules: [rule([clause('/kind', 'in', ['org'], { contextKind: 'user' })])] }),
  // `anonymous` is false when the context does not say.
  flag('anonymous-missing', { rules: [rule([clause('anonymous', 'in', [false], { contextKind: 'user' })])] }),
  // A seed replaces key and salt in a plain percentage rollout too.
  flag('seeded-rollout', { fallthrough: { rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 3, weight: 50000 }], seed: 61 } } }),
  // Invalid references: the flag is malformed; an invalid clause before a matching one counts as a match.
  flag('trailing-tilde', { rules: [rule([clause('a~', 'in', ['x'], { contextKind: 'user' })])] }),
  flag('meta-reference', { rules: [rule([clause('/_meta/privateAttributes', 'in', ['x'], { contextKind: 'user' })])] }),
  flag('invalid-then-match', { rules: [rule([clause('a~', 'in', ['x'], { contextKind: 'user' }), clause('key', 'in', ['ada'])])] }),
  flag('invalid-bucket-by', { fallthrough: { rollout: { variations: [{ variation: 0, weight: 100000 }], bucketBy: '/a//b', contextKind: 'user' } } }),
  flag('invalid-segment-weight', { rules: [rule([clause('segmentMatch', 'segmentMatch', ['bad-weight'])])] }),
  // Bucketing by `kind` reads the context's kinds, which cannot be bucketed: bucket 0.
  flag('bucket-by-kind', { fallthrough: { rollout: { variations: [{ variation: 0, weight: 1 }, { variation: 3, weight: 99999 }], bucketBy: 'kind', contextKind: 'user' } } }),
  // Dates: the Node SDK's pattern (upper-case T and Z, an offset without minutes, anything after).
  flag('date-lower-case', { rules: [rule([clause('joined', 'before', ['2030-01-01T00:00:00Z'])])] }),
  flag('date-short-offset', { rules: [rule([clause('joined', 'after', ['2020-01-01T00:00:00Z'])])] }),
  // Semantic versions: blanks around are ignored, `v` and leading zeros refused.
  flag('semver-blanks', { rules: [rule([clause('version', 'semVerEqual', ['1.2.3'])])] }),
  flag('semver-leading-zero', { rules: [rule([clause('version', 'semVerLessThan', ['2.0.0'])])] }),
  // Prerequisites: the evaluated ones are listed (for client-side SDKs' events), a missing one not.
  flag('with-prerequisites', { prerequisites: [{ key: 'kind-reference', variation: 0 }, { key: 'no-such-flag', variation: 0 }, { key: 'anonymous-missing', variation: 0 }] }),
  // User targets of one variation in two lists, beside another kind's: the SDK reads the first list of a variation.
  flag('user-targets-same-variation', {
    targets: [
      { values: ['ed'], variation: 2 },
      { values: ['ada'], variation: 2 },
    ],
    contextTargets: [
      { contextKind: 'user', values: [], variation: 2 },
      { contextKind: 'org', values: ['acme'], variation: 3 },
    ],
  }),
];

function sdkSegment(key: string, doc: SegmentDoc) {
  return { key, version: 1, included: doc.included, excluded: doc.excluded, includedContexts: doc.includedContexts, excludedContexts: doc.excludedContexts, salt: doc.salt, rules: doc.rules.map(({ _id, ...rest }) => ({ id: _id, ...rest, clauses: rest.clauses.map(({ _id: _c, ...c }) => c) })) };
}

beforeAll(async () => {
  for (const f of FLAGS) await td.usePreconfiguredFlag({ ...f, version: 1 });
  for (const [key, doc] of segments) await td.usePreconfiguredSegment(sdkSegment(key, doc));
  client = init('sdk-key', { updateProcessor: td.getFactory(), sendEvents: false, diagnosticOptOut: true, logger: quiet });
  await client.waitForInitialization({ timeout: 10 });
});
afterAll(() => client.close());

/** iterlab's answer, in the SDK's shape. */
function iterlab(key: string, context: Record<string, unknown>) {
  const model = FLAGS.find((f) => f.key === key)!;
  const result = evaluate(model, contextsByKind(context), { flags: new Map(FLAGS.map((f) => [f.key, f])), segments });
  return { value: result.variation === undefined ? 'default' : result.value, variationIndex: result.variation ?? null, reason: result.reason };
}

async function expectBoth(key: string, context: Record<string, unknown>, expected: { value: unknown; variationIndex: number | null; reason: Record<string, unknown> }) {
  expect(await client.variationDetail(key, context as never, 'default'), `SDK: ${key}`).toEqual(expected);
  expect(iterlab(key, context), `iterlab: ${key}`).toEqual(expected);
}

const MALFORMED = { value: 'default', variationIndex: null, reason: { kind: 'ERROR', errorKind: 'MALFORMED_FLAG' } };
const MATCHED = { value: 'matched', variationIndex: 2, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'r0' } };
const FALLTHROUGH = { value: 'fallthrough', variationIndex: 0, reason: { kind: 'FALLTHROUGH' } };

describe('iterlab evaluates as the Node server-side SDK', () => {
  it('reads `/kind` as the kinds and a missing `anonymous` as false', async () => {
    await expectBoth('kind-reference', { kind: 'multi', user: { key: 'ada' }, org: { key: 'acme' } }, MATCHED);
    await expectBoth('kind-reference', { kind: 'user', key: 'ada' }, FALLTHROUGH);
    await expectBoth('anonymous-missing', { kind: 'user', key: 'ada' }, MATCHED);
    await expectBoth('anonymous-missing', { kind: 'user', key: 'ada', anonymous: true }, FALLTHROUGH);
  });

  it('buckets a seeded percentage rollout by the seed', async () => {
    const keys = ['ada', 'bob', 'cy', 'dee', 'ed', 'fay', 'gus', 'hal'];
    for (const key of keys) expect(iterlab('seeded-rollout', { kind: 'user', key })).toEqual(await client.variationDetail('seeded-rollout', { kind: 'user', key }, 'default'));
    // The seed decides: not every key lands in the same bucket as with the flag's key and salt.
    expect(new Set(keys.map((key) => iterlab('seeded-rollout', { kind: 'user', key }).variationIndex)).size).toBe(2);
    await expectBoth('bucket-by-kind', { kind: 'user', key: 'ada' }, FALLTHROUGH);
  });

  it('answers MALFORMED_FLAG for a reference the SDK refuses, unless a later clause of the rule decides', async () => {
    await expectBoth('trailing-tilde', { kind: 'user', key: 'ada' }, MALFORMED);
    await expectBoth('meta-reference', { kind: 'user', key: 'ada', _meta: { privateAttributes: ['x'] } }, MALFORMED);
    await expectBoth('invalid-then-match', { kind: 'user', key: 'ada' }, MATCHED);
    await expectBoth('invalid-then-match', { kind: 'user', key: 'bob' }, FALLTHROUGH);
    await expectBoth('invalid-bucket-by', { kind: 'user', key: 'ada', a: { b: 'x' } }, MALFORMED);
    await expectBoth('invalid-segment-weight', { kind: 'user', key: 'ada', tier: 'gold' }, MALFORMED);
    await expectBoth('invalid-segment-weight', { kind: 'user', key: 'ada', tier: 'silver' }, FALLTHROUGH);
  });

  it('reads dates and semantic versions as the SDK does', async () => {
    await expectBoth('date-lower-case', { kind: 'user', key: 'ada', joined: '2024-01-01t00:00:00z' }, FALLTHROUGH);
    await expectBoth('date-lower-case', { kind: 'user', key: 'ada', joined: '2024-01-01T00:00:00Z' }, MATCHED);
    // `+0200` passes the pattern (an offset's hours, then anything) and Date.parse reads it; `+02` it cannot.
    await expectBoth('date-short-offset', { kind: 'user', key: 'ada', joined: '2024-06-01T12:30:00+0200' }, MATCHED);
    await expectBoth('date-short-offset', { kind: 'user', key: 'ada', joined: '2024-06-01T12:30:00+02' }, FALLTHROUGH);
    await expectBoth('semver-blanks', { kind: 'user', key: 'ada', version: ' 1.2.3 ' }, MATCHED);
    await expectBoth('semver-blanks', { kind: 'user', key: 'ada', version: 'v1.2.3' }, FALLTHROUGH);
    await expectBoth('semver-leading-zero', { kind: 'user', key: 'ada', version: '1.0.0-01' }, FALLTHROUGH);
    await expectBoth('semver-leading-zero', { kind: 'user', key: 'ada', version: '1.2-rc.1 ' }, MATCHED);
  });

  it('reads a legacy user as the SDK does: custom attributes and the built-in ones only', async () => {
    const legacy = { key: 'ada', joined: '2024-01-01T00:00:00Z', custom: { version: '1.2.3' } };
    await expectBoth('date-lower-case', legacy, FALLTHROUGH);
    await expectBoth('semver-blanks', legacy, MATCHED);
    await expectBoth('anonymous-missing', { key: 'ada', anonymous: false }, MATCHED);
  });

  it('reads only the first user target list of a variation beside other kinds (sdkFlag.ts serves one per variation)', async () => {
    await expectBoth('user-targets-same-variation', { kind: 'user', key: 'ed' }, { value: 'matched', variationIndex: 2, reason: { kind: 'TARGET_MATCH' } });
    await expectBoth('user-targets-same-variation', { kind: 'user', key: 'ada' }, FALLTHROUGH);
  });
});

describe('prerequisites evaluated, as allFlagsState lists them', () => {
  it('the ones found, in order, up to the one that failed', async () => {
    const context = { kind: 'user', key: 'ada' };
    const state = (await client.allFlagsState(context)).toJSON() as { $flagsState: Record<string, { prerequisites?: string[] }> };
    expect(state.$flagsState['with-prerequisites'].prerequisites).toEqual(['kind-reference']);
    const model = FLAGS.find((f) => f.key === 'with-prerequisites')!;
    const result = evaluate(model, contextsByKind(context), { flags: new Map(FLAGS.map((f) => [f.key, f])), segments });
    expect(result).toMatchObject({ variation: 1, reason: { kind: 'PREREQUISITE_FAILED', prerequisiteKey: 'no-such-flag' }, prerequisites: ['kind-reference'] });
    expect(state.$flagsState['kind-reference'].prerequisites).toBeUndefined();
    expect(evaluate(FLAGS[0], contextsByKind(context), { flags: new Map(), segments }).prerequisites).toBeUndefined();
  });
});

describe('the deliberate difference: a reference component that begins with `~`', () => {
  it('is unescaped, as the reference is defined (the Node SDK alone reads `/~0x` as the name "~0x")', async () => {
    const model = flag('tilde-component', { rules: [rule([clause('/~0x', 'in', [1], { contextKind: 'user' })])] });
    const data = { flags: new Map([[model.key, model]]), segments };
    expect(evaluate(model, contextsByKind({ kind: 'user', key: 'ada', '~x': 1 }), data).reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: 'r0' });
    expect(evaluate(model, contextsByKind({ kind: 'user', key: 'ada', '~0x': 1 }), data).reason).toEqual({ kind: 'FALLTHROUGH' });
  });
});
