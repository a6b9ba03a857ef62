// createBigSegmentExport: 200 with no body and a Location naming the export; the export is complete at once, its file
// the included keys (one a line, no header, quoted when a key needs it; excluded keys left out) as of that moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = 1_700_000_000_000;

describe('createBigSegmentExport', () => {
  let s: TestServer;
  const big = '/api/v2/segments/shop/production/big';
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    expect((await s.post('/api/v2/segments/shop/production', { key: 'big', name: 'Big', unbounded: true })).status).toBe(201);
    await s.post(`${big}/contexts`, { included: { add: ['user-b', 'user-a', 'with,comma', 'say "hi"'] }, excluded: { add: ['banned'] } });
  });
  afterAll(() => s.close());

  it('200 without a body; the Location export is complete and its file is the included keys', async () => {
    const res = await s.post(`${big}/exports`, undefined);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const location = res.headers.location as string;
    expect(location).toMatch(/^\/api\/v2\/segments\/shop\/production\/big\/exports\/[0-9a-f]{24}$/);
    const csv = 'say "hi"\nuser-a\nuser-b\n"with,comma"\n'.replace('say "hi"', '"say ""hi"""');
    const exported = (await s.get(location)).body;
    expect(exported).toMatchObject({ segmentKey: 'big', creationTime: NOW, status: 'complete', sizeBytes: Buffer.byteLength(csv), size: `${Buffer.byteLength(csv)} B` });
    const file = await s.get(exported._links.download.href);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="big-${exported.id}.csv"`);
    expect(file.body).toBe(csv);
  });

  it('a later change does not change an earlier export; an empty big segment exports an empty file; audited', async () => {
    const first = (await s.post(`${big}/exports`, undefined)).headers.location as string;
    await s.post(`${big}/contexts`, { included: { add: ['user-c'] } });
    const second = (await s.post(`${big}/exports`, undefined)).headers.location as string;
    expect((await s.get(`${first}/download`)).body).not.toContain('user-c');
    expect((await s.get(`${second}/download`)).body).toContain('user-c\n');
    await s.post('/api/v2/segments/shop/production', { key: 'empty', name: 'Empty', unbounded: true });
    const empty = (await s.post('/api/v2/segments/shop/production/empty/exports', undefined)).headers.location as string;
    expect((await s.get(empty)).body).toMatchObject({ sizeBytes: 0, size: '0 B', status: 'complete' });
    expect((await s.get(`${empty}/download`)).body).toBe('');
    const entries = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/shop:env/production:segment/big')}`)).body.items;
    expect(entries.some((e: { title?: string; description?: string }) => JSON.stringify(e).includes('exported the big segment Big'))).toBe(true);
  });
});
