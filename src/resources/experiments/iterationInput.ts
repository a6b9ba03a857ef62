// IterationInput: its schema, and its resolution against the project's flags, metrics and settings into an
// IterationDoc. Every problem is collected and reported in one 400, field by field.
import { Type } from '@sinclair/typebox';
import type { Db, Trx } from '../../store/db.js';
import { byArity, placeholders, statement } from '../../store/statements.js';
import { uuid } from '../../store/ids.js';
import { ApiError, validationFailed, type FieldError } from '../../http/errors.js';
import { StringRecord } from '../../http/schemas.js';
import { check, parseJsonText } from '../../http/validation.js';
import { link } from '../../http/links.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { defaultUnit, loadExperimentSettings, type ExperimentSettings } from '../experimentation-settings/settings.js';
import type { FlagConfigDoc, FlagDoc } from '../flags/model.js';
import { isMigrationFlag } from '../flags/migration.js';
import {
  findMetricGroups,
  findMetrics,
  metricGroupLinks,
  metricInGroupRep,
  metricV2Rep,
  type MetricDoc,
  type MetricGroupDoc,
  type MetricGroupRow,
  type MetricRow,
} from '../metrics/model.js';
import type { Catalog } from '../catalog.js';
import type { ProjectRow } from '../projects/projects.js';
import type { IterationDoc, IterationFlag, IterationMetric, Treatment } from './model.js';
import { isObject } from '../../http/patch/resourcePatch.js';

const MetricInput = Type.Object({
  key: Type.String({ minLength: 1 }),
  isGroup: Type.Optional(Type.Boolean()),
  primary: Type.Optional(Type.Boolean()),
});

const TreatmentInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 1024 }),
  baseline: Type.Boolean(),
  allocationPercent: Type.String(),
  parameters: Type.Array(Type.Object({ flagKey: Type.String({ minLength: 1 }), variationId: Type.String({ minLength: 1 }) }), { minItems: 1, maxItems: 50 }),
});

const FlagInput = Type.Object({
  ruleId: Type.String({ minLength: 1 }),
  flagConfigVersion: Type.Integer(),
  notInExperimentVariationId: Type.Optional(Type.String({ minLength: 1 })),
});

export const IterationInput = Type.Object({
  hypothesis: Type.String({ maxLength: 65536 }),
  canReshuffleTraffic: Type.Optional(Type.Boolean()),
  metrics: Type.Array(MetricInput, { maxItems: 100 }),
  primarySingleMetricKey: Type.Optional(Type.String({ minLength: 1 })),
  primaryFunnelKey: Type.Optional(Type.String({ minLength: 1 })),
  treatments: Type.Array(TreatmentInput, { maxItems: 100 }),
  flags: StringRecord(FlagInput, Type.String(), { maxProperties: 20 }),
  randomizationUnit: Type.Optional(Type.String({ minLength: 1 })),
  // A year at most: the next reallocation's time must stay an exact integer in JSON and PostgreSQL's bigint.
  reallocationFrequencyMillis: Type.Optional(Type.Integer({ minimum: 1, maximum: 31_536_000_000 })),
  covariateId: Type.Optional(Type.String()),
  attributes: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100 })),
});

interface RawMetric {
  key?: unknown;
  isGroup?: unknown;
  primary?: unknown;
}

interface RawTreatment {
  name?: unknown;
  baseline?: unknown;
  allocationPercent?: unknown;
  parameters?: unknown;
}

interface RawFlag {
  ruleId?: unknown;
  flagConfigVersion?: unknown;
  notInExperimentVariationId?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A percentage as createIteration takes it: digits without a leading zero, then at most three decimals. */
const PLAIN_PERCENT = /^(0|[1-9]\d{0,2})(\.\d{1,3})?$/;

/**
 * `allocationPercent` in thousandths of a percent ("12.5" -> 12500), the unit rollout weights use.
 * undefined when it is not a decimal string in 0–100 with at most three decimals.
 */
export function allocationThousandths(value: string): number | undefined {
  const match = /^(\d{1,3})(?:\.(\d{1,3}))?$/.exec(value.trim());
  if (!match) return undefined;
  const thousandths = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
  return thousandths <= 100_000 ? thousandths : undefined;
}

export interface IterationContext {
  project: ProjectRow;
  environment: EnvironmentRow;
  /** Prefix for attributes in errors: '' for create iteration, 'iteration.' inside create experiment. */
  prefix: string;
  /** Whether the iteration is a multi-armed bandit's (experiment type `mab`), the only kind that reallocates. */
  bandit: boolean;
  /** The flag of the holdout whose own (base) iteration this is: the one iteration that may run on a holdout's flag. */
  holdoutFlag?: string;
  now: number;
  lookups: IterationLookups;
}

/** A flag's stored text and that of its targeting in one environment (null: it has none there). */
export interface StoredFlag {
  doc: string;
  config: string | null;
}

/** A flag named in the input, with its targeting in the iteration's environment, and the stored text of both. */
export interface IterationFlagRow {
  doc: FlagDoc;
  config: FlagConfigDoc | undefined;
  stored: StoredFlag;
}

/** Where resolveIteration reads the project's flags, metrics and settings. */
export interface IterationLookups {
  flags(keys: string[]): Promise<Map<string, IterationFlagRow>>;
  metrics(keys: string[]): Promise<Map<string, { row: MetricRow; doc: MetricDoc }>>;
  metricGroups(keys: string[]): Promise<Map<string, { row: MetricGroupRow; doc: MetricGroupDoc }>>;
  settings(): Promise<Pick<ExperimentSettings, 'doc' | 'archivedUnits'>>;
}

const flagTextsOf = byArity((n) =>
  statement<{ key: string; doc: string; config: string | null }>(
    'select "flags"."key", "flags"."doc", "flag_configs"."doc" as "config" from "flags" ' +
      'left join "flag_configs" on "flag_configs"."flag_id" = "flags"."id" and "flag_configs"."environment_id" = ? ' +
      `where "flags"."project_id" = ? and "flags"."key" in (${placeholders(n)}) order by "flags"."key"`,
  ),
);

/** The stored text of the named flags and of their targeting in the environment, by flag key. */
async function flagTexts(db: Db | Trx, projectId: string, environmentId: string, keys: string[]): Promise<({ key: string } & StoredFlag)[]> {
  if (keys.length === 0) return [];
  return flagTextsOf(keys.length).run(db, [environmentId, projectId, ...keys]);
}

export async function loadFlagsForIteration(db: Db | Trx, projectId: string, environmentId: string, keys: string[]): Promise<Map<string, IterationFlagRow>> {
  const out = new Map<string, IterationFlagRow>();
  for (const row of await flagTexts(db, projectId, environmentId, keys)) {
    out.set(row.key, {
      doc: JSON.parse(row.doc) as FlagDoc,
      config: row.config ? (JSON.parse(row.config) as FlagConfigDoc) : undefined,
      stored: { doc: row.doc, config: row.config },
    });
  }
  return out;
}

/** The stored text of each named flag with its targeting, as `db` (a transaction) sees it now, by flag key. */
export async function currentFlagTexts(db: Db | Trx, projectId: string, environmentId: string, keys: Iterable<string>): Promise<Map<string, StoredFlag>> {
  const rows = await flagTexts(db, projectId, environmentId, [...new Set(keys)]);
  return new Map(rows.map(({ key, doc, config }) => [key, { doc, config }]));
}

/** A check (for Store.writeOffThread) that the flags are still exactly as seen, with their targeting in the environment. */
export function flagsCheck(projectId: string, environmentId: string, seen: ReadonlyMap<string, StoredFlag>): { sql: string; params: unknown[]; rows: Record<string, unknown>[] } {
  const keys = [...seen.keys()].sort();
  return {
    sql: flagTextsOf(keys.length).sql,
    params: [environmentId, projectId, ...keys],
    rows: keys.map((key) => ({ key, doc: seen.get(key)!.doc, config: seen.get(key)!.config })),
  };
}

/** True when every flag a validation read still has the text it read. Compares text: nothing needs parsing. */
export function flagsStillAsSeen(seen: ReadonlyMap<string, StoredFlag>, now: ReadonlyMap<string, StoredFlag>): boolean {
  for (const [key, { doc, config }] of seen) {
    const current = now.get(key);
    if (current?.doc !== doc || current.config !== config) return false;
  }
  return true;
}

/** Every read straight from the store (or a transaction of it). */
export function storeLookups(db: Db | Trx, projectId: string, environmentId: string): IterationLookups {
  return {
    flags: (keys) => loadFlagsForIteration(db, projectId, environmentId, keys),
    metrics: (keys) => findMetrics(db, projectId, keys),
    metricGroups: (keys) => findMetricGroups(db, projectId, keys),
    settings: () => loadExperimentSettings(db, projectId),
  };
}

/** An iteration resolved for a write, and the stored text of the flags it was resolved against (to check in it). */
export interface Resolved {
  doc: IterationDoc;
  seenFlags: ReadonlyMap<string, StoredFlag>;
}

/** lookups, remembering the stored text of the flags they read. */
function remembering(lookups: IterationLookups): { lookups: IterationLookups; seen: Map<string, StoredFlag> } {
  const seen = new Map<string, StoredFlag>();
  return {
    seen,
    lookups: {
      ...lookups,
      flags: async (keys) => {
        const rows = await lookups.flags(keys);
        for (const [key, row] of rows) seen.set(key, row.stored);
        return rows;
      },
    },
  };
}

/**
 * Resolves raw from the catalog's caches, for a write that then checks `seenFlags` inside its transaction (so a
 * cache that lags cannot make it accept what the store would refuse). A refusal is checked against the store before
 * it is given, so that a lagging cache cannot refuse what the store would accept either.
 */
export async function resolveCached(catalog: Catalog, db: Db, ctx: Omit<IterationContext, 'lookups'>, raw: unknown): Promise<Resolved> {
  const cached = remembering({
    flags: (keys) => catalog.iterationFlags(ctx.project.id, ctx.environment.id, keys),
    metrics: (keys) => catalog.metrics(ctx.project.id, keys),
    metricGroups: (keys) => catalog.metricGroups(ctx.project.id, keys),
    settings: () => catalog.settings(ctx.project.id),
  });
  try {
    return { doc: await resolveIteration({ ...ctx, lookups: cached.lookups }, raw), seenFlags: cached.seen };
  } catch (err) {
    if (!(err instanceof ApiError) || !err.errors) throw err;
    const stored = remembering(storeLookups(db, ctx.project.id, ctx.environment.id));
    return { doc: await resolveIteration({ ...ctx, lookups: stored.lookups }, raw), seenFlags: stored.seen };
  }
}

/** Validates raw (an IterationInput) against the project and returns the iteration to store, or throws one 400. */
export async function resolveIteration(ctx: IterationContext, raw: unknown): Promise<IterationDoc> {
  const p = ctx.prefix;
  const errors: FieldError[] = [];
  if (!isObject(raw)) throw validationFailed([{ attribute: p ? p.slice(0, -1) : 'body', reason: 'must be an object' }]);
  const input: Record<string, unknown> = { ...raw };

  // The spec's own example sends `flags` as a JSON-encoded string; accept it when it decodes to an object. The
  // string is parsed as strictly as a body (no NUL, no prototype keys, bounded depth): it is one, smuggled in.
  if (typeof input.flags === 'string') {
    try {
      const decoded: unknown = parseJsonText(input.flags, `${p}flags`);
      if (isObject(decoded)) input.flags = decoded;
      else errors.push({ attribute: `${p}flags`, reason: 'must be an object keyed by flag key (the string given does not decode to one)' });
    } catch (err) {
      if (!(err instanceof ApiError) || !err.errors) throw err;
      errors.push(...err.errors.map((e) => ({ ...e, reason: `must be an object keyed by flag key (the string given is ${/^not valid JSON/.test(e.reason) ? 'not JSON' : 'refused'}: ${e.reason})` })));
    }
    // Already reported; the schema check below need not say it again.
    if (typeof input.flags === 'string') input.flags = {};
  }
  errors.push(...check(IterationInput, input, p.replace(/\.$/, '')));

  const metricsIn: RawMetric[] = Array.isArray(input.metrics) ? input.metrics.filter(isObject) : [];
  const treatmentsIn: RawTreatment[] = Array.isArray(input.treatments) ? input.treatments.filter(isObject) : [];
  const flagsIn: Record<string, RawFlag> = isObject(input.flags)
    ? Object.fromEntries(Object.entries(input.flags).filter(([, v]) => isObject(v))) as Record<string, RawFlag>
    : {};

  // Metrics and metric groups.
  const singleKeys = metricsIn.filter((m) => m.isGroup !== true).map((m) => str(m.key)).filter((k): k is string => !!k);
  const groupKeys = metricsIn.filter((m) => m.isGroup === true).map((m) => str(m.key)).filter((k): k is string => !!k);
  const primaryFlagged = metricsIn.filter((m) => m.primary === true);
  let primarySingleMetricKey = str(input.primarySingleMetricKey);
  let primaryFunnelKey = str(input.primaryFunnelKey);
  if (!primarySingleMetricKey && !primaryFunnelKey && primaryFlagged.length === 1) {
    // The deprecated `primary: true` still names the primary metric.
    const key = str(primaryFlagged[0].key);
    if (primaryFlagged[0].isGroup === true) primaryFunnelKey = key;
    else primarySingleMetricKey = key;
  }
  // One after the other: the lookups may share a transaction's one connection, which runs one query at a time anyway
  // (pg queues a second query sent meanwhile, and deprecates doing so).
  const named = [...new Set([...singleKeys, ...groupKeys])];
  const metricRows = await ctx.lookups.metrics(named);
  const groupRows = await ctx.lookups.metricGroups(named);
  const memberKeys = [...groupRows.values()].flatMap((g) => g.doc.metrics.map((m) => m.key)).filter((k) => !metricRows.has(k));
  const members = new Map(metricRows);
  for (const [key, value] of await ctx.lookups.metrics(memberKeys)) members.set(key, value);

  const metrics: IterationMetric[] = [];
  const seenMetrics = new Set<string>();
  // The randomization units each listed metric (or each member of a listed group) measures by, checked against the
  // iteration's unit once that is known.
  const measuredBy: { at: string; units: MetricUnits[] }[] = [];
  (Array.isArray(input.metrics) ? input.metrics : []).forEach((m: unknown, i: number) => {
    if (!isObject(m) || !str(m.key)) return;
    const key = m.key as string;
    const isGroup = m.isGroup === true;
    const at = `${p}metrics[${i}].key`;
    if (seenMetrics.has(`${isGroup}:${key}`)) {
      errors.push({ attribute: at, reason: `metric "${key}" is listed more than once` });
      return;
    }
    seenMetrics.add(`${isGroup}:${key}`);
    if (isGroup) {
      const group = groupRows.get(key);
      if (!group) {
        errors.push({
          attribute: at,
          reason: metricRows.has(key) ? `"${key}" is a metric, not a metric group; set isGroup to false` : `metric group "${key}" not found in project "${ctx.project.key}"`,
        });
        return;
      }
      const memberReps = group.doc.metrics
        .map((member) => {
          const metric = members.get(member.key);
          return metric ? metricInGroupRep(ctx.project.key, member.key, metric.doc, member.nameInGroup) : undefined;
        })
        .filter((rep): rep is Record<string, unknown> => rep !== undefined);
      measuredBy.push({ at, units: group.doc.metrics.map((member) => unitsOf(member.key, members.get(member.key)?.doc, key)) });
      const links = metricGroupLinks(ctx.project.key, key);
      metrics.push({
        key,
        isGroup: true,
        dependent: { key, _versionId: group.doc._versionId, name: group.doc.name, kind: group.doc.kind, _links: links, isGroup: true, metrics: memberReps },
        detail: { key, name: group.doc.name, kind: group.doc.kind, _links: links, metrics: memberReps },
      });
      return;
    }
    const metric = metricRows.get(key);
    if (!metric) {
      errors.push({
        attribute: at,
        reason: groupRows.has(key) ? `"${key}" is a metric group; set isGroup to true` : `metric "${key}" not found in project "${ctx.project.key}"`,
      });
      return;
    }
    measuredBy.push({ at, units: [unitsOf(key, metric.doc)] });
    metrics.push({ key, isGroup: false, dependent: dependentMetric(ctx.project.key, key, metric.doc), detail: metricV2Rep(ctx.project.key, key, metric.doc) });
  });

  if (!primarySingleMetricKey && !primaryFunnelKey) {
    errors.push({ attribute: `${p}primarySingleMetricKey`, reason: 'either primarySingleMetricKey or primaryFunnelKey must be present' });
  } else if (primarySingleMetricKey && primaryFunnelKey) {
    errors.push({ attribute: `${p}primaryFunnelKey`, reason: 'give either primarySingleMetricKey or primaryFunnelKey, not both' });
  } else if (primarySingleMetricKey) {
    if (!metricsIn.some((m) => m.key === primarySingleMetricKey && m.isGroup !== true)) {
      errors.push({ attribute: `${p}primarySingleMetricKey`, reason: `"${primarySingleMetricKey}" must also be listed in metrics (with isGroup false)` });
    }
  } else if (primaryFunnelKey) {
    const group = groupRows.get(primaryFunnelKey);
    if (!metricsIn.some((m) => m.key === primaryFunnelKey && m.isGroup === true)) {
      errors.push({ attribute: `${p}primaryFunnelKey`, reason: `"${primaryFunnelKey}" must also be listed in metrics (with isGroup true)` });
    } else if (group && group.doc.kind !== 'funnel') {
      errors.push({ attribute: `${p}primaryFunnelKey`, reason: `metric group "${primaryFunnelKey}" is a ${group.doc.kind} group, not a funnel` });
    }
  }

  // Flags and their targeting in this environment.
  const flagRows = await ctx.lookups.flags(Object.keys(flagsIn));
  const flags: Record<string, IterationFlag> = {};
  for (const [flagKey, f] of Object.entries(flagsIn)) {
    const at = `${p}flags.${flagKey}`;
    const flag = flagRows.get(flagKey);
    if (!flag || !flag.config) {
      errors.push({ attribute: at, reason: `flag "${flagKey}" not found in project "${ctx.project.key}"` });
      continue;
    }
    // A migration flag's stages are the migration's own: an experiment rollout over them would move contexts between
    // stages at random (and its cohorts may serve only the migration's rollouts).
    if (isMigrationFlag(flag.doc)) {
      errors.push({ attribute: at, reason: `flag "${flagKey}" is a migration flag; experiments cannot run on it` });
      continue;
    }
    // A holdout's flag splits its holdout from the rest; an experiment's rollout on it would take the holdout's rule,
    // and the holdout could never start.
    if (flag.doc.purpose === 'holdout' && flagKey !== ctx.holdoutFlag) {
      errors.push({ attribute: at, reason: `flag "${flagKey}" is a holdout's flag; experiments cannot run on it` });
      continue;
    }
    const ruleId = str(f.ruleId);
    const entry: IterationFlag = { ruleId: ruleId ?? '', flagConfigVersion: typeof f.flagConfigVersion === 'number' ? f.flagConfigVersion : 0, notInExperimentVariationId: '' };
    if (ruleId && ruleId !== 'fallthrough') {
      const rule = flag.config.rules.find((r) => r._id === ruleId);
      if (!rule) {
        errors.push({ attribute: `${at}.ruleId`, reason: `"${ruleId}" is neither "fallthrough" nor the _id of a rule of flag "${flagKey}" in environment "${ctx.environment.key}"` });
      } else {
        if (rule.description !== undefined) entry.targetingRuleDescription = rule.description;
        entry.targetingRuleClauses = rule.clauses;
      }
    }
    if (typeof f.flagConfigVersion === 'number' && Number.isInteger(f.flagConfigVersion) && f.flagConfigVersion !== flag.config.version) {
      errors.push({
        attribute: `${at}.flagConfigVersion`,
        reason: `is ${f.flagConfigVersion}, but the current version of flag "${flagKey}" in environment "${ctx.environment.key}" is ${flag.config.version}`,
      });
    }
    const notIn = str(f.notInExperimentVariationId);
    if (notIn !== undefined) {
      if (!flag.doc.variations.some((v) => v._id === notIn)) {
        errors.push({ attribute: `${at}.notInExperimentVariationId`, reason: `"${notIn}" is not a variation _id of flag "${flagKey}"` });
      }
      entry.notInExperimentVariationId = notIn;
    }
    flags[flagKey] = entry;
  }

  // Treatments.
  const treatments: Treatment[] = [];
  if (Array.isArray(input.treatments) && input.treatments.length === 0) {
    errors.push({ attribute: `${p}treatments`, reason: 'must have at least one treatment' });
  }
  let total = 0;
  const names = new Set<string>();
  const combinations = new Set<string>();
  treatmentsIn.forEach((t, i) => {
    const at = `${p}treatments[${i}]`;
    const name = str(t.name);
    if (name !== undefined) {
      if (name.trim() === '') errors.push({ attribute: `${at}.name`, reason: 'must not be blank' });
      else if (names.has(name)) errors.push({ attribute: `${at}.name`, reason: `duplicate treatment name "${name}"` });
      names.add(name);
    }
    if (typeof t.allocationPercent === 'string') {
      // Stored and shown back as sent, so written plainly: no surrounding space, no leading zero ("040.5").
      const thousandths = PLAIN_PERCENT.test(t.allocationPercent) ? allocationThousandths(t.allocationPercent) : undefined;
      if (thousandths === undefined) {
        errors.push({ attribute: `${at}.allocationPercent`, reason: `"${t.allocationPercent}" must be a decimal string from 0 to 100 with at most 3 decimals` });
      } else total += thousandths;
    }
    const parameters = (Array.isArray(t.parameters) ? t.parameters : []).filter(isObject);
    const covered = new Set<string>();
    parameters.forEach((param, j) => {
      const flagKey = str(param.flagKey);
      const variationId = str(param.variationId);
      if (!flagKey) return;
      const pat = `${at}.parameters[${j}]`;
      if (!Object.hasOwn(flagsIn, flagKey)) {
        errors.push({ attribute: `${pat}.flagKey`, reason: `flag "${flagKey}" is not in flags; every treatment parameter must name a flag listed in flags` });
        return;
      }
      if (covered.has(flagKey)) errors.push({ attribute: `${pat}.flagKey`, reason: `flag "${flagKey}" appears more than once in this treatment` });
      covered.add(flagKey);
      const flag = flagRows.get(flagKey);
      if (flag && variationId && !flag.doc.variations.some((v) => v._id === variationId)) {
        errors.push({ attribute: `${pat}.variationId`, reason: `"${variationId}" is not a variation _id of flag "${flagKey}"` });
      }
    });
    for (const flagKey of Object.keys(flagsIn)) {
      if (parameters.length > 0 && !covered.has(flagKey) && flagRows.has(flagKey)) {
        errors.push({ attribute: `${at}.parameters`, reason: `must give a variation of flag "${flagKey}"` });
      }
    }
    const combination = parameters
      .map((param) => `${String(param.flagKey)}=${String(param.variationId)}`)
      .sort()
      .join('&');
    if (parameters.length > 0) {
      if (combinations.has(combination)) errors.push({ attribute: `${at}.parameters`, reason: 'another treatment already serves the same variation(s)' });
      combinations.add(combination);
    }
    if (name !== undefined && typeof t.baseline === 'boolean' && typeof t.allocationPercent === 'string') {
      const params = parameters.map((param) => ({ flagKey: String(param.flagKey), variationId: String(param.variationId) }));
      treatments.push({
        _id: params.length === 1 ? params[0].variationId : uuid(),
        name,
        allocationPercent: t.allocationPercent,
        baseline: t.baseline,
        parameters: params,
      });
    }
  });
  if (total > 100_000) {
    errors.push({ attribute: `${p}treatments`, reason: `allocationPercent values add up to ${total / 1000}, more than 100` });
  }
  const baselines = treatmentsIn.filter((t) => t.baseline === true).length;
  if (treatmentsIn.length > 0 && baselines !== 1) {
    errors.push({ attribute: `${p}treatments`, reason: `exactly one treatment must be the baseline; ${baselines} are` });
  }

  // Traffic outside the experiment goes to the baseline's variation unless the flag says otherwise.
  const baseline = treatments.find((t) => t.baseline);
  for (const [flagKey, entry] of Object.entries(flags)) {
    if (!entry.notInExperimentVariationId) {
      entry.notInExperimentVariationId = baseline?.parameters.find((param) => param.flagKey === flagKey)?.variationId ?? '';
    }
  }

  // Randomization unit.
  const settings = await ctx.lookups.settings();
  const registered = settings.doc.randomizationUnits.map((u) => u.randomizationUnit);
  const randomizationUnit = str(input.randomizationUnit) ?? defaultUnit(settings.doc);
  if (typeof input.randomizationUnit === 'string' && !registered.includes(input.randomizationUnit)) {
    errors.push({ attribute: `${p}randomizationUnit`, reason: `Randomization unit "${input.randomizationUnit}" not found in project settings [${registered.join(', ')}]` });
  } else if (settings.archivedUnits.includes(randomizationUnit)) {
    // Registered, but its context kind was archived since: LaunchDarkly makes an archived kind unavailable for experiments.
    const which = typeof input.randomizationUnit === 'string' ? `randomization unit "${randomizationUnit}"` : `the project's default randomization unit "${randomizationUnit}"`;
    errors.push({ attribute: `${p}randomizationUnit`, reason: `${which} is an archived context kind, and archived context kinds cannot be used in experiments` });
  } else {
    // LaunchDarkly: "To use a particular metric within an experiment, the metric and the experiment must use the same
    // context kind as their randomization unit."
    for (const { at, units } of measuredBy) {
      const problem = units.map((u) => unitProblem(u, randomizationUnit)).find((reason) => reason !== undefined);
      if (problem) errors.push({ attribute: at, reason: problem });
    }
  }

  // A covariate is a CSV of units and their attributes, uploaded in LaunchDarkly's UI for stratified sampling; no API
  // uploads one, so an id can name none here. An empty string means none.
  const covariateId = str(input.covariateId);
  if (covariateId !== undefined) {
    errors.push({ attribute: `${p}covariateId`, reason: `covariate "${covariateId}" not found in project "${ctx.project.key}": covariate files are uploaded in LaunchDarkly's UI, and iterlab has none` });
  }

  // Results are sliced once per attribute: the same one twice would show every slice twice.
  if (Array.isArray(input.attributes)) {
    input.attributes.forEach((attribute, i) => {
      if (typeof attribute === 'string' && (input.attributes as unknown[]).indexOf(attribute) !== i) errors.push({ attribute: `${p}attributes[${i}]`, reason: `duplicate attribute "${attribute}"` });
    });
  }
  if (errors.length > 0) throw validationFailed(errors);

  const doc: IterationDoc = {
    hypothesis: input.hypothesis as string,
    status: 'not_started',
    createdAt: ctx.now,
    canReshuffleTraffic: (input.canReshuffleTraffic as boolean | undefined) ?? true,
    flags,
    version: 0,
    metrics,
    treatments,
    randomizationUnit,
  };
  if (primarySingleMetricKey) doc.primarySingleMetricKey = primarySingleMetricKey;
  if (primaryFunnelKey) doc.primaryFunnelKey = primaryFunnelKey;
  // Only a bandit reallocates ("Only present for multi-armed bandits"). IterationInput documents the field without
  // that condition, so another experiment's iteration may send it: it is taken (201) and kept nowhere.
  if (input.reallocationFrequencyMillis !== undefined && ctx.bandit) doc.reallocationFrequencyMillis = input.reallocationFrequencyMillis as number;
  if (input.attributes !== undefined) doc.attributes = input.attributes as string[];
  return doc;
}

/** A metric's randomization units (undefined: it names none, so it measures any), and the group it is listed through. */
export interface MetricUnits {
  key: string;
  units: readonly string[] | undefined;
  group?: string;
}

function unitsOf(key: string, doc: MetricDoc | undefined, group?: string): MetricUnits {
  return { key, units: doc?.randomizationUnits, ...(group !== undefined ? { group } : {}) };
}

/** Why a metric cannot be used by an iteration randomized by `unit`, or undefined when it can. */
export function unitProblem(metric: MetricUnits, unit: string): string | undefined {
  if (metric.units === undefined || metric.units.length === 0 || metric.units.includes(unit)) return undefined;
  const which = metric.group !== undefined ? `metric "${metric.key}" of metric group "${metric.group}"` : `metric "${metric.key}"`;
  return (
    `${which} has the randomization units [${metric.units.join(', ')}], not the iteration's randomizationUnit "${unit}"; ` +
    'a metric and the experiment must use the same randomization unit'
  );
}

function dependentMetric(projectKey: string, key: string, doc: MetricDoc): Record<string, unknown> {
  const rep: Record<string, unknown> = { key, _versionId: doc._versionId, name: doc.name, kind: doc.kind };
  if (doc.isNumeric !== undefined) rep.isNumeric = doc.isNumeric;
  if (doc.eventKey !== undefined) rep.eventKey = doc.eventKey;
  rep._links = { self: link(`/api/v2/metrics/${projectKey}/${key}`) };
  rep.isGroup = false;
  return rep;
}
