// Experiment results (getExperimentResults, getExperimentResultsForMetricGroup): which iteration, its treatments and
// metric, the SDK events that bear on them, and the ExperimentBayesianResultsRep: the only code that builds it.
import {
  adjustFalseDiscoveries,
  assignUnits,
  countEvents,
  covariatesOf,
  funnelEvents,
  slices,
  summarize,
  type AnalysisInput,
  type AssignedUnit,
  type Exposure,
  type MetricEvent,
  type MetricInput,
  type MetricResults,
  type TreatmentInput,
  type TreatmentResult,
} from '../../analysis/results.js';
import type { Deps } from '../../http/context.js';
import { contextKeyOf } from '../../sdk/postEvents.js';
import { invalidRequest, notFound } from '../../http/errors.js';
import { link } from '../../http/links.js';
import type { Db, DbKind } from '../../store/db.js';
import { pageOf, pages, yieldTurn, type Paged } from '../../store/reads.js';
import { statement, type Statement } from '../../store/statements.js';
import type { FlagDoc } from '../flags/model.js';
import { eventPasses, type EventFilterDoc, type FilteredEvent } from '../metrics/eventFilter.js';
import type { MetricDoc } from '../metrics/model.js';
import { arrangeIterations, parseIteration, type ExperimentDoc, type IterationDoc, type IterationMetric, type IterationRow, type LoadedIteration } from './model.js';
import { resultsMethod, type ResultsMethod } from './analysisConfig.js';

const iterationsOf = statement<IterationRow>('select * from "iterations" where "experiment_id" = ?');

/**
 * Results read their events a page at a time, in (creation_date, id) order, and give the event loop a turn between
 * pages and between slices: on SQLite a read holds the event loop, and one read of 100,000 events held every other
 * request for most of a second.
 */

// Exposures: the feature events in an experiment, with the rule their evaluation's reason names (its context only when
// results are sliced by its attributes). The reason is read out of the stored event by the database. PostgreSQL's
// JSON functions refuse some text JSON.stringify writes (a \u0000 or a lone surrogate anywhere in the event: an error,
// which would make the results fail); an event with a \u escape, rare, comes whole instead, and is read here.
const reasonColumns: Record<DbKind, string> = {
  sqlite: `json_extract("doc", '$.reason.kind') as "reason_kind", json_extract("doc", '$.reason.ruleId') as "rule_id", null as "escaped"`,
  postgres:
    `case when strpos("doc", '\\u') = 0 then "doc"::json #>> '{reason,kind}' end as "reason_kind", ` +
    `case when strpos("doc", '\\u') = 0 then "doc"::json #>> '{reason,ruleId}' end as "rule_id", ` +
    `case when strpos("doc", '\\u') > 0 then "doc" end as "escaped"`,
};
type ExposureRow = Paged & { context_keys: string | null; variation: number | null; reason_kind: unknown; rule_id: unknown; escaped: string | null; doc?: string };
const exposuresIn = (withContext: boolean) => {
  const sqlOf = (kind: DbKind) => pageOf(`"context_keys", "variation", ${reasonColumns[kind]}${withContext ? ', "doc"' : ''}`, '"kind" = \'feature\' and "in_experiment" = 1');
  return statement<ExposureRow>({ sqlite: sqlOf('sqlite'), postgres: sqlOf('postgres') });
};
const exposures = { plain: exposuresIn(false), sliced: exposuresIn(true) };
// A metric's events (custom, or the browser SDKs' page views and clicks): with their text only when the metric
// filters them (by their context's attributes or their data).
type EventKind = 'custom' | 'pageview' | 'click';
const metricEventsIn = (kind: EventKind, withDoc: boolean) =>
  statement<Paged & { context_keys: string | null; value: number | null; doc?: string }>(pageOf(`"context_keys", "value"${withDoc ? ', "doc"' : ''}`, `"kind" = '${kind}'`));
const eventStatements = Object.fromEntries(
  (['custom', 'pageview', 'click'] as const).map((kind) => [kind, { plain: metricEventsIn(kind, false), filtered: metricEventsIn(kind, true) }]),
) as Record<EventKind, { plain: ReturnType<typeof metricEventsIn>; filtered: ReturnType<typeof metricEventsIn> }>;

/**
 * The events a metric counts: a custom metric's are the custom events of its `eventKey`; a page-view or click
 * metric's, the `pageview` or `click` events the browser SDKs send for it as a goal, keyed by the metric's key
 * (src/sdk/goals.ts).
 */
export function eventSourceOf(pinned: Record<string, unknown>): { kind: EventKind; key: string } | undefined {
  if (pinned.kind === 'custom') return typeof pinned.eventKey === 'string' ? { kind: 'custom', key: pinned.eventKey } : undefined;
  if ((pinned.kind === 'pageview' || pinned.kind === 'click') && typeof pinned.key === 'string') return { kind: pinned.kind, key: pinned.key };
  return undefined;
}

const flagDocOf = statement<{ doc: string }>('select "doc" from "flags" where "project_id" = ? and "key" = ?');

/** The iteration asked for by id, or the experiment's current one (the latest started, else its draft). */
async function resultsIteration(db: Db, experimentId: string, experimentKey: string, iterationId: unknown): Promise<LoadedIteration> {
  const rows = await iterationsOf.run(db, [experimentId]);
  if (iterationId !== undefined && iterationId !== '') {
    const id = String(Array.isArray(iterationId) ? iterationId[iterationId.length - 1] : iterationId);
    const row = rows.find((r) => r.id === id);
    if (!row) throw notFound(`Iteration "${id}" of experiment "${experimentKey}"`);
    return parseIteration(row);
  }
  const current = arrangeIterations(rows).current;
  if (!current) throw notFound(`Experiment "${experimentKey}" has no iteration`);
  return current;
}

/** The window an iteration's events count in: from its start to its end (or now); empty before it started. */
function windowOf(doc: IterationDoc, now: number): [number, number] {
  return doc.startedAt === undefined ? [1, 0] : [doc.startedAt, doc.endedAt ?? now];
}

/** The flag whose exposures assign units (the first the treatments set), and each treatment's variation index. */
async function treatmentsOf(db: Db, projectId: string, doc: IterationDoc): Promise<{ flagKey: string; treatments: TreatmentInput[] }> {
  const flagKey = doc.treatments[0]?.parameters[0]?.flagKey ?? Object.keys(doc.flags)[0];
  const [row] = flagKey ? await flagDocOf.run(db, [projectId, flagKey]) : [];
  if (!row) throw invalidRequest(`the iteration's flag "${flagKey}" no longer exists, so its exposures cannot be read`, 'flagKey');
  const flag = JSON.parse(row.doc) as FlagDoc;
  const treatments = doc.treatments.map((t, i) => {
    const variationId = t.parameters.find((p) => p.flagKey === flagKey)?.variationId;
    const allocationSince = doc.bandit?.allocations.map((step) => ({ from: step.from, allocation: Number(step.percents[i] ?? 0) }));
    return { id: t._id, name: t.name, variation: flag.variations.findIndex((v) => v._id === variationId), allocation: Number(t.allocationPercent), baseline: t.baseline, ...(allocationSince ? { allocationSince } : {}) };
  });
  return { flagKey, treatments };
}

/** The context's values of the attributes, as text (scalars only), from the unit kind's part of the context. */
function attributeValues(doc: string, kind: string, attributes: readonly string[]): Record<string, string> {
  const context = (JSON.parse(doc) as { context?: Record<string, unknown> }).context;
  const part = context?.kind === 'multi' ? (context[kind] as Record<string, unknown> | undefined) : context;
  const out: Record<string, string> = {};
  for (const attribute of attributes) {
    const value = part?.[attribute];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[attribute] = String(value);
  }
  return out;
}

/** The rule an iteration experiments on, for one flag: a rule's `_id` or "fallthrough" (IterationFlag.ruleId). */
export interface ExposureRule {
  ruleId: string;
  /**
   * Whether no other iteration ran on another rule of the flag, in the environment, during this one's window: then an
   * exposure whose reason names no rule can only be this one's.
   */
  alone: boolean;
}

/**
 * Whether an exposure (a feature event in an experiment) is the iteration's, by the rule its evaluation's reason names
 * (LaunchDarkly's SDKs send the reason with every such event): FALLTHROUGH for the fallthrough, RULE_MATCH with the
 * rule's id for a rule. A reason that names no rule (no `kind`: older or non-standard senders; a RULE_MATCH without
 * its `ruleId`, for a rule) counts only while the rule is alone on the flag; one that names another rule never does.
 */
export function exposureIsOfRule(reason: { kind?: unknown; ruleId?: unknown }, rule: ExposureRule): boolean {
  if (reason.kind === undefined || reason.kind === null) return rule.alone;
  if (rule.ruleId === 'fallthrough') return reason.kind === 'FALLTHROUGH';
  if (reason.kind !== 'RULE_MATCH') return false;
  if (reason.ruleId === undefined || reason.ruleId === null) return rule.alone;
  return reason.ruleId === rule.ruleId;
}

/** The reason of a stored exposure: as the database read it, or from the whole event when it came whole. */
function reasonOf(row: ExposureRow): { kind?: unknown; ruleId?: unknown } {
  if (row.escaped === null || row.escaped === undefined) return { kind: row.reason_kind, ruleId: row.rule_id };
  const reason = (JSON.parse(row.escaped) as { reason?: { kind?: unknown; ruleId?: unknown } }).reason;
  return { kind: reason?.kind, ruleId: reason?.ruleId };
}

// The started iterations that use a flag in an environment (experiment_refs_key finds them), for the rules in play.
const startedIterationsOnFlag = statement<{ id: string; doc: string }>(
  'select "i"."id", "i"."doc" from "experiment_refs" as "r" inner join "iterations" as "i" on "i"."id" = "r"."iteration_id" ' +
    'inner join "experiments" as "e" on "e"."id" = "r"."experiment_id" ' +
    `where "r"."kind" = 'flag' and "r"."key" = ? and "e"."environment_id" = ? and "i"."status" != 'not_started' and "i"."started_at" <= ?`,
);

/**
 * The iteration's rule on the flag, and whether it is alone: whether no other started iteration (of any experiment in
 * the environment, holdouts' included) ran on another rule of the flag at any time in the window. Undefined when the
 * iteration names no rule for the flag: then every exposure counts, as before rules were compared.
 */
async function exposureRuleOf(ctx: ResultsContext, flagKey: string, window: [number, number]): Promise<ExposureRule | undefined> {
  const ruleId = ctx.iteration.doc.flags[flagKey]?.ruleId;
  if (ruleId === undefined || window[0] > window[1]) return undefined;
  const others = await startedIterationsOnFlag.run(ctx.db, [flagKey, ctx.environmentId, window[1]]);
  const alone = !others.some((row) => {
    if (row.id === ctx.iteration.id) return false;
    const doc = JSON.parse(row.doc) as IterationDoc;
    const other = doc.flags[flagKey]?.ruleId;
    // Started by the window's end (the statement's condition); still running, or ended within it.
    return other !== undefined && other !== ruleId && (doc.endedAt ?? ctx.now) >= window[0];
  });
  return { ruleId, alone };
}

async function exposuresOf(
  db: Db,
  environmentId: string,
  flagKey: string,
  rule: ExposureRule | undefined,
  unit: string,
  attributes: readonly string[],
  window: [number, number],
): Promise<Exposure[]> {
  const sliced = attributes.length > 0;
  const out: Exposure[] = [];
  for await (const rows of pages(db, sliced ? exposures.sliced : exposures.plain, environmentId, flagKey, window)) {
    for (const row of rows) {
      const key = contextKeyOf(row.context_keys, unit);
      if (row.variation === null || key === undefined) continue;
      if (rule && !exposureIsOfRule(reasonOf(row), rule)) continue;
      out.push({ unit: key, variation: Number(row.variation), at: Number(row.creation_date), ...(sliced ? { attributes: attributeValues(row.doc!, unit, attributes) } : {}) });
    }
  }
  return out;
}

async function metricEventsOf(
  db: Db,
  environmentId: string,
  source: { kind: EventKind; key: string } | undefined,
  unit: string,
  window: [number, number],
  filter: EventFilterDoc | undefined,
): Promise<MetricEvent[]> {
  if (!source) return [];
  const out: MetricEvent[] = [];
  const statements = eventStatements[source.kind];
  for await (const rows of pages(db, filter ? statements.filtered : statements.plain, environmentId, source.key, window)) {
    for (const row of rows) {
      const key = contextKeyOf(row.context_keys, unit);
      if (key === undefined) continue;
      if (filter && !eventPasses(filter, JSON.parse(row.doc!) as FilteredEvent)) continue;
      out.push({ unit: key, at: Number(row.creation_date), value: row.value === null ? undefined : Number(row.value) });
    }
  }
  return out;
}

/**
 * How a metric is analysed: its kind and aggregation as the iteration pinned them, its defaults, winsorization and
 * analysis type (mean or a percentile) as they are now (the pinned MetricV2Rep has none of them).
 */
export function metricInput(pinned: Record<string, unknown>, current: MetricDoc | undefined): MetricInput {
  const numeric = pinned.kind === 'custom' && pinned.isNumeric === true;
  // A conversion metric summed per unit is LaunchDarkly's count metric ("Count", where `average` is "Occurrence"):
  // each unit's number of events, analysed as a numeric metric's values, as LaunchDarkly analyses count metrics.
  const count = !numeric && pinned.unitAggregationType === 'sum';
  const eventDefault = current?.eventDefault;
  const input: MetricInput = {
    numeric: numeric || count,
    ...(count ? { count } : {}),
    aggregation: pinned.unitAggregationType === 'average' ? 'average' : 'sum',
    missingValue: eventDefault?.disabled ? undefined : (eventDefault?.value ?? 0),
    lowerIsBetter: current?.successCriteria === 'LowerThanBaseline',
  };
  if (numeric && (current?.winsorLowerPercentile !== undefined || current?.winsorUpperPercentile !== undefined)) {
    input.winsor = { lowerPercentile: current.winsorLowerPercentile, upperPercentile: current.winsorUpperPercentile, includeImputed: current.winsorIncludeImputed === true };
  }
  if (input.numeric && current?.analysisType === 'percentile' && typeof current.percentileValue === 'number') input.percentile = current.percentileValue;
  return input;
}

export interface ResultsContext {
  db: Db;
  catalog: Deps['catalog'];
  projectId: string;
  environmentId: string;
  iteration: LoadedIteration;
  /** Bayesian or frequentist, from the experiment's methodology and analysisConfig. */
  method: ResultsMethod;
  now: number;
}

/** What both results operations start from: the project, environment and experiment of the path, and the iteration. */
export async function resultsContext(
  deps: Deps,
  { projectKey, environmentKey, experimentKey }: { projectKey: string; environmentKey: string; experimentKey: string },
  iterationId: unknown,
): Promise<ResultsContext> {
  const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
  const experiment = await deps.catalog.experiment(environment.id, experimentKey, { projectKey, environmentKey });
  const iteration = await resultsIteration(deps.store.db, experiment.id, experimentKey, iterationId);
  const method = resultsMethod(JSON.parse(experiment.doc) as ExperimentDoc);
  return { db: deps.store.db, catalog: deps.catalog, projectId: project.id, environmentId: environment.id, iteration, method, now: deps.now() };
}

/** What every metric of an iteration is analysed against: its treatments and its units, assigned once. */
export interface Exposed {
  /** The attributes results are sliced by (the iteration's `attributes`). */
  attributes: readonly string[];
  window: [number, number];
  treatments: TreatmentInput[];
  units: Map<string, AssignedUnit>;
}

export async function exposedUnits(ctx: ResultsContext): Promise<Exposed> {
  const doc = ctx.iteration.doc;
  const window = windowOf(doc, ctx.now);
  const { flagKey, treatments } = await treatmentsOf(ctx.db, ctx.projectId, doc);
  const attributes = doc.attributes ?? [];
  const rule = await exposureRuleOf(ctx, flagKey, window);
  const exposures = await exposuresOf(ctx.db, ctx.environmentId, flagKey, rule, doc.randomizationUnit, attributes, window);
  return { attributes, window, treatments, units: assignUnits(exposures, treatments) };
}

/** A metric's events in the iteration (eventSourceOf: custom events, or the browser SDKs' page views and clicks). */
function metricEvents(ctx: ResultsContext, exposed: Exposed, pinned: Record<string, unknown>, current: MetricDoc | undefined): Promise<MetricEvent[]> {
  return metricEventsOf(ctx.db, ctx.environmentId, eventSourceOf(pinned), ctx.iteration.doc.randomizationUnit, exposed.window, filterOf(current));
}

/** The metric's filters as they are now (an iteration pins no filters: its MetricV2Rep has none). */
function filterOf(current: MetricDoc | undefined): EventFilterDoc | undefined {
  return current?.filters as EventFilterDoc | undefined;
}

/** How far back before an iteration's start a unit's events are its CUPED covariate (GrowthBook's default too). */
const CUPED_LOOKBACK_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * CUPED's covariates for a numeric (mean) metric: each exposed unit's value of the same metric over the 14 days
 * before the iteration started, aggregated as the metric aggregates. Undefined for other metrics and before a start.
 */
async function metricCovariates(ctx: ResultsContext, exposed: Exposed, pinned: Record<string, unknown>, current: MetricDoc | undefined): Promise<Map<string, number> | undefined> {
  const input = metricInput(pinned, undefined);
  const start = ctx.iteration.doc.startedAt;
  // The analysis type is the metric's own (the pinned MetricV2Rep has none).
  if (!input.numeric || current?.analysisType === 'percentile' || start === undefined) return undefined;
  const events = await metricEventsOf(ctx.db, ctx.environmentId, eventSourceOf(pinned), ctx.iteration.doc.randomizationUnit, [start - CUPED_LOOKBACK_MS, start - 1], filterOf(current));
  return covariatesOf(exposed.units, events, input);
}

interface SliceRep {
  attribute?: string;
  attributeValue?: string;
  treatmentResults: Omit<TreatmentResult, 'traffic'>[];
}

/** ExperimentBayesianResultsRep (with frequentist fields for frequentist experiments). */
export interface ResultsRep {
  _links: { self: ReturnType<typeof link> };
  treatmentResults: SliceRep['treatmentResults'];
  metricSeen: { ever: boolean; timestamp?: number };
  probabilityOfMismatch: number;
  results: SliceRep[];
}

/**
 * ExperimentBayesianResultsRep for one metric of the iteration, from its events: every unit, then a slice for each
 * value of each of the iteration's attributes.
 */
async function representResults(
  exposed: Exposed,
  events: MetricEvent[],
  metric: { pinned: Record<string, unknown>; current: MetricDoc | undefined; covariates?: ReadonlyMap<string, number> },
  options: { traffic: boolean; self: string; analysis: AnalysisInput },
): Promise<ResultsRep> {
  const input = metricInput(metric.pinned, metric.current);
  const shown = (results: MetricResults) => results.treatmentResults.map(({ traffic, ...rest }) => (options.traffic ? { ...rest, traffic } : rest));
  // Events are counted once; each slice is a subset of the same units.
  const counted = countEvents(exposed.units, events, input);
  const all = summarize(exposed.units, counted, exposed.treatments, input, metric.covariates, options.analysis);
  const treatmentResults = shown(all);
  const sliced: SliceRep[] = [];
  for (const attribute of exposed.attributes) {
    for (const [attributeValue, slice] of slices(exposed.units, attribute)) {
      await yieldTurn();
      sliced.push({ attribute, attributeValue, treatmentResults: shown(summarize(slice, counted, exposed.treatments, input, metric.covariates, options.analysis)) });
    }
  }
  return {
    _links: { self: link(options.self) },
    treatmentResults,
    metricSeen: all.lastSeen === undefined ? { ever: false } : { ever: true, timestamp: all.lastSeen },
    probabilityOfMismatch: all.probabilityOfMismatch,
    results: [{ treatmentResults }, ...sliced],
  };
}

/** A metric group's members, in the group's order, as the iteration pinned them. */
function membersOf(group: IterationMetric): Record<string, unknown>[] {
  return (group.detail.metrics as Record<string, unknown>[] | undefined) ?? [];
}

/** The iteration's single metrics and its groups' members, by key, as the iteration pinned them. */
export function pinnedMetric(doc: IterationDoc, key: string): Record<string, unknown> | undefined {
  for (const metric of doc.metrics) {
    if (!metric.isGroup && metric.key === key) return metric.detail;
    if (metric.isGroup) {
      const member = membersOf(metric).find((m) => m.key === key);
      if (member) return member;
    }
  }
  return undefined;
}

/**
 * The analysis each metric's results get. Frequentist results with Bonferroni count the family each p-value is in:
 * the treatments other than the baseline ('variations'), the iteration's metrics (single ones and every group's
 * members: 'metrics'), or both.
 */
export function analysisInput(ctx: ResultsContext, exposed: Exposed): AnalysisInput {
  const method = ctx.method;
  if (method.methodology === 'bayesian') return method;
  let comparisons = 1;
  if (method.correction?.method === 'bonferroni') {
    const treatments = Math.max(1, exposed.treatments.length - 1);
    const metrics = Math.max(1, familyMetricKeys(ctx.iteration.doc).size);
    comparisons = method.correction.scope === 'variations' ? treatments : method.correction.scope === 'metrics' ? metrics : treatments * metrics;
  }
  return { methodology: 'frequentist', alpha: method.alpha, oneSided: method.oneSided, sequential: method.sequential, comparisons };
}

/** The metrics an iteration analyses, each once: its single metrics and its groups' members. */
function familyMetricKeys(doc: IterationDoc): Set<string> {
  return new Set(doc.metrics.flatMap((metric) => (metric.isGroup ? membersOf(metric).map((m) => m.key as string) : [metric.key])));
}

/** One metric's results as getExperimentResults shows them: its own events, CUPED when it applies. */
export async function singleMetricResults(ctx: ResultsContext, exposed: Exposed, pinned: Record<string, unknown>, options: { traffic: boolean; self: string; analysis: AnalysisInput }): Promise<ResultsRep> {
  const key = pinned.key as string;
  const current = (await ctx.catalog.metrics(ctx.projectId, [key])).get(key)?.doc;
  const covariates = await metricCovariates(ctx, exposed, pinned, current);
  return representResults(exposed, await metricEvents(ctx, exposed, pinned, current), { pinned, current, covariates }, options);
}

/** A group's members' results, in the group's order: a funnel's steps count in order, a standard group's each alone. */
export async function groupResults(ctx: ResultsContext, exposed: Exposed, group: IterationMetric, options: { self: string; analysis: AnalysisInput }): Promise<{ metric: Record<string, unknown>; results: ResultsRep }[]> {
  const members = membersOf(group);
  const current = await ctx.catalog.metrics(ctx.projectId, members.map((m) => m.key as string));
  const funnel = group.detail.kind === 'funnel';
  let events: MetricEvent[][] = [];
  for (const member of members) events.push(await metricEvents(ctx, exposed, member, current.get(member.key as string)?.doc));
  // A funnel's steps count in order: a unit converts a step only after the one before it.
  if (funnel) events = funnelEvents(exposed.units, events);
  const out: { metric: Record<string, unknown>; results: ResultsRep }[] = [];
  for (const [i, member] of members.entries()) {
    const doc = current.get(member.key as string)?.doc;
    const covariates = funnel ? undefined : await metricCovariates(ctx, exposed, member, doc);
    out.push({ metric: member, results: await representResults(exposed, events[i], { pinned: member, current: doc, covariates }, { traffic: false, ...options }) });
  }
  return out;
}

/**
 * Benjamini–Hochberg needs every p-value of the family: for a scope with metrics, the results of the iteration's
 * other metrics too. `shown` are the results the request answers; the family's other metrics are analysed as the
 * results endpoints would show them (skipping groups and metrics already among `shown`), and each slice is adjusted
 * with the same slice of every metric. A no-op unless the experiment asks for Benjamini–Hochberg.
 */
export async function adjustForFalseDiscoveries(ctx: ResultsContext, exposed: Exposed, analysis: AnalysisInput, shown: { keys: string[]; groupKey?: string; results: ResultsRep[] }): Promise<void> {
  const method = ctx.method;
  if (method.methodology !== 'frequentist' || method.correction?.method !== 'benjamini-hochberg') return;
  const family = [...shown.results];
  if (method.correction.scope !== 'variations') {
    const others = { analysis, self: '' };
    const skip = new Set(shown.keys);
    for (const metric of ctx.iteration.doc.metrics) {
      if (metric.isGroup) {
        const memberKeys = membersOf(metric).map((m) => m.key as string);
        if (metric.key === shown.groupKey || memberKeys.every((key) => skip.has(key))) continue;
        const members = await groupResults(ctx, exposed, metric, others);
        family.push(...members.filter((m) => !skip.has(m.metric.key as string)).map((m) => m.results));
        for (const key of memberKeys) skip.add(key);
      } else if (!skip.has(metric.key)) {
        family.push(await singleMetricResults(ctx, exposed, metric.detail, { traffic: false, ...others }));
        skip.add(metric.key);
      }
    }
  }
  const bySlice = new Map<string, TreatmentResult[][]>();
  for (const rep of family) {
    for (const slice of rep.results) {
      const key = slice.attribute === undefined ? '' : `${slice.attribute}\u0000${slice.attributeValue}`;
      bySlice.set(key, [...(bySlice.get(key) ?? []), slice.treatmentResults as TreatmentResult[]]);
    }
  }
  for (const sets of bySlice.values()) adjustFalseDiscoveries(sets, method.correction.scope, method.alpha);
}
