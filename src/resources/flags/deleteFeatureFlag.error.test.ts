import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflict } from '../../http/errors.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { registerFlagGuard } from './guards.js';

registerFlagGuard(async (change) => {
  if (change.flagKey === 'in-experiment' && change.after === undefined) throw conflict('Flag "in-experiment" is used by a running experiment');
});

describe('deleteFeatureFlag: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('404 naming the project or the flag', async () => {
    expect((await s.del('/api/v2/flags/nope/f')).body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    const res = await s.del('/api/v2/flags/shop/ghost');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Flag "ghost" in project "shop" not found' });
  });

  it('409 while another flag has it as a prerequisite, naming that flag', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Base', key: 'base_1' });
    await s.post('/api/v2/flags/shop', { name: 'Child', key: 'child' });
    await s.patch('/api/v2/flags/shop/child', [{ op: 'add', path: '/environments/test/prerequisites/-', value: { key: 'base_1', variation: 1 } }]);
    const res = await s.del('/api/v2/flags/shop/base_1');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'Flag "base_1" is a prerequisite of "child"; remove those prerequisites before deleting it' });
    expect((await s.get('/api/v2/flags/shop/base_1')).status).toBe(200);
  });

  it('a prerequisite on a flag whose key merely looks alike does not hold a deletion back', async () => {
    // `_` is a LIKE wildcard, so the text match finds `lone-a`; the parsed prerequisites decide.
    await s.post('/api/v2/flags/shop', { name: 'Lone', key: 'lone_a' });
    await s.post('/api/v2/flags/shop', { name: 'Lookalike', key: 'lone-a' });
    await s.post('/api/v2/flags/shop', { name: 'Other child', key: 'other-child' });
    await s.patch('/api/v2/flags/shop/other-child', [{ op: 'add', path: '/environments/test/prerequisites/-', value: { key: 'lone-a', variation: 0 } }]);
    expect((await s.del('/api/v2/flags/shop/lone_a')).status).toBe(204);
    expect((await s.del('/api/v2/flags/shop/lone-a')).status).toBe(409);
  });

  it('a guard that refuses the deletion keeps the flag', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Used', key: 'in-experiment' });
    const res = await s.del('/api/v2/flags/shop/in-experiment');
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('running experiment');
    expect((await s.get('/api/v2/flags/shop/in-experiment')).status).toBe(200);
  });
});
