// Table-driven tests of the pure experiment state machine: every transition and every refusal.
import { describe, expect, it } from 'vitest';
import type { FlagConfigDoc, FlagDoc } from '../flags/model.js';
import { applyInstruction, applyInstructions, currentOf, DEFAULT_REALLOCATION_FREQUENCY_MS, draftOf, LifecycleError, reallocate, statusOf, type Instruction, type LifecycleContext, type LifecycleState } from './lifecycle.js';
import type { ExperimentDoc, IterationDoc } from './model.js';
import { freshLayout, layeredLayout, preservingLayout, reallocatedLayout, TOTAL_WEIGHT } from './rollout.js';

const A = 'var-a';
const B = 'var-b';
const C = 'var-c';

const flagDoc = (overrides: Partial<FlagDoc> = {}): FlagDoc => ({
  name: 'F',
  kind: 'multivariate',
  description: '',
  variations: [
    { _id: A, value: 'a' },
    { _id: B, value: 'b' },
    { _id: C, value: 'c' },
  ],
  temporary: true,
  tags: [],
  customProperties: {},
  clientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false },
  includeInSnippet: false,
  defaults: { onVariation: 0, offVariation: 2 },
  archived: false,
  deprecated: false,
  _version: 3,
  creationDate: 1,
  ...overrides,
});

const config = (overrides: Partial<FlagConfigDoc> = {}): FlagConfigDoc => ({
  on: true,
  archived: false,
  salt: 's',
  sel: 's',
  lastModified: 1,
  version: 5,
  targets: [],
  contextTargets: [],
  rules: [{ _id: 'r1', clauses: [{ _id: 'c1', attribute: 'email', op: 'endsWith', values: ['@x.com'], negate: false }], variation: 2, trackEvents: false }],
  fallthrough: { variation: 0 },
  offVariation: 2,
  prerequisites: [],
  trackEvents: false,
  trackEventsFallthrough: false,
  ...overrides,
});

const iteration = (overrides: Partial<IterationDoc> = {}): IterationDoc => ({
  hypothesis: 'h',
  status: 'not_started',
  createdAt: 100,
  canReshuffleTraffic: true,
  flags: { f: { ruleId: 'fallthrough', flagConfigVersion: 5, notInExperimentVariationId: A } },
  version: 0,
  metrics: [],
  treatments: [
    { _id: A, name: 'Control', allocationPercent: '50', baseline: true, parameters: [{ flagKey: 'f', variationId: A }] },
    { _id: B, name: 'Treatment', allocationPercent: '50', baseline: false, parameters: [{ flagKey: 'f', variationId: B }] },
  ],
  randomizationUnit: 'user',
  ...overrides,
});

const experiment = (overrides: Partial<ExperimentDoc> = {}): ExperimentDoc => ({
  name: 'Exp',
  maintainerId: 'm',
  tags: [],
  methodology: 'bayesian',
  dataSource: 'launchdarkly',
  type: 'experiment',
  creationDate: 1,
  ...overrides,
});

function state(options: { draft?: IterationDoc | null; current?: IterationDoc; flag?: FlagDoc; config?: FlagConfigDoc; ownedBy?: Record<string, string>; experiment?: ExperimentDoc } = {}): LifecycleState {
  const iterations = [];
  if (options.current) iterations.push({ id: 'cur', doc: options.current, isNew: false, deleted: false });
  if (options.draft !== null) iterations.push({ id: 'draft', doc: options.draft ?? iteration(), isNew: false, deleted: false });
  return {
    experiment: options.experiment ?? experiment(),
    iterations,
    flags: { f: { doc: options.flag ?? flagDoc(), config: options.config ?? config(), ownedBy: options.ownedBy ?? {} } },
  };
}

const ctx = (overrides: Partial<LifecycleContext> = {}): LifecycleContext => ({
  now: 1000,
  environmentKey: 'production',
  newSeed: () => 4242,
  newIterationId: () => 'new',
  layer: undefined,
  ...overrides,
});

/** A state with the draft started (running, seed 4242, 50/50 on the fallthrough). */
function runningState(draft: IterationDoc = iteration()): LifecycleState {
  return applyInstruction(state({ draft }), { kind: 'startIteration' }, ctx({ now: 500 }));
}

function refusal(fn: () => unknown): LifecycleError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LifecycleError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('lifecycle: simple instructions', () => {
  const cases: [string, Instruction, (s: LifecycleState) => void][] = [
    ['updateName renames', { kind: 'updateName', value: 'New' }, (s) => expect(s.experiment.name).toBe('New')],
    ['updateDescription sets the description', { kind: 'updateDescription', value: 'd' }, (s) => expect(s.experiment.description).toBe('d')],
    ['archiveExperiment sets archivedDate', { kind: 'archiveExperiment' }, (s) => expect(s.experiment.archivedDate).toBe(1000)],
    ['restoreExperiment on an active experiment changes nothing', { kind: 'restoreExperiment' }, (s) => expect(s.experiment.archivedDate).toBeUndefined()],
  ];
  for (const [name, instruction, check] of cases) it(name, () => check(applyInstruction(state(), instruction, ctx())));

  it('restoreExperiment removes archivedDate; archiving twice keeps the first date', () => {
    const archived = state({ experiment: experiment({ archivedDate: 7 }) });
    expect(applyInstruction(archived, { kind: 'archiveExperiment' }, ctx()).experiment.archivedDate).toBe(7);
    expect('archivedDate' in applyInstruction(archived, { kind: 'restoreExperiment' }, ctx()).experiment).toBe(false);
  });
});

describe('lifecycle: startIteration', () => {
  it('starts the draft: running, startedAt, the fallthrough becomes an experiment rollout, version + 1', () => {
    const s = runningState();
    const current = currentOf(s)!;
    expect(current.id).toBe('draft');
    expect(current.doc).toMatchObject({ status: 'running', startedAt: 500 });
    expect(draftOf(s)).toBeUndefined();
    expect(statusOf(s)).toBe('running');
    const f = s.flags.f.config;
    expect(f.version).toBe(6);
    expect(f.lastModified).toBe(500);
    expect(f.fallthrough).toEqual({
      rollout: {
        variations: [
          { variation: 0, weight: 50000 },
          { variation: 1, weight: 50000 },
        ],
        experimentAllocation: { defaultVariation: 0, canReshuffle: true },
        seed: 4242,
        bucketBy: 'key',
        contextKind: 'user',
      },
    });
    expect(current.doc.rollouts?.f).toMatchObject({ seed: 4242, previous: { variation: 0 } });
  });

  it('routes the unallocated remainder, untracked and last, to notInExperimentVariationId', () => {
    const draft = iteration({
      flags: { f: { ruleId: 'r1', flagConfigVersion: 5, notInExperimentVariationId: C } },
      randomizationUnit: 'organization',
      treatments: [
        { _id: A, name: 'Control', allocationPercent: '12.5', baseline: true, parameters: [{ flagKey: 'f', variationId: A }] },
        { _id: B, name: 'T', allocationPercent: '20.125', baseline: false, parameters: [{ flagKey: 'f', variationId: B }] },
      ],
    });
    const s = runningState(draft);
    const rule = s.flags.f.config.rules[0];
    expect(rule.variation).toBeUndefined();
    expect(rule.rollout).toEqual({
      variations: [
        { variation: 0, weight: 12500 },
        { variation: 1, weight: 20125 },
        { variation: 2, weight: 67375, _untracked: true },
      ],
      experimentAllocation: { defaultVariation: 2, canReshuffle: true },
      seed: 4242,
      bucketBy: 'key',
      contextKind: 'organization',
    });
    expect(rule.clauses).toHaveLength(1);
    expect(s.flags.f.config.fallthrough).toEqual({ variation: 0 });
  });

  const refusals: [string, () => LifecycleState, LifecycleContext, RegExp, number?][] = [
    ['no draft', () => state({ draft: null }), ctx(), /no draft iteration/],
    ['archived experiment', () => state({ experiment: experiment({ archivedDate: 1 }) }), ctx(), /archived/],
    ['flag off', () => state({ config: config({ on: false }) }), ctx(), /flag "f" is off in environment "production"/],
    ['flag archived', () => state({ flag: flagDoc({ archived: true }) }), ctx(), /flag "f" is archived/],
    ['flag gone', () => ({ ...state(), flags: {} }), ctx(), /flag "f" no longer exists/],
    [
      'targeted rule gone',
      () => state({ draft: iteration({ flags: { f: { ruleId: 'gone', flagConfigVersion: 5, notInExperimentVariationId: A } } }) }),
      ctx(),
      /rule "gone" no longer exists/,
    ],
    [
      'targeted rule disabled',
      () =>
        state({
          draft: iteration({ flags: { f: { ruleId: 'r1', flagConfigVersion: 5, notInExperimentVariationId: A } } }),
          config: config({ rules: [{ _id: 'r1', clauses: [], variation: 2, trackEvents: false, disabled: true }] }),
        }),
      ctx(),
      /rule "r1" of flag "f" is disabled in environment "production"; enable it before starting/,
    ],
    [
      'no treatment with a non-zero allocation',
      () =>
        state({
          draft: iteration({
            treatments: [
              { _id: A, name: 'C', allocationPercent: '0', baseline: true, parameters: [{ flagKey: 'f', variationId: A }] },
              { _id: B, name: 'T', allocationPercent: '0.000', baseline: false, parameters: [{ flagKey: 'f', variationId: B }] },
            ],
          }),
        }),
      ctx(),
      /non-zero allocationPercent/,
    ],
    ['no randomization unit', () => state({ draft: iteration({ randomizationUnit: '' }) }), ctx(), /randomizationUnit/],
    [
      "a treatment's variation removed from the flag",
      () => state({ flag: flagDoc({ variations: [{ _id: A, value: 'a' }, { _id: C, value: 'c' }] }) }),
      ctx(),
      /treatment "Treatment" serves variation "var-b", which is no longer a variation of flag "f"/,
    ],
    [
      'the notInExperiment variation removed from the flag',
      () => state({ draft: iteration({ flags: { f: { ruleId: 'fallthrough', flagConfigVersion: 5, notInExperimentVariationId: 'gone' } } }) }),
      ctx(),
      /notInExperimentVariationId "gone" is no longer a variation of flag "f"/,
    ],
    ['rule owned by another running experiment', () => state({ ownedBy: { fallthrough: 'other-exp' } }), ctx(), /already used by the running experiment "other-exp"/, 409],
    ['layer reservation of 0%', () => state(), ctx({ layer: { layer: { key: 'l', name: 'L' }, reservationPercent: 0, otherReservationPercent: 40, seed: 7, taken: [] } }), /layer "l" with a 0% reservation/],
  ];
  for (const [name, make, context, message, status] of refusals) {
    it(`refuses: ${name}`, () => {
      const err = refusal(() => applyInstruction(make(), { kind: 'startIteration' }, context));
      expect(err.message).toMatch(message);
      expect(err.status).toBe(status ?? 400);
      expect(err.code).toBe(status === 409 ? 'optimistic_locking_error' : 'invalid_request');
    });
  }

  it('on a running experiment requires changeJustification, then stops the running iteration in the same step', () => {
    const running = runningState();
    const withDraft: LifecycleState = { ...running, iterations: [...running.iterations, { id: 'd2', doc: iteration({ createdAt: 600, hypothesis: 'second' }), isNew: false, deleted: false }] };
    expect(refusal(() => applyInstruction(withDraft, { kind: 'startIteration' }, ctx({ now: 900 }))).message).toMatch(/changeJustification is required/);
    const s = applyInstruction(withDraft, { kind: 'startIteration', changeJustification: 'new design' }, ctx({ now: 900, newSeed: () => 777 }));
    const old = s.iterations.find((it) => it.id === 'draft')!;
    expect(old.doc).toMatchObject({ status: 'stopped', endedAt: 900 });
    expect(old.doc.winningTreatmentId).toBeUndefined();
    expect(currentOf(s)!.id).toBe('d2');
    expect(currentOf(s)!.doc.status).toBe('running');
    // reshuffling allowed: a fresh seed; the original targeting is still remembered for the end
    expect(s.flags.f.config.fallthrough.rollout!.seed).toBe(777);
    expect(currentOf(s)!.doc.rollouts!.f.previous).toEqual({ variation: 0 });
    expect(s.flags.f.config.version).toBe(7);
  });

  it('a start whose clock is behind the running iteration’s start still comes after it (and stops it then)', () => {
    const running = runningState();
    const withDraft: LifecycleState = { ...running, iterations: [...running.iterations, { id: 'd2', doc: iteration({ createdAt: 450, hypothesis: 'second' }), isNew: false, deleted: false }] };
    const s = applyInstruction(withDraft, { kind: 'startIteration', changeJustification: 'queued' }, ctx({ now: 400 }));
    expect(currentOf(s)!.id).toBe('d2');
    expect(currentOf(s)!.doc).toMatchObject({ status: 'running', startedAt: 501 });
    expect(s.iterations.find((it) => it.id === 'draft')!.doc).toMatchObject({ status: 'stopped', startedAt: 500, endedAt: 501 });
    expect(statusOf(s)).toBe('running');
    // and a stop whose clock is behind the start never ends an iteration before it began
    const stopped = applyInstruction(s, { kind: 'stopIteration', winningTreatmentId: A }, ctx({ now: 300 }));
    expect(currentOf(stopped)!.doc).toMatchObject({ status: 'stopped', startedAt: 501, endedAt: 501 });
  });

  it('without reshuffling keeps the seed and every unit’s bucket as far as the new allocation allows', () => {
    const first = iteration({
      canReshuffleTraffic: false,
      treatments: [
        { _id: A, name: 'C', allocationPercent: '30', baseline: true, parameters: [{ flagKey: 'f', variationId: A }] },
        { _id: B, name: 'T', allocationPercent: '30', baseline: false, parameters: [{ flagKey: 'f', variationId: B }] },
      ],
    });
    const running = runningState(first);
    const second = iteration({
      canReshuffleTraffic: false,
      createdAt: 600,
      treatments: [
        { _id: A, name: 'C', allocationPercent: '40', baseline: true, parameters: [{ flagKey: 'f', variationId: A }] },
        { _id: B, name: 'T', allocationPercent: '20', baseline: false, parameters: [{ flagKey: 'f', variationId: B }] },
      ],
    });
    const s = applyInstruction(
      { ...running, iterations: [...running.iterations, { id: 'd2', doc: second, isNew: false, deleted: false }] },
      { kind: 'startIteration', changeJustification: 'more control' },
      ctx({ now: 900, newSeed: () => 1 }),
    );
    const rollout = s.flags.f.config.fallthrough.rollout!;
    expect(rollout.seed).toBe(4242);
    expect(rollout.experimentAllocation).toEqual({ defaultVariation: 0, canReshuffle: false });
    expect(rollout.variations).toEqual([
      { variation: 0, weight: 30000 },
      { variation: 1, weight: 20000 },
      { variation: 0, weight: 10000 },
      { variation: 0, weight: 40000, _untracked: true },
    ]);
  });

  it('a new iteration on another rule gives the old rule back its original targeting', () => {
    const running = runningState();
    const other = iteration({ createdAt: 600, flags: { f: { ruleId: 'r1', flagConfigVersion: 6, notInExperimentVariationId: A } } });
    const s = applyInstruction(
      { ...running, iterations: [...running.iterations, { id: 'd2', doc: other, isNew: false, deleted: false }] },
      { kind: 'startIteration', changeJustification: 'move' },
      ctx({ now: 900 }),
    );
    expect(s.flags.f.config.fallthrough).toEqual({ variation: 0 });
    expect(s.flags.f.config.rules[0].rollout).toBeDefined();
  });
});

describe('lifecycle: an experiment in a layer', () => {
  const layer = (reservationPercent: number, taken: { offset: number; width: number }[] = []) => ({ layer: { key: 'checkout', name: 'Checkout' }, reservationPercent, otherReservationPercent: 0, seed: 777, taken });
  const started = (facts: ReturnType<typeof layer>) => applyInstruction(state(), { kind: 'startIteration' }, ctx({ now: 500, layer: facts }));

  it("takes the first stretch of the layer's bucket space no running experiment holds, with the layer's seed", () => {
    const s = started(layer(40, [{ offset: 0, width: 25_000 }, { offset: 70_000, width: 10_000 }]));
    expect(currentOf(s)!.doc.layerSlice).toEqual({ layerKey: 'checkout', offset: 25_000, width: 40_000 });
    // The treatments' 50/50 of the experiment's 40%: 20% each, inside [25%, 65%); the rest untracked.
    expect(s.flags.f.config.fallthrough.rollout).toMatchObject({
      seed: 777,
      variations: [
        { variation: 0, weight: 25_000, _untracked: true },
        { variation: 0, weight: 20_000 },
        { variation: 1, weight: 20_000 },
        { variation: 0, weight: 35_000, _untracked: true },
      ],
    });
  });

  it('refuses to start when no stretch that wide is free', () => {
    const err = refusal(() => started(layer(30, [{ offset: 20_000, width: 30_000 }, { offset: 60_000, width: 20_000 }])));
    expect(err.message).toMatch(/layer "checkout" has no free 30% of traffic in environment "production"/);
  });

  it('layered layouts cover the whole bucket space', () => {
    const layout = layeredLayout([{ variation: 0, weight: 33_333 }, { variation: 1, weight: 66_667 }], 2, 10_000, 45_000);
    expect(layout.reduce((sum, v) => sum + v.weight, 0)).toBe(TOTAL_WEIGHT);
    expect(layout[0]).toEqual({ variation: 2, weight: 10_000, _untracked: true });
  });
});

describe('lifecycle: stopIteration', () => {
  it('stops with a winner: the rule ships the winning variation, version + 1', () => {
    const s = applyInstruction(runningState(), { kind: 'stopIteration', winningTreatmentId: B, winningReason: 'clear win' }, ctx({ now: 2000 }));
    const stopped = currentOf(s)!;
    expect(stopped.doc).toMatchObject({ status: 'stopped', endedAt: 2000, winningTreatmentId: B, winningReason: 'clear win' });
    expect(s.flags.f.config.fallthrough).toEqual({ variation: 1 });
    expect(s.flags.f.config.version).toBe(7);
    expect(statusOf(s)).toBe('stopped');
    expect(stopped.doc.layerSnapshot).toBeUndefined();
  });

  it('records the layer snapshot when the experiment is in a layer', () => {
    const layer = { layer: { key: 'checkout', name: 'Checkout' }, reservationPercent: 30, otherReservationPercent: 50, seed: 7, taken: [] };
    const s = applyInstruction(runningState(), { kind: 'stopIteration', winningTreatmentId: A }, ctx({ layer }));
    expect(currentOf(s)!.doc.layerSnapshot).toEqual({ key: 'checkout', name: 'Checkout', reservationPercent: 30, otherReservationPercent: 50 });
  });

  it("records the share the iteration ran with, though its reservation was raised while it ran", () => {
    const layer = { layer: { key: 'checkout', name: 'Checkout' }, reservationPercent: 40, otherReservationPercent: 50, seed: 7, taken: [] };
    const running = applyInstruction(state(), { kind: 'startIteration' }, ctx({ layer }));
    const raised = { ...layer, reservationPercent: 50, otherReservationPercent: 50 };
    const s = applyInstruction(running, { kind: 'stopIteration', winningTreatmentId: A }, ctx({ layer: raised }));
    expect(currentOf(s)!.doc.layerSnapshot).toEqual({ key: 'checkout', name: 'Checkout', reservationPercent: 40, otherReservationPercent: 50 });
  });

  const refusals: [string, () => LifecycleState, Instruction, RegExp][] = [
    ['nothing running', () => state(), { kind: 'stopIteration', winningTreatmentId: A }, /no running iteration/],
    ['no winner', () => runningState(), { kind: 'stopIteration' }, /winningTreatmentId is required/],
    ['winner not a treatment', () => runningState(), { kind: 'stopIteration', winningTreatmentId: C }, /"var-c" is not a treatment/],
    ['archiving while running', () => runningState(), { kind: 'archiveExperiment' }, /running experiment cannot be archived/],
  ];
  for (const [name, make, instruction, message] of refusals) {
    it(`refuses: ${name}`, () => expect(refusal(() => applyInstruction(make(), instruction, ctx())).message).toMatch(message));
  }
});

describe('lifecycle: updateExperimentFields and saveAndStartNewIteration', () => {
  it('changes experiment fields allowed in the current status', () => {
    const s = applyInstruction(
      state(),
      { kind: 'updateExperimentFields', value: { name: { operation: 'update', value: 'N' }, tags: { operation: 'add', value: ['a', 'b'] } } },
      ctx(),
    );
    expect(s.experiment).toMatchObject({ name: 'N', tags: ['a', 'b'] });
    const removed = applyInstruction(s, { kind: 'updateExperimentFields', value: { tags: { operation: 'remove', value: ['a'] } } }, ctx());
    expect(removed.experiment.tags).toEqual(['b']);
  });

  it('replaces the target iteration with the re-resolved one, keeping its identity and bumping its version', () => {
    const replacement = iteration({ hypothesis: 'changed', createdAt: 999 });
    const s = applyInstruction(state(), { kind: 'updateExperimentFields', value: { hypothesis: { operation: 'update', value: 'changed' } }, iteration: replacement }, ctx());
    expect(draftOf(s)!.doc).toMatchObject({ hypothesis: 'changed', createdAt: 100, version: 1, status: 'not_started' });
  });

  const refusals: [string, () => LifecycleState, Record<string, { operation: 'add' | 'update' | 'remove'; value?: unknown }>, RegExp][] = [
    ['an unknown field', () => state(), { colour: { operation: 'update', value: 1 } }, /unknown field "colour"/],
    ['the hypothesis of a running experiment', () => runningState(), { hypothesis: { operation: 'update', value: 'x' } }, /"hypothesis" cannot be changed with "update" while the experiment is running/],
    ['replacing metrics while running (adding is allowed)', () => runningState(), { metrics: { operation: 'update', value: [] } }, /allowed: add/],
    ['an empty name', () => state(), { name: { operation: 'update', value: '' } }, /value\.name: must be a non-empty string/],
  ];
  for (const [name, make, value, message] of refusals) {
    it(`refuses: ${name}`, () => expect(refusal(() => applyInstruction(make(), { kind: 'updateExperimentFields', value }, ctx())).message).toMatch(message));
  }

  it('saveAndStartNewIteration stops the running iteration and starts the new one, no justification needed', () => {
    const s = applyInstruction(runningState(), { kind: 'saveAndStartNewIteration', iteration: iteration({ hypothesis: 'v2' }) }, ctx({ now: 3000, newSeed: () => 9 }));
    const current = currentOf(s)!;
    expect(current).toMatchObject({ id: 'new', isNew: true });
    expect(current.doc).toMatchObject({ hypothesis: 'v2', status: 'running', startedAt: 3000, createdAt: 3000 });
    expect(s.iterations.find((it) => it.id === 'draft')!.doc.status).toBe('stopped');
    expect(s.flags.f.config.fallthrough.rollout!.seed).toBe(9);
  });
});

describe('applyInstructions: all or nothing', () => {
  it('names the failing instruction and applies none', () => {
    const original = state();
    const err = refusal(() =>
      applyInstructions(original, [{ kind: 'updateName', value: 'x' }, { kind: 'stopIteration', winningTreatmentId: A }], ctx()),
    );
    expect(err.message).toMatch(/^instructions\[1\] \(stopIteration\): there is no running iteration/);
    expect(original.experiment.name).toBe('Exp');
  });

  it('start then stop in one patch', () => {
    const s = applyInstructions(state(), [{ kind: 'startIteration' }, { kind: 'stopIteration', winningTreatmentId: A }], ctx());
    expect(statusOf(s)).toBe('stopped');
    expect(s.flags.f.config.fallthrough).toEqual({ variation: 0 });
    expect(s.flags.f.config.version).toBe(7);
  });
});

describe('rollout layouts', () => {
  const sum = (vs: { weight: number }[]) => vs.reduce((a, v) => a + v.weight, 0);

  it('fresh layouts sum exactly to 100000 and omit an empty remainder', () => {
    expect(freshLayout([{ variation: 0, weight: 33333 }, { variation: 1, weight: 66667 }], 0)).toEqual([
      { variation: 0, weight: 33333 },
      { variation: 1, weight: 66667 },
    ]);
    expect(sum(freshLayout([{ variation: 0, weight: 1 }], 2))).toBe(TOTAL_WEIGHT);
  });

  it('preserving layouts keep every bucket whose variation keeps weight, for random allocations', () => {
    for (let trial = 0; trial < 200; trial++) {
      const w = () => Math.floor(Math.random() * 30000);
      const old = freshLayout([{ variation: 0, weight: w() }, { variation: 1, weight: w() }, { variation: 2, weight: w() }], 3);
      const next = [{ variation: 0, weight: w() }, { variation: 1, weight: w() }, { variation: 2, weight: w() }];
      const layout = preservingLayout(old, next, 3);
      expect(sum(layout)).toBe(TOTAL_WEIGHT);
      for (const target of next) {
        const got = layout.filter((v) => v.variation === target.variation && !v._untracked).reduce((a, v) => a + v.weight, 0);
        expect(got).toBe(target.weight);
      }
      // a bucket position served variation v tracked before keeps v, up to min(old, new) of v
      const at = (vs: typeof layout, pos: number) => {
        let acc = 0;
        for (const v of vs) if (pos < (acc += v.weight)) return v;
        return undefined;
      };
      let kept = 0;
      for (let pos = 0; pos < TOTAL_WEIGHT; pos += 97) {
        const before = at(old, pos)!;
        const after = at(layout, pos)!;
        if (!before._untracked && !after._untracked && before.variation === after.variation) kept++;
      }
      const expectedKept = next.reduce((a, t) => a + Math.min(t.weight, old.find((o) => o.variation === t.variation && !o._untracked)?.weight ?? 0), 0);
      expect(Math.abs(kept * 97 - expectedKept)).toBeLessThanOrEqual(97 * 4);
    }
  });
});

describe('lifecycle: an experiment in a holdout', () => {
  const holdout = { key: 'q3', flagKey: 'q3-flag', variation: 1, randomizationUnit: 'user' };

  it("starting gives the flag the holdout's flag as a prerequisite, with the rollout, in one version", () => {
    const next = applyInstruction(state(), { kind: 'startIteration' }, ctx({ holdout }));
    expect(next.flags.f.config.prerequisites).toEqual([{ key: 'q3-flag', variation: 1 }]);
    expect(next.flags.f.config.version).toBe(6);
    expect(next.flags.f.config.fallthrough.rollout).toBeDefined();
  });

  it('a prerequisite already there is kept once; stopping keeps it', () => {
    const started = applyInstruction(state({ config: config({ prerequisites: [{ key: 'q3-flag', variation: 1 }] }) }), { kind: 'startIteration' }, ctx({ holdout }));
    expect(started.flags.f.config.prerequisites).toEqual([{ key: 'q3-flag', variation: 1 }]);
    const stopped = applyInstruction(started, { kind: 'stopIteration', winningTreatmentId: B }, ctx({ holdout }));
    expect(stopped.flags.f.config.prerequisites).toEqual([{ key: 'q3-flag', variation: 1 }]);
  });

  it('refuses a flag with another prerequisite, the holdout flag itself, and another randomization unit', () => {
    const other = refusal(() => applyInstruction(state({ config: config({ prerequisites: [{ key: 'gate', variation: 0 }] }) }), { kind: 'startIteration' }, ctx({ holdout })));
    expect(other.message).toMatch(/flag "f" has the prerequisite "gate"/);
    const itself = refusal(() => applyInstruction(state(), { kind: 'startIteration' }, ctx({ holdout: { ...holdout, flagKey: 'f' } })));
    expect(itself.message).toMatch(/is the flag of holdout "q3"/);
    const unit = refusal(() => applyInstruction(state(), { kind: 'startIteration' }, ctx({ holdout: { ...holdout, randomizationUnit: 'organization' } })));
    expect(unit.message).toMatch(/randomizes by "organization"/);
  });

  it('without a holdout, a prerequisite of the flag is no obstacle and is left alone', () => {
    const next = applyInstruction(state({ config: config({ prerequisites: [{ key: 'gate', variation: 0 }] }) }), { kind: 'startIteration' }, ctx());
    expect(next.flags.f.config.prerequisites).toEqual([{ key: 'gate', variation: 0 }]);
  });
});

describe('lifecycle: multi-armed bandits', () => {
  const bandit = (draft = iteration({ reallocationFrequencyMillis: 60_000 })) =>
    applyInstruction(state({ draft, experiment: experiment({ type: 'mab' }) }), { kind: 'startIteration' }, ctx({ now: 500 }));
  /** The variation a bucket (0..99,999) of the rollout serves. */
  const served = (variations: { variation: number; weight: number }[], bucket: number) => {
    let end = 0;
    for (const v of variations) if (bucket < (end += v.weight)) return v.variation;
    return -1;
  };

  it('starting a bandit records its shares and its first reallocation time; another experiment gets none', () => {
    const s = bandit();
    expect(currentOf(s)!.doc.bandit).toEqual({ nextAt: 60_500, allocations: [{ from: 500, percents: ['50', '50'] }] });
    expect(currentOf(bandit(iteration()))!.doc.bandit!.nextAt).toBe(500 + DEFAULT_REALLOCATION_FREQUENCY_MS);
    expect(currentOf(runningState())!.doc.bandit).toBeUndefined();
  });

  it('reallocating moves the treatments and the rule, keeps the seed, and keeps units in the treatments that keep traffic', () => {
    const s = bandit();
    const before = s.flags.f.config.fallthrough.rollout!;
    const next = reallocate(s, 'draft', [20_000, 80_000], 61_000);
    const doc = currentOf(next)!.doc;
    expect(doc.treatments.map((t) => t.allocationPercent)).toEqual(['20', '80']);
    expect(doc.version).toBe(currentOf(s)!.doc.version + 1);
    expect(doc.bandit).toEqual({
      nextAt: 121_000,
      allocations: [
        { from: 500, percents: ['50', '50'] },
        { from: 61_000, percents: ['20', '80'] },
      ],
    });
    const rollout = next.flags.f.config.fallthrough.rollout!;
    expect(rollout.seed).toBe(before.seed);
    expect(rollout.variations.filter((v) => v.variation === 1).reduce((a, v) => a + v.weight, 0)).toBe(80_000);
    expect(doc.rollouts!.f.variations).toEqual(rollout.variations);
    expect(next.flags.f.config.version).toBe(s.flags.f.config.version + 1);
    // Every bucket B served still serves B; only 30% of the buckets (A's) moved, to B.
    let moved = 0;
    for (let bucket = 0; bucket < TOTAL_WEIGHT; bucket += 7) {
      const was = served(before.variations, bucket);
      const now = served(rollout.variations, bucket);
      if (was === 1) expect(now).toBe(1);
      if (was !== now) moved += 7;
    }
    expect(moved / TOTAL_WEIGHT).toBeCloseTo(0.3, 2);
  });

  it('shares that stay (or no shares: too few units) only move the next reallocation time', () => {
    // "50.0" is 50,000 thousandths too: the same share written otherwise is no change.
    const treatments = iteration().treatments.map((t) => ({ ...t, allocationPercent: '50.0' }));
    const s = bandit(iteration({ reallocationFrequencyMillis: 60_000, treatments }));
    for (const weights of [undefined, [50_000, 50_000]]) {
      const next = reallocate(s, 'draft', weights, 61_000);
      expect(next.flags.f.config).toBe(s.flags.f.config);
      expect(currentOf(next)!.doc).toEqual({ ...currentOf(s)!.doc, bandit: { ...currentOf(s)!.doc.bandit, nextAt: 121_000 } });
    }
  });

  it('untracked buckets stay untracked, wherever they are: no unit enters or leaves the experiment', () => {
    const old = [
      { variation: 2, weight: 30_000, _untracked: true },
      { variation: 0, weight: 20_000 },
      { variation: 1, weight: 20_000 },
      { variation: 2, weight: 30_000, _untracked: true },
    ];
    const weights = [{ variation: 0, weight: 10_000 }, { variation: 1, weight: 30_000 }];
    expect(reallocatedLayout(old, weights, 2)).toEqual([
      { variation: 2, weight: 30_000, _untracked: true },
      { variation: 0, weight: 10_000 },
      { variation: 1, weight: 30_000 },
      { variation: 2, weight: 30_000, _untracked: true },
    ]);
    // preservingLayout (a new iteration keeping buckets) hands the first untracked space to the treatment that grew,
    // and the share Control lost leaves the experiment.
    expect(preservingLayout(old, weights, 2)).toEqual([
      { variation: 1, weight: 10_000 },
      { variation: 2, weight: 20_000, _untracked: true },
      { variation: 0, weight: 10_000 },
      { variation: 2, weight: 10_000, _untracked: true },
      { variation: 1, weight: 20_000 },
      { variation: 2, weight: 30_000, _untracked: true },
    ]);
  });

  it('refuses an iteration that is not a running bandit, and a bandit whose primary metric is a percentile', () => {
    expect(refusal(() => reallocate(runningState(), 'draft', undefined, 1)).message).toMatch(/not a running multi-armed bandit/);
    const stopped = applyInstruction(bandit(), { kind: 'stopIteration', winningTreatmentId: B }, ctx({ now: 900 }));
    expect(refusal(() => reallocate(stopped, 'draft', undefined, 1)).message).toMatch(/not a running multi-armed bandit/);
    const percentile = iteration({ primarySingleMetricKey: 'latency', metrics: [{ key: 'latency', isGroup: false, dependent: {}, detail: { key: 'latency' } }] });
    const start = (type: string) =>
      applyInstruction(state({ draft: percentile, experiment: experiment({ type }) }), { kind: 'startIteration' }, ctx({ percentileMetrics: new Set(['latency']) }));
    expect(refusal(() => start('mab')).message).toMatch(/primary metric's average; metric "latency" is analysed by a percentile/);
    expect(currentOf(start('experiment'))!.doc.status).toBe('running');
  });
});
