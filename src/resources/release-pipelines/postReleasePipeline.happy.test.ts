// Release pipelines (beta): created (201; the project's first becomes its default), read, listed with LaunchDarkly's
// filters and pages, replaced (ids kept by place, `_version` one more), deleted (never the default); each change audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const PIPELINES = '/api/v2/projects/shop/release-pipelines';
const PHASES = [
  { name: 'Testing', audiences: [{ environmentKey: 'test', name: 'QA' }] },
  { name: 'Beta', audiences: [{ environmentKey: 'production', name: 'Beta testers', segmentKeys: ['beta-testers'], configuration: { releaseStrategy: 'immediateRelease', requireApproval: false } }] },
  { name: 'Everyone', audiences: [{ environmentKey: 'production', name: 'Everyone' }] },
];

describe('release pipelines', () => {
  let s: TestServer;
  const clock = Date.UTC(2026, 11, 5, 12);
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/segments/shop/production', { key: 'beta-testers', name: 'Beta testers' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('201 with the pipeline; the first is the default, shown on the project too', async () => {
    const res = await s.post(PIPELINES, { key: 'standard', name: 'Standard', description: 'To production', tags: ['web'], phases: PHASES }, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const production = { _links: { self: { href: '/api/v2/projects/shop/environments/production', type: 'application/json' } }, key: 'production', name: 'Production', color: '417505' };
    expect(res.body).toMatchObject({
      createdAt: new Date(clock).toISOString(),
      key: 'standard',
      name: 'Standard',
      description: 'To production',
      tags: ['web'],
      _version: 1,
      isProjectDefault: true,
      _isLegacy: false,
    });
    expect(res.body.phases).toHaveLength(3);
    expect(res.body.phases[1]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Beta',
      configuration: {},
      audiences: [{ environment: production, name: 'Beta testers', segmentKeys: ['beta-testers'], configuration: { releaseStrategy: 'immediateRelease', requireApproval: false } }],
    });
    expect((await s.get('/api/v2/projects/shop')).body.defaultReleasePipelineKey).toBe('standard');
    const entry = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    expect((await s.get(`/api/v2/auditlog/${entry._id}`)).body).toMatchObject({ accesses: [{ action: 'createReleasePipeline', resource: 'proj/shop:release-pipeline/standard' }] });
    expect((await s.get(`${PIPELINES}/standard`, BETA)).body).toEqual(res.body);
  });

  it('a later pipeline is the default only when asked; listing filters on query and env, in pages', async () => {
    expect((await s.post(PIPELINES, { key: 'quick', name: 'Quick', phases: [PHASES[0]] }, BETA)).body.isProjectDefault).toBe(false);
    expect((await s.post(PIPELINES, { key: 'legacy', name: 'Legacy', phases: [PHASES[0]], isLegacy: true, isProjectDefault: true }, BETA)).body).toMatchObject({ isProjectDefault: true, _isLegacy: true });
    expect((await s.get('/api/v2/projects/shop')).body.defaultReleasePipelineKey).toBe('legacy');
    const all = (await s.get(PIPELINES, BETA)).body;
    expect(all.totalCount).toBe(3);
    expect(all.items.map((p: { key: string }) => p.key)).toEqual(['legacy', 'quick', 'standard']);
    expect((await s.get(`${PIPELINES}?filter=query:PRODUCTION`, BETA)).body.items.map((p: { key: string }) => p.key)).toEqual(['standard']);
    expect((await s.get(`${PIPELINES}?filter=env:production`, BETA)).body.totalCount).toBe(1);
    const page = (await s.get(`${PIPELINES}?limit=1&offset=1`, BETA)).body;
    expect(page.items.map((p: { key: string }) => p.key)).toEqual(['quick']);
    expect(page.totalCount).toBe(3);
  });

  it('PUT replaces name, description, tags and phases; ids stay by place; an unchanged PUT changes nothing', async () => {
    const before = (await s.get(`${PIPELINES}/standard`, BETA)).body;
    const put = { name: 'Standard v2', phases: [PHASES[0], { ...PHASES[2], name: 'All' }] };
    const res = await s.put(`${PIPELINES}/standard`, put, BETA);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'Standard v2', tags: [], _version: 2 });
    expect(res.body.description).toBeUndefined();
    expect(res.body.phases.map((p: { id: string }) => p.id)).toEqual(before.phases.slice(0, 2).map((p: { id: string }) => p.id));
    expect((await s.put(`${PIPELINES}/standard`, put, BETA)).body._version).toBe(2);
  });

  it('DELETE: 204; the default pipeline cannot be deleted until another is made the default (updating the project)', async () => {
    expect((await s.del(`${PIPELINES}/quick`, BETA)).status).toBe(204);
    expect((await s.get(`${PIPELINES}/quick`, BETA)).status).toBe(404);
    const refused = await s.del(`${PIPELINES}/legacy`, BETA);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('pipelineKey');
    const unknown = await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/defaultReleasePipelineKey', value: 'quick' }]);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toBe('defaultReleasePipelineKey: there is no release pipeline "quick" in project "shop"');
    const removed = await s.patch('/api/v2/projects/shop', [{ op: 'remove', path: '/defaultReleasePipelineKey' }]);
    expect(removed.status).toBe(400);
    const patched = await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/defaultReleasePipelineKey', value: 'standard' }]);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.defaultReleasePipelineKey).toBe('standard');
    expect((await s.get(`${PIPELINES}/standard`, BETA)).body.isProjectDefault).toBe(true);
    expect((await s.del(`${PIPELINES}/legacy`, BETA)).status).toBe(204);
  });
});
