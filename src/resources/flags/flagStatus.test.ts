// The status rules alone: which variations targeting can serve, and new / active / inactive / launched at the edges.
import { describe, expect, it } from 'vitest';
import { flagStatusName, servedVariations, STATUS_WINDOW_MS } from './flagStatus.js';
import type { FlagConfigDoc, FlagDoc } from './model.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 5, 1);

function config(overrides: Partial<FlagConfigDoc> = {}): FlagConfigDoc {
  return {
    on: true,
    archived: false,
    salt: 's',
    sel: 's',
    lastModified: NOW - 30 * DAY,
    version: 1,
    targets: [],
    contextTargets: [],
    rules: [],
    fallthrough: { variation: 0 },
    offVariation: 1,
    prerequisites: [],
    trackEvents: false,
    trackEventsFallthrough: false,
    ...overrides,
  };
}

const flag = (creationDate: number) => ({ creationDate }) as FlagDoc;
const rule = (served: Partial<FlagConfigDoc['rules'][number]>) => ({ _id: 'r', clauses: [], trackEvents: false, ...served });

describe('servedVariations', () => {
  it('the fallthrough alone', () => {
    expect([...servedVariations(config())]).toEqual([0]);
  });

  it('targets with values and enabled rules add theirs; empty targets and disabled rules do not', () => {
    expect([...servedVariations(config({ targets: [{ values: ['ann'], variation: 1 }] }))]).toEqual([0, 1]);
    expect([...servedVariations(config({ contextTargets: [{ values: ['org1'], variation: 2, contextKind: 'org' }] }))]).toEqual([0, 2]);
    expect([...servedVariations(config({ targets: [{ values: [], variation: 1 }], rules: [rule({ variation: 1, disabled: true })] }))]).toEqual([0]);
    expect([...servedVariations(config({ rules: [rule({ variation: 0 })] }))]).toEqual([0]);
    expect([...servedVariations(config({ rules: [rule({ variation: 2 })] }))]).toEqual([0, 2]);
  });

  it('a rollout serves each variation with weight; one with all its weight on one variation serves that one', () => {
    const split = { rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] } };
    expect([...servedVariations(config({ fallthrough: split }))]).toEqual([0, 1]);
    const whole = { rollout: { variations: [{ variation: 0, weight: 0 }, { variation: 1, weight: 100000 }] } };
    expect([...servedVariations(config({ fallthrough: whole }))]).toEqual([1]);
    const weightless = { rollout: { variations: [{ variation: 0, weight: 0 }, { variation: 2, weight: 0 }] } };
    expect([...servedVariations(config({ fallthrough: weightless }))]).toEqual([2]);
  });

  it('prerequisites add the off variation a failed one serves (none at all when there is no off variation)', () => {
    const prerequisites = [{ key: 'gate', variation: 0 }];
    expect([...servedVariations(config({ prerequisites }))]).toEqual([0, 1]);
    expect([...servedVariations(config({ prerequisites, offVariation: 0 }))]).toEqual([0]);
    expect([...servedVariations(config({ prerequisites, offVariation: undefined }))]).toEqual([0, undefined]);
  });
});

describe('flagStatusName', () => {
  const week = STATUS_WINDOW_MS;

  it('never requested: new until seven days after creation, then inactive', () => {
    expect(flagStatusName(flag(NOW - week + 1), config(), undefined, NOW)).toBe('new');
    expect(flagStatusName(flag(NOW - week), config(), undefined, NOW)).toBe('inactive');
  });

  it('requested, but not in the past seven days: inactive (new for a flag younger than that)', () => {
    expect(flagStatusName(flag(NOW - 30 * DAY), config(), NOW - week, NOW)).toBe('inactive');
    expect(flagStatusName(flag(NOW - DAY), config(), NOW - week, NOW)).toBe('new');
  });

  it('requested in the past seven days: launched when on, serving one variation, unchanged for seven days', () => {
    expect(flagStatusName(flag(NOW - 30 * DAY), config(), NOW - week + 1, NOW)).toBe('launched');
    expect(flagStatusName(flag(NOW - 30 * DAY), config({ lastModified: NOW - week }), NOW, NOW)).toBe('launched');
  });

  it('otherwise active: off, changed in the past seven days, or serving more than one variation', () => {
    const old = flag(NOW - 30 * DAY);
    expect(flagStatusName(old, config({ on: false }), NOW, NOW)).toBe('active');
    expect(flagStatusName(old, config({ lastModified: NOW - week + 1 }), NOW, NOW)).toBe('active');
    expect(flagStatusName(old, config({ targets: [{ values: ['ann'], variation: 1 }] }), NOW, NOW)).toBe('active');
    expect(flagStatusName(old, undefined, NOW, NOW)).toBe('active');
  });
});
