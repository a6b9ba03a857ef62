import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('putContextKind and putExperimentationSettings: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  /** A 400 whose only error is `attribute` with a reason matching `reason`. */
  async function refused(res: Promise<{ status: number; body: any }>, attribute: string, reason: RegExp) {
    const { status, body } = await res;
    expect(status, JSON.stringify(body)).toBe(400);
    expect(body.code).toBe('invalid_request');
    expect(body.errors).toEqual([{ attribute, reason: expect.stringMatching(reason) }]);
  }

  it('400 for a context kind key that cannot be one (kind, multi), a version below 1, and archived against its alias', async () => {
    await refused(s.put('/api/v2/projects/shop/context-kinds/multi', { name: 'Multi' }), 'key', /"multi" is not a valid context kind key/);
    await refused(s.put('/api/v2/projects/shop/context-kinds/team', { name: 'Team', version: -5 }), 'version', /1 or more/);
    await refused(s.put('/api/v2/projects/shop/context-kinds/team', { name: 'Team', archived: true, hideInTargeting: false }), 'hideInTargeting', /archived's other name/);
    const kinds = (await s.get('/api/v2/projects/shop/context-kinds')).body.items.map((k: { key: string }) => k.key);
    expect(kinds).not.toContain('team');
    // Agreeing spellings are taken.
    expect((await s.put('/api/v2/projects/shop/context-kinds/team', { name: 'Team', archived: true, hideInTargeting: true })).status).toBe(200);
  });

  it('400 for a randomization unit named kind or multi, and for the same unit twice; the settings stay as they were', async () => {
    const before = (await s.get('/api/v2/projects/shop/experimentation-settings')).body;
    for (const unit of ['kind', 'multi']) {
      await refused(s.put('/api/v2/projects/shop/experimentation-settings', { randomizationUnits: [{ randomizationUnit: unit, default: true }] }), 'randomizationUnits[0].randomizationUnit', new RegExp(`"${unit}" is not a valid context kind key`));
    }
    await refused(
      s.put('/api/v2/projects/shop/experimentation-settings', { randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'user' }] }),
      'randomizationUnits[1].randomizationUnit',
      /duplicate randomization unit "user"/,
    );
    expect((await s.get('/api/v2/projects/shop/experimentation-settings')).body).toEqual(before);
    expect((await s.get('/api/v2/projects/shop/context-kinds')).body.items.map((k: { key: string }) => k.key)).not.toContain('multi');
  });

  it('400 for a randomization unit whose context kind is archived (unavailable for experiments); nothing is written', async () => {
    expect((await s.put('/api/v2/projects/shop/context-kinds/kiosk', { name: 'Kiosk', archived: true })).status).toBe(200);
    const before = (await s.get('/api/v2/projects/shop/experimentation-settings')).body;
    const logged = (await s.get('/api/v2/auditlog?limit=20')).body.items.length;
    await refused(
      s.put('/api/v2/projects/shop/experimentation-settings', { randomizationUnits: [{ randomizationUnit: 'user', default: true }, { randomizationUnit: 'new-kind' }, { randomizationUnit: 'kiosk' }] }),
      'randomizationUnits[2].randomizationUnit',
      /context kind "kiosk" is archived/,
    );
    expect((await s.get('/api/v2/projects/shop/experimentation-settings')).body).toEqual(before);
    expect((await s.get('/api/v2/projects/shop/context-kinds')).body.items.map((k: { key: string }) => k.key)).not.toContain('new-kind');
    expect((await s.get('/api/v2/auditlog?limit=20')).body.items.length).toBe(logged);
  });
});
