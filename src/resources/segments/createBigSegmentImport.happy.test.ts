// createBigSegmentImport: a CSV upload (multipart/form-data, as the official client sends it) applied to the big
// segment's included targets: merge adds, replace makes the file the included keys; excluded keys stay; 204 with a
// Location naming the import; the SDK-facing membership reads see the change at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { formUpload } from '../../../test/support/upload.js';

describe('createBigSegmentImport', () => {
  let s: TestServer;
  const big = '/api/v2/segments/shop/production/big';
  const upload = (csv: string, mode?: string, filename = 'keys.csv') =>
    s.request('POST', `${big}/imports`, formUpload([{ name: 'file', value: csv, filename }, ...(mode ? [{ name: 'mode', value: mode }] : [])]));
  const member = async (key: string) => (await s.get(`${big}/contexts/${encodeURIComponent(key)}`)).body;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/segments/shop/production', { key: 'big', name: 'Big', unbounded: true });
    await s.post(`${big}/contexts`, { included: { add: ['old-1', 'old-2'] }, excluded: { add: ['banned'] } });
  });
  afterAll(() => s.close());

  it('merge adds the keys of the first column (other columns, quotes, CRLF and blank lines read as CSV)', async () => {
    const res = await upload('new-1,Alice\r\n"new,2",Bob\r\n\r\nold-1\r\nnew-1\r\n', 'merge');
    expect(res.status).toBe(204);
    expect(res.headers.location).toMatch(/^\/api\/v2\/segments\/shop\/production\/big\/imports\/[0-9a-f]{24}$/);
    for (const key of ['old-1', 'old-2', 'new-1', 'new,2']) expect((await member(key)).included).toBe(true);
    const imported = (await s.get(res.headers.location as string)).body;
    expect(imported).toMatchObject({ mode: 'merge', status: 'complete', files: [{ filename: 'keys.csv', status: 'complete' }], keyCount: 3, addedCount: 2, removedCount: 0 });
  });

  it('replace makes the file the included keys; the excluded keys are left alone', async () => {
    const res = await upload('old-2\nfresh\n', 'replace', 'replace.csv');
    expect(res.status).toBe(204);
    expect((await member('old-1')).included).toBe(false);
    expect((await member('new-1')).included).toBe(false);
    expect((await member('old-2')).included).toBe(true);
    expect((await member('fresh')).included).toBe(true);
    expect(await member('banned')).toMatchObject({ included: false, excluded: true });
    expect((await s.get(res.headers.location as string)).body).toMatchObject({ mode: 'replace', keyCount: 2, addedCount: 1, removedCount: 3 });
    const file = (await s.get(`${(await s.post(`${big}/exports`, undefined)).headers.location}/download`)).body;
    expect(file).toBe('fresh\nold-2\n');
  });

  it('without a mode the file is merged; an export imported back is the same segment; audited as an update of the segment', async () => {
    expect((await upload('merged\n')).status).toBe(204);
    expect((await member('merged')).included).toBe(true);
    const file = (await s.get(`${(await s.post(`${big}/exports`, undefined)).headers.location}/download`)).body as string;
    const again = await upload(file, 'replace');
    expect((await s.get(again.headers.location as string)).body).toMatchObject({ keyCount: 3, addedCount: 0, removedCount: 0 });
    const entries = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/shop:env/production:segment/big')}`)).body.items;
    expect(JSON.stringify(entries)).toContain('from the file keys.csv (merge)');
  });
});
