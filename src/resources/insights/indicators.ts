// The engineering-insights indicators: each metric's value from iterlab's data, the tiers that grade it (excellent,
// good, fair, needs attention) and the score (0-100) a grade gives. LaunchDarkly does not publish its thresholds or
// formulas; these are iterlab's, written in docs/compatibility.md ("Insights"), with DORA's research as the guide.
import type { Db } from '../../store/db.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { flagStatusName, type FlagStatusName } from '../flags/flagStatus.js';
import { AI_CONFIG_PURPOSE, listFlagRows, loadConfigs, type FlagDoc } from '../flags/model.js';
import { deploymentDoc, leadTimeOf, type DeploymentRow } from './deployments.js';
import type { MeasuredEvent } from './flagEvents.js';

export const INDICATORS = ['excellent', 'good', 'fair', 'needsAttention'] as const;
export type Indicator = (typeof INDICATORS)[number] | 'notCalculated' | 'unknown';

/** The score of each grade, and the range of scores that grade covers. */
export const RANGES: Record<Indicator, { min: number; max: number; score: number }> = {
  excellent: { min: 90, max: 100, score: 100 },
  good: { min: 70, max: 89, score: 80 },
  fair: { min: 40, max: 69, score: 55 },
  needsAttention: { min: 0, max: 39, score: 25 },
  notCalculated: { min: 0, max: 0, score: 0 },
  unknown: { min: 0, max: 0, score: 0 },
};

interface MetricDefinition {
  unit: string;
  modifier: string;
  /** Larger values are better (else smaller). */
  higherIsBetter: boolean;
  /** The bound of excellent, good and fair, in the unit. */
  bounds: [number, number, number];
  tiers: [string, string, string, string];
}

export const METRICS = {
  deploymentFrequency: { unit: 'count', modifier: 'per day', higherIsBetter: true, bounds: [1, 1 / 7, 1 / 30], tiers: ['at least 1 per day', 'at least 1 per week', 'at least 1 per month', 'less than 1 per month'] },
  leadTime: { unit: 'hours', modifier: 'average', higherIsBetter: false, bounds: [24, 24 * 7, 24 * 30], tiers: ['less than 1 day', 'less than 1 week', 'less than 1 month', '1 month or more'] },
  deploymentFailureRate: { unit: 'percent', modifier: 'of deployments', higherIsBetter: false, bounds: [5, 10, 15], tiers: ['5% or less', '10% or less', '15% or less', 'more than 15%'] },
  releaseFrequency: { unit: 'count', modifier: 'per day', higherIsBetter: true, bounds: [1, 1 / 7, 1 / 30], tiers: ['at least 1 per day', 'at least 1 per week', 'at least 1 per month', 'less than 1 per month'] },
  impactSize: { unit: 'percent', modifier: 'of releases with a large impact', higherIsBetter: false, bounds: [10, 25, 50], tiers: ['10% or less', '25% or less', '50% or less', 'more than 50%'] },
  experimentationCoverage: { unit: 'percent', modifier: 'of releases with an experiment', higherIsBetter: true, bounds: [20, 10, 5], tiers: ['at least 20%', 'at least 10%', 'at least 5%', 'less than 5%'] },
  flagHealth: { unit: 'percent', modifier: 'of temporary flags not stale', higherIsBetter: true, bounds: [90, 75, 50], tiers: ['at least 90%', 'at least 75%', 'at least 50%', 'less than 50%'] },
  creationRatio: { unit: 'ratio', modifier: 'flags archived per flag created', higherIsBetter: true, bounds: [1, 0.75, 0.5], tiers: ['at least 1', 'at least 0.75', 'at least 0.5', 'less than 0.5'] },
} satisfies Record<string, MetricDefinition>;
export type MetricName = keyof typeof METRICS;

export function grade(metric: MetricName, value: number | undefined): Indicator {
  if (value === undefined) return 'notCalculated';
  const { bounds, higherIsBetter } = METRICS[metric] as MetricDefinition;
  const at = bounds.findIndex((bound) => (higherIsBetter ? value >= bound : value <= bound));
  return at < 0 ? 'needsAttention' : INDICATORS[at];
}

/** InsightsChartMetric: the value, its grade and the tiers. */
export function chartMetric(metric: MetricName, value: number | undefined): Record<string, unknown> {
  const definition = METRICS[metric] as MetricDefinition;
  return {
    indicator: grade(metric, value),
    value: value === undefined ? 0 : Math.round(value * 100) / 100,
    unit: definition.unit,
    modifier: definition.modifier,
    tiers: INDICATORS.map((indicator, i) => ({ indicator, description: definition.tiers[i] })),
  };
}

const average = (values: number[]) => (values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length);

/** Deployments started per day over the window. */
export function deploymentFrequency(rows: readonly DeploymentRow[], days: number): number {
  return rows.length / Math.max(days, 1 / 24);
}

/** The average lead time of the finished deployments with pull requests, in hours; undefined without any. */
export function averageLeadTimeHours(rows: readonly DeploymentRow[]): number | undefined {
  return average(rows.filter((row) => row.status === 'finished').flatMap((row) => {
    const lead = leadTimeOf(row, deploymentDoc(row));
    return lead === undefined ? [] : [lead / 3_600_000];
  }));
}

/** Failed deployments among the ended ones, in percent; undefined when none ended. */
export function failureRate(rows: readonly DeploymentRow[]): number | undefined {
  const ended = rows.filter((row) => row.status !== 'started');
  return ended.length === 0 ? undefined : (100 * ended.filter((row) => row.status === 'failed').length) / ended.length;
}

/** Releases (environment flag events) with a large impact among those measured, in percent. */
export function largeImpactShare(events: readonly MeasuredEvent[]): number | undefined {
  const measured = events.filter((m) => m.impact.reason === 'evaluations');
  return measured.length === 0 ? undefined : (100 * measured.filter((m) => m.impact.size === 'large').length) / measured.length;
}

export function experimentShare(events: readonly MeasuredEvent[]): number | undefined {
  const releases = events.filter((m) => m.event.environmentKey !== undefined);
  return releases.length === 0 ? undefined : (100 * releases.filter((m) => m.experiments.length > 0).length) / releases.length;
}

export interface FlagHealthRow {
  key: string;
  doc: FlagDoc;
  status: FlagStatusName;
  /** A temporary flag launched or inactive: ready to remove from code and archive. */
  stale: boolean;
}

/** The project's live flags (not archived, no AI Config's) with their status in the environment and whether stale. */
export async function flagHealthIn(db: Db, projectId: string, environment: Pick<EnvironmentRow, 'id'>, now: number, applicationKeys?: readonly string[]): Promise<FlagHealthRow[]> {
  let rows = (await listFlagRows(db, projectId)).map((row) => ({ row, doc: JSON.parse(row.doc) as FlagDoc })).filter(({ doc }) => !doc.archived && doc.purpose !== AI_CONFIG_PURPOSE);
  if (applicationKeys) {
    const evaluated = await db.selectFrom('application_flags').select('flag_key').where('environment_id', '=', environment.id).where('application_key', 'in', [...applicationKeys]).execute();
    const keys = new Set(evaluated.map((r) => r.flag_key));
    rows = rows.filter(({ row }) => keys.has(row.key));
  }
  const configs = await loadConfigs(db, rows.map(({ row }) => row.id), [environment.id]);
  const requests = new Map((await db.selectFrom('flag_requests').select(['flag_key', 'last_requested']).where('environment_id', '=', environment.id).execute()).map((r) => [r.flag_key, Number(r.last_requested)]));
  return rows
    .map(({ row, doc }) => {
      const status = flagStatusName(doc, configs.get(row.id)?.get(environment.id), requests.get(row.key), now);
      return { key: row.key, doc, status, stale: doc.temporary && (status === 'launched' || status === 'inactive') };
    })
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Temporary flags not stale, in percent; undefined without temporary flags. */
export function flagHealth(flags: readonly FlagHealthRow[]): number | undefined {
  const temporary = flags.filter((f) => f.doc.temporary);
  return temporary.length === 0 ? undefined : (100 * temporary.filter((f) => !f.stale).length) / temporary.length;
}

