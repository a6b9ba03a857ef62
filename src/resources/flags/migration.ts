// Pure: migration flags (`purpose: "migration"`): the stages a stage count gives, the variations and default cohort
// generated from them, and what a create body may and may not say about them.
import type { FieldError } from '../../http/errors.js';
import type { FlagConfigDoc, FlagDoc, Variation, VariationOrRollout } from './model.js';
import { checkContextKind } from './validate.js';

export const MIGRATION_PURPOSE = 'migration';

export type MigrationSettings = NonNullable<FlagDoc['migrationSettings']>;

/**
 * The stages of a migration by its stage count, in order, as the SDKs' LDMigrationStage spells them. LaunchDarkly's
 * guide to multi-stage migrations: two stages switch straight over; four run both systems side by side; six also
 * move the data, writing it to both systems before reading from the new one.
 */
const STAGES: Record<number, readonly string[]> = {
  2: ['off', 'complete'],
  4: ['off', 'shadow', 'live', 'complete'],
  6: ['off', 'dualwrite', 'shadow', 'live', 'rampdown', 'complete'],
};

/** Each stage's name (the SDKs' LDMigrationStage member) and what it reads and writes (LaunchDarkly's stage table). */
const STAGE_LABELS: Record<string, { name: string; description: string }> = {
  off: { name: 'Off', description: 'Read from old, write to old; old is authoritative' },
  dualwrite: { name: 'DualWrite', description: 'Read from old, write to old and new; old is authoritative' },
  shadow: { name: 'Shadow', description: 'Read from both, write to old and new; old is authoritative' },
  live: { name: 'Live', description: 'Read from both, write to new and old; new is authoritative' },
  rampdown: { name: 'RampDown', description: 'Read from new, write to new and old; new is authoritative' },
  complete: { name: 'Complete', description: 'Read from new, write to new; new is authoritative' },
};

export const STAGE_COUNTS = Object.keys(STAGES).map(Number);

export function isMigrationFlag(flag: Pick<FlagDoc, 'purpose'>): boolean {
  return flag.purpose === MIGRATION_PURPOSE;
}

/** The variations of a migration flag: one string variation a stage, in stage order. Their ids are the caller's. */
export function migrationVariations(settings: MigrationSettings): Omit<Variation, '_id'>[] {
  return STAGES[settings.stageCount].map((stage) => ({ value: stage, ...STAGE_LABELS[stage] }));
}

/**
 * The default cohort (the fallthrough) of a new environment's targeting: a percentage rollout over every stage with
 * all of it in `off`, as LaunchDarkly's docs recommend (cohorts always serve a rollout). A six-stage migration buckets
 * by the context kind the data is partitioned by.
 */
export function migrationFallthrough(flag: FlagDoc): VariationOrRollout {
  const settings = flag.migrationSettings!;
  return {
    rollout: {
      variations: STAGES[settings.stageCount].map((_, variation) => ({ variation, weight: variation === 0 ? 100000 : 0 })),
      ...(settings.contextKind !== undefined ? { contextKind: settings.contextKind } : {}),
    },
  };
}

interface MigrationBody {
  purpose?: string;
  migrationSettings?: { contextKind?: string; stageCount: number };
  variations?: unknown;
  defaults?: unknown;
}

/**
 * What is wrong with a create body's migration fields, each naming its field. The variations and defaults of a
 * migration flag are its stages', so a body may not give them; `contextKind` belongs to six-stage migrations only.
 */
export function migrationBodyProblems(body: MigrationBody): FieldError[] {
  const errors: FieldError[] = [];
  const settings = body.migrationSettings;
  if (body.purpose !== MIGRATION_PURPOSE) {
    if (settings !== undefined) errors.push({ attribute: 'migrationSettings', reason: 'is only for migration flags: give purpose "migration" with it, or leave it out' });
    return errors;
  }
  for (const field of ['variations', 'defaults'] as const) {
    if (body[field] !== undefined) errors.push({ attribute: field, reason: `cannot be given for a migration flag: its ${field} are generated from migrationSettings.stageCount` });
  }
  if (settings === undefined) {
    errors.push({ attribute: 'migrationSettings', reason: 'is required for a migration flag: give its stageCount (2, 4 or 6)' });
    return errors;
  }
  if (!STAGE_COUNTS.includes(settings.stageCount)) {
    errors.push({ attribute: 'migrationSettings.stageCount', reason: `must be 2, 4 or 6, not ${settings.stageCount}` });
    return errors;
  }
  if (settings.stageCount === 6) {
    if (settings.contextKind === undefined || settings.contextKind === '') {
      errors.push({ attribute: 'migrationSettings.contextKind', reason: 'is required for a six-stage migration: the context kind the migrated data is partitioned by' });
    } else {
      checkContextKind(errors, 'migrationSettings.contextKind', settings.contextKind);
    }
  } else if (settings.contextKind !== undefined) {
    errors.push({ attribute: 'migrationSettings.contextKind', reason: `is only for six-stage migrations; leave it out for ${settings.stageCount} stages` });
  }
  return errors;
}

/**
 * What an edit may not change in a migration flag: its variations are its stages (none added, removed, reordered or
 * changed), and its defaults serve `off` on and off, so that every environment's migration starts there.
 */
export function migrationFlagProblems(before: FlagDoc, after: FlagDoc): FieldError[] {
  if (!isMigrationFlag(before)) return [];
  const errors: FieldError[] = [];
  const [was, now] = [before.variations, after.variations];
  const same = was.length === now.length && was.every((v, i) => v._id === now[i]._id && v.value === now[i].value && v.name === now[i].name && v.description === now[i].description);
  if (!same) errors.push({ attribute: 'variations', reason: "are a migration flag's stages and cannot be changed" });
  if (after.defaults.onVariation !== 0 || after.defaults.offVariation !== 0) errors.push({ attribute: 'defaults', reason: 'must stay {"onVariation":0,"offVariation":0}: a migration flag starts at its first stage, "off"' });
  return errors;
}

/**
 * What LaunchDarkly's docs rule out in a migration flag's targeting in one environment (`prefix`, e.g.
 * `environments.production`): a cohort (rule or default cohort) serving a single variation rather than a rollout
 * (patchFeatureFlag: "provide a rollout instead of a single variationId"), individual targets (a cohort of one
 * context is a rule), an off variation other than `off`, and in a six-stage migration anything but its context kind:
 * a clause or a rollout on another kind, and `segmentMatch` (a segment may match on other kinds).
 */
export function migrationTargetingProblems(flag: FlagDoc, prefix: string, config: FlagConfigDoc): FieldError[] {
  if (!isMigrationFlag(flag)) return [];
  const errors: FieldError[] = [];
  const cohorts: [string, VariationOrRollout][] = [[`${prefix}.fallthrough`, config.fallthrough], ...config.rules.map((rule, i): [string, VariationOrRollout] => [`${prefix}.rules[${i}]`, rule])];
  for (const [attribute, serve] of cohorts) {
    if (!serve.rollout) errors.push({ attribute: `${attribute}.rollout`, reason: "a migration flag's cohorts serve a percentage rollout over its stages, not a single variation: give rollout (100000 on one stage to serve only it)" });
  }
  for (const field of ['targets', 'contextTargets'] as const) {
    config[field].forEach((target, i) => {
      if (target.values.length > 0) errors.push({ attribute: `${prefix}.${field}[${i}]`, reason: 'a migration flag cannot target individual contexts; make a cohort (a rule) that matches them' });
    });
  }
  if (config.offVariation !== 0) errors.push({ attribute: `${prefix}.offVariation`, reason: 'must be 0: a migration flag that is off serves its first stage, "off"' });
  const kind = flag.migrationSettings?.contextKind;
  if (flag.migrationSettings?.stageCount !== 6 || kind === undefined) return errors;
  for (const [attribute, serve] of cohorts) {
    if (serve.rollout && (serve.rollout.contextKind ?? 'user') !== kind) {
      errors.push({ attribute: `${attribute}.rollout.contextKind`, reason: `must be "${kind}": a six-stage migration buckets by its context kind` });
    }
  }
  config.rules.forEach((rule, i) => {
    rule.clauses.forEach((clause, j) => {
      const at = `${prefix}.rules[${i}].clauses[${j}]`;
      if (clause.op === 'segmentMatch') errors.push({ attribute: `${at}.op`, reason: 'a six-stage migration cannot match segments, which may match on other context kinds' });
      else if ((clause.contextKind ?? 'user') !== kind) errors.push({ attribute: `${at}.contextKind`, reason: `must be "${kind}": a six-stage migration's cohorts match on its context kind` });
    });
  });
  return errors;
}
