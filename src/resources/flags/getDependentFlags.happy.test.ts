import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const html = (href: string) => ({ href, type: 'text/html' });
const json = (href: string) => ({ href, type: 'application/json' });

describe('getDependentFlags: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    const gate = await s.post('/api/v2/flags/shop', { name: 'Gate', key: 'gate' });
    const other = await s.post('/api/v2/flags/shop', { name: 'Other gate', key: 'gate-2' });
    const on = gate.body.variations[0]._id;
    // Created with the prerequisite: it has it in every environment.
    expect((await s.post('/api/v2/flags/shop', { name: 'Zeta', key: 'zeta', initialPrerequisites: [{ key: 'gate', variationId: on }] })).status).toBe(201);
    // Given it in production only.
    expect((await s.post('/api/v2/flags/shop', { name: 'Alpha', key: 'alpha' })).status).toBe(201);
    expect((await s.patch('/api/v2/flags/shop/alpha', [{ op: 'add', path: '/environments/production/prerequisites/-', value: { key: 'gate', variation: 1 } }])).status).toBe(200);
    // A prerequisite on another flag whose key starts alike is not a dependency on this one.
    expect((await s.post('/api/v2/flags/shop', { name: 'Unrelated', key: 'unrelated', initialPrerequisites: [{ key: 'gate-2', variationId: other.body.variations[0]._id }] })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('lists every flag with it as a prerequisite, by key, with the environments where it is one', async () => {
    const res = await s.get('/api/v2/flags/shop/gate/dependent-flags', BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          key: 'alpha',
          name: 'Alpha',
          environments: [{ key: 'production', name: 'Production', _links: { self: json('/api/v2/flags/shop/alpha?env=production') }, _site: html('/shop/production/features/alpha') }],
        },
        {
          key: 'zeta',
          name: 'Zeta',
          environments: [
            { key: 'production', name: 'Production', _links: { self: json('/api/v2/flags/shop/zeta?env=production') }, _site: html('/shop/production/features/zeta') },
            { key: 'test', name: 'Test', _links: { self: json('/api/v2/flags/shop/zeta?env=test') }, _site: html('/shop/test/features/zeta') },
          ],
        },
      ],
      _links: { parent: json('/api/v2/flags/shop/gate'), self: json('/api/v2/flags/shop/gate/dependent-flags') },
      _site: html('/shop/~/features/gate'),
    });
  });

  it('a flag nothing depends on has no items; a dependency removed is no longer listed', async () => {
    const none = await s.get('/api/v2/flags/shop/zeta/dependent-flags', BETA);
    expect(none.status).toBe(200);
    expect(none.body.items).toEqual([]);
    expect(none.body._site).toEqual(html('/shop/~/features/zeta'));

    expect((await s.patch('/api/v2/flags/shop/alpha', [{ op: 'replace', path: '/environments/production/prerequisites', value: [] }])).status).toBe(200);
    const res = await s.get('/api/v2/flags/shop/gate/dependent-flags', BETA);
    expect(res.body.items.map((i: { key: string }) => i.key)).toEqual(['zeta']);
    expect((await s.get('/api/v2/flags/shop/gate-2/dependent-flags', BETA)).body.items.map((i: { key: string }) => i.key)).toEqual(['unrelated']);
  });

  it('shares the flag routes: a flag keyed "dependent-flags" is read, and listed, as any other', async () => {
    expect((await s.post('/api/v2/flags/shop', { name: 'Odd', key: 'dependent-flags' })).status).toBe(201);
    const flag = await s.get('/api/v2/flags/shop/dependent-flags');
    expect(flag.status).toBe(200);
    expect(flag.body.key).toBe('dependent-flags');
    const list = await s.get('/api/v2/flags/shop/dependent-flags/dependent-flags', BETA);
    expect(list.status).toBe(200);
    expect(list.body._links.self.href).toBe('/api/v2/flags/shop/dependent-flags/dependent-flags');
    expect((await s.get('/api/v2/flags/shop/gate')).body.key).toBe('gate');
  });
});
