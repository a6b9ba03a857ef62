// getBigSegmentImport: the Import as LaunchDarkly documents it (id, segmentKey, creationTime, mode, status, files,
// _links), with iterlab's counts of what it did and the member who asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { formUpload } from '../../../test/support/upload.js';

const NOW = 1_700_000_000_000;

describe('getBigSegmentImport', () => {
  let s: TestServer;
  const big = '/api/v2/segments/shop/production/big';
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/segments/shop/production', { key: 'big', name: 'Big', unbounded: true });
  });
  afterAll(() => s.close());

  it('every documented field', async () => {
    const location = (await s.request('POST', `${big}/imports`, formUpload([{ name: 'file', value: 'a\nb\nc\n', filename: 'bigsegimport.csv' }, { name: 'mode', value: 'replace' }]))).headers.location as string;
    const res = await s.get(location);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: location.split('/').pop(),
      segmentKey: 'big',
      creationTime: NOW,
      mode: 'replace',
      status: 'complete',
      files: [{ filename: 'bigsegimport.csv', status: 'complete' }],
      keyCount: 3,
      addedCount: 3,
      removedCount: 0,
      initiator: { name: 'iterlab Owner', email: 'owner@iterlab.local' },
      _links: { self: { href: location, type: 'application/json' }, parent: { href: big, type: 'application/json' } },
    });
  });
});
