// The world the scenarios run in, built through iterlab's API as a user would, and the scenarios themselves.
// Keys follow the seed's example (`example-flag-for-experiment`, `metric-key-123abc`) so that the create-iteration
// body is the seed's example with as few changes as make it valid.
import type { LoadSpec } from './load.js';

export const BENCH_TOKEN = 'api-bench-0000-iterlab-benchmark-token';
export const PROJECT = 'bench';
export const ENV = 'production';
/** Replaced in a body by a value unique to each request. */
export const UNIQUE = '__UNIQUE__';

export class Api {
  constructor(readonly url: string) {}

  async call<T = any>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; text: string; json: T }> {
    const res = await fetch(this.url + path, {
      method,
      headers: { authorization: BENCH_TOKEN, ...(body !== undefined ? { 'content-type': contentType } : {}), 'ld-api-version': 'beta' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
  }

  /** The call, which must answer `status`. */
  async ok<T = any>(method: string, path: string, body: unknown, status: number, contentType?: string): Promise<T> {
    const res = await this.call<T>(method, path, body, contentType);
    if (res.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${res.text}`);
    return res.json;
  }
}

const experiments = `/api/v2/projects/${PROJECT}/environments/${ENV}/experiments`;

async function flagVersion(api: Api, flag: string): Promise<number> {
  return (await api.ok('GET', `/api/v2/flags/${PROJECT}/${flag}`, undefined, 200)).environments[ENV].version;
}

/** What the seed's example names by one made-up id: the flag's first variation and its targeting rule, as they are now. */
interface SeedFlag {
  version: number;
  variationId: string;
  ruleId: string;
}

async function seedFlag(api: Api): Promise<SeedFlag> {
  const flag = await api.ok('GET', `/api/v2/flags/${PROJECT}/example-flag-for-experiment`, undefined, 200);
  return { version: flag.environments[ENV].version, variationId: flag.variations[0]._id, ruleId: flag.environments[ENV].rules[0]._id };
}

/**
 * The seed's example IterationInput, made valid: `flags` is an object (the example sends a JSON-encoded string)
 * keyed by the flag the treatment names (the example keys it by `example-flag-key`, a flag no treatment uses),
 * with the flag's real version (the example says 12); the example's one made-up id (`e432f62b-…`, used as rule,
 * variation and not-in-experiment variation) becomes the flag's real rule and variation ids, as iterlab mints
 * those; and `primarySingleMetricKey` names the metric, as a primary metric is required. The rest is the example's.
 */
export function seedIterationBody({ version, variationId, ruleId }: SeedFlag): Record<string, unknown> {
  return {
    hypothesis: 'Example hypothesis, the new button placement will increase conversion',
    metrics: [{ key: 'metric-key-123abc' }],
    primarySingleMetricKey: 'metric-key-123abc',
    treatments: [
      {
        name: 'Treatment 1',
        baseline: true,
        allocationPercent: '10',
        parameters: [{ flagKey: 'example-flag-for-experiment', variationId }],
      },
    ],
    flags: { 'example-flag-for-experiment': { ruleId, flagConfigVersion: version, notInExperimentVariationId: variationId } },
  };
}

/** A two-armed iteration on `history-flag`, for the experiment whose iterations are started and stopped. */
function historyBody(version: number, variations: string[], n: number): Record<string, unknown> {
  return {
    hypothesis: `Round ${n}: the green button lifts checkout completion`,
    metrics: [{ key: 'metric-key-123abc' }, { key: 'revenue' }, { key: 'checkout-funnel', isGroup: true }],
    primarySingleMetricKey: 'metric-key-123abc',
    treatments: [
      { name: 'Control', baseline: true, allocationPercent: '50', parameters: [{ flagKey: 'history-flag', variationId: variations[0] }] },
      { name: 'Green', baseline: false, allocationPercent: '50', parameters: [{ flagKey: 'history-flag', variationId: variations[1] }] },
    ],
    flags: { 'history-flag': { ruleId: 'fallthrough', flagConfigVersion: version } },
    attributes: ['country', 'plan'],
  };
}

const SEMANTIC = 'application/json; domain-model=launchdarkly.semanticpatch';

/** Builds the project, flags, metrics and experiments; `listed` more experiments fill the list. */
export async function seedWorld(api: Api, listed: number): Promise<void> {
  await api.ok('POST', '/api/v2/projects', { name: 'Bench', key: PROJECT }, 201);
  await api.ok(
    'POST',
    `/api/v2/flags/${PROJECT}`,
    {
      name: 'Example flag for experiment',
      key: 'example-flag-for-experiment',
      variations: [
        { value: true, name: 'New placement' },
        { value: false, name: 'Old placement' },
      ],
    },
    201,
  );
  await api.ok(
    'PATCH',
    `/api/v2/flags/${PROJECT}/example-flag-for-experiment`,
    [
      { op: 'replace', path: `/environments/${ENV}/on`, value: true },
      {
        op: 'add',
        path: `/environments/${ENV}/rules/-`,
        value: { description: 'Beta users', clauses: [{ attribute: 'groups', op: 'in', values: ['beta'], negate: false }], variation: 0 },
      },
    ],
    200,
  );
  const history = await api.ok('POST', `/api/v2/flags/${PROJECT}`, { name: 'History flag', key: 'history-flag' }, 201);
  await api.ok('PATCH', `/api/v2/flags/${PROJECT}/history-flag`, [{ op: 'replace', path: `/environments/${ENV}/on`, value: true }], 200);
  await api.ok('POST', `/api/v2/flags/${PROJECT}`, { name: 'Patched flag', key: 'patch-flag', description: 'patched by the benchmark' }, 201);

  await api.ok('POST', `/api/v2/metrics/${PROJECT}`, { key: 'metric-key-123abc', name: 'Conversion', kind: 'custom', eventKey: 'conversion', isNumeric: false }, 201);
  await api.ok(
    'POST',
    `/api/v2/metrics/${PROJECT}`,
    { key: 'revenue', name: 'Revenue', kind: 'custom', eventKey: 'purchase', isNumeric: true, unit: 'USD', successCriteria: 'HigherThanBaseline', unitAggregationType: 'sum' },
    201,
  );
  await api.ok('POST', `/api/v2/metrics/${PROJECT}`, { key: 'cart-viewed', name: 'Cart viewed', kind: 'pageview', urls: [{ kind: 'substring', substring: '/cart' }] }, 201);
  const maintainerId = (await api.ok('GET', '/api/v2/tokens', undefined, 200)).items[0].memberId;
  await api.ok(
    'POST',
    `/api/v2/projects/${PROJECT}/metric-groups`,
    {
      key: 'checkout-funnel',
      name: 'Checkout funnel',
      kind: 'funnel',
      maintainerId,
      tags: [],
      metrics: [
        { key: 'cart-viewed', nameInGroup: 'Viewed cart' },
        { key: 'metric-key-123abc', nameInGroup: 'Converted' },
      ],
    },
    201,
  );

  await api.ok('POST', experiments, { name: 'Iterated', key: 'bench-iterate', iteration: seedIterationBody(await seedFlag(api)) }, 201);

  // An experiment with a history: three stopped iterations, a running one and a draft.
  const variations = (history.variations as { _id: string }[]).map((v) => v._id);
  await api.ok('POST', experiments, { name: 'With history', key: 'bench-history', iteration: historyBody(await flagVersion(api, 'history-flag'), variations, 1) }, 201);
  for (let round = 1; round <= 4; round++) {
    if (round > 1) await api.ok('POST', `${experiments}/bench-history/iterations`, historyBody(await flagVersion(api, 'history-flag'), variations, round), 200);
    const started = await api.ok('PATCH', `${experiments}/bench-history?expand=treatments`, { instructions: [{ kind: 'startIteration' }] }, 200, SEMANTIC);
    if (round < 4) {
      const winner = started.currentIteration.treatments[1]._id as string;
      await api.ok('PATCH', `${experiments}/bench-history`, { instructions: [{ kind: 'stopIteration', winningTreatmentId: winner, winningReason: 'it won' }] }, 200, SEMANTIC);
    }
  }
  await api.ok('POST', `${experiments}/bench-history/iterations`, historyBody(await flagVersion(api, 'history-flag'), variations, 5), 200);

  const flag = await seedFlag(api);
  for (let i = 0; i < listed; i++) {
    await api.ok('POST', experiments, { name: `Listed ${i}`, key: `bench-listed-${i}`, iteration: seedIterationBody(flag) }, 201);
  }
}

export interface Scenario {
  name: string;
  title: string;
  method: string;
  path: string;
  /** A Fastify pattern for the ceiling's route. */
  route: string;
  body?: string;
  contentType?: string;
  unique?: string;
  /** Prism mocks only the seed's fragment: create iteration. */
  prism: boolean;
}

/** The load of scenario against url (iterlab, the ceiling or Prism), for measure(). */
export function scenarioLoad(url: string, scenario: Scenario, connections: number, seconds: number, warmupSeconds: number): LoadSpec {
  const headers: Record<string, string> = { authorization: BENCH_TOKEN };
  if (scenario.contentType) headers['content-type'] = scenario.contentType;
  return {
    url,
    method: scenario.method,
    path: scenario.path,
    headers,
    ...(scenario.body !== undefined ? { body: scenario.body } : {}),
    ...(scenario.unique ? { unique: scenario.unique } : {}),
    connections,
    seconds,
    warmupSeconds,
  };
}

export const EXPANSIONS = 'draftIteration,previousIterations,treatments,secondaryMetrics,analysisConfig,mutableFieldsByStatus';

export async function scenarios(api: Api): Promise<Scenario[]> {
  const iterationBody = JSON.stringify(seedIterationBody(await seedFlag(api)));
  return [
    {
      name: 'create-iteration',
      title: 'create iteration (seed endpoint)',
      method: 'POST',
      path: `${experiments}/bench-iterate/iterations`,
      route: '/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/iterations',
      body: iterationBody,
      contentType: 'application/json',
      prism: true,
    },
    {
      name: 'get-experiment',
      title: 'get experiment, every expansion',
      method: 'GET',
      path: `${experiments}/bench-history?expand=${EXPANSIONS}`,
      route: '/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey',
      prism: false,
    },
    {
      name: 'list-experiments',
      title: 'list experiments, page of 20',
      method: 'GET',
      path: `${experiments}?limit=20`,
      route: '/api/v2/projects/:projectKey/environments/:environmentKey/experiments',
      prism: false,
    },
    {
      name: 'flag-patch',
      title: 'flag PATCH (JSON Patch)',
      method: 'PATCH',
      path: `/api/v2/flags/${PROJECT}/patch-flag`,
      route: '/api/v2/flags/:projectKey/:featureFlagKey',
      body: JSON.stringify([{ op: 'replace', path: '/description', value: `patched ${UNIQUE}` }]),
      contentType: 'application/json',
      unique: UNIQUE,
      prism: false,
    },
    {
      name: 'create-experiment',
      title: 'create experiment',
      method: 'POST',
      path: experiments,
      route: '/api/v2/projects/:projectKey/environments/:environmentKey/experiments',
      body: JSON.stringify({ name: 'Created by the benchmark', key: UNIQUE, iteration: JSON.parse(iterationBody) }),
      contentType: 'application/json',
      unique: UNIQUE,
      prism: false,
    },
  ];
}
