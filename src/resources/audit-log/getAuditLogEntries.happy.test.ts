import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('getAuditLogEntries: happy path', () => {
  let s: TestServer;
  const start = Date.UTC(2026, 0, 1);
  let clock = start;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    const at = async (ms: number, act: () => Promise<{ status: number }>, status = 201) => {
      clock = start + ms;
      expect((await act()).status).toBe(status);
    };
    await at(1000, () => s.post('/api/v2/projects', { name: 'Shop', key: 'shop' }));
    await at(2000, () => s.post('/api/v2/flags/shop', { name: 'Checkout button', key: 'checkout' }));
    await at(3000, () => s.post('/api/v2/metrics/shop', { key: 'signup', kind: 'custom', eventKey: 'signup', isNumeric: false }, { token: s.tokens.writer }));
    await at(4000, () => s.patch('/api/v2/flags/shop/checkout', { comment: 'launch day', patch: [{ op: 'replace', path: '/environments/production/on', value: true }] }), 200);
    await at(5000, () => s.post('/api/v2/projects', { name: 'Blog', key: 'blog' }));
    // twelve entries in one millisecond, for paging
    clock = start + 6000;
    for (let i = 0; i < 12; i++) expect((await s.post('/api/v2/flags/blog', { name: `Post ${i}`, key: `post-${i}` })).status).toBe(201);
  });
  afterAll(() => s.close());

  const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((e) => e.name);

  it('lists entries newest first, 10 by default, in LaunchDarkly listing shape', async () => {
    const res = await s.get('/api/v2/auditlog');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(10);
    expect(res.body.items[0]).not.toHaveProperty('delta');
    expect(res.body._links.next.href).toMatch(/^\/api\/v2\/auditlog\?limit=10&before=\d+&cursor=[0-9a-f]{24}$/);
    const metric = (await s.get(`/api/v2/auditlog?before=${start + 3500}&limit=1`)).body.items[0];
    expect(metric).toEqual({
      _links: {
        self: { href: `/api/v2/auditlog/${metric._id}`, type: 'application/json' },
        parent: { href: '/api/v2/auditlog', type: 'application/json' },
        canonical: { href: '/api/v2/metrics/shop/signup', type: 'application/json' },
      },
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _accountId: s.deps.accountId,
      date: start + 3000,
      accesses: [{ action: 'createMetric', resource: 'proj/shop:metric/signup' }],
      kind: 'metric',
      name: 'signup',
      description: 'created the metric signup',
      shortDescription: 'created the metric signup',
      subject: { _links: { self: { href: `/api/v2/members/${s.deps.accountId}`, type: 'application/json' } }, name: 'iterlab Owner' },
      titleVerb: 'created the metric',
      title: 'iterlab Owner created the metric signup',
      target: { _links: { canonical: { href: '/api/v2/metrics/shop/signup', type: 'application/json' } }, name: 'signup', resources: ['proj/shop:metric/signup'] },
      member: { _links: { parent: { href: '/api/v2/members', type: 'application/json' }, self: { href: `/api/v2/members/${s.deps.accountId}`, type: 'application/json' } }, _id: s.deps.accountId, email: 'owner@iterlab.local', firstName: 'iterlab', lastName: 'Owner' },
      token: { _links: { self: { href: expect.stringMatching(/^\/api\/v2\/tokens\//), type: 'application/json' } }, _id: expect.any(String), name: 'test writer', ending: s.tokens.writer.slice(-4), serviceToken: false },
      parent: { _links: { canonical: { href: '/api/v2/projects/shop', type: 'application/json' } }, name: 'Shop', resource: 'proj/shop' },
    });
  });

  it('follows next links through entries that share a millisecond, losing and repeating none', async () => {
    const seen: string[] = [];
    let href: string | undefined = '/api/v2/auditlog?limit=5';
    while (href) {
      const res: Response = await s.get(href);
      expect(res.body.items.length).toBeLessThanOrEqual(5);
      seen.push(...res.body.items.map((e: { _id: string }) => e._id));
      href = res.body._links.next?.href;
    }
    expect(seen).toHaveLength(17);
    expect(new Set(seen).size).toBe(17);
  });

  it('filters by date: before and after are exclusive epoch milliseconds', async () => {
    expect(names(await s.get(`/api/v2/auditlog?after=${start + 1000}&before=${start + 5000}`))).toEqual(['Checkout button', 'signup', 'Checkout button']);
  });

  it('caps limit at 20', async () => {
    const res = await s.get('/api/v2/auditlog?limit=100');
    expect(res.body.items).toHaveLength(17);
    expect(res.body._links.self.href).toContain('limit=20');
  });

  it("q searches the resource's name and key and the entry's description and comment, case-insensitively", async () => {
    expect(names(await s.get('/api/v2/auditlog?q=LAUNCH%20day'))).toEqual(['Checkout button']);
    expect(names(await s.get('/api/v2/auditlog?q=signup'))).toEqual(['signup']);
    expect(names(await s.get('/api/v2/auditlog?q=100%25'))).toEqual([]);
    // The key (the resource specifier's last level) and the name, in part.
    expect(names(await s.get('/api/v2/auditlog?q=CHECKOUT'))).toEqual(['Checkout button', 'Checkout button']);
    expect(names(await s.get('/api/v2/auditlog?q=post-1'))).toEqual(['Post 11', 'Post 10', 'Post 1']);
    // What is only in the resource's versions is not searched: every flag has clientSideAvailability.
    expect(names(await s.get('/api/v2/auditlog?q=clientSideAvailability'))).toEqual([]);
    expect(names(await s.get(`/api/v2/auditlog?q=${encodeURIComponent('"')}`))).toEqual([]);
  });

  it('spec filters by resource specifier, with * globs', async () => {
    expect(names(await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/shop:env/*:flag/*')}`))).toEqual(['Checkout button', 'Checkout button']);
    expect(names(await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/shop:env/production:flag/check*')}`))).toEqual(['Checkout button', 'Checkout button']);
    expect(names(await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/*')}`))).toEqual(['Blog', 'Shop']);
    // Tags and attribute filters are ignored; the colons of `{critical:true}` are not levels.
    expect(names(await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/shop:env/*;{critical:true}:flag/*;beta')}`))).toEqual(['Checkout button', 'Checkout button']);
    // `*` names every resource, as in a role policy.
    expect((await s.get('/api/v2/auditlog?spec=*&limit=20')).body.items).toHaveLength(17);
    const blog = await s.get(`/api/v2/auditlog?limit=3&spec=${encodeURIComponent('proj/blog:env/*:flag/*')}`);
    expect(names(blog)).toEqual(['Post 11', 'Post 10', 'Post 9']);
    expect(blog.body._links.next.href).toContain('spec=proj%2Fblog%3Aenv%2F*%3Aflag%2F*');
  });

  it('getAuditLogEntry adds the delta and the resource before and after', async () => {
    const listed = (await s.get('/api/v2/auditlog?q=launch')).body.items[0];
    const res = await s.get(`/api/v2/auditlog/${listed._id}`);
    expect(res.status).toBe(200);
    // Named by what it changed, as LaunchDarkly names a flag update: the flag's `on` in production.
    expect(res.body).toMatchObject({ _id: listed._id, kind: 'flag', comment: 'launch day', accesses: [{ action: 'updateOn', resource: 'proj/shop:env/production:flag/checkout' }] });
    expect(res.body.delta).toEqual([{ op: 'replace', path: '/environments/production/on', value: true }]);
    expect(res.body.previousVersion.environments.production.on).toBe(false);
    expect(res.body.currentVersion.environments.production.on).toBe(true);
    expect(res.body.description).toBe('updated the flag Checkout button in production\n\nlaunch day');
    // What it changed is in an environment: that is its parent, as LaunchDarkly shows it.
    expect(res.body.parent).toEqual({
      _links: { canonical: { href: '/api/v2/projects/shop/environments/production', type: 'application/json' } },
      name: 'Production',
      resource: 'proj/shop:env/production',
    });
    // The flag itself (created for every environment, env/*) is the project's.
    const created = (await s.get('/api/v2/auditlog?q=created%20the%20flag%20Checkout')).body.items[0];
    expect(created.parent).toMatchObject({ name: 'Shop', resource: 'proj/shop' });
    expect((await s.get('/api/v2/auditlog?q=created%20the%20project%20Shop')).body.items[0].parent).toBeUndefined();
  });
});

/** An iteration body from an IterationRep: its metrics, treatments and flags as createIteration takes them. */
function iterationBodyOf(rep: any): Record<string, unknown> {
  return {
    hypothesis: rep.hypothesis,
    metrics: rep.metrics.map((m: any) => ({ key: m.key, isGroup: m.isGroup })),
    primarySingleMetricKey: rep.primaryMetric.key,
    treatments: rep.treatments.map((t: any) => ({ name: t.name, baseline: t.baseline, allocationPercent: t.allocationPercent, parameters: t.parameters })),
    flags: Object.fromEntries(Object.entries(rep.flags).map(([key, f]: [string, any]) => [key, { ruleId: f.targetingRule, flagConfigVersion: f.flagConfigVersion }])),
  };
}

describe('getAuditLogEntries: relatedFlag, relatedExperiment and relatedAIConfig (2026-07)', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w, 'exp');
  });
  afterAll(() => s.close());

  const entries = async (spec: string) => (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(spec)}&limit=20`)).body.items as Record<string, unknown>[];
  const related = (e: Record<string, unknown>) => [e.relatedFlag, e.relatedExperiment, e.relatedAIConfig];

  it("an experiment's entries name the experiment and its flag (created, and patched); the flag's own entries name the flag", async () => {
    const patched = await s.patch(experimentsPath(w, 'exp'), { instructions: [{ kind: 'updateExperimentFields', value: { name: { operation: 'update', value: 'Renamed' } } }] });
    expect(patched.status).toBe(200);
    const experiment = await entries(`proj/${w.project}:env/${w.env}:experiment/exp`);
    expect(experiment.map((e) => e.accesses)).toEqual([[{ action: 'updateExperiment', resource: expect.any(String) }], [{ action: 'createExperiment', resource: expect.any(String) }]]);
    for (const e of experiment) expect(related(e)).toEqual([{ key: w.flag }, { key: 'exp' }, undefined]);
    const full = (await s.get(`/api/v2/auditlog/${experiment[1]._id}`)).body;
    expect(related(full)).toEqual([{ key: w.flag }, { key: 'exp' }, undefined]);
    const flag = await entries(`proj/${w.project}:env/*:flag/${w.flag}`);
    expect(flag.length).toBeGreaterThan(0);
    for (const e of flag) expect(related(e)).toEqual([{ key: w.flag }, undefined, undefined]);
    const metric = (await entries(`proj/${w.project}:metric/*`))[0];
    expect(related(metric)).toEqual([undefined, undefined, undefined]);
  });

  it("q with a flag's key finds the flag's entries, not an experiment's that has the flag only in its versions", async () => {
    const found = (await s.get(`/api/v2/auditlog?limit=20&q=${w.flag}`)).body.items as Record<string, unknown>[];
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found.map((e) => e.kind))).toEqual(new Set(['flag']));
    expect((await s.get('/api/v2/auditlog?limit=20&q=exp')).body.items.map((e: Record<string, unknown>) => e.kind)).toContain('experiment');
  });

  it("an experiment's entries hold it as the API shows it (draft, treatments, metrics, analysis settings); a new iteration's, as createIteration answered", async () => {
    const path = experimentsPath(w, 'shown');
    const expand = '?expand=draftIteration,treatments,secondaryMetrics,analysisConfig';
    await createExperimentIn(s, w, 'shown');
    const created = await s.get(`${path}${expand}`);
    const iteration = await s.post(`${path}/iterations`, { ...iterationBodyOf(created.body.currentIteration), hypothesis: 'Second try' });
    expect(iteration.status, JSON.stringify(iteration.body)).toBe(200);
    const between = (await s.get(`${path}${expand}`)).body;
    const patched = await s.patch(path, { comment: 'clearer', instructions: [{ kind: 'updateExperimentFields', value: { description: { operation: 'update', value: 'Now described' } } }] });
    expect(patched.status).toBe(200);
    const after = (await s.get(`${path}${expand}`)).body;
    const [update, newIteration, create] = await Promise.all(
      (await entries(`proj/${w.project}:env/${w.env}:experiment/shown`)).map(async (e) => (await s.get(`/api/v2/auditlog/${e._id}`)).body),
    );
    // A new iteration is an update of the experiment, as the role check names it (LaunchDarkly has no createIteration action).
    expect([update, newIteration, create].map((e) => e.accesses)).toEqual(
      ['updateExperiment', 'updateExperiment', 'createExperiment'].map((action) => [{ action, resource: `proj/${w.project}:env/${w.env}:experiment/shown` }]),
    );
    expect(newIteration.shortDescription).toBe('created a new iteration of the experiment Experiment shown');
    expect(create.currentVersion).toEqual(created.body);
    expect(newIteration.currentVersion).toEqual(iteration.body);
    expect(update.previousVersion).toEqual(between);
    expect(update.currentVersion).toEqual(after);
    expect(update.delta).toEqual({ comment: 'clearer', instructions: [{ kind: 'updateExperimentFields', value: { description: { operation: 'update', value: 'Now described' } } }] });
    for (const e of [update, newIteration, create]) expect(related(e)).toEqual([{ key: w.flag }, { key: 'shown' }, undefined]);
  });

  it("an AI Config's entries name the config and its flag; the flag API's changes to that flag name the config", async () => {
    expect((await s.post(`/api/v2/projects/${w.project}/ai-configs`, { key: 'bot', name: 'Bot' })).status).toBe(201);
    const on = (await s.get(`/api/v2/flags/${w.project}/bot?env=${w.env}`)).body.environments[w.env].on as boolean;
    expect((await s.patch(`/api/v2/flags/${w.project}/bot`, [{ op: 'replace', path: `/environments/${w.env}/on`, value: !on }])).status).toBe(200);
    const config = await entries(`proj/${w.project}:aiconfig/bot`);
    expect(config).toHaveLength(1);
    expect(related(config[0])).toEqual([{ key: 'bot' }, undefined, { key: 'bot' }]);
    const flag = (await entries(`proj/${w.project}:env/*:flag/*`)).filter((e) => String((e.accesses as { resource: string }[])[0].resource).endsWith(':flag/bot'));
    expect(flag.length).toBeGreaterThan(0);
    for (const e of flag) expect(related(e)).toEqual([{ key: 'bot' }, undefined, { key: 'bot' }]);
  });
});
