// Hostile requests on every route: odd paths and queries, wrong content types, oversized, deep and random bodies,
// method overrides, unknown API versions, slow clients. Never a 5xx; every 4xx is {code, message}; a refused
// request leaves the store byte-for-byte unchanged.
import net from 'node:net';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RegisteredRoute } from '../src/http/routeTable.js';
import { digestStore } from './support/digest.js';
import { seeApplication } from './support/applications.js';
import { createSegment } from './support/fixtures.js';
import { createHoldout } from './support/holdouts.js';
import { apiRoutes, encodeContext, fillPath, hasBody, isStreamRoute, paramNames, routeName, sdkCredential } from './support/routes.js';
import { startServer, type RequestOptions, type Response, type TestServer } from './support/server.js';
import { openStreams, streamRequest } from './support/streams.js';

const BODY_LIMIT = 64 * 1024;
/**
 * The sweeps over every route (thousands of requests, a store digest after each write) outgrow the default 30 s; on
 * PostgreSQL, on a machine busy with other work (load 12 on 2 cores), the longest took over three minutes. A bound
 * against a hang, not a timing.
 */
const SLOW_TEST_MS = 600_000;
const REQUEST_TIMEOUT_MS = 600;
/** The context the client-side and mobile SDK routes are asked about: base64url in their paths, the REPORTs' body. */
const CONTEXT = { kind: 'user', key: 'hostile-user' };
/**
 * Keys that exist, by path parameter; the holdout's `holdoutId` and the SDK environment's client-side ID (`envId`,
 * its `_id`) are filled in once they are created.
 */
const FIXTURE: Record<string, string> = {
  projectKey: 'hostile',
  environmentKey: 'hostile-env',
  segmentKey: 'hostile-segment',
  holdoutKey: 'hostile-holdout',
  customRoleKey: 'hostile-role',
  // The trust-policy route names its project and environment so.
  projKey: 'hostile',
  envKey: 'hostile-env',
  integrationKey: 'datadog',
  // An application and version an SDK named, so that hostile requests on their routes meet real ones.
  applicationKey: 'hostile-app',
  versionKey: 'hostile-version',
  // The release routes: the client flag, released along a pipeline, and a release policy.
  flagKey: 'hostile-client-flag',
  pipelineKey: 'hostile-pipeline',
  policyKey: 'hostile-policy',
  // An AI Config with a variation, and a model config of the project: hostile requests on their routes meet real ones.
  configKey: 'hostile-config',
  variationKey: 'hostile-variation',
  modelConfigKey: 'hostile-model',
  // A view linking a flag, so that hostile requests on the view routes meet real ones.
  viewKey: 'hostile-view',
  // An SDK key of the fixture environment (SDK Keys, beta).
  sdkKeyKey: 'hostile-sdk-key',
  resourceType: 'flags',
  resourceKey: 'hostile-client-flag',
  // An AI tool, a prompt snippet and an agent graph, so that hostile requests on their routes meet real ones.
  toolKey: 'hostile-tool',
  snippetKey: 'hostile-snippet',
  graphKey: 'hostile-graph',
  // An agent optimization with a run of one result (its `runId` and `resultId` filled in once made).
  optimizationKey: 'hostile-optimization',
  // An OAuth 2.0 client's `clientId` and an announcement's `announcementId` are filled in once they are made (a big
  // segment's exports and imports are met through the fixture segment, a standard one: their 400 and 404 paths).
  // Engineering insights: a deployment (its id filled in once made), an insight group and a repository associated
  // with the project, so that hostile requests on their routes meet real ones.
  insightGroupKey: 'hostile-insight-group',
  repositoryKey: 'hostile-repository',
  context: encodeContext(CONTEXT),
  // Account usage: the events received, and the server-side SDKs' streams.
  type: 'received',
  source: 'server',
};

let s: TestServer;
/**
 * The SDK environment's keys. It is an environment of its own, which no route's fixture names: hostile bodies that a
 * key-reset route accepts reset the fixture environment's keys, and would leave the SDK routes answering 401. It is in
 * the fixture's project, not a second one: inject resolves the odd key `..`, so DELETE .../environments/.. deletes
 * the project, which is refused only while it is the account's last.
 */
let sdkKey: string;
let mobileKey: string;
/** A Relay Proxy configuration's key, which opens the automatic configuration stream. */
let relayKey: string;
const failures: string[] = [];
let requestCount = 0;
let bodyCount = 0;

beforeAll(async () => {
  s = await startServer({ listen: true, env: { BODY_LIMIT_BYTES: String(BODY_LIMIT), EVENTS_BODY_LIMIT_BYTES: String(BODY_LIMIT), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
  const res = await s.post('/api/v2/projects', { key: FIXTURE.projectKey, name: 'Hostile', environments: [{ key: FIXTURE.environmentKey, name: 'Env', color: '000000' }] });
  expect(res.status).toBe(201);
  const sdkEnvironment = await s.post(`/api/v2/projects/${FIXTURE.projectKey}/environments`, { key: 'hostile-sdk-env', name: 'SDK env', color: '000000' });
  expect(sdkEnvironment.status).toBe(201);
  ({ apiKey: sdkKey, mobileKey, _id: FIXTURE.envId } = sdkEnvironment.body);
  const relay = await s.post('/api/v2/account/relay-auto-configs', { name: 'Hostile relay', policy: [{ effect: 'allow', resources: ['proj/*:env/*'], actions: ['*'] }] });
  expect(relay.status).toBe(201);
  relayKey = relay.body.fullKey;
  await seeApplication(s, sdkKey, `application-id/${FIXTURE.applicationKey} application-version/${FIXTURE.versionKey}`);
  const flag = await s.post(`/api/v2/flags/${FIXTURE.projectKey}`, { key: 'hostile-client-flag', name: 'Client flag', clientSideAvailability: { usingEnvironmentId: true, usingMobileKey: true } });
  expect(flag.status).toBe(201);
  await createSegment(s, FIXTURE.projectKey, FIXTURE.environmentKey, FIXTURE.segmentKey);
  const beta = { headers: { 'LD-API-Version': 'beta' } };
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/views`, { key: FIXTURE.viewKey, name: 'Hostile view' }, beta)).status).toBe(200);
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/views/${FIXTURE.viewKey}/link/flags`, { keys: [FIXTURE.resourceKey] }, beta)).body.successCount).toBe(1);
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/environments/${FIXTURE.environmentKey}/sdk-keys`, { key: FIXTURE.sdkKeyKey, name: 'Hostile SDK key' }, beta)).status).toBe(201);
  FIXTURE.clientId = (await s.post('/api/v2/oauth/clients', { name: 'Hostile client', redirectUri: 'https://hostile.example.com/cb' })).body._clientId;
  FIXTURE.announcementId = (await s.post('/api/v2/announcements', { title: 'Hostile', message: 'Hostile', severity: 'info', isDismissible: true, startTime: 0 })).body._id;
  expect((await s.post('/api/v2/engineering-insights/deployment-events', { projectKey: FIXTURE.projectKey, environmentKey: FIXTURE.environmentKey, applicationKey: FIXTURE.applicationKey, version: '1', eventType: 'finished' }, beta)).status).toBe(201);
  FIXTURE.deploymentID = (await s.get(`/api/v2/engineering-insights/deployments?projectKey=${FIXTURE.projectKey}&environmentKey=${FIXTURE.environmentKey}`, beta)).body.items[0].id;
  expect((await s.post('/api/v2/engineering-insights/insights/group', { key: FIXTURE.insightGroupKey, name: 'Hostile group', projectKey: FIXTURE.projectKey, environmentKey: FIXTURE.environmentKey }, beta)).status).toBe(201);
  expect((await s.post('/api/v2/code-refs/repositories', { name: FIXTURE.repositoryKey })).status).toBe(200);
  expect((await s.put('/api/v2/engineering-insights/repositories/projects', { mappings: [{ repositoryKey: FIXTURE.repositoryKey, projectKey: FIXTURE.projectKey }] }, beta)).status).toBe(200);
  // A running holdout with an experiment in it: hostile requests on its routes (by key and by _id) meet a real one.
  FIXTURE.holdoutId = (await createHoldout(s, FIXTURE.projectKey, FIXTURE.environmentKey, FIXTURE.holdoutKey, { start: true })).holdoutId;
  // A release pipeline, the flag's release along it (its first phase's id filled in) and a release policy.
  const phases = [{ name: 'Hostile phase', audiences: [{ environmentKey: FIXTURE.environmentKey, name: 'Hostile audience' }] }];
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/release-pipelines`, { key: FIXTURE.pipelineKey, name: 'Hostile pipeline', phases }, beta)).status).toBe(201);
  const release = await s.put(`/api/v2/projects/${FIXTURE.projectKey}/flags/${FIXTURE.flagKey}/release`, { releasePipelineKey: FIXTURE.pipelineKey }, beta);
  expect(release.status).toBe(200);
  FIXTURE.phaseId = release.body.phases[0]._id;
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/release-policies`, { key: FIXTURE.policyKey, name: 'Hostile policy', releaseMethod: 'guarded-release' }, beta)).status).toBe(201);
  // An integration configuration, and a delivery and a flag import configuration, so that their routes meet real ones.
  const configuration = await s.post(`/api/v2/integration-configurations/keys/${FIXTURE.integrationKey}`, { name: 'Hostile configuration', configValues: { apiKey: 'hostile-key' } }, beta);
  expect(configuration.status).toBe(201);
  FIXTURE.integrationConfigurationId = configuration.body._id;
  expect((await s.post(`/api/v2/integration-capabilities/featureStore/${FIXTURE.projectKey}/${FIXTURE.environmentKey}/fastly`, { config: { storeId: 's', apiToken: 't' } }, beta)).status).toBe(201);
  expect((await s.post(`/api/v2/integration-capabilities/flag-import/${FIXTURE.projectKey}/split`, { config: { workspaceApiKey: 'k', workspaceId: 'w', environmentId: 'e', ldApiKey: 'l' } }, beta)).status).toBe(200);
  // A custom role, so that the role routes meet a real one.
  expect((await s.post('/api/v2/roles', { key: FIXTURE.customRoleKey, name: 'Hostile role', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).status).toBe(201);
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-configs/model-configs`, { key: FIXTURE.modelConfigKey, name: 'Hostile model', id: 'hostile-1' })).status).toBe(200);
  const aiConfig = await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-configs`, { key: FIXTURE.configKey, name: 'Hostile config', defaultVariation: { key: FIXTURE.variationKey, name: 'V', messages: [], modelConfigKey: FIXTURE.modelConfigKey } });
  expect(aiConfig.status).toBe(201);
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-tools`, { key: FIXTURE.toolKey, schema: { type: 'object' } })).status).toBe(201);
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-configs/prompt-snippets`, { key: FIXTURE.snippetKey, name: 'Hostile snippet', text: 'Hostile' })).status).toBe(201);
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/agent-graphs`, { key: FIXTURE.graphKey, name: 'Hostile graph', rootConfigKey: FIXTURE.configKey, edges: [{ key: 'e', sourceConfig: FIXTURE.configKey, targetConfig: FIXTURE.configKey }] }, { headers: { 'LD-API-Version': 'beta' } })).status).toBe(201);
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-configs`, { key: 'hostile-agent', name: 'Hostile agent', mode: 'agent' })).status).toBe(201);
  expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/agent-optimizations`, { key: FIXTURE.optimizationKey, aiConfigKey: 'hostile-agent', maxAttempts: 1, judgeModel: 'hostile-1' })).status).toBe(201);
  FIXTURE.runId = '5d9d2f7a-93c1-4b7e-a1f0-3c2b1a0f9e8d';
  FIXTURE.resultId = (await s.post(`/api/v2/projects/${FIXTURE.projectKey}/agent-optimizations/${FIXTURE.optimizationKey}/results`, { runId: FIXTURE.runId, agentOptimizationVersion: 1, iteration: 0, instructions: 'i', userInput: 'u' })).body.id;
});
// A test that failed before collecting its findings must not hand them to the next one; and every stream a test
// opened was closed with its connection.
afterEach(async () => {
  failures.length = 0;
  await vi.waitFor(() => expect(openStreams(s)).toBe(0));
});
afterAll(async () => {
  console.log(`hostile-http: ${requestCount} hostile requests, ${bodyCount} of them with hostile bodies`);
  await s.close();
});

function headersFor(route: RegisteredRoute, extra: Record<string, string> = {}): Record<string, string> {
  return route.config.beta ? { 'LD-API-Version': 'beta', ...extra } : extra;
}

type ProbeOptions = RequestOptions & { expect?: number[]; stream?: boolean };

/**
 * The route's headers, and for the SDKs' routes the credential that opens them (an SDK key or mobile key; the
 * client-side routes are opened by the fixture's client-side ID in their path, and browsers send no Authorization),
 * so that their paths and bodies are read (an access token is refused before the body). A route that may answer a
 * stream, which never ends, is probed over HTTP: a stream is read up to its first event, then closed.
 */
function as(route: RegisteredRoute, extra: Record<string, string> = {}): Pick<ProbeOptions, 'headers' | 'token' | 'stream'> {
  const credential = sdkCredential(route);
  const token = credential === 'sdk-key' ? sdkKey : credential === 'mobile-key' ? mobileKey : credential === 'relay-key' ? relayKey : credential === 'client-side-id' ? null : undefined;
  return { headers: headersFor(route, extra), ...(token !== undefined ? { token } : {}), ...(isStreamRoute(route) ? { stream: true } : {}) };
}

/** The body of a route's odd-path probes: the fixture's context for a REPORT (only the path is odd), else {}. */
function plainBody(route: RegisteredRoute): unknown {
  return route.method === 'REPORT' ? CONTEXT : hasBody(route.method) ? {} : undefined;
}

/** The shape every answer must have: no 5xx, and a 4xx body of {code, message}. */
function shapeProblem(res: Response, method: string): string | undefined {
  if (res.status >= 500) return `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
  if (res.status >= 400 && method !== 'HEAD') {
    const body = res.body as { code?: unknown; message?: unknown } | string;
    if (typeof body !== 'object' || typeof body.code !== 'string' || typeof body.message !== 'string' || body.message === '') {
      return `${res.status} body is not {code, message}: ${JSON.stringify(body).slice(0, 200)}`;
    }
  }
  return undefined;
}

/**
 * Sends one hostile request and records what is wrong with the answer. Writes are digested around: a
 * refused write must leave the store unchanged. (A digest where nothing was committed since the last is a look-up,
 * digest.ts: the sweeps' thousands of probes cost a query each, not a hash of every table.)
 */
async function probe(label: string, method: string, path: string, options: ProbeOptions = {}): Promise<Response> {
  requestCount += 1;
  if (options.raw !== undefined || options.body !== undefined) bodyCount += 1;
  const write = method !== 'GET' && method !== 'HEAD';
  const before = write ? await digestStore(s.store) : '';
  const res = options.stream ? await streamRequest(s, method, path, options) : await s.request(method, path, options);
  const problem = shapeProblem(res, method);
  if (problem) failures.push(`${label}: ${method} ${path.slice(0, 120)}: ${problem}`);
  if (options.expect && !options.expect.includes(res.status)) {
    failures.push(`${label}: ${method} ${path.slice(0, 120)}: expected ${options.expect.join('|')}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  }
  if (write && res.status >= 400 && (await digestStore(s.store)) !== before) {
    failures.push(`${label}: ${method} ${path.slice(0, 120)}: refused with ${res.status} but the store changed`);
  }
  return res;
}

function takeFailures(): string[] {
  return failures.splice(0, failures.length);
}

/** [label, the path segment as sent (percent-encoded)] */
const ODD_KEYS: [string, string][] = ([
  ['encoded slash', 'a/b'],
  ['encoded slashes only', '//'],
  ['NUL', 'a\u0000b'],
  ['only NUL', '\u0000'],
  ['5,000 characters', 'k'.repeat(5000)],
  ['1,000 characters', 'k'.repeat(1000)],
  ['dot dot', '..'],
  ['dot', '.'],
  ['encoded dot dot', '%2e%2e'],
  ['backslashes', '..\\..\\etc'],
  ['space and quote', `a b"'`],
  ['SQL', "x'; drop table projects; --"],
  ['emoji and RTL', '🚀\u202eabc'],
  ['__proto__', '__proto__'],
  ['constructor', 'constructor'],
  ['percent', '%'],
  ['CRLF', 'a\r\nX-Injected: 1'],
] as [string, string][])
  .map(([label, value]): [string, string] => [label, encodeURIComponent(value)])
  .concat([
    ['lone surrogate (invalid UTF-8)', '%ED%A0%80'],
    ['overlong UTF-8 slash', '%C0%AF'],
    ['raw dot dot', '..'],
  ]);

describe('hostile paths and queries on every route', { timeout: SLOW_TEST_MS }, () => {
  it('odd keys in every path parameter: 4xx or a normal answer, never 5xx', async () => {
    for (const route of apiRoutes(s.routes)) {
      for (const param of paramNames(route.url)) {
        for (const [label, value] of ODD_KEYS) {
          const path = fillPath(route.url.replace(new RegExp(`:${param}(?![A-Za-z0-9_])(\\([^)]*\\))?`), value), FIXTURE);
          await probe(`${routeName(route)} :${param} = ${label}`, route.method, path, { ...as(route), body: plainBody(route) });
        }
      }
    }
    expect(takeFailures()).toEqual([]);
  }, SLOW_TEST_MS);

  it('NUL in a path parameter or query is a 400 naming it, on both databases', async () => {
    const res = await probe('NUL key', 'GET', '/api/v2/projects/a%00b', { expect: [400] });
    expect(res.body.errors).toEqual([{ attribute: 'projectKey', reason: 'must not contain the NUL character (%00)' }]);
    const query = await probe('NUL filter', 'GET', '/api/v2/projects?filter=query:a%00b', { expect: [400] });
    expect(query.body.errors[0].attribute).toBe('filter');
    // The SDKs' routes: a client-side ID or a context holding NUL names no environment and no context; a 4xx.
    const context = encodeContext({ kind: 'user', key: 'a\u0000b' });
    await probe('NUL client-side ID', 'GET', `/sdk/evalx/a%00b/contexts/${FIXTURE.context}`, { token: null, expect: [400, 404] });
    await probe('NUL client-side ID on an event route', 'POST', '/events/bulk/%00', { token: null, body: [], expect: [400, 404] });
    await probe('NUL context key', 'GET', `/sdk/evalx/${FIXTURE.envId}/contexts/${context}`, { token: null, expect: [200, 400] });
    await probe('NUL in a mobile route\'s query', 'GET', `/msdk/evalx/contexts/${FIXTURE.context}?h=%00`, { token: mobileKey, expect: [200, 400] });
    expect(takeFailures()).toEqual([]);
  });

  it('a 5,000-character key is a 404 in LaunchDarkly\'s shape, not the framework\'s', async () => {
    const res = await probe('long key', 'GET', `/api/v2/projects/${'k'.repeat(5000)}`, { expect: [404] });
    expect(res.body).toEqual({ code: 'not_found', message: 'Invalid resource identifier: a path segment is longer than 1000 characters' });
    const bad = await probe('bad percent-encoding', 'GET', '/api/v2/projects/%E0%A4%A', { expect: [400] });
    expect(bad.body).toEqual({ code: 'invalid_request', message: 'Invalid request: the URL is not validly percent-encoded' });
    expect(takeFailures()).toEqual([]);
  });

  it('hostile query strings on every GET route', async () => {
    const queries = [
      'limit=99999999999999999999',
      'offset=99999999999999999999',
      'limit=-1',
      'offset=-5',
      'limit=abc',
      'limit=1&limit=2',
      'limit[]=1',
      'limit=1e400',
      'offset=NaN',
      'limit=0x10',
      'filter=' + encodeURIComponent(':::,,,'),
      'filter=%00',
      'sort=%2D%2D',
      'sort=-',
      'expand=' + 'x,'.repeat(2000),
      'q=' + 'a'.repeat(5000),
      '__proto__[polluted]=1',
      'constructor[prototype][polluted]=1',
      'a=%E0%A4%A',
      '%zz=1',
    ];
    const before = await digestStore(s.store);
    for (const route of apiRoutes(s.routes).filter((r) => r.method === 'GET')) {
      for (const query of queries) await probe(`${routeName(route)} ?${query.slice(0, 40)}`, 'GET', `${fillPath(route.url, FIXTURE)}?${query}`, { ...as(route) });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await digestStore(s.store)).toBe(before);
    expect(takeFailures()).toEqual([]);
  });

  it('X-HTTP-Method-Override tunnels PATCH/PUT/DELETE through POST, with the tunnelled verb\'s role', async () => {
    const minted = await s.post('/api/v2/tokens', { name: 'to be deleted by override', role: 'reader' });
    const path = `/api/v2/tokens/${minted.body._id}`;
    await probe('override as reader', 'POST', path, { token: s.tokens.reader, headers: { 'X-HTTP-Method-Override': 'DELETE' }, expect: [403] });
    await probe('override as writer', 'POST', path, { token: s.tokens.writer, headers: { 'X-HTTP-Method-Override': 'delete' }, expect: [403] });
    expect((await s.get(path)).status).toBe(200);
    expect((await s.request('POST', path, { headers: { 'X-HTTP-Method-Override': 'DELETE' } })).status).toBe(204);
    expect((await s.get(path)).status).toBe(404);
    // Only PATCH, PUT and DELETE are tunnelled; anything else leaves the POST a POST.
    for (const verb of ['GET', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'POST', '', 'DELETE, GET']) {
      await probe(`override ${verb}`, 'POST', '/api/v2/projects', { token: s.tokens.reader, headers: { 'X-HTTP-Method-Override': verb }, body: {}, expect: [403] });
    }
    // Override on a method other than POST is ignored.
    await probe('override on GET', 'GET', path, { headers: { 'X-HTTP-Method-Override': 'DELETE' }, expect: [404] });
    const put = await s.request('POST', `/api/v2/projects/${FIXTURE.projectKey}/experimentation-settings`, {
      headers: { 'X-HTTP-Method-Override': 'PUT' },
      body: { randomizationUnits: [{ randomizationUnit: 'user', default: true }] },
    });
    expect(put.status).toBe(200);
    expect(takeFailures()).toEqual([]);
  });

  it('an unknown LD-API-Version is a 400 on every API route; known versions and beta are accepted', async () => {
    // Public operations endpoints (/healthz, /readyz, /metrics) and the SDKs' protocol are not LaunchDarkly's REST API
    // and ignore the header.
    for (const route of apiRoutes(s.routes).filter((r) => !r.config.public && !r.config.sdkKey)) {
      const path = fillPath(route.url, FIXTURE);
      for (const version of ['2099', 'latest', '', ' ', '20240415x', '../../', 'beta2']) {
        const res = await probe(`${routeName(route)} LD-API-Version ${version}`, route.method, path, { headers: { 'LD-API-Version': version }, body: plainBody(route) });
        // An empty header value is absent; anything else unknown is refused before the route runs.
        if (version.trim() !== '' && res.status !== 400) failures.push(`${routeName(route)} LD-API-Version "${version}": expected 400, got ${res.status}`);
        if (version.trim() !== '' && route.method !== 'HEAD' && !/LD-API-Version/.test(res.body.message)) failures.push(`${routeName(route)}: message does not name LD-API-Version`);
      }
    }
    for (const version of ['20240415', '20220603', '20210729', '20191212', '20160426', 'beta']) {
      await probe(`LD-API-Version ${version}`, 'GET', '/api/v2/projects', { headers: { 'LD-API-Version': version }, expect: [200] });
    }
    expect(takeFailures()).toEqual([]);
  });
});

describe('hostile bodies on every write route', { timeout: SLOW_TEST_MS }, () => {
  // Every route with a body: the REST API's writes, the SDKs' event payloads, and the client-side and mobile SDKs'
  // REPORTs (reads whose body is the context): a refusal changes nothing.
  const writeRoutes = () => apiRoutes(s.routes).filter((r) => hasBody(r.method));

  it('non-JSON content types are a 400 and change nothing', async () => {
    const types = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/html', 'application/octet-stream', 'application/jsonp', 'json', 'application/json-seq'];
    // A flag trigger's URL takes whatever alerting tools send (its own tests: src/resources/flag-triggers).
    for (const route of writeRoutes().filter((r) => !r.config.rawBody)) {
      const path = fillPath(route.url, FIXTURE);
      for (const type of types) {
        await probe(`${routeName(route)} as ${type}`, route.method, path, { raw: '{"name":"x","key":"ct"}', ...as(route, { 'content-type': type }), expect: [400, 415] });
      }
    }
    expect(takeFailures()).toEqual([]);
  });

  it(`bodies over BODY_LIMIT_BYTES (${BODY_LIMIT}) are a 413 in LaunchDarkly's shape`, async () => {
    for (const route of writeRoutes()) {
      const path = fillPath(route.url, FIXTURE);
      const res = await probe(`${routeName(route)} oversized`, route.method, path, { raw: JSON.stringify({ name: 'x'.repeat(BODY_LIMIT), key: 'big' }), ...as(route), expect: [413] });
      if (res.status === 413 && res.body.code !== 'request_entity_too_large') failures.push(`${routeName(route)}: 413 code ${res.body.code}`);
    }
    expect(takeFailures()).toEqual([]);
  });

  it('deep nesting, huge strings, NUL, prototype keys and malformed JSON are 4xx and change nothing', async () => {
    const deep = (n: number, open: string, close: string, inner = '1') => open.repeat(n) + inner + close.repeat(n);
    // [label, body, refused by every route whatever its schema]
    const bodies: [string, string, boolean][] = [
      ['10,000 nested arrays', deep(10_000, '[', ']'), true],
      ['10,000 nested objects', deep(10_000, '{"a":', '}'), true],
      ['10,000 levels inside a field', `{"name":"x","key":"deep","tags":${deep(10_000, '[', ']', '"t"')}}`, true],
      ['101 levels', `{"name":"x","key":"deep101","tags":${deep(100, '[', ']', '"t"')}}`, true],
      ['nesting hidden in strings is not nesting', `{"name":"${'['.repeat(500)}","key":"deep-str","color":"000000"}`, false],
      ['huge string', JSON.stringify({ name: 'n'.repeat(BODY_LIMIT - 100), key: 'huge' }), false],
      ['huge key', JSON.stringify({ name: 'n', key: 'k'.repeat(BODY_LIMIT - 100) }), false],
      ['many fields', JSON.stringify(Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`f${i}`, i]))), false],
      ['long array', JSON.stringify({ name: 'n', key: 'arr', tags: Array.from({ length: 10_000 }, () => 't') }), false],
      ['NUL in a string', '{"name":"a\\u0000b","key":"nul","color":"000000"}', true],
      ['NUL in a field name', '{"na\\u0000me":"a","key":"nul2"}', true],
      ['escaped backslash then u0000 is not NUL', '{"name":"a\\\\u0000b","key":"bs","color":"zz"}', false],
      ['__proto__', '{"name":"p","key":"p","__proto__":{"polluted":true}}', true],
      ['constructor.prototype', '{"name":"p","key":"p","constructor":{"prototype":{"polluted":true}}}', true],
      ['truncated', '{"name":"x",', true],
      ['trailing garbage', '{"name":"x","key":"y"} xyz', true],
      ['two documents', '{}{}', true],
      ['BOM', '\ufeff{"name":"x","key":"bom"}', false],
      ['lone surrogate', '{"name":"\\ud800","key":"sur"}', false],
      ['empty', '', true],
      ['whitespace', '   ', true],
      ['null', 'null', true],
      ['number', '1e999', true],
      ['string', '"x"', true],
      ['array', '[]', false],
      ['true', 'true', true],
    ];
    for (const route of writeRoutes()) {
      const path = fillPath(route.url, FIXTURE);
      for (const [label, raw, refused] of bodies) {
        // Nothing, or ldcli's `null`, is what a bodyless client sends to an operation that takes no body, or whose
        // body is optional.
        if ((route.config.noBody || route.config.optionalBody) && ['empty', 'whitespace', 'null'].includes(label)) continue;
        const res = await probe(`${routeName(route)} ${label}`, route.method, path, { raw, ...as(route) });
        if (refused && res.status < 400) failures.push(`${routeName(route)} ${label}: accepted with ${res.status}`);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(takeFailures()).toEqual([]);
  }, SLOW_TEST_MS);

  it('random JSON bodies aimed at each route\'s fields: never 5xx, and a refusal changes nothing', async () => {
    const value = fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 3 }),
      fc.string({ maxLength: 300 }),
      fc.constantFrom('', ' ', 'a'.repeat(2000), 'user', 'production', '000000', 'reader', 'admin', -1, 0, 1.5, 2 ** 53, null, true, [], {}),
    );
    for (const route of writeRoutes()) {
      const path = fillPath(route.url, FIXTURE);
      const schema = route.bodySchema as { properties?: Record<string, unknown> } | undefined;
      const fields = Object.keys(schema?.properties ?? {});
      const body = fields.length > 0 ? fc.oneof(fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: fields.length }), fc.jsonValue({ maxDepth: 4 })) : fc.jsonValue({ maxDepth: 4 });
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const before = failures.length;
          await probe(`${routeName(route)} fuzz`, route.method, path, { raw: JSON.stringify(b), ...as(route) });
          return failures.length === before;
        }),
        { numRuns: 40, seed: 20261125 },
      ).catch((err) => failures.push(String(err).slice(0, 2000)));
    }
    expect(takeFailures()).toEqual([]);
  }, SLOW_TEST_MS);
});

interface RawAnswer {
  text: string;
  status: number | undefined;
  body: unknown;
  closedAfterMs: number;
}

/** A request over a real socket, written by `write`; resolves when the server closes the connection. */
function rawHttp(write: (socket: net.Socket) => void, giveUpMs = 10_000): Promise<RawAnswer> {
  const url = new URL(s.url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => write(socket));
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      const bodyText = text.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      let body: unknown;
      try {
        body = bodyText ? JSON.parse(bodyText) : undefined;
      } catch {
        body = bodyText;
      }
      resolve({ text, status: status ? Number(status) : undefined, body, closedAfterMs: Date.now() - started });
    });
  });
}

describe('real HTTP: slow clients and requests Node rejects before routing', () => {
  // Generous: the bound is that a stalled client is cut off near REQUEST_TIMEOUT_MS, not after Node's 30 s default.
  const CUT_OFF_BOUND_MS = REQUEST_TIMEOUT_MS + 2_500;

  it('a client that sends headers and then stalls is cut off after REQUEST_TIMEOUT_MS', async () => {
    const answer = await rawHttp((socket) => {
      socket.write(`POST /api/v2/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nAuthorization: ${s.tokens.admin}\r\n\r\n{"na`);
    });
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(answer.closedAfterMs).toBeLessThan(CUT_OFF_BOUND_MS);
    if (answer.status !== undefined) expect(answer.body).toEqual({ code: 'request_timeout', message: expect.any(String) });
    expect((await s.get('/api/v2/projects/na')).status).toBe(404);
  });

  it('a client that trickles header lines is cut off with a 408 in LaunchDarkly\'s shape', async () => {
    let timer: NodeJS.Timeout | undefined;
    const answer = await rawHttp((socket) => {
      socket.write('GET /api/v2/projects HTTP/1.1\r\nHost: x\r\n');
      timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), REQUEST_TIMEOUT_MS / 4);
    });
    clearInterval(timer);
    expect(answer.closedAfterMs).toBeLessThan(CUT_OFF_BOUND_MS);
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual({ code: 'request_timeout', message: 'The request was not received completely in time' });
  });

  it('a client that trickles its body is cut off too', async () => {
    let timer: NodeJS.Timeout | undefined;
    const answer = await rawHttp((socket) => {
      socket.write(`POST /api/v2/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\nAuthorization: ${s.tokens.admin}\r\n\r\n`);
      timer = setInterval(() => socket.writable && socket.write(' '), REQUEST_TIMEOUT_MS / 4);
    });
    clearInterval(timer);
    expect(answer.closedAfterMs).toBeLessThan(CUT_OFF_BOUND_MS);
  });

  it('headers over Node\'s limit: 431 in LaunchDarkly\'s shape', async () => {
    const answer = await rawHttp((socket) => socket.write(`GET /api/v2/projects HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.body).toEqual({ code: 'request_header_fields_too_large', message: expect.any(String) });
  });

  it('malformed HTTP: 400 in LaunchDarkly\'s shape', async () => {
    for (const request of ['GET /api/v2/projects HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n', 'NOT-HTTP\r\n\r\n', 'GET / HTTP/1.1\r\nBad Header\r\n\r\n']) {
      const answer = await rawHttp((socket) => socket.write(request));
      expect(answer.status, request).toBe(400);
      expect(answer.body).toEqual({ code: 'invalid_request', message: 'Malformed HTTP request' });
    }
  });

  it('a chunked body over the limit is a 413 (no Content-Length to check up front)', async () => {
    const answer = await rawHttp((socket) => {
      socket.write(`POST /api/v2/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nAuthorization: ${s.tokens.admin}\r\nConnection: close\r\n\r\n`);
      for (let i = 0; i < (2 * BODY_LIMIT) / 1024; i++) socket.write(`400\r\n${'a'.repeat(1024)}\r\n`);
      socket.write('0\r\n\r\n');
    });
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({ code: 'request_entity_too_large', message: expect.any(String) });
  });

  it('dot segments are not resolved: /projects/../tokens is no way around the tokens route\'s role', async () => {
    for (const path of ['/api/v2/projects/../tokens', '/api/v2/projects/%2e%2e/tokens', '/api/v2/projects/..%2ftokens', '/api/v2/projects/x/../../tokens']) {
      const answer = await rawHttp((socket) => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${s.tokens.reader}\r\nConnection: close\r\n\r\n`));
      expect([403, 404], path).toContain(answer.status);
      expect(answer.text).not.toContain('"items"');
    }
  });

  it('a request that arrives in time is served normally', async () => {
    const answer = await rawHttp((socket) => socket.write(`GET /api/v2/projects/${FIXTURE.projectKey} HTTP/1.1\r\nHost: x\r\nAuthorization: ${s.tokens.reader}\r\nConnection: close\r\n\r\n`));
    expect(answer.status).toBe(200);
  });
});
