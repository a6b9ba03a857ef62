// Table tests of the SDK flag model built from iterlab's stored flag and targeting.
import { describe, expect, it } from 'vitest';
import type { FlagConfigDoc, FlagDoc } from '../resources/flags/model.js';
import { sdkFlag, sdkVersion } from './sdkFlag.js';

const flag = (overrides: Partial<FlagDoc> = {}): FlagDoc => ({
  name: 'F',
  kind: 'multivariate',
  description: '',
  variations: [
    { _id: 'a', value: 'red' },
    { _id: 'b', value: { shade: 'blue' } },
  ],
  temporary: true,
  tags: [],
  customProperties: {},
  clientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true },
  includeInSnippet: false,
  defaults: { onVariation: 0, offVariation: 1 },
  archived: false,
  deprecated: false,
  _version: 4,
  creationDate: 1,
  ...overrides,
});

const config = (overrides: Partial<FlagConfigDoc> = {}): FlagConfigDoc => ({
  on: true,
  archived: false,
  salt: 'salt',
  sel: 'sel',
  lastModified: 1,
  version: 7,
  targets: [],
  contextTargets: [],
  rules: [],
  fallthrough: { variation: 0 },
  offVariation: 1,
  prerequisites: [],
  trackEvents: false,
  trackEventsFallthrough: false,
  ...overrides,
});

describe('sdkFlag', () => {
  it('variations are bare values; the version is the environment configuration\'s', () => {
    const out = sdkFlag('f', flag(), config());
    expect(out).toEqual({
      key: 'f',
      version: 7,
      on: true,
      prerequisites: [],
      salt: 'salt',
      targets: [],
      contextTargets: [],
      rules: [],
      fallthrough: { variation: 0 },
      offVariation: 1,
      variations: ['red', { shade: 'blue' }],
      clientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true },
      clientSide: true,
      trackEvents: false,
      trackEventsFallthrough: false,
      debugEventsUntilDate: null,
      deleted: false,
    });
    // The environment's configuration version, whatever the flag's own _version (name and tag edits move only that).
    expect(sdkVersion(config({ version: 8 }))).toBe(8);
    expect(sdkFlag('colour', flag({ _version: 5 }), config({ version: 8 })).version).toBe(8);
  });

  it('an experiment rollout: kind, seed, context kind and untracked buckets; no bucketBy', () => {
    const rollout = {
      variations: [
        { variation: 0, weight: 30000 },
        { variation: 1, weight: 30000 },
        { variation: 0, weight: 40000, _untracked: true },
      ],
      experimentAllocation: { defaultVariation: 0, canReshuffle: true },
      seed: 61,
      bucketBy: 'key',
      contextKind: 'org',
    };
    expect(sdkFlag('f', flag(), config({ fallthrough: { rollout } })).fallthrough).toEqual({
      rollout: {
        kind: 'experiment',
        variations: [
          { variation: 0, weight: 30000 },
          { variation: 1, weight: 30000 },
          { variation: 0, weight: 40000, untracked: true },
        ],
        contextKind: 'org',
        seed: 61,
      },
    });
  });

  it('a percentage rollout keeps its bucketBy and has no kind', () => {
    const rollout = { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }], bucketBy: 'email' };
    expect(sdkFlag('f', flag(), config({ fallthrough: { rollout } })).fallthrough).toEqual({ rollout: { variations: rollout.variations, bucketBy: 'email' } });
  });

  it('rules: `id` for `_id`, clauses without theirs, disabled rules left out', () => {
    const clause = { _id: 'c1', attribute: 'country', op: 'in', values: ['NZ'], negate: false, contextKind: 'user' };
    const out = sdkFlag('f', flag(), config({
      rules: [
        { _id: 'r1', clauses: [clause], variation: 1, trackEvents: true, description: 'NZ' },
        { _id: 'r2', clauses: [], variation: 0, trackEvents: false, disabled: true },
      ],
    }));
    expect(out.rules).toEqual([{ id: 'r1', variation: 1, clauses: [{ contextKind: 'user', attribute: 'country', op: 'in', values: ['NZ'], negate: false }], trackEvents: true }]);
  });

  it('user targets are `targets`; with other kinds, each also gets an empty user entry first in `contextTargets`', () => {
    expect(sdkFlag('f', flag(), config({ targets: [{ values: ['u1'], variation: 1, contextKind: 'user' }] }))).toMatchObject({
      targets: [{ values: ['u1'], variation: 1 }],
      contextTargets: [],
    });
    expect(
      sdkFlag('f', flag(), config({ targets: [{ values: ['u1'], variation: 1, contextKind: 'user' }], contextTargets: [{ values: ['o1'], variation: 0, contextKind: 'org' }] })),
    ).toMatchObject({
      targets: [{ values: ['u1'], variation: 1 }],
      contextTargets: [
        { contextKind: 'user', values: [], variation: 1 },
        { contextKind: 'org', values: ['o1'], variation: 0 },
      ],
    });
  });

  it('user targets of one variation are served as one list: beside other kinds, SDKs read only the first of a variation', () => {
    const targets = [
      { values: ['u1'], variation: 1, contextKind: 'user' },
      { values: ['u2', 'u1'], variation: 1 },
    ];
    expect(
      sdkFlag('f', flag(), config({ targets, contextTargets: [{ values: ['u3'], variation: 1, contextKind: 'user' }, { values: ['o1'], variation: 0, contextKind: 'org' }] })),
    ).toMatchObject({
      targets: [{ values: ['u1', 'u2', 'u3'], variation: 1 }],
      contextTargets: [
        { contextKind: 'user', values: [], variation: 1 },
        { contextKind: 'org', values: ['o1'], variation: 0 },
      ],
    });
  });

  it('no offVariation: none is sent (the SDK then serves null when off)', () => {
    expect('offVariation' in sdkFlag('f', flag(), config({ offVariation: undefined }))).toBe(false);
  });
});
