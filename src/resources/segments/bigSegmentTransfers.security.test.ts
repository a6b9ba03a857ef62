// Who may export and import big segments: every token must be valid; readers read exports, their files and imports
// and may export (an export shows what reading the segment does) but not import; a custom role needs viewProject to
// read or export, and updateIncluded on the segment to import (a replace removes included keys too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { projectRoleToken } from '../../../test/support/roleTokens.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { formUpload } from '../../../test/support/upload.js';

describe('big segment exports and imports: security', () => {
  let s: TestServer;
  const big = '/api/v2/segments/shop/production/big';
  let exported: string;
  let imported: string;
  const upload = (token: string | null, path = big) => s.request('POST', `${path}/imports`, { ...formUpload([{ name: 'file', value: 'u1\n', filename: 'k.csv' }]), token });
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/segments/shop/production', { key: 'big', name: 'Big', unbounded: true });
    await s.post('/api/v2/segments/other/production', { key: 'big', name: 'Theirs', unbounded: true });
    exported = (await s.post(`${big}/exports`, undefined)).headers.location as string;
    imported = (await upload(s.tokens.admin)).headers.location as string;
  });
  afterAll(() => s.close());

  const reads = (token: string | null) => [() => s.get(exported, { token }), () => s.get(`${exported}/download`, { token }), () => s.get(imported, { token })];

  it('401 without a valid token; readers read and export, writers import', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [...reads(token), () => s.post(`${big}/exports`, undefined, { token }), () => upload(token)]) await expectRefused(s.store, send, 401, 'unauthorized');
    }
    for (const send of reads(s.tokens.reader)) expect((await send()).status).toBe(200);
    expect((await s.post(`${big}/exports`, undefined, { token: s.tokens.reader })).status).toBe(200);
    await expectRefused(s.store, () => upload(s.tokens.reader), 403, 'forbidden');
    expect((await upload(s.tokens.writer)).status).toBe(204);
  });

  it('custom roles: viewProject reads and exports; updateIncluded on the segment imports', async () => {
    const viewer = await projectRoleToken(s, 'shop', 'proj/shop:env/*:segment/*', []);
    for (const send of reads(viewer)) expect((await send()).status).toBe(200);
    expect((await s.post(`${big}/exports`, undefined, { token: viewer })).status).toBe(200);
    await expectRefused(s.store, () => upload(viewer), 403, 'forbidden', /updateIncluded on proj\/shop:env\/production:segment\/big/);
    const excluder = await projectRoleToken(s, 'shop', 'proj/shop:env/*:segment/*', ['updateExcluded']);
    await expectRefused(s.store, () => upload(excluder), 403, 'forbidden');
    const includer = await projectRoleToken(s, 'shop', 'proj/shop:env/production:segment/big', ['updateIncluded']);
    expect((await upload(includer)).status).toBe(204);
    // Nothing of another project.
    await expectRefused(s.store, () => upload(includer, '/api/v2/segments/other/production/big'), 403, 'forbidden');
    await expectRefused(s.store, () => s.post('/api/v2/segments/other/production/big/exports', undefined, { token: includer }), 403, 'forbidden');
  });

  it("one project's exports and imports are not found through another project's paths", async () => {
    const id = (path: string) => path.split('/').pop();
    await expectRefused(s.store, () => s.get(`/api/v2/segments/other/production/big/exports/${id(exported)}`), 404, 'not_found');
    await expectRefused(s.store, () => s.get(`/api/v2/segments/other/production/big/exports/${id(exported)}/download`), 404, 'not_found');
    await expectRefused(s.store, () => s.get(`/api/v2/segments/other/production/big/imports/${id(imported)}`), 404, 'not_found');
  });
});
