// migrationSafetyIssues, pure: which moves between stages are unsafe, and which contexts a change moves.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrationSafetyIssues } from './migrationSafety.js';
import type { Clause, FlagConfigDoc, Rule, VariationOrRollout } from './model.js';

const SIX = ['off', 'dualwrite', 'shadow', 'live', 'rampdown', 'complete'];
const flagOf = (stages: string[]) => ({
  variations: stages.map((value, i) => ({ _id: `v${i}`, value })),
  migrationSettings: { stageCount: stages.length, ...(stages.length === 6 ? { contextKind: 'user' } : {}) },
});
const six = flagOf(SIX);
const at = (stage: string) => SIX.indexOf(stage);

/** A rollout over the six stages: [stage, weight] in the order given. */
const rollout = (...weights: [string, number][]): VariationOrRollout => ({ rollout: { variations: weights.map(([stage, weight]) => ({ variation: at(stage), weight })), contextKind: 'user' } });
const clause = (value: string): Clause => ({ attribute: 'country', op: 'in', values: [value], negate: false, contextKind: 'user' }) as Clause;
const rule = (id: string, serve: VariationOrRollout, country = id): Rule => ({ _id: id, clauses: [clause(country)], trackEvents: false, ...serve });
const config = (fallthrough: VariationOrRollout, rules: Rule[] = [], on = true): FlagConfigDoc => ({
  on,
  archived: false,
  salt: 's',
  sel: 'x',
  lastModified: 0,
  version: 1,
  targets: [],
  contextTargets: [],
  rules,
  fallthrough,
  offVariation: 0,
  prerequisites: [],
  trackEvents: false,
  trackEventsFallthrough: false,
});
const summary = (issues: ReturnType<typeof migrationSafetyIssues>) => issues.map((i) => `${i.causingRuleId}>${i.affectedRuleIds.join('+')}:${i.oldSystemAffected ? 'old' : 'new'}`);

describe('migrationSafetyIssues', () => {
  it('one stage at a time, forwards and (while both systems are written) back: safe', () => {
    for (let i = 0; i + 1 < SIX.length; i++) {
      expect(migrationSafetyIssues(six, config(rollout([SIX[i], 100000])), config(rollout([SIX[i + 1], 100000])))).toEqual([]);
      if (SIX[i + 1] !== 'complete') expect(migrationSafetyIssues(six, config(rollout([SIX[i + 1], 100000])), config(rollout([SIX[i], 100000])))).toEqual([]);
    }
    // Skipping the shadow stage once the data is written to both is not a data hazard.
    expect(migrationSafetyIssues(six, config(rollout(['dualwrite', 100000])), config(rollout(['live', 100000])))).toEqual([]);
  });

  it('out of complete: the old system; from off to a stage where the new system is authoritative: the new one', () => {
    for (const to of ['off', 'dualwrite', 'shadow', 'live', 'rampdown']) {
      const [issue] = migrationSafetyIssues(six, config(rollout(['complete', 100000])), config(rollout([to, 100000])));
      expect(issue).toEqual({ causingRuleId: 'fallthrough', affectedRuleIds: ['fallthrough'], issue: expect.stringContaining(`complete to ${to}`), oldSystemAffected: true });
    }
    for (const to of ['live', 'rampdown', 'complete']) {
      expect(summary(migrationSafetyIssues(six, config(rollout(['off', 100000])), config(rollout([to, 100000])))), to).toEqual(['fallthrough>fallthrough:new']);
    }
    expect(migrationSafetyIssues(six, config(rollout(['off', 100000])), config(rollout(['shadow', 100000])))).toEqual([]);
  });

  it('a rollout moves only the buckets whose stage changes', () => {
    const before = config(rollout(['off', 50000], ['dualwrite', 50000]));
    // [0, 50%) off -> dualwrite, [50%, 100%) dualwrite -> live: both steps safe.
    expect(migrationSafetyIssues(six, before, config(rollout(['dualwrite', 50000], ['live', 50000])))).toEqual([]);
    // Listed the other way round, the first half goes from off to live.
    const [issue] = migrationSafetyIssues(six, before, config(rollout(['live', 50000], ['dualwrite', 50000])));
    expect(issue.issue).toContain('off to live');
    expect(issue.issue).not.toContain('dualwrite to');
    // Weights short of 100%: the last stage listed takes the rest, as in the SDKs.
    expect(migrationSafetyIssues(six, config(rollout(['dualwrite', 30000], ['live', 0])), config(rollout(['dualwrite', 30000], ['live', 70000])))).toEqual([]);
  });

  it('a rollout bucketed otherwise (another seed) may move any context between any two stages it serves', () => {
    const before = config(rollout(['off', 50000], ['dualwrite', 50000]));
    const after = rollout(['dualwrite', 50000], ['live', 50000]);
    after.rollout!.seed = 42;
    expect(summary(migrationSafetyIssues(six, before, config(after)))).toEqual(['fallthrough>fallthrough:new']);
  });

  it('turning the flag off or on moves every cohort from or to its off variation', () => {
    const complete = config(rollout(['complete', 100000]));
    expect(summary(migrationSafetyIssues(six, complete, { ...complete, on: false }))).toEqual(['fallthrough>fallthrough:old']);
    expect(summary(migrationSafetyIssues(six, { ...complete, on: false }, complete))).toEqual(['fallthrough>fallthrough:new']);
    const dualwrite = config(rollout(['dualwrite', 100000]));
    expect(migrationSafetyIssues(six, { ...dualwrite, on: false }, dualwrite)).toEqual([]);
  });

  it('a flag that is off: its cohorts are judged as configured, for when it is turned on', () => {
    const off = (stage: string) => config(rollout([stage, 100000]), [], false);
    expect(summary(migrationSafetyIssues(six, off('off'), off('complete')))).toEqual(['fallthrough>fallthrough:new']);
    expect(summary(migrationSafetyIssues(six, off('complete'), off('shadow')))).toEqual(['fallthrough>fallthrough:old']);
    expect(migrationSafetyIssues(six, off('off'), off('dualwrite'))).toEqual([]);
  });

  it('rules removed, disabled, added, re-scoped and reordered', () => {
    const offDefault = rollout(['off', 100000]);
    const withRule = config(offDefault, [rule('done', rollout(['complete', 100000]))]);
    // Removed or disabled: its contexts fall to the default cohort.
    expect(summary(migrationSafetyIssues(six, withRule, config(offDefault)))).toEqual(['done>fallthrough:old']);
    expect(summary(migrationSafetyIssues(six, withRule, config(offDefault, [{ ...rule('done', rollout(['complete', 100000])), disabled: true }])))).toEqual(['done>fallthrough:old']);
    // Its clauses changed: contexts may leave it for the default cohort and join it from there.
    expect(summary(migrationSafetyIssues(six, withRule, config(offDefault, [rule('done', rollout(['complete', 100000]), 'au')])))).toEqual(['done>fallthrough:old', 'done>fallthrough:new']);
    // Added below a steady rule: it cannot take that rule's contexts, only the default cohort's.
    const added = config(offDefault, [rule('done', rollout(['complete', 100000])), rule('fresh', rollout(['live', 100000]))]);
    expect(summary(migrationSafetyIssues(six, withRule, added))).toEqual(['fresh>fallthrough:new']);
    // Two steady rules swapped: contexts both match go to the one now ahead.
    const two = [rule('a', rollout(['complete', 100000])), rule('b', rollout(['rampdown', 100000]))];
    expect(summary(migrationSafetyIssues(six, config(offDefault, two), config(offDefault, [two[1], two[0]])))).toEqual(['b>a:old']);
    expect(migrationSafetyIssues(six, config(offDefault, [two[1], two[0]]), config(offDefault, two))).toEqual([]);
  });

  it('a two-stage migration switches straight over, and back only at the old system\'s cost', () => {
    const two = flagOf(['off', 'complete']);
    const serve = (variation: number): VariationOrRollout => ({ rollout: { variations: [{ variation, weight: 100000 }] } });
    expect(migrationSafetyIssues(two, config(serve(0)), config(serve(1)))).toEqual([]);
    expect(summary(migrationSafetyIssues(two, config(serve(1)), config(serve(0))))).toEqual(['fallthrough>fallthrough:old']);
    // Four stages: off straight to live skips the shadow stage that writes to the new system.
    const four = flagOf(['off', 'shadow', 'live', 'complete']);
    expect(summary(migrationSafetyIssues(four, config(serve(0)), config(serve(2))))).toEqual(['fallthrough>fallthrough:new']);
    expect(migrationSafetyIssues(four, config(serve(0)), config(serve(1)))).toEqual([]);
  });

  it('any targeting: nothing changed is no issue, and every issue names cohorts of the targeting before or after', () => {
    const weights = fc.array(fc.integer({ min: 0, max: 100000 }), { minLength: 1, maxLength: 6 });
    const serve = fc.tuple(weights, fc.constantFrom(undefined, 7)).map(([ws, seed]): VariationOrRollout => ({
      rollout: { variations: ws.map((weight, i) => ({ variation: i % 6, weight })), contextKind: 'user', ...(seed !== undefined ? { seed } : {}) },
    }));
    const rules = fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), serve, fc.constantFrom('nz', 'au'), fc.boolean()), { selector: ([id]) => id, maxLength: 4 });
    const targeting = fc.tuple(serve, rules, fc.boolean()).map(([fallthrough, list, on]) =>
      config(fallthrough, list.map(([id, rollout, country, disabled]) => ({ ...rule(id, rollout, country), ...(disabled ? { disabled } : {}) })), on),
    );
    fc.assert(
      fc.property(targeting, targeting, (before, after) => {
        expect(migrationSafetyIssues(six, before, before)).toEqual([]);
        const ids = new Set(['fallthrough', ...before.rules.map((r) => r._id), ...after.rules.map((r) => r._id)]);
        for (const issue of migrationSafetyIssues(six, before, after)) {
          expect(ids.has(issue.causingRuleId)).toBe(true);
          expect(issue.affectedRuleIds.length).toBeGreaterThan(0);
          for (const id of issue.affectedRuleIds) expect(ids.has(id)).toBe(true);
          expect(issue.issue).toMatch(issue.oldSystemAffected ? /complete to / : /off to (live|rampdown|complete)/);
        }
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });
});
