// Export / import: the whole store to one JSON document and back into an empty store, exactly, across databases.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, Store } from '../src/store/db.js';
import { exportStore, importStore, ImportError, readAllTables, type ExportDocument } from '../src/store/exportImport.js';
import { crawl } from './support/crawl.js';
import { freshDatabase, testDb, type FreshDatabase, type TestDb } from './support/db.js';
import { digestStore } from './support/digest.js';
import { populate } from './support/populate.js';
import { encodeContext } from './support/routes.js';
import { startServer, type TestServer } from './support/server.js';

const ROUND_TRIP_MS = 600_000;

const BETA = { headers: { 'LD-API-Version': 'beta' } };
/** getHoldout's expansions as LaunchDarkly documents them: the holdout's experiment's, and `rel-` the others'. */
const HOLDOUT_EXPAND = 'draftIteration,previousIterations,secondaryMetrics,treatments,rel-draftIteration,rel-metrics,rel-previousIterations,rel-secondaryMetrics,rel-treatments';

/** Each holdout the crawl listed (getAllHoldouts answers), read by key with every expansion and by _id. */
function holdoutPaths(answers: Map<string, { status: number; body: any }>): string[] {
  const out: string[] = [];
  for (const [p, answer] of answers) {
    const list = /^(\/api\/v2\/projects\/[^/]+\/environments\/[^/]+\/holdouts)(\?|$)/.exec(p);
    if (!list || answer.status !== 200) continue;
    for (const item of answer.body.items as { key: string; _id: string }[]) {
      out.push(`${list[1]}/${encodeURIComponent(item.key)}?expand=${HOLDOUT_EXPAND}`, `${list[1]}/id/${item._id}`);
    }
  }
  return [...new Set(out)];
}

interface SdkCredentials {
  _id: string;
  apiKey: string;
  mobileKey: string;
}

/** Every environment the crawl met (in any answer), with its SDK credentials: the client-side ID is its `_id`. */
function sdkEnvironments(answers: Map<string, { status: number; body: any }>): SdkCredentials[] {
  const found = new Map<string, SdkCredentials>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) for (const item of node) visit(item);
    else if (node && typeof node === 'object') {
      const env = node as Record<string, unknown>;
      if (typeof env._id === 'string' && typeof env.apiKey === 'string' && typeof env.mobileKey === 'string') found.set(env._id, env as unknown as SdkCredentials);
      for (const value of Object.values(env)) visit(value);
    }
  };
  for (const answer of answers.values()) visit(answer.body);
  return [...found.values()];
}

/** The context the SDK reads below ask about, with the hash an environment in secure mode wants for it. */
const CONTEXT = { kind: 'user', key: 'export-user' };
const secureHash = (sdkKey: string) => crypto.createHmac('sha256', sdkKey).update(CONTEXT.key).digest('hex');

/**
 * What each SDK is served by `s` from the environment: the server-side SDKs' flags by its SDK key, the client-side
 * SDKs' values by its client-side ID (GET and REPORT), the mobile SDKs' by its mobile key.
 */
async function sdkReads(s: TestServer, env: SdkCredentials): Promise<Record<string, { status: number; body: unknown }>> {
  const h = secureHash(env.apiKey);
  const reads: [string, string, string | null, unknown][] = [
    ['GET', '/sdk/latest-all', env.apiKey, undefined],
    ['GET', `/sdk/evalx/${env._id}/contexts/${encodeContext(CONTEXT)}?h=${h}`, null, undefined],
    ['REPORT', `/sdk/evalx/${env._id}/context?h=${h}&withReasons=true`, null, CONTEXT],
    ['GET', `/msdk/evalx/contexts/${encodeContext(CONTEXT)}`, env.mobileKey, undefined],
    ['REPORT', '/msdk/evalx/context?withReasons=true', `api_key ${env.mobileKey}`, CONTEXT],
  ];
  const out: Record<string, { status: number; body: unknown }> = {};
  for (const [method, path, token, body] of reads) {
    const res = await s.request(method, path, { token, body });
    out[`${method} ${path}`] = { status: res.status, body: res.body };
  }
  return out;
}

/** Opens an empty store of `kind` for an import. */
async function emptyStore(kind: TestDb): Promise<{ store: Store; database: FreshDatabase }> {
  const database = await freshDatabase(kind);
  return { store: Store.open(database.url), database };
}

/** Runs `fn` on an empty store of `kind`, then closes and drops it. */
async function withEmptyStore(kind: TestDb, fn: (store: Store) => Promise<void>): Promise<void> {
  const { store, database } = await emptyStore(kind);
  try {
    await fn(store);
  } finally {
    await store.close();
    await database.drop();
  }
}

const INSIGHTS_READS = [
  '/api/v2/engineering-insights/deployments?projectKey=shop&environmentKey=production&from=0&to=1900000000000&expand=pullRequests,flagReferences',
  '/api/v2/engineering-insights/pull-requests?projectKey=shop&environmentKey=production&from=0&to=1900000000000&expand=deployments,flagReferences,leadTime',
  '/api/v2/engineering-insights/repositories?expand=projects',
  '/api/v2/engineering-insights/insights/groups?expand=environment',
];

/**
 * A chart without a window ends now: its buckets' `x` move with each server's clock, its counts do not. A token's
 * `lastUsed` is when that server was last asked with it, which the crawl itself moves.
 */
function clockFree(path: string, answer: { status: number; body: unknown } | undefined): unknown {
  if (path.startsWith('/api/v2/tokens') && answer?.status === 200) {
    const unused = ({ lastUsed: _lastUsed, ...token }: Record<string, unknown>) => token;
    const body = answer.body as { items?: Record<string, unknown>[] } & Record<string, unknown>;
    return { ...answer, body: body.items ? { ...body, items: body.items.map(unused) } : unused(body) };
  }
  if (!path.startsWith('/api/v2/engineering-insights/charts/') || answer?.status !== 200) return answer;
  const body = answer.body as { series: { data: { x: number }[] }[] };
  return { ...answer, body: { ...body, series: body.series.map((series) => ({ ...series, data: series.data.map(({ x: _x, ...point }) => point) })) } };
}

/** Every table, every row, the same; and every GET of every resource answers the same on both servers. */
async function expectSameStores(source: TestServer, doc: ExportDocument, kind: TestDb): Promise<{ rows: number; gets: number; sdk: number }> {
  const { store, database } = await emptyStore(kind);
  let target: TestServer | undefined;
  try {
    const result = await importStore(store, JSON.parse(JSON.stringify(doc)));
    const rows = Object.values(doc.tables).reduce((n, t) => n + t.rows.length, 0);
    expect(result.rows).toBe(rows);
    expect(await readAllTables(store)).toEqual(doc.tables);
    expect(await readAllTables(source.store)).toEqual(doc.tables);

    target = await startServer({ store, tokens: source.tokens });
    const [a, b] = [await crawl(source, source.routes), await crawl(target, target.routes)];
    expect([...b.answers.keys()].sort()).toEqual([...a.answers.keys()].sort());
    for (const [p, answer] of a.answers) expect(clockFree(p, b.answers.get(p)), p).toEqual(clockFree(p, answer));
    // The Insights reads that take a project in their query (the crawl reaches none): deployments, pull requests, the
    // repositories' projects and the insight groups, the same on both servers.
    for (const p of INSIGHTS_READS) {
      const here = await source.get(p, BETA);
      expect(here.status, p).toBe(200);
      expect((await target.get(p, BETA)).body, p).toEqual(here.body);
    }
    // The SDK keys and the IP allowlist (no link leads to them): the same on both servers, and an added key opens the
    // imported environment as it opened the exported one.
    for (const p of ['/api/v2/projects/shop/environments/production/sdk-keys/billing-service', '/api/v2/projects/shop/environments/production/sdk-keys/ios', '/api/v2/account/ip-allowlist']) {
      const here = await source.get(p, BETA);
      expect(here.status, p).toBe(200);
      expect((await target.get(p, BETA)).body, p).toEqual(here.body);
    }
    const added = (await source.get('/api/v2/projects/shop/environments/production/sdk-keys/billing-service', BETA)).body.value;
    expect((await target.get('/sdk/latest-all', { token: added })).body).toEqual((await source.get('/sdk/latest-all', { token: added })).body);
    // No link leads to a holdout (its representations have no _links), so the crawl reads only the lists: each listed
    // holdout is read here, by key with every expansion and by _id, on both servers.
    const holdoutReads = holdoutPaths(a.answers);
    expect(holdoutReads.length).toBeGreaterThanOrEqual(4);
    for (const p of holdoutReads) {
      const here = await source.get(p, BETA);
      expect(here.status, p).toBe(200);
      expect((await target.get(p, BETA)).body, p).toEqual(here.body);
    }
    // And the experiments carry their holdoutId across.
    for (const p of holdoutReads.filter((x) => x.includes('/id/'))) {
      // getHoldoutById answers a HoldoutRep: its experiments by key, name and environment.
      const holdout = (await source.get(p, BETA)).body;
      const environments = p.slice(0, p.indexOf('/environments/') + '/environments/'.length);
      for (const e of holdout.experiments) expect((await target.get(`${environments}${e.environment}/experiments/${e.key}`)).body.holdoutId, e.key).toBe(holdout._id);
    }
    // The imported tokens authenticate: their hashes came across.
    for (const role of ['reader', 'writer', 'admin'] as const) expect((await target.get('/api/v2/projects', { token: source.tokens[role] })).status).toBe(200);
    // And so do the environments' SDK credentials: each SDK key, client-side ID and mobile key is served the same
    // flags by both servers.
    const environments = sdkEnvironments(a.answers);
    expect(environments.length).toBeGreaterThanOrEqual(4);
    let clientFlags = 0;
    for (const env of environments) {
      const here = await sdkReads(source, env);
      for (const [read, answer] of Object.entries(here)) expect(answer.status, `${read}: ${JSON.stringify(answer.body).slice(0, 200)}`).toBe(200);
      expect(await sdkReads(target, env), env._id).toEqual(here);
      clientFlags += Object.keys(here[`GET /sdk/evalx/${env._id}/contexts/${encodeContext(CONTEXT)}?h=${secureHash(env.apiKey)}`].body as object).length;
    }
    // The reads compared values, not only empty answers.
    expect(clientFlags).toBeGreaterThan(0);
    // And a second export of the imported store is the same document.
    expect((await exportStore(store)).tables).toEqual(doc.tables);
    return { rows, gets: a.answers.size, sdk: environments.length * 5 };
  } finally {
    if (target) await target.close();
    else await store.close();
    await database.drop();
  }
}

describe(`export / import (${testDb})`, () => {
  let source: TestServer;
  let doc: ExportDocument;

  beforeAll(async () => {
    source = await startServer();
    const examples = await populate(source);
    console.log(`export/import: populated through the API, ${examples} resources created from the spec's request examples`);
    doc = await exportStore(source.store);
    // populate() makes several hundred API calls (every spec example's too): on PostgreSQL, on a busy machine, more
    // than the 60 s hook default (a CI run failed so), and near 180 s under a load of 10 on 2 cores. The round trips
    // below have the same allowance: a bound against a hang, not a timing.
  }, ROUND_TRIP_MS);
  afterAll(() => source.close());

  it('exports every table, with the schema\'s migrations, and no migration bookkeeping', () => {
    expect(doc).toMatchObject({ format: 'iterlab-export', version: 1, source: testDb, migrations: Object.keys(MIGRATIONS) });
    expect(Object.keys(doc.tables)).toEqual(
      expect.arrayContaining(['projects', 'environments', 'tokens', 'context_kinds', 'experimentation_settings', 'audit_log', 'members', 'segments', 'experiments', 'holdouts']),
    );
    // populate() makes three segments (one of them targeted by a flag): the round trips below carry real rows.
    expect(doc.tables.segments.rows.length).toBeGreaterThanOrEqual(3);
    // And two holdouts (one running with an experiment in it, one ended), so holdouts and experiments.holdout_id too.
    expect(doc.tables.holdouts.rows.length).toBeGreaterThanOrEqual(2);
    const holdoutId = doc.tables.experiments.columns.indexOf('holdout_id');
    expect(holdoutId).toBeGreaterThanOrEqual(0);
    const inHoldouts = doc.tables.experiments.rows.filter((row) => row[holdoutId] !== null).map((row) => row[holdoutId]);
    expect(inHoldouts.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.holdouts.rows.map((row) => row[doc.tables.holdouts.columns.indexOf('id')])).toEqual(expect.arrayContaining(inHoldouts));
    // Custom roles, and tokens that hold them by id or carry an inline role.
    expect(doc.tables.custom_roles.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.tokens.rows.filter((row) => row[doc.tables.tokens.columns.indexOf('role')] === 'custom').length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(doc.tables).some((t) => t.startsWith('kysely_'))).toBe(false);
    // A webhook (postWebhook's spec example, on), but not the deliveries waiting for it: an import would make them again.
    expect(doc.tables.webhooks.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables).not.toHaveProperty('webhook_deliveries');
    expect(doc.tables.flag_approval_requests.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.flag_links.rows.length).toBeGreaterThanOrEqual(2);
    for (const table of ['code_ref_repositories', 'code_ref_branches', 'code_ref_extinctions']) expect(doc.tables[table].rows.length, table).toBeGreaterThanOrEqual(1);
    // A big segment's targets, in their own table.
    expect(doc.tables.big_segment_targets.rows.length).toBe(4);
    // Relay Proxy configurations, one holding a reset key until its expiry.
    expect(doc.tables.relay_auto_configs.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.relay_auto_configs.rows.some((row) => row[doc.tables.relay_auto_configs.columns.indexOf('old_key_hash')] !== null)).toBe(true);
    // Data Export destinations, and the account's Snowflake key pair (its private key too: an import keeps it working).
    expect(doc.tables.destinations.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.destination_key_pairs.rows).toHaveLength(1);
    // An environment's key pair and a warehouse setup waiting to be completed.
    expect(doc.tables.destination_environment_key_pairs.rows).toHaveLength(1);
    expect(doc.tables.destination_setups.rows).toHaveLength(1);
    // Release pipelines, a flag's release part way along one, and ranked release policies.
    expect(doc.tables.release_pipelines.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.flag_releases.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.release_policies.rows.length).toBeGreaterThanOrEqual(2);
    // AI Configs: a config and its variation's two versions, a model config and the restricted list.
    expect(doc.tables.ai_configs.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.ai_config_variations.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.ai_model_configs.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.ai_restricted_models.rows.length).toBeGreaterThanOrEqual(1);
    // Applications an SDK named, their versions, and the flags an application evaluated.
    expect(doc.tables.applications.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.application_versions.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.application_flags.rows.length).toBeGreaterThanOrEqual(1);
    // Views, and the flags and segments (of two environments) they link.
    expect(doc.tables.views.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.view_flags.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.view_segments.rows.length).toBeGreaterThanOrEqual(3);
    // Engineering insights: a deployment, a repository's project association, an insight group.
    expect(doc.tables.insight_deployments.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.insight_repository_projects.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.insight_groups.rows.length).toBeGreaterThanOrEqual(1);
    // Workflows (a running one and a completed one) and a workflow template.
    const status = doc.tables.flag_workflows.columns.indexOf('status');
    expect(doc.tables.flag_workflows.rows.map((row) => row[status])).toEqual(expect.arrayContaining(['active', 'completed']));
    expect(doc.tables.workflow_templates.rows.length).toBeGreaterThanOrEqual(1);
    // The AI library: a tool and both its versions, a prompt snippet and both its versions, agent graphs.
    expect(doc.tables.ai_tools.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.ai_tool_versions.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.prompt_snippets.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.prompt_snippet_versions.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.agent_graphs.rows.length).toBeGreaterThanOrEqual(2);
    // Agent optimizations and the results of their runs (of two versions, one completed).
    expect(doc.tables.agent_optimizations.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.agent_optimization_results.rows.length).toBeGreaterThanOrEqual(3);
    // OAuth 2.0 clients (their secrets' hashes with them), announcements, a big segment's import and export (its file).
    expect(doc.tables.oauth_clients.rows.length).toBeGreaterThanOrEqual(1);
    // SDK keys (server-side and mobile) with their values, the IP allowlist's entries and settings.
    expect(doc.tables.sdk_keys.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.ip_allowlist_entries.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.account_settings.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.announcements.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.big_segment_imports.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.big_segment_exports.rows.length).toBeGreaterThanOrEqual(1);
    // Integration configurations, delivery configurations and flag import configurations (a job's status with it).
    expect(doc.tables.integration_configurations.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.delivery_configurations.rows.length).toBeGreaterThanOrEqual(1);
    expect(doc.tables.flag_import_configurations.rows.length).toBeGreaterThanOrEqual(1);
    // Audit log subscriptions, their secrets with them (an import must deliver as the export would have).
    expect(doc.tables.audit_log_subscriptions.rows.length).toBeGreaterThanOrEqual(2);
    expect(doc.tables.projects.rows.length).toBeGreaterThanOrEqual(32);
    const created = doc.tables.projects.columns.indexOf('created_at');
    expect(typeof doc.tables.projects.rows[0][created]).toBe('number');
  });

  it(`round-trips ${testDb} -> ${testDb} exactly`, async () => {
    const { rows, gets, sdk } = await expectSameStores(source, doc, testDb);
    console.log(`export/import ${testDb} -> ${testDb}: ${rows} rows in ${Object.keys(doc.tables).length} tables, ${gets} GETs and ${sdk} SDK reads identical`);
  }, ROUND_TRIP_MS);

  it.skipIf(testDb !== 'postgres')('round-trips SQLite -> PostgreSQL and PostgreSQL -> SQLite exactly', async () => {
    const sqliteSource = await startServer({ db: 'sqlite' });
    try {
      await populate(sqliteSource);
      const fromSqlite = await exportStore(sqliteSource.store);
      const there = await expectSameStores(sqliteSource, fromSqlite, 'postgres');
      console.log(`export/import sqlite -> postgres: ${there.rows} rows and ${there.gets} GETs identical`);
    } finally {
      await sqliteSource.close();
    }
    const back = await expectSameStores(source, doc, 'sqlite');
    console.log(`export/import postgres -> sqlite: ${back.rows} rows and ${back.gets} GETs identical`);
    // Two populations, four stores and every GET twice: ~20 s on a quiet machine, more beside other suites.
  }, ROUND_TRIP_MS);

  it('refuses a non-empty store, and leaves it unchanged', async () => {
    const before = await digestStore(source.store);
    await expect(importStore(source.store, doc)).rejects.toThrow(/the store is not empty \(table "\w+" has \d+ rows\); import only into an empty store/);
    expect(await digestStore(source.store)).toBe(before);
  });

  it('refuses a document from a newer schema before touching the store', () =>
    withEmptyStore(testDb, async (store) => {
      const newer = { ...doc, migrations: [...doc.migrations, '999_from_the_future'] };
      const err = await importStore(store, newer).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect((err as Error).message).toBe(
        'the document comes from a newer iterlab schema (migrations 999_from_the_future are unknown to this version); upgrade iterlab, then import',
      );
      expect(await store.executedMigrations()).toEqual([]);
    }));

  it('refuses malformed documents with a message naming the problem', () =>
    withEmptyStore(testDb, async (store) => {
      await expect(importStore(store, { hello: 'world' })).rejects.toThrow('not an iterlab export: "format" must be "iterlab-export"');
      await expect(importStore(store, { ...doc, version: 2 })).rejects.toThrow('unsupported export version 2');
      await expect(importStore(store, { ...doc, tables: { projects: { columns: ['id'], rows: [[1, 2]] } } })).rejects.toThrow('row 0 of table "projects" does not have 1 cells');
      await expect(importStore(store, { ...doc, tables: { ...doc.tables, nope: { columns: [], rows: [] } } })).rejects.toThrow('a table "nope" that this schema does not');
      const renamed = { ...doc, tables: { ...doc.tables, projects: { ...doc.tables.projects, columns: doc.tables.projects.columns.map((c) => (c === 'name' ? 'title' : c)) } } };
      await expect(importStore(store, renamed)).rejects.toThrow(/table "projects" has columns .* in the document but .* in this schema/);
    }));

  it('is one transaction: a row the database rejects leaves every table empty', () =>
    withEmptyStore(testDb, async (store) => {
      const audit = doc.tables.audit_log;
      const broken = { ...doc, tables: { ...doc.tables, audit_log: { ...audit, rows: [...audit.rows, audit.columns.map(() => null)] } } };
      await expect(importStore(store, broken)).rejects.toThrow();
      const tables = await readAllTables(store);
      expect(Object.keys(tables).length).toBe(Object.keys(doc.tables).length);
      for (const [name, table] of Object.entries(tables)) expect(table.rows, name).toEqual([]);
      // The store is still empty, so a good document imports.
      await importStore(store, doc);
      expect(await readAllTables(store)).toEqual(doc.tables);
    }));
});
