// Insight scores: every indicator of a project's environment (and applications) over a period, graded and scored,
// and the composites (velocity, risk, efficiency, overall: the average of their parts' scores), beside the period
// before (InsightGroupScores, InsightsMetricScore): the only code that builds them. The period is the 30 days to now.
import type { Db } from '../../store/db.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { deploymentsIn } from './deployments.js';
import { measuredEvents } from './flagEvents.js';
import { averageLeadTimeHours, deploymentFrequency, experimentShare, failureRate, flagHealth, flagHealthIn, grade, largeImpactShare, RANGES, type Indicator, type MetricName } from './indicators.js';
import { DAY_MS } from './query.js';

export const SCORE_PERIOD_MS = 30 * DAY_MS;

export interface Period {
  startTime: number;
  endTime: number;
}

export function periodsAt(now: number): { period: Period; lastPeriod: Period } {
  return { period: { startTime: now - SCORE_PERIOD_MS, endTime: now }, lastPeriod: { startTime: now - 2 * SCORE_PERIOD_MS, endTime: now - SCORE_PERIOD_MS } };
}

export interface Scope {
  projectId: string;
  projectKey: string;
  environment: Pick<EnvironmentRow, 'id' | 'key'>;
  applicationKeys?: string[];
}

type Values = Partial<Record<MetricName, number>>;

/** The indicators' values over one period (flag health only for the current one: iterlab keeps no history of statuses). */
async function valuesIn(db: Db, scope: Scope, period: Period, current: boolean, now: number): Promise<Values> {
  const window = { from: period.startTime, to: period.endTime };
  const deployments = await deploymentsIn(db, scope.environment.id, window, scope.applicationKeys);
  const events = await measuredEvents(db, scope.projectKey, scope.environment, window, { applicationKeys: scope.applicationKeys }, now);
  const created = events.filter((m) => m.event.eventType === 'flag_created').length;
  const archived = events.filter((m) => m.event.eventType === 'flag_archived').length;
  const health = current ? flagHealth(await flagHealthIn(db, scope.projectId, scope.environment, now, scope.applicationKeys)) : undefined;
  const values: Values = {
    deploymentFrequency: deployments.length > 0 ? deploymentFrequency(deployments, SCORE_PERIOD_MS / DAY_MS) : undefined,
    leadTime: averageLeadTimeHours(deployments),
    deploymentFailureRate: failureRate(deployments),
    impactSize: largeImpactShare(events),
    experimentationCoverage: experimentShare(events),
    flagHealth: health,
    creationRatio: created > 0 ? archived / created : undefined,
  };
  return values;
}

interface Score {
  score: number;
  indicator: Indicator;
  indicatorRange: { min: number; max: number };
  aggregateOf?: string[];
}

function metricScore(metric: MetricName, value: number | undefined): Score {
  const indicator = grade(metric, value);
  const { min, max, score } = RANGES[indicator];
  return { score, indicator, indicatorRange: { min, max } };
}

/** The average score of the parts that were calculated, graded by the range it falls in. */
function composite(parts: Record<string, Score>, names: string[]): Score {
  const calculated = names.map((name) => parts[name]).filter((s) => s.indicator !== 'notCalculated' && s.indicator !== 'unknown');
  if (calculated.length === 0) return { score: 0, indicator: 'notCalculated', indicatorRange: { min: 0, max: 0 }, aggregateOf: names };
  const score = Math.round(calculated.reduce((sum, s) => sum + s.score, 0) / calculated.length);
  const indicator = (['excellent', 'good', 'fair', 'needsAttention'] as const).find((name) => score >= RANGES[name].min)!;
  return { score, indicator, indicatorRange: { min: RANGES[indicator].min, max: RANGES[indicator].max }, aggregateOf: names };
}

const COMPOSITES = {
  velocity: ['deploymentFrequency', 'leadTime'],
  risk: ['deploymentFailureRate', 'impactSize'],
  efficiency: ['experimentationCoverage', 'flagHealth'],
};

function scoresOf(values: Values): Record<string, Score> {
  const metrics = ['deploymentFrequency', 'deploymentFailureRate', 'leadTime', 'impactSize', 'experimentationCoverage', 'flagHealth', 'creationRatio'] as const;
  const out: Record<string, Score> = Object.fromEntries(metrics.map((m) => [m, metricScore(m, values[m])]));
  for (const [name, parts] of Object.entries(COMPOSITES)) out[name] = composite(out, parts);
  out.overall = composite(out, ['velocity', 'risk', 'efficiency']);
  return out;
}

const calculated = (s: Score) => s.indicator !== 'notCalculated' && s.indicator !== 'unknown';

/** InsightGroupScores of the scope now, each with the last period's score and the difference. */
export async function scoresFor(db: Db, scope: Scope, now: number): Promise<{ period: Period; lastPeriod: Period; scores: Record<string, unknown> }> {
  const { period, lastPeriod } = periodsAt(now);
  const current = scoresOf(await valuesIn(db, scope, period, true, now));
  const last = scoresOf(await valuesIn(db, scope, lastPeriod, false, now));
  const scores = Object.fromEntries(
    Object.entries(current).map(([name, score]) => {
      const before = last[name];
      return [name, { ...score, ...(calculated(score) && calculated(before) ? { diffVsLastPeriod: score.score - before.score } : {}), lastPeriod: before }];
    }),
  );
  return { period, lastPeriod, scores };
}
