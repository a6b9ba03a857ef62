// LaunchDarkly's CLI (ldcli) as its code sends requests: generated resource commands re-marshal `--data`, send
// `null` where an operation requires no body, and name each query parameter after its kebab-case flag.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeKey } from './support/conformance.js';
import { createExperimentIn, createWorld, experimentsPath, type World } from './support/fixtures.js';
import { startServer, type TestServer } from './support/server.js';

/** What ldcli's resources client adds to every request. */
const LDCLI = { 'content-type': 'application/json', 'user-agent': 'launchdarkly-cli/v2.1.0' };

describe('ldcli', () => {
  let s: TestServer;
  let w: World;
  const ldcli = (method: string, path: string, data: unknown = null) => s.request(method, path, { raw: JSON.stringify(data), headers: LDCLI });

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s, 'cli');
  });
  afterAll(() => s.close());

  it('flags update --dry-run true: `dry-run=true` previews the patch and writes nothing', async () => {
    const before = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body;
    const res = await ldcli('PATCH', `/api/v2/flags/${w.project}/${w.flag}?dry-run=true`, [{ op: 'replace', path: '/name', value: 'Renamed' }]);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Renamed');
    const after = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body;
    expect(after.name).toBe(before.name);
    expect(after._version).toBe(before._version);
  });

  it('a kebab-case name is read as the camelCase parameter, and refused naming it when its value is wrong', async () => {
    const bad = await ldcli('PATCH', `/api/v2/flags/${w.project}/${w.flag}?dry-run=maybe`, [{ op: 'replace', path: '/name', value: 'X' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid_request');
    expect(bad.body.message).toContain('dryRun');
    const wrong = await ldcli('GET', `${experimentsPath(w)}?lifecycle-state=bogus`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toContain('lifecycleState');
  });

  it('experiments list --lifecycle-state archived: `lifecycle-state=archived` lists the archived experiments', async () => {
    await createExperimentIn(s, w, 'kept');
    await createExperimentIn(s, w, 'archived');
    const archive = await s.patch(experimentsPath(w, 'archived'), { instructions: [{ kind: 'archiveExperiment' }] }, { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } });
    expect(archive.status).toBe(200);
    const keys = async (query: string) => ((await ldcli('GET', `${experimentsPath(w)}${query}`)).body.items as { key: string }[]).map((e) => e.key).sort();
    expect(await keys('')).toEqual(['kept']);
    expect(await keys('?lifecycle-state=archived')).toEqual(['archived']);
    expect(await keys('?lifecycle-state=archived,active')).toEqual(['archived', 'kept']);
    // the camelCase name, when sent too, is the one read
    expect(await keys('?lifecycleState=active&lifecycle-state=archived')).toEqual(['kept']);
  });

  it('links carry the camelCase name a kebab-case one stood for (beta insights list: --project-key, --environment-key)', async () => {
    const res = await s.request('GET', `/api/v2/engineering-insights/deployments?project-key=${w.project}&environment-key=${w.env}`, {
      raw: 'null',
      headers: { ...LDCLI, 'LD-API-Version': 'beta' },
    });
    expect(res.status).toBe(200);
    expect(res.body._links.self.href).toBe(`/api/v2/engineering-insights/deployments?projectKey=${w.project}&environmentKey=${w.env}`);
  });

  it('config --set access-token: HEAD /api/v2/account is 200 for a valid token and 401 for another; GET names the account', async () => {
    const head = await s.request('HEAD', '/api/v2/account', { headers: { 'content-type': 'application/json', 'user-agent': LDCLI['user-agent'] } });
    expect(head.status).toBe(200);
    const bogus = await s.request('HEAD', '/api/v2/account', { token: 'api-00000000-0000-4000-8000-00000000dead', headers: LDCLI });
    expect(bogus.status).toBe(401);
    const reader = await s.get('/api/v2/account', { token: s.tokens.reader });
    expect(reader.status).toBe(200);
    expect(reader.body._id).toBe((await s.get('/api/v2/caller-identity')).body.accountId);
    expect(reader.body._links.self.href).toBe('/api/v2/account');
    const unauthenticated = await s.get('/api/v2/account', { token: null });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.code).toBe('unauthorized');
  });

  it('environments get-sdk-active: GET …/sdk-active (sdk_name, sdk_wrapper_name) answers {active} from the SDK traffic seen', async () => {
    const path = `/api/v2/projects/${w.project}/environments/${w.env}/sdk-active`;
    expect((await ldcli('GET', path)).body).toEqual({ active: false });
    const sdkKey = (await s.get(`/api/v2/projects/${w.project}/environments/${w.env}`)).body.apiKey as string;
    const init = { kind: 'diagnostic-init', id: { diagnosticId: 'cli', sdkKeySuffix: sdkKey.slice(-6) }, creationDate: Date.now(), sdk: { name: 'go-server-sdk', version: '7.4.0' } };
    expect((await s.post('/diagnostic', init, { token: sdkKey, headers: { 'user-agent': 'GoClient/7.4.0' } })).status).toBe(202);
    const res = await ldcli('GET', `${path}?sdk_name=go-server-sdk`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ active: true });
    expect((await ldcli('GET', `${path}?sdk_name=node-server-sdk`)).body).toEqual({ active: false });
    expect((await ldcli('GET', `${path}?sdk_wrapper_name=OpenFeature`)).body).toEqual({ active: false });
  });

  it("analytics: each command's events to /internal/tracking (older ldcli: /api/v2/tracking) are answered at once with 204", async () => {
    for (const path of ['/internal/tracking', '/api/v2/tracking']) {
      const run = await ldcli('POST', path, { event: 'CLI Command Run', properties: { name: 'flags', action: 'list', flags: ['project'], id: 'install-id' } });
      expect(run.status).toBe(204);
      const done = await ldcli('POST', path, { event: 'CLI Command Completed', properties: { outcome: 'success', id: 'install-id' } });
      expect(done.status).toBe(204);
    }
  });

  it('flags usage: evaluationSummaries gives the flag\'s evaluations per environment, by variation _id', async () => {
    const sdkKey = (await s.get(`/api/v2/projects/${w.project}/environments/${w.env}`)).body.apiKey as string;
    const flag = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body;
    const now = Date.now();
    const counters = [{ variation: 1, value: false, version: 1, count: 6 }];
    expect((await s.post('/bulk', [{ kind: 'summary', startDate: now - 1000, endDate: now, features: { [w.flag]: { default: false, counters } } }], { token: sdkKey })).status).toBe(202);
    const day = 86_400_000;
    const to = Math.floor(now / day) * day + day;
    const res = await ldcli('POST', `/internal/projects/${w.project}/evaluationSummaries`, { flagKeys: [w.flag], environmentKeys: [w.env], from: to - 7 * day, to });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ flagKey: w.flag, environments: { [w.env]: { totalEvaluations: 6, variationCounts: { [flag.variations[1]._id]: 6 } } } }]);
  });

  it('flags usage --exposures: the kinds that evaluated the flag, then each kind\'s unique contexts, as Go escapes the filter', async () => {
    const sdkKey = (await s.get(`/api/v2/projects/${w.project}/environments/${w.env}`)).body.apiKey as string;
    const now = Date.now();
    const feature = (key: string) => ({ kind: 'feature', key: w.flag, version: 1, variation: 0, value: true, default: false, context: { kind: 'user', key }, creationDate: now - 1000 });
    expect((await s.post('/bulk', [feature('u1'), feature('u2'), feature('u1')], { token: sdkKey })).status).toBe(202);
    // url.QueryEscape: spaces as `+`, the comma as `%2C`.
    const kinds = await ldcli('GET', `/internal/projects/${w.project}/flags/${w.flag}/monitor/contextKinds?filter=env+equals+${w.env}`);
    expect(kinds.status).toBe(200);
    expect(kinds.body).toEqual({ data: { contextKinds: ['user'] } });
    const hour = 3_600_000;
    const to = Math.floor(now / hour) * hour + hour;
    const count = await ldcli('GET', `/internal/projects/${w.project}/flags/${w.flag}/monitor/contextsCount?from=${to - 6 * hour}&to=${to}&filter=env+equals+${w.env}%2CcontextKind+equals+user`);
    expect(count.status).toBe(200);
    expect(count.body).toEqual({ data: { totalUniqueContexts: 2, isSampled: false } });
  });

  it('login: the device authorization is a 404 whose message ldcli prints, telling how to set an access token', async () => {
    const res = await s.request('POST', '/internal/device-authorization', { token: null, raw: JSON.stringify({ clientId: 'e6506150369268abae3ed46152687201', deviceName: 'laptop' }), headers: LDCLI });
    expect(res.status).toBe(404);
    expect(res.body.message).toContain('ldcli config --set access-token');
  });

  it("an operation whose body the spec makes optional takes ldcli's `null` (sent whatever --data says) as none", async () => {
    // ldcli reads --data only where the spec requires a body: each operation of the specs whose body is optional is so
    // marked, and so takes none, an empty body labelled JSON, and `null` alike.
    const specs = ['launchdarkly-openapi.json', 'launchdarkly-openapi-2025-07-28.json', 'launchdarkly-openapi-2026-07.json'];
    const here = path.dirname(fileURLToPath(import.meta.url));
    const optional = new Set<string>();
    for (const file of specs) {
      const spec = JSON.parse(fs.readFileSync(path.join(here, '../spec', file), 'utf8'));
      const resolve = (ref: string) => ref.split('/').slice(1).reduce((node, key) => node[key], spec);
      for (const [p, item] of Object.entries<Record<string, { requestBody?: { $ref?: string; required?: boolean } }>>(spec.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const body = op.requestBody?.$ref ? resolve(op.requestBody.$ref) : op.requestBody;
          if (body && !body.required) optional.add(routeKey(method, p));
        }
      }
    }
    expect(optional.size).toBeGreaterThan(0);
    const unmarked = s.routes.filter((r) => optional.has(routeKey(r.method, r.url)) && !r.config.optionalBody).map((r) => routeKey(r.method, r.url));
    expect(unmarked).toEqual([]);

    // ldcli ai-configs update / update-variation, ai-tools update, agent-graphs update: `null` changes nothing.
    const beta = { ...LDCLI, 'LD-API-Version': 'beta' };
    const configs = `/api/v2/projects/${w.project}/ai-configs`;
    expect((await s.post(configs, { key: 'helper', name: 'Helper', defaultVariation: { key: 'v', name: 'V', messages: [] } })).status).toBe(201);
    expect((await s.post(`/api/v2/projects/${w.project}/ai-tools`, { key: 'lookup', schema: {} })).status).toBe(201);
    expect((await s.post(`/api/v2/projects/${w.project}/agent-graphs`, { key: 'graph', name: 'Graph' }, { headers: { 'LD-API-Version': 'beta' } })).status).toBe(201);
    for (const [url, headers] of [
      [`${configs}/helper`, LDCLI],
      [`${configs}/helper/variations/v`, LDCLI],
      [`/api/v2/projects/${w.project}/ai-tools/lookup`, LDCLI],
      [`/api/v2/projects/${w.project}/agent-graphs/graph`, beta],
    ] as const) {
      const before = (await s.get(url, { headers })).body;
      for (const raw of ['null', '']) {
        const res = await s.request('PATCH', url, { raw, headers });
        expect(res.status, `${url} ${raw}: ${JSON.stringify(res.body)}`).toBe(200);
        expect((await s.get(url, { headers })).body).toEqual(before);
      }
    }
    // Targeting cannot do without its instructions: the 400 names them.
    const targeting = await s.request('PATCH', `${configs}/helper/targeting`, { raw: 'null', headers: LDCLI });
    expect(targeting.status).toBe(400);
    expect(targeting.body.message).toContain('instructions: must be present');
  });

  it('a base URI set with a trailing slash: the `//api/v2/…` paths ldcli then sends are read as `/api/v2/…`', async () => {
    // `ldcli config --set base-uri http://host/`: generated commands and the dev server's API client append the path.
    const res = await ldcli('PATCH', `//api/v2/flags/${w.project}/${w.flag}?dry-run=true`, [{ op: 'replace', path: '/description', value: 'x' }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.key).toBe(w.flag);
    expect(res.body._links.self.href).toBe(`/api/v2/flags/${w.project}/${w.flag}`);
    const list = await ldcli('GET', `///api/v2/projects/${w.project}/environments/${w.env}`);
    expect(list.status).toBe(200);
    expect(list.body.key).toBe(w.env);
  });

  it('dev-server import: every flag but holdouts in pages of the first page\'s size, the SDK key, and the same flags to the SDK', async () => {
    for (let i = 0; i < 104; i++) expect((await s.post(`/api/v2/flags/${w.project}`, { name: `Bulk ${i}`, key: `bulk-${i}` })).status).toBe(201);
    expect((await s.post(`/api/v2/flags/${w.project}`, { name: 'Holdout', key: 'a-holdout', purpose: 'holdout' })).status).toBe(201);
    // As the Go API client encodes ldcli's filter; the first page has no offset.
    const filter = 'filter=purpose%3Aall%2B%21%28holdout%29';
    const first = await ldcli('GET', `/api/v2/flags/${w.project}?${filter}&limit=100`);
    expect(first.status).toBe(200);
    const size = first.body.items.length;
    expect(size).toBe(100);
    const total = first.body.totalCount as number;
    const offsets = Array.from({ length: Math.ceil(total / size) - 1 }, (_, i) => (i + 1) * size);
    const pages = await Promise.all(offsets.map((offset) => ldcli('GET', `/api/v2/flags/${w.project}?${filter}&limit=${size}&offset=${offset}`)));
    const items = [first, ...pages].flatMap((page) => page.body.items as { key: string; variations: { _id?: string }[] }[]);
    const keys = items.map((flag) => flag.key);
    expect(keys).toHaveLength(total);
    expect(new Set(keys).size).toBe(total);
    expect(keys).not.toContain('a-holdout');
    expect(keys).toContain(w.flag);
    // the dev server keeps each variation by its _id
    for (const flag of items) for (const variation of flag.variations) expect(typeof variation._id).toBe('string');

    const environment = await ldcli('GET', `/api/v2/projects/${w.project}/environments/${w.env}`);
    expect(environment.status).toBe(200);
    const payload = await s.get('/sdk/latest-all', { token: environment.body.apiKey });
    expect(payload.status).toBe(200);
    for (const key of keys) expect(payload.body.flags).toHaveProperty(key);
  });
});
