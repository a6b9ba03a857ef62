// Deleting an AI Config: 204; the config, every version of its variations and its flag are gone (SDK payloads no
// longer carry it), the key is free again, and the audit log keeps what was deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteAIConfig', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('204; config, variations and flag gone; the key free again', async () => {
    expect((await s.post(url, { key: 'bot', name: 'Bot', defaultVariation: { key: 'v', name: 'V', messages: [{ role: 'user', content: 'hi' }] } })).status).toBe(201);
    await s.patch(`${url}/bot/variations/v`, { name: 'V2' });
    const sdkKey = await sdkKeyOf(s, 'shop');
    expect((await s.get('/sdk/latest-all', { token: sdkKey })).body.flags.bot).toBeDefined();

    expect((await s.del(`${url}/bot`)).status).toBe(204);
    expect((await s.get(`${url}/bot`)).status).toBe(404);
    expect((await s.get('/api/v2/flags/shop/bot')).status).toBe(404);
    expect((await s.get('/sdk/latest-all', { token: sdkKey })).body.flags.bot).toBeUndefined();
    expect(await s.store.db.selectFrom('ai_config_variations').selectAll().execute()).toEqual([]);
    const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/shop:aiconfig/bot')}`)).body.items[0];
    expect(entry).toMatchObject({ kind: 'aiconfig', title: expect.stringContaining('deleted the AI Config Bot') });

    expect((await s.post(url, { key: 'bot', name: 'Bot again' })).status).toBe(201);
    expect((await s.get(`${url}/bot`)).body).toMatchObject({ name: 'Bot again', version: 1, variations: [] });
  });
});
