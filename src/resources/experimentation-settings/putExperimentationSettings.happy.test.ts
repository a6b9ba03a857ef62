import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('putExperimentationSettings and putContextKind: happy path and audit entries', () => {
  let s: TestServer;
  const settings = '/api/v2/projects/shop/experimentation-settings';
  const entries = async (spec: string) => (await s.get(`/api/v2/auditlog?limit=20&spec=${encodeURIComponent(spec)}`)).body.items as any[];
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it("a unit's _displayName is its context kind's name, as the kind is named now", async () => {
    expect((await s.put('/api/v2/projects/shop/context-kinds/org', { name: 'Organization' })).status).toBe(200);
    const put = await s.put(settings, { randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'org' }, { randomizationUnit: 'device' }] });
    expect(put.status).toBe(200);
    expect(put.body.randomizationUnits.map((u: any) => [u.randomizationUnit, u._displayName])).toEqual([['user', 'User'], ['org', 'Organization'], ['device', 'Device']]);
    expect((await s.put('/api/v2/projects/shop/context-kinds/org', { name: 'Company' })).status).toBe(200);
    expect((await s.get(settings)).body.randomizationUnits.map((u: any) => u._displayName)).toEqual(['User', 'Company', 'Device']);
  });

  it('a change is one entry on the context kinds (updateAvailabilityForExperiments), found by spec; the settings before and after as the API shows them', async () => {
    const found = await entries('proj/shop:context-kind/*');
    const entry = found.find((e) => e.accesses[0].action === 'updateAvailabilityForExperiments');
    expect(entry).toMatchObject({ kind: 'context-kind', name: 'Shop', accesses: [{ action: 'updateAvailabilityForExperiments', resource: 'proj/shop:context-kind/*' }] });
    expect((await entries('proj/shop:context-kind/device')).map((e) => e._id)).toContain(entry._id);
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(full.currentVersion).toMatchObject({ _projectKey: 'shop', randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'org' }, { randomizationUnit: 'device' }] });
    expect(full.previousVersion.randomizationUnits.map((u: any) => u.randomizationUnit)).toEqual(['user']);
  });

  it('the same units (the default kept without being named) write nothing and record no entry', async () => {
    const logged = (await s.get('/api/v2/auditlog?limit=20')).body.items.length;
    const before = (await s.get(settings)).body;
    const put = await s.put(settings, { randomizationUnits: [{ randomizationUnit: 'user' }, { randomizationUnit: 'org' }, { randomizationUnit: 'device' }] });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(before);
    expect((await s.get('/api/v2/auditlog?limit=20')).body.items.length).toBe(logged);
  });

  it("a context kind's entries hold the kind as the API shows it, before and after", async () => {
    const [updated, created] = (await entries('proj/shop:context-kind/org')).filter((e) => e.accesses[0].resource === 'proj/shop:context-kind/org');
    expect(created).toMatchObject({ kind: 'context-kind', name: 'Organization', titleVerb: 'created the context kind', accesses: [{ action: 'createContextKind' }] });
    expect(updated).toMatchObject({ name: 'Company', description: 'updated the context kind Company', accesses: [{ action: 'updateContextKind' }] });
    const full = (await s.get(`/api/v2/auditlog/${updated._id}`)).body;
    const listed = (await s.get('/api/v2/projects/shop/context-kinds')).body.items.find((k: any) => k.key === 'org');
    expect(full.currentVersion).toEqual(listed);
    expect(full.previousVersion).toMatchObject({ key: 'org', name: 'Organization', version: 1, _links: { self: { href: '/api/v2/projects/shop/context-kinds/org' } } });
  });
});
