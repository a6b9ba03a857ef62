// Every registered route × every kind of credential: 401, 403 or through, exactly as the route declares.
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../src/http/context.js';
import type { RegisteredRoute } from '../src/http/routeTable.js';
import { readAllTables } from '../src/store/exportImport.js';
import { seeApplication } from './support/applications.js';
import { createSegment } from './support/fixtures.js';
import { createHoldout } from './support/holdouts.js';
import { apiRoutes, encodeContext, expectedRole, fillPath, firstStreamEvent, hasBody, isPingRoute, isStreamRoute, paramNames, roleSuffices, routeName, sdkCredential, type SdkCredential } from './support/routes.js';
import { startServer, type Response, type TestServer } from './support/server.js';
import { openStreams, streamRequest } from './support/streams.js';

/** The context the client-side and mobile SDK routes are asked about: base64url in their paths, the REPORTs' body. */
const CONTEXT = { kind: 'user', key: 'acl-user' };

/**
 * Keys that exist, by path parameter; the holdout's `holdoutId` and the SDK environment's client-side ID (`envId`,
 * its `_id`) are filled in once they are created.
 */
const FIXTURE: Record<string, string> = {
  projectKey: 'acl',
  environmentKey: 'acl-env',
  segmentKey: 'acl-segment',
  holdoutKey: 'acl-holdout',
  customRoleKey: 'acl-role',
  teamKey: 'acl-team',
  featureFlagKey: 'acl-flag',
  // The trust-policy route names its project and environment so.
  projKey: 'acl',
  envKey: 'acl-env',
  // The warehouse setup routes name the destination kind so (a Redshift setup needs no key).
  kind: 'redshift',
  // An integration taking audit log subscriptions, so that their list meets a real one.
  integrationKey: 'datadog',
  // An application and version an SDK named, so that the application routes meet real ones.
  applicationKey: 'acl-app',
  versionKey: 'acl-version',
  // The release routes name the flag so; a release pipeline the flag is released along, and a release policy.
  flagKey: 'acl-flag',
  pipelineKey: 'acl-pipeline',
  policyKey: 'acl-policy',
  // An AI Config with a variation, and a model config of the project, so that their routes meet real ones.
  configKey: 'acl-config',
  variationKey: 'acl-variation',
  modelConfigKey: 'acl-model',
  // A view linking the fixture's flag, so that the view routes (and a flag's views) meet real ones.
  viewKey: 'acl-view',
  // An SDK key of the fixture environment (SDK Keys, beta).
  sdkKeyKey: 'acl-sdk-key',
  resourceType: 'flags',
  resourceKey: 'acl-flag',
  // A workflow template, so that its routes meet a real one (the fixture flag's workflow's `workflowId` is filled in once made).
  templateKey: 'acl-template',
  // An AI tool, a prompt snippet and an agent graph of the fixture project, so that their routes meet real ones.
  toolKey: 'acl-tool',
  snippetKey: 'acl-snippet',
  graphKey: 'acl-graph',
  // An agent optimization of an agent-mode AI Config, with a run of one result (its `runId` and `resultId` filled in once made).
  optimizationKey: 'acl-optimization',
  // An OAuth 2.0 client's `clientId` and an announcement's `announcementId` are filled in once they are made.
  // Engineering insights: a deployment of the fixture environment (its id filled in once made), an insight group, and a
  // code references repository associated with the fixture project.
  insightGroupKey: 'acl-insight-group',
  repositoryKey: 'acl-repository',
  context: encodeContext(CONTEXT),
  // Account usage: the events received, and the server-side SDKs' streams.
  type: 'received',
  source: 'server',
};

/** The query some reads require (the AI Config metrics' time range and environment, the quick stats' and flag monitor's environment), so that the fixture's keys are served. */
const INSIGHTS_QUERY = '?projectKey=acl&environmentKey=acl-env';
const QUERIES: Record<string, string> = {
  ...Object.fromEntries(
    ['deployments', 'flag-events', 'pull-requests', 'charts/deployments/frequency', 'charts/flags/stale', 'charts/flags/status', 'charts/lead-time', 'charts/releases/frequency', 'insights/scores'].map((path) => [`/api/v2/engineering-insights/${path}`, INSIGHTS_QUERY]),
  ),
  '/api/v2/projects/:projectKey/ai-configs/:configKey/metrics': '?from=0&to=1000&env=acl-env',
  '/api/v2/projects/:projectKey/ai-configs/:configKey/metrics-by-variation': '?from=0&to=1000&env=acl-env',
  '/api/v2/projects/:projectKey/ai-configs/quick-stats': '?env=acl-env',
  '/internal/projects/:projectKey/flags/:flagKey/monitor/contextKinds': '?filter=env+equals+acl-env',
  '/internal/projects/:projectKey/flags/:flagKey/monitor/contextsCount': '?filter=env+equals+acl-env%2CcontextKind+equals+user',
};

/**
 * The SDK credentials come from a project of their own, which no route of the matrix touches: the matrix resets the
 * fixture environment's SDK and mobile keys and deletes it.
 */
const SDK_PROJECT = { key: 'acl-sdk', environment: 'acl-sdk-env', flag: 'acl-client-flag' };

/**
 * Routes registered by this suite only, so that every kind of declaration the edge honours (beta, public,
 * a role above or below the method's default) is exercised even before a slice declares one.
 */
const PROBES: { method: 'GET' | 'POST'; url: string; config: RegisteredRoute['config'] }[] = [
  { method: 'GET', url: '/api/v2/__probe/beta', config: { beta: true } },
  { method: 'POST', url: '/api/v2/__probe/beta', config: { beta: true } },
  { method: 'GET', url: '/api/v2/__probe/public', config: { public: true } },
  { method: 'GET', url: '/api/v2/__probe/admin-read', config: { role: 'admin' } },
  { method: 'POST', url: '/api/v2/__probe/reader-write', config: { role: 'reader' } },
];

interface Credential {
  name: string;
  /** The Authorization header (none when null). */
  token: string | null;
  role?: Role;
  /** The SDK credential this is (a key of the SDK project's environment). */
  sdk?: SdkCredential;
  /** A token governed by custom roles: one whose role allows nothing, or an inline role that allows everything. */
  custom?: 'nothing' | 'everything';
}

/** The account-wide reads every token may make, whatever its custom roles say (docs/compatibility.md, "Custom roles"). */
const OPEN_TO_EVERY_TOKEN = new Set([
  'GET /api/v2',
  'GET /api/v2/versions',
  'GET /api/v2/tags',
  'GET /api/v2/caller-identity',
  'GET /api/v2/account',
  // ldcli's own usage analytics: kept by no one, about no resource.
  'POST /internal/tracking',
  'POST /api/v2/tracking',
  'GET /api/v2/members',
  'GET /api/v2/members/:id',
  'GET /api/v2/auditlog',
  'GET /api/v2/auditlog/:id',
  'POST /api/v2/auditlog',
  'POST /api/v2/auditlog/counts',
  'GET /api/v2/roles',
  'GET /api/v2/roles/:customRoleKey',
  'GET /api/v2/teams',
  'GET /api/v2/teams/:teamKey',
  'GET /api/v2/teams/:teamKey/maintainers',
  'GET /api/v2/teams/:teamKey/roles',
  'GET /api/v2/projects',
  'GET /api/v2/webhooks',
  'GET /api/v2/webhooks/:id',
  'GET /api/v2/account/relay-auto-configs',
  'GET /api/v2/account/relay-auto-configs/:id',
  'GET /api/v2/integrations/:integrationKey',
  'GET /api/v2/integrations/:integrationKey/:id',
  'GET /api/v2/integration-capabilities/big-segment-store',
  // Integration configurations, delivery and flag import configurations show no secret (masked), as subscriptions.
  'GET /api/v2/integration-configurations/keys/:integrationKey',
  'GET /api/v2/integration-configurations/:integrationConfigurationId',
  'GET /api/v2/integration-capabilities/featureStore',
  'GET /api/v2/integration-capabilities/flag-import',
  'GET /api/v2/code-refs/repositories',
  'GET /api/v2/code-refs/repositories/:repo',
  'GET /api/v2/code-refs/repositories/:repo/branches',
  'GET /api/v2/code-refs/repositories/:repo/branches/:branch',
  'GET /api/v2/code-refs/extinctions',
  'GET /api/v2/code-refs/statistics',
  // Thinned to the projects the token may view, as the projects list is.
  'GET /api/v2/approval-requests',
  'GET /api/v2/destinations',
  // Workflow templates are the account's, thinned to those of the projects the token may view.
  'GET /api/v2/templates',
  // Applications are the account's, as webhooks are.
  'GET /api/v2/applications',
  'GET /api/v2/applications/:applicationKey',
  'GET /api/v2/applications/:applicationKey/versions',
  // The announcement banner is shown to everyone in the organization.
  'GET /api/v2/announcements',
  // Engineering insights: the repositories (code references' are), and the insight groups thinned to the projects
  // the token may view.
  'GET /api/v2/engineering-insights/repositories',
  'GET /api/v2/engineering-insights/insights/groups',
  // Account usage is the account's, read as the audit log is (a flag's evaluations need its project).
  'GET /api/v2/usage/clientside-contexts',
  'GET /api/v2/usage/clientside-mau',
  'GET /api/v2/usage/data-export-events',
  'GET /api/v2/usage/events/:type',
  'GET /api/v2/usage/experimentation-events',
  'GET /api/v2/usage/experimentation-keys',
  'GET /api/v2/usage/mau',
  'GET /api/v2/usage/mau/bycategory',
  'GET /api/v2/usage/mau/sdks',
  'GET /api/v2/usage/observability/errors',
  'GET /api/v2/usage/observability/logs',
  'GET /api/v2/usage/observability/metrics',
  'GET /api/v2/usage/observability/sessions',
  'GET /api/v2/usage/observability/traces',
  'GET /api/v2/usage/sdk-versions/details',
  'GET /api/v2/usage/serverside-contexts',
  'GET /api/v2/usage/service-connections',
  'GET /api/v2/usage/streams/:source',
  'GET /api/v2/usage/streams/:source/bysdkversion',
  'GET /api/v2/usage/streams/:source/sdkversions',
  'GET /api/v2/usage/total-contexts',
  'GET /api/v2/usage/total-mau',
  'GET /api/v2/usage/vega-ai',
  'GET /api/v2/usage/ai-runs',
  'GET /api/v2/usage/sdk-versions/all',
  'GET /api/v2/usage/warehouse-export',
]);

/**
 * What a token allowed everything by custom roles is still refused: giving a token a built-in role (the matrix's
 * empty body gives `reader`), since a custom-role token may only give its own custom roles.
 */
const ESCALATIONS = new Set(['POST /api/v2/tokens']);

/** The SDK project's environment: its client-side ID, SDK key and mobile key. */
interface SdkEnvironment {
  envId: string;
  sdkKey: string;
  mobileKey: string;
}

/** The security headers every answer carries; `sdk`: the answer of one of the SDKs' routes (see cache-control). */
function securityHeaderProblems(res: Response, sdk = false): string[] {
  const expected: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // The SDKs' answers: an event stream says no-cache as well, for the proxies in between; a poll is no-cache, to be
    // revalidated by its ETag (src/sdk/polled.ts).
    'cache-control': !sdk ? 'no-store' : String(res.headers['content-type'] ?? '').startsWith('text/event-stream') ? 'no-cache, no-store' : res.headers.etag ? 'no-cache' : 'no-store',
    'referrer-policy': 'no-referrer',
  };
  return Object.entries(expected).filter(([h, v]) => res.headers[h] !== v).map(([h, v]) => `${h} is ${String(res.headers[h])}, expected ${v}`);
}

/** What the matrix calls a read: GET, and the client-side and mobile SDKs' REPORT (a GET with the context as body). */
const isRead = (method: string) => method === 'GET' || method === 'REPORT';

describe('access control', () => {
  let s: TestServer;
  let credentials: Credential[];
  let revokedToken: string;
  let sdk: SdkEnvironment;

  beforeAll(async () => {
    s = await startServer();
    for (const probe of PROBES) s.app.route({ method: probe.method, url: probe.url, config: probe.config, handler: async () => ({ probe: true }) });
    // Listening once the probes are in: the SDKs' streams are read over real HTTP (test/support/streams.ts).
    s.url = await s.app.listen({ port: 0, host: '127.0.0.1' });
    expect((await s.post('/api/v2/projects', { key: FIXTURE.projectKey, name: 'ACL', environments: [{ key: FIXTURE.environmentKey, name: 'ACL env', color: '000000' }] })).status).toBe(201);
    await createSegment(s, FIXTURE.projectKey, FIXTURE.environmentKey, FIXTURE.segmentKey);
    // A flag, so that the routes of one flag (its statuses among them) meet a real one.
    expect((await s.post(`/api/v2/flags/${FIXTURE.projectKey}`, { key: FIXTURE.featureFlagKey, name: 'ACL flag' })).status).toBe(201);
    // A running holdout with an experiment in it, so that its routes (by key and by _id) meet a real one.
    FIXTURE.holdoutId = (await createHoldout(s, FIXTURE.projectKey, FIXTURE.environmentKey, FIXTURE.holdoutKey, { start: true })).holdoutId;
    // A custom role, so that the role routes meet a real one.
    expect((await s.post('/api/v2/roles', { key: FIXTURE.customRoleKey, name: 'ACL role', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).status).toBe(201);
    // A team, so that the team routes meet a real one.
    expect((await s.post('/api/v2/teams', { key: FIXTURE.teamKey, name: 'ACL team' })).status).toBe(201);
    const beta = { headers: { 'LD-API-Version': 'beta' } };
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/views`, { key: FIXTURE.viewKey, name: 'ACL view' }, beta)).status).toBe(200);
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/views/${FIXTURE.viewKey}/link/flags`, { keys: [FIXTURE.featureFlagKey] }, beta)).body.successCount).toBe(1);
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/environments/${FIXTURE.environmentKey}/sdk-keys`, { key: FIXTURE.sdkKeyKey, name: 'ACL SDK key' }, beta)).status).toBe(201);
    // A deployment, an insight group and a repository associated with the project, for the Insights routes.
    expect((await s.post('/api/v2/engineering-insights/deployment-events', { projectKey: FIXTURE.projectKey, environmentKey: FIXTURE.environmentKey, applicationKey: 'acl-app', version: '1', eventType: 'finished' }, beta)).status).toBe(201);
    FIXTURE.deploymentID = (await s.get(`/api/v2/engineering-insights/deployments${INSIGHTS_QUERY}`, beta)).body.items[0].id;
    expect((await s.post('/api/v2/engineering-insights/insights/group', { key: FIXTURE.insightGroupKey, name: 'ACL group', projectKey: FIXTURE.projectKey, environmentKey: FIXTURE.environmentKey }, beta)).status).toBe(201);
    expect((await s.post('/api/v2/code-refs/repositories', { name: FIXTURE.repositoryKey })).status).toBe(200);
    expect((await s.put('/api/v2/engineering-insights/repositories/projects', { mappings: [{ repositoryKey: FIXTURE.repositoryKey, projectKey: FIXTURE.projectKey }] }, beta)).status).toBe(200);
    // An integration configuration of the fixture's integration, so that its by-id routes meet a real one; a delivery
    // and a flag import configuration, so that their lists and the environment's meet real ones.
    const configuration = await s.post(`/api/v2/integration-configurations/keys/${FIXTURE.integrationKey}`, { name: 'ACL configuration', configValues: { apiKey: 'acl-key' } }, beta);
    expect(configuration.status, JSON.stringify(configuration.body)).toBe(201);
    FIXTURE.integrationConfigurationId = configuration.body._id;
    expect((await s.post(`/api/v2/integration-capabilities/featureStore/${FIXTURE.projectKey}/${FIXTURE.environmentKey}/fastly`, { config: { storeId: 's', apiToken: 't' } }, beta)).status).toBe(201);
    expect((await s.post(`/api/v2/integration-capabilities/flag-import/${FIXTURE.projectKey}/split`, { config: { workspaceApiKey: 'k', workspaceId: 'w', environmentId: 'e', ldApiKey: 'l' } }, beta)).status).toBe(200);
    // A Data Export destination, so that the list shows one (and a custom role's thinning meets it).
    expect((await s.post(`/api/v2/destinations/${FIXTURE.projectKey}/${FIXTURE.environmentKey}`, { kind: 'segment', config: { writeKey: 'acl-write-key' } })).status).toBe(201);
    // A release pipeline, the flag's release along it (its first phase's id filled in) and a release policy.
    const phases = [{ name: 'ACL phase', audiences: [{ environmentKey: FIXTURE.environmentKey, name: 'ACL audience' }] }];
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/release-pipelines`, { key: FIXTURE.pipelineKey, name: 'ACL pipeline', phases }, beta)).status).toBe(201);
    const release = await s.put(`/api/v2/projects/${FIXTURE.projectKey}/flags/${FIXTURE.flagKey}/release`, { releasePipelineKey: FIXTURE.pipelineKey }, beta);
    expect(release.status).toBe(200);
    FIXTURE.phaseId = release.body.phases[0]._id;
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/release-policies`, { key: FIXTURE.policyKey, name: 'ACL policy', releaseMethod: 'guarded-release' }, beta)).status).toBe(201);
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-configs/model-configs`, { key: FIXTURE.modelConfigKey, name: 'ACL model', id: 'acl-1' })).status).toBe(200);
    const aiConfig = await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-configs`, { key: FIXTURE.configKey, name: 'ACL config', defaultVariation: { key: FIXTURE.variationKey, name: 'ACL variation', messages: [], modelConfigKey: FIXTURE.modelConfigKey } });
    expect(aiConfig.status).toBe(201);
    // A workflow waiting a day and a template made from it, so that their routes meet real ones.
    const workflowBody = { name: 'ACL workflow', stages: [{ conditions: [{ kind: 'schedule', scheduleKind: 'relative', waitDuration: 1, waitDurationUnit: 'calendarDay' }], action: { instructions: [{ kind: 'turnFlagOn' }] } }] };
    const workflow = await s.post(`/api/v2/projects/${FIXTURE.projectKey}/flags/${FIXTURE.featureFlagKey}/environments/${FIXTURE.environmentKey}/workflows`, workflowBody);
    expect(workflow.status, JSON.stringify(workflow.body)).toBe(201);
    FIXTURE.workflowId = workflow.body._id;
    expect((await s.post('/api/v2/templates', { key: FIXTURE.templateKey, workflowId: FIXTURE.workflowId })).status).toBe(201);
    // An AI tool (with a second version) and an agent graph, so that their reads meet real ones.
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-tools`, { key: FIXTURE.toolKey, schema: { type: 'object' } })).status).toBe(201);
    expect((await s.patch(`/api/v2/projects/${FIXTURE.projectKey}/ai-tools/${FIXTURE.toolKey}`, { description: 'v2' })).status).toBe(200);
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-configs/prompt-snippets`, { key: FIXTURE.snippetKey, name: 'ACL snippet', text: 'ACL' })).status).toBe(201);
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/agent-graphs`, { key: FIXTURE.graphKey, name: 'ACL graph', rootConfigKey: FIXTURE.configKey, edges: [] }, { headers: { 'LD-API-Version': 'beta' } })).status).toBe(201);
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/ai-configs`, { key: 'acl-agent', name: 'ACL agent', mode: 'agent' })).status).toBe(201);
    expect((await s.post(`/api/v2/projects/${FIXTURE.projectKey}/agent-optimizations`, { key: FIXTURE.optimizationKey, aiConfigKey: 'acl-agent', maxAttempts: 1, judgeModel: 'acl-1' })).status).toBe(201);
    FIXTURE.runId = crypto.randomUUID();
    FIXTURE.resultId = (await s.post(`/api/v2/projects/${FIXTURE.projectKey}/agent-optimizations/${FIXTURE.optimizationKey}/results`, { runId: FIXTURE.runId, agentOptimizationVersion: 1, iteration: 0, instructions: 'i', userInput: 'u' })).body.id;
    // An OAuth 2.0 client and an announcement, so that their routes meet real ones.
    FIXTURE.clientId = (await s.post('/api/v2/oauth/clients', { name: 'ACL client', redirectUri: 'https://acl.example.com/cb' })).body._clientId;
    FIXTURE.announcementId = (await s.post('/api/v2/announcements', { title: 'ACL', message: 'ACL', severity: 'info', isDismissible: true, startTime: 0 })).body._id;
    // The revoked token is used once first, so the authenticator has cached it as valid before it is deleted.
    const created = await s.post('/api/v2/tokens', { name: 'revoked in this suite', role: 'admin' });
    revokedToken = created.body.token;
    expect((await s.get('/api/v2/projects', { token: revokedToken })).status).toBe(200);
    expect((await s.del(`/api/v2/tokens/${created.body._id}`)).status).toBe(204);
    // The SDK project: a flag on for client-side and mobile SDKs, so that their reads serve a value.
    const sdkProject = await s.post('/api/v2/projects', { key: SDK_PROJECT.key, name: 'ACL SDK', environments: [{ key: SDK_PROJECT.environment, name: 'ACL SDK env', color: '000000' }] });
    expect(sdkProject.status).toBe(201);
    const env = sdkProject.body.environments[0];
    sdk = { envId: env._id, sdkKey: env.apiKey, mobileKey: env.mobileKey };
    FIXTURE.envId = sdk.envId;
    const flag = await s.post(`/api/v2/flags/${SDK_PROJECT.key}`, { key: SDK_PROJECT.flag, name: 'Client flag', clientSideAvailability: { usingEnvironmentId: true, usingMobileKey: true } });
    expect(flag.status, JSON.stringify(flag.body)).toBe(201);
    await seeApplication(s, sdk.sdkKey, `application-id/${FIXTURE.applicationKey} application-version/${FIXTURE.versionKey}`);
    const nothing = await s.post('/api/v2/roles', { key: 'acl-nothing', name: 'Nothing', policy: [] });
    const nothingToken = await s.post('/api/v2/tokens', { name: 'custom role: nothing', customRoleIds: [nothing.body._id] });
    const everythingToken = await s.post('/api/v2/tokens', { name: 'custom role: everything', inlineRole: [{ effect: 'allow', resources: ['*'], actions: ['*'] }] });
    // A Relay Proxy configuration whose key opens the automatic configuration stream; made before the matrix, whose
    // reset and delete routes meet only nonexistent ids.
    const relay = await s.post('/api/v2/account/relay-auto-configs', { name: 'ACL relay', policy: [{ effect: 'allow', resources: ['proj/*:env/*'], actions: ['*'] }] });
    expect(relay.status).toBe(201);
    expect([nothingToken.status, everythingToken.status]).toEqual([201, 201]);
    credentials = [
      { name: 'no token', token: null },
      { name: 'unknown token', token: `api-${crypto.randomUUID()}` },
      { name: 'revoked token', token: revokedToken },
      { name: 'reader', token: s.tokens.reader, role: 'reader' },
      { name: 'writer', token: s.tokens.writer, role: 'writer' },
      { name: 'admin', token: s.tokens.admin, role: 'admin' },
      { name: 'custom role allowing nothing', token: nothingToken.body.token, custom: 'nothing' },
      { name: 'inline role allowing everything', token: everythingToken.body.token, custom: 'everything' },
      { name: 'SDK key', token: sdk.sdkKey, sdk: 'sdk-key' },
      { name: 'mobile key', token: sdk.mobileKey, sdk: 'mobile-key' },
      { name: 'client-side ID', token: sdk.envId, sdk: 'client-side-id' },
      { name: 'Relay Proxy configuration key', token: relay.body.fullKey, sdk: 'relay-key' },
    ];
  });
  afterAll(() => s.close());

  // Some 7,000 requests: a minute or two on a busy machine.
  it('answers every route × credential exactly as the route declares (existing and nonexistent keys)', { timeout: 240_000 }, async () => {
    const routes = apiRoutes(s.routes);
    // Deletes last, the later-registered (more nested: segment before environment) first, so that every other route
    // meets the fixture's keys while they still exist.
    const ordered = [...routes.filter((r) => r.method !== 'DELETE'), ...routes.filter((r) => r.method === 'DELETE').reverse()];
    const failures: string[] = [];
    let cells = 0;
    for (const keys of [FIXTURE, {}]) {
      for (const route of ordered) {
        const path = fillPath(route.url, keys) + (QUERIES[route.url] ?? '');
        const needed = expectedRole(route);
        // A REPORT reads the context in its body: the fixture's, or with the nonexistent keys an empty (invalid) one.
        const body = route.method === 'REPORT' ? (keys === FIXTURE ? CONTEXT : {}) : hasBody(route.method) ? {} : undefined;
        // A stream that opens never ends: it is read over HTTP up to its first event, then closed.
        const call = (credential: Credential, headers: Record<string, string>) =>
          isStreamRoute(route) ? streamRequest(s, route.method, path, { token: credential.token, headers, body }) : s.request(route.method, path, { token: credential.token, headers, body });
        const where = (credential: Credential, extra = '') => `${routeName(route)} as ${credential.name}${extra} (${path})`;

        for (const credential of credentials) {
          cells += 1;
          const res = await call(credential, route.config.beta ? { 'LD-API-Version': 'beta' } : {});
          failures.push(...securityHeaderProblems(res, sdkCredential(route) !== undefined).map((p) => `${where(credential)}: ${p}`));
          if (res.status >= 500) failures.push(`${where(credential)}: ${res.status} ${JSON.stringify(res.body)}`);
          if (needed === 'sdk-key' || needed === 'mobile-key' || needed === 'client-side-id' || needed === 'relay-key') {
            // No access token opens the SDKs' routes (src/sdk/*.security.test.ts): an SDK key or a mobile key in
            // Authorization does, each its own routes only; the client-side routes are opened by the client-side ID
            // in their path, whatever Authorization holds, and answer 404 for an ID that is no environment's.
            const opens = needed === 'client-side-id' ? keys === FIXTURE : credential.sdk === needed;
            const refusal = needed === 'client-side-id' ? { status: 404, code: 'not_found' } : { status: 401, code: 'unauthorized' };
            if (!opens) {
              if (res.status !== refusal.status) failures.push(`${where(credential)}: expected ${refusal.status}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
              else if (route.method !== 'HEAD' && res.body.code !== refusal.code) failures.push(`${where(credential)}: ${refusal.status} body ${JSON.stringify(res.body)}`);
            } else if (res.status === 401 || res.status === 403 || (needed === 'client-side-id' && res.status === 404)) {
              failures.push(`${where(credential)}: expected access, got ${res.status} ${JSON.stringify(res.body)}`);
            } else if (keys === FIXTURE && isRead(route.method) && paramNames(route.url).every((name) => name in FIXTURE)) {
              // Reads with the fixture's keys are served: a stream its `put`, a poll the SDK project's flag.
              if (res.status !== 200) failures.push(`${where(credential)}: the fixture's keys should be served, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
              else if (isStreamRoute(route) && (!String(res.headers['content-type']).startsWith('text/event-stream') || res.body?.event !== firstStreamEvent(route))) {
                failures.push(`${where(credential)}: expected an event stream starting with a ${firstStreamEvent(route)}, got ${String(res.headers['content-type'])} ${JSON.stringify(res.body).slice(0, 200)}`);
              } else if (needed !== 'sdk-key' && needed !== 'relay-key' && route.url !== '/sdk/goals/:envId' && !isPingRoute(route)) {
                const flags = isStreamRoute(route) ? res.body.data : res.body;
                if (flags?.[SDK_PROJECT.flag]?.value !== false) failures.push(`${where(credential)}: expected the flag's value (off: false), got ${JSON.stringify(flags).slice(0, 200)}`);
              }
            }
            if (needed === 'client-side-id' && res.headers['access-control-allow-origin'] !== '*') {
              failures.push(`${where(credential)}: a client-side route answers any origin (its 4xx too), got access-control-allow-origin ${String(res.headers['access-control-allow-origin'])}`);
            }
          } else if (credential.custom && needed !== 'none') {
            const operation = `${route.method === 'HEAD' ? 'GET' : route.method} ${route.url}`;
            const refused = credential.custom === 'nothing' ? !OPEN_TO_EVERY_TOKEN.has(operation) : ESCALATIONS.has(operation);
            if (refused) {
              if (res.status !== 403) failures.push(`${where(credential)}: expected 403, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
              else if (route.method !== 'HEAD' && res.body.code !== 'forbidden') failures.push(`${where(credential)}: 403 code ${res.body.code}`);
            } else if (res.status === 401 || res.status === 403) {
              failures.push(`${where(credential)}: expected access, got ${res.status} ${JSON.stringify(res.body)}`);
            } else if (keys === FIXTURE && route.method === 'GET' && paramNames(route.url).every((name) => name in FIXTURE) && res.status !== 200) {
              failures.push(`${where(credential)}: the fixture's keys should be found, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
            }
          } else if (needed !== 'none' && !credential.role) {
            if (res.status !== 401) failures.push(`${where(credential)}: expected 401, got ${res.status}`);
            else if (route.method !== 'HEAD' && JSON.stringify(res.body) !== JSON.stringify({ code: 'unauthorized', message: 'Invalid access token' })) {
              failures.push(`${where(credential)}: 401 body ${JSON.stringify(res.body)}`);
            }
          } else if (credential.role && !roleSuffices(credential.role, needed)) {
            if (res.status !== 403) failures.push(`${where(credential)}: expected 403 (needs ${needed}), got ${res.status}`);
            else if (route.method !== 'HEAD' && res.body.code !== 'forbidden') failures.push(`${where(credential)}: 403 code ${res.body.code}`);
          } else if (res.status === 401 || res.status === 403) {
            failures.push(`${where(credential)}: expected access, got ${res.status} ${JSON.stringify(res.body)}`);
          } else if (keys === FIXTURE && route.method === 'GET' && paramNames(route.url).every((name) => name in FIXTURE) && res.status !== 200) {
            // Reads of resources the fixture holds are found: the matrix meets real ones, not only 404s.
            failures.push(`${where(credential)}: the fixture's keys should be found, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          }

          if (route.config.beta && credential.role && roleSuffices(credential.role, needed)) {
            cells += 1;
            const withoutBeta = await call(credential, {});
            if (withoutBeta.status !== 403) failures.push(`${where(credential, ' without LD-API-Version: beta')}: expected 403, got ${withoutBeta.status}`);
            else if (route.method !== 'HEAD' && !/beta/.test(withoutBeta.body.message)) failures.push(`${where(credential, ' without beta')}: message ${withoutBeta.body.message}`);
          }
        }
      }
    }
    const probes = routes.filter((r) => r.url.startsWith('/api/v2/__probe/')).length;
    console.log(`access-control matrix: ${cells} cells checked over ${routes.length} routes (${routes.length - probes} served by the app, ${probes} probes of this suite) × ${credentials.length} credentials × 2 key sets`);
    expect(failures).toEqual([]);
    expect(routes.length).toBeGreaterThan(PROBES.length);
    // Every kind of SDK route was met, and each stream the matrix opened was closed with its connection.
    for (const kind of ['sdk-key', 'mobile-key', 'client-side-id', 'relay-key'] as const) expect(routes.some((r) => sdkCredential(r) === kind && isStreamRoute(r)), kind).toBe(true);
    await vi.waitFor(() => expect(openStreams(s)).toBe(0));
  });

  it('client-side routes open only with their environment\'s client-side ID in the path; mobile routes only with a mobile key', async () => {
    const routes = apiRoutes(s.routes);
    const client = routes.filter((r) => sdkCredential(r) === 'client-side-id');
    const mobile = routes.filter((r) => sdkCredential(r) === 'mobile-key');
    expect(client.length).toBeGreaterThanOrEqual(6);
    expect(mobile.length).toBeGreaterThanOrEqual(6);
    // The fixture environment was deleted by the matrix above: its _id (a client-side ID that was) opens nothing either.
    const gone = await s.post('/api/v2/projects', { key: 'acl-gone', name: 'Gone', environments: [{ key: 'gone', name: 'Gone', color: '000000' }] });
    const goneEnv = gone.body.environments[0];
    expect((await s.del('/api/v2/projects/acl-gone')).status).toBe(204);
    const failures: string[] = [];
    const send = (route: (typeof routes)[number], path: string, token: string | null) => {
      // A context to REPORT, a diagnostic event, an empty payload of events: bodies each route accepts.
      const body = route.method === 'REPORT' ? CONTEXT : /diagnostic/.test(route.url) ? { kind: 'diagnostic' } : hasBody(route.method) ? [] : undefined;
      return isStreamRoute(route) ? streamRequest(s, route.method, path, { token, body }) : s.request(route.method, path, { token, body });
    };

    const wrongIds: [string, string][] = [
      ['the environment key', SDK_PROJECT.environment],
      ['the project key', SDK_PROJECT.key],
      ['the SDK key', sdk.sdkKey],
      ['the mobile key', sdk.mobileKey],
      ['the ID in upper case', sdk.envId.toUpperCase()],
      ['the ID with a character more', `${sdk.envId}0`],
      ['the ID with a character less', sdk.envId.slice(0, -1)],
      ['a deleted environment\'s ID', goneEnv._id],
      ['the ID with a space', ` ${sdk.envId}`],
    ];
    for (const route of client) {
      for (const [label, id] of wrongIds) {
        // Not even with the environment's keys and the admin token alongside.
        for (const token of [s.tokens.admin, sdk.sdkKey, sdk.mobileKey]) {
          const path = fillPath(route.url, { ...FIXTURE, envId: id });
          const res = await send(route, path, token);
          if (res.status !== 404 || (route.method !== 'HEAD' && res.body.code !== 'not_found')) failures.push(`${routeName(route)} with ${label} (${path}): expected 404 not_found, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        }
      }
      const right = await send(route, fillPath(route.url, FIXTURE), null);
      if (right.status >= 400) failures.push(`${routeName(route)} with the client-side ID and no Authorization: ${right.status} ${JSON.stringify(right.body).slice(0, 200)}`);
    }

    const wrongKeys: [string, string | null][] = [
      ['no Authorization', null],
      ['the SDK key', sdk.sdkKey],
      ['the client-side ID', sdk.envId],
      ['the SDK key as api_key', `api_key ${sdk.sdkKey}`],
      ['the mobile key in upper case', sdk.mobileKey.toUpperCase()],
      ['the mobile key with a character more', `${sdk.mobileKey}0`],
      ['the mobile key with a character less', sdk.mobileKey.slice(0, -1)],
      ['a deleted environment\'s mobile key', goneEnv.mobileKey],
      ['the admin token', s.tokens.admin],
      ['api_key alone', 'api_key'],
    ];
    for (const route of mobile) {
      const path = fillPath(route.url, FIXTURE);
      for (const [label, token] of wrongKeys) {
        const res = await send(route, path, token);
        if (res.status !== 401 || (route.method !== 'HEAD' && res.body.code !== 'unauthorized')) failures.push(`${routeName(route)} with ${label}: expected 401 unauthorized, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
      // The mobile SDKs send `api_key <mobile key>`; the bare key is read too.
      for (const token of [sdk.mobileKey, `api_key ${sdk.mobileKey}`]) {
        const res = await send(route, path, token);
        if (res.status >= 400) failures.push(`${routeName(route)} with ${token.startsWith('api_key') ? 'api_key <mobile key>' : 'the mobile key'}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    await vi.waitFor(() => expect(openStreams(s)).toBe(0));
  });

  it('a deleted token stops working at once, though it was authenticated (and cached) just before', async () => {
    expect((await s.get('/api/v2/projects', { token: revokedToken })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
  });

  it('401 for malformed credentials and for SDK and mobile keys, which cannot call the REST API', async () => {
    // A project of its own: the matrix above calls every route as admin, deletes and key resets included.
    const created = await s.post('/api/v2/projects', { key: 'acl-keys', name: 'Keys', environments: [{ key: 'keys', name: 'Keys', color: '000000' }] });
    const env = created.body.environments[0];
    for (const token of ['', ' ', 'Bearer', 'Bearer ', `Bearer  ${'x'.repeat(600)}`, 'x'.repeat(100_000), env.apiKey, env.mobileKey, s.tokens.admin.slice(0, -1), s.tokens.admin.toUpperCase()]) {
      const res = await s.get('/api/v2/projects', { token });
      expect(res.status, `token ${token.slice(0, 40)}`).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it('401 before 404 or 405 on API paths: a caller without a valid token learns nothing of which paths exist', async () => {
    const cases: [string, string][] = [
      ['GET', '/api/v2/nope'],
      ['GET', '/api/v2/projects/acl-keys/nope'],
      ['PUT', '/api/v2/tokens'],
      ['DELETE', '/api/v2/projects/p/environments/e/experiments/x/iterations'],
    ];
    for (const [method, path] of cases) {
      for (const token of [null, 'bad']) {
        const res = await s.request(method, path, { token });
        expect(res.status, `${method} ${path} ${token}`).toBe(401);
        expect(res.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
      }
    }
    // With a valid token the path's own answer comes back, and outside the API a wrong path is still a 404.
    expect((await s.get('/api/v2/nope')).status).toBe(404);
    const wrongMethod = await s.request('PUT', '/api/v2/tokens');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, POST, HEAD, OPTIONS');
    expect((await s.get('/nowhere', { token: null })).status).toBe(404);
  });

  it('stores tokens only as sha256 hashes: no table holds a token value', async () => {
    const created: string[] = [];
    for (const role of ['reader', 'writer', 'admin']) {
      const res = await s.post('/api/v2/tokens', { name: `hash check ${role}`, role });
      expect(res.status).toBe(201);
      created.push(res.body.token);
    }
    const values = [...created, ...Object.values(s.tokens), revokedToken];
    const everything = JSON.stringify(await readAllTables(s.store));
    for (const value of values) {
      expect(everything.includes(value), 'a raw token value is stored').toBe(false);
      expect(everything.includes(value.replace(/^api-/, '')), 'a token value without its prefix is stored').toBe(false);
    }
    for (const value of created) expect(everything.includes(crypto.createHash('sha256').update(value).digest('hex'))).toBe(true);
  });

  it('sets the security headers on errors the edge itself produces (404, 405, 400)', async () => {
    for (const res of [
      await s.get('/api/v2/no-such-thing'),
      await s.request('PATCH', '/api/v2/projects'),
      await s.get('/api/v2/projects?limit=zero'),
      await s.request('GET', '/api/v2/projects/%E0%A4%A'),
      await s.get(`/api/v2/projects/${'k'.repeat(5000)}`),
    ]) {
      expect(securityHeaderProblems(res)).toEqual([]);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('answers CORS as LaunchDarkly: preflight 204 without a token on every route, Origin echoed (any origin on the client-side SDK routes), max age 300', async () => {
    const origin = 'https://app.example.test';
    let preflights = 0;
    for (const route of apiRoutes(s.routes)) {
      // The client-side SDKs' routes (by client-side ID) answer browsers as LaunchDarkly's client-side endpoints do:
      // any origin, and the SDKs' own headers (they send no LD-API-Version and no access token).
      const client = sdkCredential(route) === 'client-side-id';
      const res = await s.request('OPTIONS', fillPath(route.url, FIXTURE), {
        token: null,
        headers: {
          origin,
          'access-control-request-method': route.method,
          'access-control-request-headers': client ? 'content-type,x-launchdarkly-user-agent' : 'authorization,content-type,ld-api-version',
        },
      });
      preflights += 1;
      expect(res.status, routeName(route)).toBe(204);
      expect(res.headers['access-control-allow-origin'], routeName(route)).toBe(client ? '*' : origin);
      expect(res.headers['access-control-max-age']).toBe('300');
      // The mobile SDKs' REPORTs get the catch-all preflight, which lists the REST API's methods: mobile SDKs are not
      // browsers and never ask.
      if (!(sdkCredential(route) === 'mobile-key' && route.method === 'REPORT')) {
        expect(String(res.headers['access-control-allow-methods']).split(/,\s*/), routeName(route)).toContain(route.method === 'HEAD' ? 'GET' : route.method);
      }
      if (client) expect(String(res.headers['access-control-allow-headers']), routeName(route)).toMatch(/Content-Type.*X-LaunchDarkly-User-Agent/);
      else expect(String(res.headers['access-control-allow-headers']), routeName(route)).toMatch(/Authorization.*Content-Type.*LD-API-Version/);
    }
    // A browser reads a client-side answer's ETag (the SDK revalidates with it), and its errors too.
    const served = await s.get(fillPath('/sdk/evalx/:envId/contexts/:context', FIXTURE), { token: null, headers: { origin } });
    expect(served.status).toBe(200);
    expect(served.headers['access-control-allow-origin']).toBe('*');
    expect(String(served.headers['access-control-expose-headers'])).toMatch(/ETag/);
    const unknown = await s.get(fillPath('/sdk/evalx/:envId/contexts/:context', { ...FIXTURE, envId: 'nope' }), { token: null, headers: { origin } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['access-control-allow-origin']).toBe('*');
    for (const token of [s.tokens.reader, null]) {
      const res = await s.get('/api/v2/projects', { token, headers: { origin } });
      expect(res.status).toBe(token ? 200 : 401);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers.vary).toMatch(/Origin/);
      expect(String(res.headers['access-control-expose-headers'])).toMatch(/X-Ratelimit-Reset/);
    }
    // Without an Origin, LaunchDarkly answers with the wildcard (the spec's "CORS" section).
    expect((await s.get('/api/v2/projects')).headers['access-control-allow-origin']).toBe('*');
    expect((await s.get('/api/v2/projects', { token: null })).headers['access-control-allow-origin']).toBe('*');
    console.log(`CORS: ${preflights} preflights checked`);
  });
});

describe('log redaction', () => {
  function capture(): { stream: Writable; text: () => string } {
    const chunks: string[] = [];
    return {
      stream: new Writable({
        write(chunk, _encoding, callback) {
          chunks.push(String(chunk));
          callback();
        },
      }),
      text: () => chunks.join(''),
    };
  }

  async function exercise(s: TestServer): Promise<string[]> {
    const minted = await s.post('/api/v2/tokens', { name: 'logged?', role: 'writer' });
    expect(minted.status).toBe(201);
    const unknown = `api-${crypto.randomUUID()}`;
    await s.get('/api/v2/projects', { token: minted.body.token });
    await s.get('/api/v2/projects', { token: `Bearer ${s.tokens.reader}` });
    await s.get('/api/v2/projects', { token: unknown });
    await s.get('/api/v2/projects/nope', { token: s.tokens.writer });
    await s.post('/api/v2/projects', { key: 'x', name: 5 }, { token: s.tokens.admin });
    await s.request('POST', '/api/v2/projects', { raw: '{"broken', token: s.tokens.admin });
    return [minted.body.token, unknown, ...Object.values(s.tokens)];
  }

  it('no token value reaches the logs at trace level', async () => {
    const log = capture();
    const s = await startServer({ logger: { level: 'trace', stream: log.stream } });
    try {
      const tokens = await exercise(s);
      const text = log.text();
      expect(text).toMatch(/incoming request/);
      for (const token of tokens) expect(text.includes(token), 'a token value was logged').toBe(false);
    } finally {
      await s.close();
    }
  });

  it("a flag trigger URL's secret (a credential in the path) does not reach the logs", async () => {
    const log = capture();
    const s = await startServer({ logger: { level: 'trace', stream: log.stream } });
    try {
      await s.post('/api/v2/projects', { key: 'logs', name: 'Logs' });
      await s.post('/api/v2/flags/logs', { key: 'switch', name: 'Switch' });
      const trigger = (await s.post('/api/v2/flags/logs/switch/triggers/production', { integrationKey: 'generic-trigger', instructions: [{ kind: 'turnFlagOn' }] })).body;
      const path = new URL(trigger.triggerURL).pathname;
      const secret = path.split('/').pop()!;
      expect((await s.post(path, {}, { token: null })).status).toBe(200);
      expect((await s.post(`${path}x?q=1`, {}, { token: null })).status).toBe(404);
      // Other spellings of the same target reach the same route: masked all the same.
      expect((await s.post(path.replace('/triggers/', '/%74riggers/'), {}, { token: null })).status).toBe(200);
      expect((await s.post(`http://localhost${path}`, {}, { token: null })).status).toBe(200);
      const text = log.text();
      expect(text).toContain(`/webhook/triggers/${trigger._id}/[redacted]`);
      expect(text.includes(secret), 'the secret was logged').toBe(false);
    } finally {
      await s.close();
    }
  });

  it('the Authorization header is censored even when request headers are logged', async () => {
    const log = capture();
    const serializers = { req: (req: { method: string; url: string; headers: Record<string, unknown> }) => ({ method: req.method, url: req.url, headers: req.headers }) };
    const s = await startServer({ logger: { level: 'info', stream: log.stream, serializers } });
    try {
      const tokens = await exercise(s);
      const text = log.text();
      expect(text).toMatch(/"authorization":"\[redacted\]"/);
      for (const token of tokens) expect(text.includes(token), 'a token value was logged').toBe(false);
    } finally {
      await s.close();
    }
  });
});
