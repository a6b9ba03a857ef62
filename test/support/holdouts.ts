// A holdout with an experiment in it, built through the API as a user would, for suites that call every route with
// keys that exist (access control, hostile HTTP) and for stores populated to be exported.
import { expect } from 'vitest';
import type { ApiClient } from './fixtures.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

async function ok<T = any>(res: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

export interface HoldoutFixture {
  /** The HoldoutRep postHoldout answered. */
  holdout: any;
  holdoutKey: string;
  holdoutId: string;
  /** The key of the experiment in the holdout (on flag `${memberKey}-flag`). */
  memberKey: string;
  metricKey: string;
}

export interface HoldoutOptions {
  name?: string;
  description?: string;
  /** Start the member experiment, which starts the holdout (status running). */
  start?: boolean;
  /** Leave the holdout without an experiment (status created). */
  withoutMember?: boolean;
}

/**
 * A holdout `key` in the environment (10% held out, by user, on metric `${key}-metric`, made if missing) with one
 * experiment `${key}-member` in it, on a flag of its own turned on in the environment.
 */
export async function createHoldout(s: ApiClient, projectKey: string, environmentKey: string, key: string, options: HoldoutOptions = {}): Promise<HoldoutFixture> {
  const metricKey = `${key}-metric`;
  if ((await s.get(`/api/v2/metrics/${projectKey}/${metricKey}`)).status === 404) {
    await ok(s.post(`/api/v2/metrics/${projectKey}`, { key: metricKey, name: `Metric of ${key}`, kind: 'custom', eventKey: `${key}-event`, isNumeric: false }), 201);
  }
  const holdout = await ok(
    s.post(
      `/api/v2/projects/${projectKey}/environments/${environmentKey}/holdouts`,
      {
        name: options.name ?? `Holdout ${key}`,
        key,
        description: options.description ?? 'fixture',
        holdoutamount: '10',
        randomizationunit: 'user',
        metrics: [{ key: metricKey }],
      },
      BETA,
    ),
    201,
  );
  const memberKey = `${key}-member`;
  const fixture = { holdout, holdoutKey: key, holdoutId: holdout._id as string, memberKey, metricKey };
  if (options.withoutMember) return fixture;

  const flagKey = `${memberKey}-flag`;
  if ((await s.get(`/api/v2/flags/${projectKey}/${flagKey}`)).status === 404) {
    await ok(s.post(`/api/v2/flags/${projectKey}`, { name: `Flag of ${memberKey}`, key: flagKey }), 201);
  }
  const flag = await ok(s.patch(`/api/v2/flags/${projectKey}/${flagKey}`, [{ op: 'replace', path: `/environments/${environmentKey}/on`, value: true }]), 200);
  const [control, treatment] = flag.variations.map((v: { _id: string }) => v._id);
  const experiments = `/api/v2/projects/${projectKey}/environments/${environmentKey}/experiments`;
  await ok(
    s.post(experiments, {
      name: `Experiment in ${key}`,
      key: memberKey,
      holdoutId: fixture.holdoutId,
      iteration: {
        hypothesis: 'The treatment lifts the metric',
        metrics: [{ key: metricKey }],
        primarySingleMetricKey: metricKey,
        randomizationUnit: 'user',
        treatments: [
          { name: 'Control', baseline: true, allocationPercent: '50', parameters: [{ flagKey, variationId: control }] },
          { name: 'Treatment', baseline: false, allocationPercent: '50', parameters: [{ flagKey, variationId: treatment }] },
        ],
        flags: { [flagKey]: { ruleId: 'fallthrough', flagConfigVersion: flag.environments[environmentKey].version } },
      },
    }),
    201,
  );
  if (options.start) await ok(s.patch(`${experiments}/${memberKey}`, { instructions: [{ kind: 'startIteration' }] }), 200);
  return fixture;
}
