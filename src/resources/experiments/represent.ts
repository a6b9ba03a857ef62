// The only code that turns stored experiments and iterations into LaunchDarkly's Experiment and IterationRep JSON.
import { link } from '../../http/links.js';
import { analysisConfigRep } from './analysisConfig.js';
import { DEFAULT_REALLOCATION_FREQUENCY_MS, mutableFieldsByStatus } from './lifecycle.js';
import type { ExperimentDoc, ExperimentIterations, ExperimentRow, IterationDoc, LoadedIteration } from './model.js';

export interface IterationView {
  treatments: boolean;
  /** `secondaryMetrics` and `metrics` (every metric, not only the primary). */
  secondaryMetrics: boolean;
}

export const FULL_ITERATION: IterationView = { treatments: true, secondaryMetrics: true };

function primaryOf(doc: IterationDoc) {
  const key = doc.primarySingleMetricKey ?? doc.primaryFunnelKey;
  const isGroup = doc.primaryFunnelKey !== undefined;
  return doc.metrics.find((m) => m.key === key && m.isGroup === isGroup);
}

/** `bandit`: the iteration is a multi-armed bandit's, which always shows how often it reallocates. */
export function representIteration(projectKey: string, iteration: LoadedIteration, view: IterationView, bandit = false): Record<string, unknown> {
  const doc = iteration.doc;
  const rep: Record<string, unknown> = {
    _id: iteration.id,
    hypothesis: doc.hypothesis,
    status: doc.status,
    createdAt: doc.createdAt,
  };
  if (doc.startedAt !== undefined) rep.startedAt = doc.startedAt;
  if (doc.endedAt !== undefined) rep.endedAt = doc.endedAt;
  if (doc.winningTreatmentId !== undefined) rep.winningTreatmentId = doc.winningTreatmentId;
  if (doc.winningReason !== undefined) rep.winningReason = doc.winningReason;
  rep.canReshuffleTraffic = doc.canReshuffleTraffic;
  const flags: Record<string, unknown> = {};
  for (const [flagKey, flag] of Object.entries(doc.flags)) {
    const flagRep: Record<string, unknown> = { targetingRule: flag.ruleId };
    if (flag.targetingRuleDescription !== undefined) flagRep.targetingRuleDescription = flag.targetingRuleDescription;
    if (flag.targetingRuleClauses !== undefined) flagRep.targetingRuleClauses = flag.targetingRuleClauses;
    flagRep.flagConfigVersion = flag.flagConfigVersion;
    flagRep.notInExperimentVariationId = flag.notInExperimentVariationId;
    flagRep._links = { self: link(`/api/v2/flags/${projectKey}/${flagKey}`) };
    flags[flagKey] = flagRep;
  }
  rep.flags = flags;
  // The spec: "Only present for multi-armed bandits"; one given none reallocates hourly (lifecycle.ts). Another
  // experiment's iteration keeps none (one stored by an earlier iterlab keeps it unseen).
  if (bandit) rep.reallocationFrequencyMillis = doc.reallocationFrequencyMillis ?? DEFAULT_REALLOCATION_FREQUENCY_MS;
  rep.version = doc.version;
  const primary = primaryOf(doc);
  if (primary) {
    rep.primaryMetric = primary.dependent;
    if (primary.isGroup) rep.primaryFunnel = primary.detail;
    else rep.primarySingleMetric = primary.detail;
  }
  rep.randomizationUnit = doc.randomizationUnit;
  if (doc.attributes !== undefined) rep.attributes = doc.attributes;
  if (view.treatments && doc.treatments.length > 0) {
    rep.treatments = doc.treatments.map((t) => ({
      _id: t._id,
      name: t.name,
      allocationPercent: t.allocationPercent,
      baseline: t.baseline,
      parameters: t.parameters.map((param) => ({ variationId: param.variationId, flagKey: param.flagKey })),
    }));
  }
  if (view.secondaryMetrics) {
    const secondary = doc.metrics.filter((m) => m !== primary && !m.isGroup).map((m) => m.detail);
    if (secondary.length > 0) rep.secondaryMetrics = secondary;
    if (doc.metrics.length > 0) rep.metrics = doc.metrics.map((m) => m.dependent);
  }
  if (doc.layerSnapshot !== undefined) rep.layerSnapshot = doc.layerSnapshot;
  return rep;
}

export function experimentLinks(projectKey: string, environmentKey: string, key: string) {
  return {
    parent: link(`/api/v2/projects/${projectKey}/environments/${environmentKey}`),
    self: link(`/api/v2/projects/${projectKey}/environments/${environmentKey}/experiments/${key}`),
  };
}

/**
 * Experiment JSON; `expand` may name draftIteration, previousIterations, treatments, secondaryMetrics and
 * analysisConfig. `mutableFieldsByStatus` is a plain member (the 2026-07 spec's Experiment has it, and its expand
 * list names only the five others); `expand=mutableFieldsByStatus`, which the 2026-03 routes took, is still accepted.
 */
export function representExperiment(
  projectKey: string,
  environmentKey: string,
  row: ExperimentRow,
  iterations: ExperimentIterations,
  expand: ReadonlySet<string>,
): Record<string, unknown> {
  const doc = JSON.parse(row.doc) as ExperimentDoc;
  const view: IterationView = { treatments: expand.has('treatments'), secondaryMetrics: expand.has('secondaryMetrics') };
  const bandit = doc.type === 'mab';
  const rep: Record<string, unknown> = {
    _id: row.id,
    key: row.key,
    name: doc.name,
  };
  if (doc.description !== undefined) rep.description = doc.description;
  rep._maintainerId = doc.maintainerId;
  rep._creationDate = doc.creationDate;
  rep.environmentKey = environmentKey;
  rep.methodology = doc.methodology;
  rep.dataSource = doc.dataSource;
  if (doc.archivedDate !== undefined) rep.archivedDate = doc.archivedDate;
  rep.tags = doc.tags;
  rep._links = experimentLinks(projectKey, environmentKey, row.key);
  if (doc.holdoutId !== undefined) rep.holdoutId = doc.holdoutId;
  if (iterations.current) rep.currentIteration = representIteration(projectKey, iterations.current, view, bandit);
  rep.type = doc.type;
  if (expand.has('draftIteration') && iterations.draft) rep.draftIteration = representIteration(projectKey, iterations.draft, view, bandit);
  if (expand.has('previousIterations') && iterations.previous.length > 0) {
    rep.previousIterations = iterations.previous.map((it) => representIteration(projectKey, it, view, bandit));
  }
  if (expand.has('analysisConfig') && doc.analysisConfig !== undefined) rep.analysisConfig = analysisConfigRep(doc.analysisConfig);
  rep.mutableFieldsByStatus = mutableFieldsByStatus(doc.type);
  return rep;
}

/** What an audit entry's versions of an experiment show: every iteration field, the draft and the analysis settings. */
export const AUDIT_EXPAND: ReadonlySet<string> = new Set(['draftIteration', 'treatments', 'secondaryMetrics', 'analysisConfig']);

export const EXPERIMENT_EXPANSIONS = ['draftIteration', 'previousIterations', 'treatments', 'secondaryMetrics', 'analysisConfig', 'mutableFieldsByStatus'];
