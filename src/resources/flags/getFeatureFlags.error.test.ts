import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlags: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  async function expect400(query: string, attribute: string, reason: RegExp) {
    const res = await s.get(`/api/v2/flags/shop?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors[0].attribute).toBe(attribute);
    expect(res.body.errors[0].reason).toMatch(reason);
    expect(res.body.message).toContain(attribute);
  }

  it('404 naming the project', async () => {
    const res = await s.get('/api/v2/flags/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('404 naming an unknown environment', async () => {
    const res = await s.get('/api/v2/flags/shop?filter=filterEnv:moon');
    expect(res.status).toBe(404);
    expect(res.body.message).toBe('Environment "moon" in project "shop" not found');
  });

  it('400 for bad paging, filter, sort and boolean parameters', async () => {
    await expect400('limit=0', 'limit', /1/);
    await expect400('offset=-1', 'offset', /0/);
    await expect400('limit=ten', 'limit', /integer/);
    await expect400('filter=colour:red', 'filter', /unknown filter field "colour"/);
    await expect400('filter=query', 'filter', /field:value/);
    await expect400('filter=state:gone', 'filter', /live, deprecated or archived/);
    await expect400('filter=type:forever', 'filter', /temporary or permanent/);
    await expect400('filter=archived:maybe', 'filter', /true or false/);
    await expect400('filter=sdkAvailability:tv', 'filter', /client, mobile/);
    await expect400('filter=creationDate:yesterday', 'filter', /JSON object/);
    // A misspelt or non-object range would otherwise keep every flag.
    await expect400(`filter=${encodeURIComponent('creationDate:{"befor":1690527600000}')}`, 'filter', /"before" and "after".*not "befor"/);
    await expect400('filter=creationDate:null', 'filter', /JSON object/);
    await expect400('filter=creationDate:5', 'filter', /JSON object/);
    await expect400('sort=colour', 'sort', /cannot sort by "colour"/);
    await expect400('summary=perhaps', 'summary', /true or false/);
    await expect400('compare=maybe', 'compare', /true or false/);
    await expect400('archived=perhaps', 'archived', /true or false/);
  });
});
