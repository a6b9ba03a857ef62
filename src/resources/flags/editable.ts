// From an edited flag representation back to the stored flag: which paths are editable, ids for new parts, versions.
import { deepEqual, parsePointer } from '../../http/patch/jsonPatch.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { attributePath, check } from '../../http/validation.js';
import { uuid } from '../../store/ids.js';
import { AI_CONFIG_PURPOSE, compact, type Clause, type FlagConfigDoc, type FlagDoc, type LoadedFlag, type Rollout, type Rule, type Target, type Variation, type VariationOrRollout } from './model.js';
import { EDITABLE_CONFIG_FIELDS, EDITABLE_FLAG_FIELDS, EditableFlag, type EditableConfig } from './schemas.js';
import { checkConfig, checkDefaults, checkVariations, isBooleanFlag, sameValue, storedReferences } from './validate.js';
import { isMigrationFlag, migrationFlagProblems, migrationTargetingProblems } from './migration.js';

/** Fields a client sees in the representation but may not write. */
const READ_ONLY_FLAG_FIELDS = new Set(['key', 'kind', 'creationDate', 'experiments', 'goalIds', 'archivedDate', 'deprecatedDate', 'migrationSettings']);
const READ_ONLY_CONFIG_FIELDS = new Set(['version', 'salt', 'sel', 'lastModified', 'archived']);

/**
 * Environment fields a flag PATCH takes and drops, as LaunchDarkly does: Terraform's destroy of a
 * `launchdarkly_feature_flag_environment` replaces `/environments/{env}/fallthough` (sic) beside the real fields.
 */
const IGNORED_CONFIG_FIELDS = new Set(['fallthough']);

/** True for an `add` or `replace` that LaunchDarkly accepts and ignores (see IGNORED_CONFIG_FIELDS). */
export function isIgnoredWrite(op: { op: string; path: string }, environmentKeys: ReadonlySet<string>): boolean {
  if ((op.op !== 'add' && op.op !== 'replace') || !op.path.startsWith('/')) return false;
  const tokens = parsePointer(op.path);
  return tokens.length === 3 && tokens[0] === 'environments' && environmentKeys.has(tokens[1]) && IGNORED_CONFIG_FIELDS.has(tokens[2]);
}

/** Why a write at `pointer` is refused, or undefined when the path is editable. */
export function readOnlyReason(pointer: string, environmentKeys: ReadonlySet<string>): string | undefined {
  if (pointer !== '' && !pointer.startsWith('/')) return 'is not a JSON pointer (it must start with /)';
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return 'the whole flag cannot be written; patch its fields';
  if (tokens.some((token) => token.startsWith('_'))) return 'is read-only (fields whose names start with _ are)';
  const [field, envKey, envField] = tokens;
  if (field === 'environments') {
    if (envKey === undefined) return 'environments cannot be added or removed through a flag; patch their fields';
    if (!environmentKeys.has(envKey)) return `there is no environment "${envKey}" in this project`;
    if (envField === undefined) return 'an environment cannot be added or removed through a flag; patch its fields';
    if (READ_ONLY_CONFIG_FIELDS.has(envField)) return 'is read-only';
    if (!EDITABLE_CONFIG_FIELDS.includes(envField)) return 'is not a field of a flag environment';
    return undefined;
  }
  if (READ_ONLY_FLAG_FIELDS.has(field)) return 'is read-only';
  if (!EDITABLE_FLAG_FIELDS.includes(field)) return 'is not a field of a flag';
  return undefined;
}

export function readOnlyError(pointer: string, reason: string): FieldError {
  return { attribute: attributePath(pointer) || 'patch', reason: `${reason} (path ${pointer})` };
}

function pick(source: unknown, fields: readonly string[]): Record<string, unknown> {
  const record = (source ?? {}) as Record<string, unknown>;
  return Object.fromEntries(fields.filter((field) => Object.hasOwn(record, field)).map((field) => [field, record[field]]));
}

/**
 * A variation's `name` or `description` written as `null` is cleared, as LaunchDarkly clears it (the SDKv2 Terraform
 * provider replaces both on every variation it updates, with `null` where the configuration sets none).
 */
function withoutNullLabels(variations: unknown): unknown {
  if (!Array.isArray(variations)) return variations;
  return variations.map((v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const { name, description, ...rest } = v as Record<string, unknown>;
    return { ...rest, ...(name !== null && name !== undefined ? { name } : {}), ...(description !== null && description !== undefined ? { description } : {}) };
  });
}

/** The editable part of a representation, for validation against EditableFlag. */
function editablePart(rep: unknown): Record<string, unknown> {
  const out = pick(rep, EDITABLE_FLAG_FIELDS);
  if (Object.hasOwn(out, 'variations')) out.variations = withoutNullLabels(out.variations);
  const envs = ((rep ?? {}) as Record<string, unknown>).environments;
  if (envs !== null && typeof envs === 'object') {
    out.environments = Object.fromEntries(Object.entries(envs).map(([key, config]) => [key, pick(config, EDITABLE_CONFIG_FIELDS)]));
  } else {
    out.environments = envs;
  }
  return out;
}

function normalizeRollout(rollout: Rollout): Rollout {
  return compact({
    variations: rollout.variations.map((w) => compact({ variation: w.variation, weight: w.weight, _untracked: w._untracked })),
    experimentAllocation: rollout.experimentAllocation
      ? { defaultVariation: rollout.experimentAllocation.defaultVariation, canReshuffle: rollout.experimentAllocation.canReshuffle }
      : undefined,
    seed: rollout.seed,
    bucketBy: rollout.bucketBy,
    contextKind: rollout.contextKind,
  });
}

function normalizeServe(serve: VariationOrRollout): VariationOrRollout {
  return compact({ variation: serve.variation, rollout: serve.rollout ? normalizeRollout(serve.rollout) : undefined });
}

type ClauseInput = Omit<Clause, '_id' | 'negate'> & { _id?: string; negate?: boolean };
type RuleInput = Omit<Rule, '_id' | 'clauses' | 'trackEvents'> & { _id?: string; clauses?: ClauseInput[]; trackEvents?: boolean };

/** A clause as stored (flags' and segments' rules): known fields only, the server's `_id` on a new one, `negate` defaulted. */
export function normalizeClause(clause: ClauseInput): Clause {
  return compact({
    _id: clause._id ?? uuid(),
    attribute: clause.attribute,
    op: clause.op,
    values: clause.values,
    contextKind: clause.contextKind,
    negate: clause.negate ?? false,
  });
}

/** A rule as stored: known fields only, the server's `_id`s on new rules and clauses, booleans defaulted. */
export function normalizeRule(rule: RuleInput): Rule {
  return compact({
    _id: rule._id ?? uuid(),
    disabled: rule.disabled,
    ...normalizeServe(rule),
    clauses: (rule.clauses ?? []).map(normalizeClause),
    trackEvents: rule.trackEvents ?? false,
    description: rule.description,
    ref: rule.ref,
  });
}

function normalizeTarget(target: Target): Target {
  return compact({ values: target.values, variation: target.variation, contextKind: target.contextKind });
}

/** The targeting fields of a config, as stored; version, salt and the rest are the caller's. */
function targetingFrom(edited: EditableConfig): Omit<FlagConfigDoc, 'archived' | 'salt' | 'sel' | 'lastModified' | 'version'> {
  return compact({
    on: edited.on,
    targets: edited.targets.map(normalizeTarget),
    // An entry without a kind is a user entry, as SDKs read it; stored with the kind, so that what reads it back
    // (Terraform's provider dereferences every entry's contextKind) finds one.
    contextTargets: edited.contextTargets.map((target) => normalizeTarget({ ...target, contextKind: target.contextKind ?? 'user' })),
    rules: edited.rules.map(normalizeRule),
    fallthrough: normalizeServe(edited.fallthrough),
    offVariation: edited.offVariation,
    prerequisites: edited.prerequisites.map((p) => ({ key: p.key, variation: p.variation })),
    trackEvents: edited.trackEvents,
    trackEventsFallthrough: edited.trackEventsFallthrough,
    migrationSettings: storedMigrationSettings(edited.migrationSettings),
  });
}

/**
 * An environment's migration settings as stored: a check ratio of 1, the SDKs' own default (every migration op
 * checks consistency), is stored as none, so the ratio the representation shows for an unset one writes nothing back.
 */
function storedMigrationSettings(settings: EditableConfig['migrationSettings']): FlagConfigDoc['migrationSettings'] {
  return settings?.checkRatio === undefined || settings.checkRatio === 1 ? undefined : { checkRatio: settings.checkRatio };
}

/**
 * New variations keep the `_id` of an old variation with the same value (a client that replaces the
 * whole list without ids has not removed anything); the rest get new ids.
 */
function variationsFrom(edited: EditableFlag['variations'], before: Variation[]): Variation[] {
  const claimed = new Set(edited.map((v) => v._id).filter((id): id is string => id !== undefined));
  return edited.map((v) => {
    let id = v._id;
    if (id === undefined) {
      id = before.find((old) => !claimed.has(old._id) && sameValue(old.value, v.value))?._id ?? uuid();
      claimed.add(id);
    }
    return compact({ _id: id, value: v.value, name: v.name, description: v.description });
  });
}

type IndexMap = (index: number) => number;

/** Variation indexes in one targeting field, moved to the new variation order. -1 means the variation was removed. */
function remapField(config: FlagConfigDoc, field: (typeof REMAPPED_FIELDS)[number], map: IndexMap): { value: unknown; lost: number[] } {
  const lost: number[] = [];
  const to = (index: number) => {
    const moved = map(index);
    if (moved < 0) lost.push(index);
    return moved;
  };
  const serve = <T extends VariationOrRollout>(s: T): T => ({
    ...s,
    ...(s.variation !== undefined ? { variation: to(s.variation) } : {}),
    ...(s.rollout
      ? {
          rollout: {
            ...s.rollout,
            variations: s.rollout.variations.map((w) => ({ ...w, variation: to(w.variation) })),
            ...(s.rollout.experimentAllocation
              ? { experimentAllocation: { ...s.rollout.experimentAllocation, defaultVariation: to(s.rollout.experimentAllocation.defaultVariation) } }
              : {}),
          },
        }
      : {}),
  });
  switch (field) {
    case 'offVariation':
      return { value: config.offVariation === undefined ? undefined : to(config.offVariation), lost };
    case 'fallthrough':
      return { value: serve(config.fallthrough), lost };
    case 'rules':
      return { value: config.rules.map(serve), lost };
    default:
      return { value: config[field].map((t) => ({ ...t, variation: to(t.variation) })), lost };
  }
}

const REMAPPED_FIELDS = ['offVariation', 'fallthrough', 'rules', 'targets', 'contextTargets'] as const;

export interface EditResult {
  doc: FlagDoc;
  /** Keyed by environment id; only the environments whose targeting changed. */
  changedConfigs: Map<string, FlagConfigDoc>;
  /** The configs to write: those whose targeting changed, and every one when what SDKs see of the flag itself did. */
  versionedConfigs: Map<string, FlagConfigDoc>;
  /** All configs after the edit, keyed by environment id. */
  configs: Map<string, FlagConfigDoc>;
  /** Old variation index -> new index (-1: removed), when the variations were removed or reordered. */
  variationMap: IndexMap | undefined;
  changed: boolean;
  /**
   * The edit changes an experiment's rollout where it stands: a 400 for whoever commits it, once the flag guards have
   * had their say (the running experiment that owns the rule answers 409, as for any other change to its rule).
   */
  experimentRolloutChanges: FieldError[];
}

export interface EditInput {
  flagKey: string;
  before: LoadedFlag;
  /** The representation the edit started from (every environment, full targeting). */
  beforeRep: Record<string, unknown>;
  edited: unknown;
  /** Environments of the flag, keyed by environment key. */
  environments: Map<string, { id: string }>;
  now: number;
}

/** The stored flag document an edit describes; dates follow archived/deprecated, `kind` follows the variations. */
function flagDocFrom(edited: EditableFlag, before: FlagDoc, variations: Variation[], defaults: FlagDoc['defaults'], now: number): FlagDoc {
  const old = before.clientSideAvailability;
  const wanted = edited.clientSideAvailability;
  // `includeInSnippet` is the deprecated spelling of `clientSideAvailability.usingEnvironmentId`; whichever changed wins.
  const usingEnvironmentId = wanted.usingEnvironmentId !== old.usingEnvironmentId || wanted.usingMobileKey !== old.usingMobileKey
    ? wanted.usingEnvironmentId
    : edited.includeInSnippet;
  // A flag has one maintainer, a member or a team: the one an edit sets replaces the other, as updateMaintainerTeam
  // and updateMaintainerMember do (an edit that sets both keeps both, as asked).
  const teamSet = edited.maintainerTeamKey !== undefined && edited.maintainerTeamKey !== before.maintainerTeamKey;
  const memberSet = edited.maintainerId !== undefined && edited.maintainerId !== before.maintainerId;
  return compact({
    ...before,
    name: edited.name,
    kind: isBooleanFlag(variations.map((v) => v.value)) ? 'boolean' : 'multivariate',
    description: edited.description,
    variations,
    temporary: edited.temporary,
    tags: edited.tags,
    customProperties: Object.fromEntries(Object.entries(edited.customProperties).map(([key, p]) => [key, { name: p.name, value: p.value }])),
    clientSideAvailability: { usingMobileKey: wanted.usingMobileKey, usingEnvironmentId },
    includeInSnippet: usingEnvironmentId,
    defaults: { onVariation: defaults.onVariation, offVariation: defaults.offVariation },
    maintainerId: teamSet && !memberSet ? undefined : edited.maintainerId,
    maintainerTeamKey: memberSet && !teamSet ? undefined : edited.maintainerTeamKey,
    archived: edited.archived,
    archivedDate: edited.archived ? (before.archived ? before.archivedDate : now) : undefined,
    deprecated: edited.deprecated,
    deprecatedDate: edited.deprecated ? (before.deprecated ? before.deprecatedDate : now) : undefined,
  });
}

/** Equal apart from version and lastModified, the two fields an edit itself moves. */
function sameTargeting(a: FlagConfigDoc, b: FlagConfigDoc): boolean {
  return deepEqual({ ...a, version: 0, lastModified: 0 }, { ...b, version: 0, lastModified: 0 });
}

type InUse = (where: string, lost: number[]) => void;

/** Where a rollout says it is an experiment's: its allocation, else its first untracked weight. */
function experimentMark(rollout: EditableConfig['fallthrough']['rollout']): string | undefined {
  if (!rollout) return undefined;
  if (rollout.experimentAllocation !== undefined) return 'rollout.experimentAllocation';
  const untracked = rollout.variations.findIndex((weighted) => weighted._untracked !== undefined);
  return untracked >= 0 ? `rollout.variations[${untracked}]._untracked` : undefined;
}

/** An edit's refusals of experiment rollouts (experimentRolloutErrors), by what the edit did to one. */
interface ExperimentRolloutErrors {
  /** It made one, or moved one to another rule. */
  made: FieldError[];
  /** It changed one where it was (the running experiment that owns that rule refuses it first, with a 409). */
  changed: FieldError[];
}

/**
 * An experiment rollout (`experimentAllocation`, `_untracked` weights) is written by starting an iteration, which
 * also records the experiment that owns it. An edit may leave one where it is, as it was shown; it may not make one,
 * move one to another rule, or change one: that would be an experiment with nothing behind it.
 */
function experimentRolloutErrors(edited: EditableConfig, shown: EditableConfig | undefined, where: string): ExperimentRolloutErrors {
  const errors: ExperimentRolloutErrors = { made: [], changed: [] };
  const refuse = (at: string, mark: string, was: VariationOrRollout | undefined) =>
    (experimentMark(was?.rollout) ? errors.changed : errors.made).push({
      attribute: `${at}.${mark}`,
      reason: 'is written by an experiment when an iteration starts, not by a flag edit; a percentage rollout has none',
    });
  const fallthroughMark = experimentMark(edited.fallthrough.rollout);
  if (fallthroughMark && !deepEqual(normalizeServe(edited.fallthrough), shown && normalizeServe(shown.fallthrough))) refuse(`${where}.fallthrough`, fallthroughMark, shown?.fallthrough);
  edited.rules.forEach((rule, i) => {
    const mark = experimentMark(rule.rollout);
    if (!mark) return;
    const was = rule._id === undefined ? undefined : shown?.rules.find((r) => r._id === rule._id);
    if (!was || !deepEqual(normalizeServe(rule), normalizeServe(was))) refuse(`${where}.rules[${i}]`, mark, was);
  });
  return errors;
}

/**
 * One environment's targeting after the edit. With variations renumbered, fields the edit left as they were
 * keep serving the same variations; fields it changed are read in the new numbering.
 */
function configFrom(old: FlagConfigDoc, edited: EditableConfig, shown: EditableConfig | undefined, variationMap: IndexMap | undefined, archived: boolean, inUse: InUse, where: string): FlagConfigDoc {
  const targeting: Record<string, unknown> = targetingFrom(edited);
  if (variationMap) {
    for (const field of REMAPPED_FIELDS) {
      if (!deepEqual(edited[field], shown?.[field])) continue;
      const { value, lost } = remapField(old, field, variationMap);
      if (lost.length > 0) inUse(`${where}.${field}`, lost);
      targeting[field] = value;
    }
  }
  // Fields the edit may remove: what it left out is gone.
  const { offVariation: _dropped, migrationSettings: _unset, ...kept } = old;
  return compact({ ...kept, ...targeting, archived }) as FlagConfigDoc;
}

/**
 * Turns an edited representation into the stored flag: checks its shape, assigns ids to new variations,
 * rules and clauses, keeps unedited targeting pointing at the same variations when variations move,
 * checks every invariant (400 naming the field, nothing changed), and bumps versions where something changed.
 */
export function applyEdits(input: EditInput): EditResult {
  const { before, now } = input;
  const part = editablePart(input.edited);
  const shapeErrors = check(EditableFlag, part);
  if (shapeErrors.length > 0) throw validationFailed(shapeErrors);
  const edited = part as EditableFlag;
  const shownEnvs = (input.beforeRep.environments ?? {}) as Record<string, EditableConfig>;

  const variations = variationsFrom(edited.variations, before.doc.variations);
  const oldToNew = before.doc.variations.map((old) => variations.findIndex((v) => v._id === old._id));
  const variationMap: IndexMap | undefined = oldToNew.every((to, from) => to === from) ? undefined : (index) => oldToNew[index] ?? index;
  const errors: FieldError[] = [];
  // The environments' own checks, left out when a variation in use would be removed: their indexes are then -1.
  const configErrors: FieldError[] = [];
  const inUse: InUse = (where, lost) => {
    for (const index of new Set(lost)) {
      errors.push({
        attribute: 'variations',
        reason: `cannot remove variation ${index} (value ${JSON.stringify(before.doc.variations[index]?.value)}): ${where} serves it; change that first`,
      });
    }
  };

  let defaults = edited.defaults;
  if (variationMap && deepEqual(edited.defaults, before.doc.defaults)) {
    defaults = { onVariation: variationMap(before.doc.defaults.onVariation), offVariation: variationMap(before.doc.defaults.offVariation) };
    if (defaults.onVariation < 0) inUse('defaults.onVariation', [before.doc.defaults.onVariation]);
    if (defaults.offVariation < 0) inUse('defaults.offVariation', [before.doc.defaults.offVariation]);
  }
  const doc = flagDocFrom(edited, before.doc, variations, defaults, now);

  const configs = new Map<string, FlagConfigDoc>();
  const changedConfigs = new Map<string, FlagConfigDoc>();
  const experimentRolloutChanges: FieldError[] = [];
  for (const [envKey, env] of input.environments) {
    const old = before.configs.get(env.id);
    const editedConfig = edited.environments[envKey];
    if (!old || !editedConfig) continue;
    const next = configFrom(old, editedConfig, shownEnvs[envKey], variationMap, doc.archived, inUse, `environments.${envKey}`);
    if (sameTargeting(old, next)) {
      configs.set(env.id, old);
      continue;
    }
    const bumped = { ...next, version: old.version + 1, lastModified: now };
    configs.set(env.id, bumped);
    changedConfigs.set(env.id, bumped);
    const experimentRollouts = experimentRolloutErrors(editedConfig, shownEnvs[envKey], `environments.${envKey}`);
    configErrors.push(...experimentRollouts.made);
    experimentRolloutChanges.push(...experimentRollouts.changed);
    configErrors.push(...checkConfig(`environments.${envKey}`, input.flagKey, bumped, variations.length, storedReferences(old.rules, old.fallthrough)));
    configErrors.push(...migrationTargetingProblems(doc, `environments.${envKey}`, bumped));
    if (editedConfig.migrationSettings !== undefined && !isMigrationFlag(doc)) {
      configErrors.push({ attribute: `environments.${envKey}.migrationSettings`, reason: 'belongs to migration flags only (purpose "migration")' });
    }
  }
  if (errors.length === 0) errors.push(...configErrors, ...checkDefaults(doc.defaults, variations.length));
  errors.push(...checkVariations(variations, doc.purpose === AI_CONFIG_PURPOSE ? 1 : 2, before.doc.variations));
  errors.push(...migrationFlagProblems(before.doc, doc));
  if (errors.length > 0) throw validationFailed(errors);

  const changed = changedConfigs.size > 0 || !deepEqual({ ...before.doc, _version: 0 }, { ...doc, _version: 0 });
  // What the SDKs are served of the flag itself (its variations' values, its client-side availability) belongs to
  // every environment's configuration: a change to it is a new version of each, as the SDKs' flag version is the
  // environment's own (REST's environments[env].version). A change to the flag's name, tags or description is not.
  const versionedConfigs = new Map(changedConfigs);
  const servedChanged =
    !deepEqual(
      before.doc.variations.map((v) => v.value),
      variations.map((v) => v.value),
    ) || !deepEqual(before.doc.clientSideAvailability, doc.clientSideAvailability);
  if (servedChanged) {
    for (const [environmentId, config] of configs) {
      if (changedConfigs.has(environmentId)) continue;
      const bumped = { ...config, version: config.version + 1, lastModified: now };
      configs.set(environmentId, bumped);
      versionedConfigs.set(environmentId, bumped);
    }
  }
  return {
    doc: changed ? { ...doc, _version: before.doc._version + 1 } : before.doc,
    changedConfigs,
    versionedConfigs,
    configs,
    variationMap,
    changed,
    experimentRolloutChanges,
  };
}
