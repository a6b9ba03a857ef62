import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const html = (href: string) => ({ href, type: 'text/html' });
const json = (href: string) => ({ href, type: 'application/json' });

describe('getDependentFlagsByEnv: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    const gate = await s.post('/api/v2/flags/shop', { name: 'Gate', key: 'gate' });
    expect((await s.post('/api/v2/flags/shop', { name: 'Zeta', key: 'zeta', initialPrerequisites: [{ key: 'gate', variationId: gate.body.variations[0]._id }] })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { name: 'Alpha', key: 'alpha' })).status).toBe(201);
    expect((await s.patch('/api/v2/flags/shop/alpha', [{ op: 'add', path: '/environments/production/prerequisites/-', value: { key: 'gate', variation: 0 } }])).status).toBe(200);
  });
  afterAll(() => s.close());

  it('lists the flags with it as a prerequisite in that environment, by key', async () => {
    const res = await s.get('/api/v2/flags/shop/production/gate/dependent-flags', BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { key: 'alpha', name: 'Alpha', _links: { self: json('/api/v2/flags/shop/alpha?env=production') }, _site: html('/shop/production/features/alpha') },
        { key: 'zeta', name: 'Zeta', _links: { self: json('/api/v2/flags/shop/zeta?env=production') }, _site: html('/shop/production/features/zeta') },
      ],
      _links: { parent: json('/api/v2/flags/shop/gate'), self: json('/api/v2/flags/shop/production/gate/dependent-flags') },
      _site: html('/shop/~/features/gate'),
    });
  });

  it('another environment lists only its own dependents', async () => {
    const res = await s.get('/api/v2/flags/shop/test/gate/dependent-flags', BETA);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ key: 'zeta', name: 'Zeta', _links: { self: json('/api/v2/flags/shop/zeta?env=test') }, _site: html('/shop/test/features/zeta') }]);
  });

  it('a new environment starts without dependents; a flag nothing depends on has none', async () => {
    expect((await s.post('/api/v2/projects/shop/environments', { key: 'staging', name: 'Staging', color: '000000' })).status).toBe(201);
    expect((await s.get('/api/v2/flags/shop/staging/gate/dependent-flags', BETA)).body.items).toEqual([]);
    expect((await s.get('/api/v2/flags/shop/production/zeta/dependent-flags', BETA)).body.items).toEqual([]);
  });

  it('an environment keyed "dependent-flags" does not confuse the across-environments route', async () => {
    expect((await s.post('/api/v2/projects/shop/environments', { key: 'dependent-flags', name: 'Odd', color: '000000' })).status).toBe(201);
    expect((await s.patch('/api/v2/flags/shop/alpha', [{ op: 'add', path: '/environments/dependent-flags/prerequisites/-', value: { key: 'gate', variation: 0 } }])).status).toBe(200);
    const inEnv = await s.get('/api/v2/flags/shop/dependent-flags/gate/dependent-flags', BETA);
    expect(inEnv.status).toBe(200);
    expect(inEnv.body.items.map((i: { key: string }) => i.key)).toEqual(['alpha']);
    const across = await s.get('/api/v2/flags/shop/gate/dependent-flags', BETA);
    expect(across.body.items[0].environments.map((e: { key: string }) => e.key)).toEqual(['production', 'dependent-flags']);
  });
});
