// getBigSegmentExport: the Export as LaunchDarkly documents it: id, segmentKey, creationTime, status, sizeBytes, size,
// initiator (the member who asked), and _links (self, parent, download).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = 1_700_000_000_000;

describe('getBigSegmentExport', () => {
  let s: TestServer;
  const big = '/api/v2/segments/shop/production/big';
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/segments/shop/production', { key: 'big', name: 'Big', unbounded: true });
    await s.post(`${big}/contexts`, { included: { add: Array.from({ length: 200 }, (_, i) => `user-${String(i).padStart(4, '0')}`) } });
  });
  afterAll(() => s.close());

  it('every documented field', async () => {
    const location = (await s.post(`${big}/exports`, undefined)).headers.location as string;
    const id = location.split('/').pop();
    const res = await s.get(location);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id,
      segmentKey: 'big',
      creationTime: NOW,
      status: 'complete',
      sizeBytes: 2000,
      size: '2.0 KB',
      initiator: { name: 'iterlab Owner', email: 'owner@iterlab.local' },
      _links: {
        self: { href: location, type: 'application/json' },
        parent: { href: big, type: 'application/json' },
        download: { href: `${location}/download`, type: 'text/csv' },
      },
    });
  });
});
