// Deleting an AI tool: 204; the tool and every version of it are gone (its key may be used again, from version 1);
// audited with the tool as it was. Deleting its project deletes its tools.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteAITool', () => {
  let s: TestServer;
  const tools = '/api/v2/projects/shop/ai-tools';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('204; the tool and its versions are gone, and the key starts over at version 1', async () => {
    expect((await s.post(tools, { key: 'notify', schema: { type: 'object' } })).status).toBe(201);
    expect((await s.patch(`${tools}/notify`, { description: 'Notify on-call' })).body.version).toBe(2);
    const res = await s.del(`${tools}/notify`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(`${tools}/notify`)).status).toBe(404);
    expect((await s.get(`${tools}/notify/versions`)).status).toBe(404);
    expect(await s.store.db.selectFrom('ai_tool_versions').selectAll().execute()).toEqual([]);
    const again = await s.post(tools, { key: 'notify', schema: {} });
    expect(again.body.version).toBe(1);
    expect((await s.get(`${tools}/notify/versions`)).body.totalCount).toBe(1);
  });

  it('audited as deleteAITool with the tool as it was', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:ai-tool/notify')).body.items;
    const deleted = (await s.get(`/api/v2/auditlog/${entries[1]._id}`)).body;
    expect(deleted).toMatchObject({ kind: 'ai-tool', title: expect.stringContaining('deleted the AI tool notify') });
    expect(deleted.previousVersion).toMatchObject({ key: 'notify', description: 'Notify on-call', version: 2 });
  });

  it("deleting the project deletes its tools and their versions", async () => {
    // The account's last project cannot be deleted.
    expect((await s.post('/api/v2/projects', { key: 'kept', name: 'Kept' })).status).toBe(201);
    expect((await s.del('/api/v2/projects/shop')).status).toBe(204);
    expect(await s.store.db.selectFrom('ai_tools').selectAll().execute()).toEqual([]);
    expect(await s.store.db.selectFrom('ai_tool_versions').selectAll().execute()).toEqual([]);
  });
});
