// Recording the contexts of events payloads: payloads that share contexts at once (on PostgreSQL, rows locked in
// different orders deadlock), and contexts that cannot be recorded (their events are still stored).
import { describe, expect, it } from 'vitest';
import { NOW } from '../../../test/support/contexts.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer } from '../../../test/support/server.js';

describe('recording contexts with the events', () => {
  it('eight payloads at once, sharing 300 contexts in opposite orders: every one is stored', async () => {
    const s = await startServer({ now: () => NOW });
    try {
      await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
      const token = await sdkKeyOf(s, 'shop');
      const contexts = Array.from({ length: 300 }, (_, i) => ({ kind: 'multi', user: { key: `u${i}` }, org: { key: `o${i % 7}` } }));
      const payload = (i: number) => (i % 2 === 0 ? contexts : [...contexts].reverse()).map((context, j) => ({ kind: 'index', creationDate: NOW - 1_000 + i + j, context }));
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => s.request('POST', '/bulk', { body: payload(i), token })));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
      expect((await s.post('/api/v2/projects/shop/environments/production/context-instances/search', {})).body.totalCount).toBe(300);
      expect((await s.store.db.selectFrom('sdk_events').select('id').execute()).length).toBe(8 * 300);
    } finally {
      await s.close();
    }
  });

  it('a context with an over-long key, an invalid kind, or a multi-context with a part that is no context is not recorded; its events are', async () => {
    const s = await startServer({ now: () => NOW });
    try {
      await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
      const token = await sdkKeyOf(s, 'shop');
      const odd = [
        { kind: 'user', key: 'k'.repeat(3_000) },
        { kind: 'multi', user: { key: 'u' }, org: { key: 'o'.repeat(3_000) } },
        { kind: 'a:b', key: 'c' },
        { kind: 'multi', user: { key: 'u' }, multi: { key: 'm' } },
        { kind: 'multi', user: { key: 'u' }, org: 'acme' },
        { kind: 'k'.repeat(3_000), key: 'x' },
      ];
      const res = await s.request('POST', '/bulk', { body: odd.map((context) => ({ kind: 'index', creationDate: NOW - 1, context })), token, headers: { 'X-LaunchDarkly-Tags': `application-id/${'x'.repeat(6_000)}` } });
      expect(res.status).toBe(202);
      expect((await s.post('/api/v2/projects/shop/environments/production/context-instances/search', {})).body.items).toEqual([]);
      expect((await s.store.db.selectFrom('sdk_events').select('id').execute()).length).toBe(odd.length);
      // Nor are their kinds added (the valid kinds of refused contexts are: a kind is in use once sent).
      expect((await s.get('/api/v2/projects/shop/context-kinds')).body.items.map((k: { key: string }) => k.key).sort()).toEqual(['org', 'user']);
      // A long application id is cut to 256 characters.
      await s.request('POST', '/bulk', { body: [{ kind: 'index', creationDate: NOW - 1, context: { key: 'sandy' } }], token, headers: { 'X-LaunchDarkly-Tags': `application-id/${'x'.repeat(6_000)}` } });
      const [record] = (await s.get('/api/v2/projects/shop/environments/production/contexts/user/sandy')).body.items;
      expect(record.applicationId).toBe('x'.repeat(256));
    } finally {
      await s.close();
    }
  });

  it('the searches read every record, a page of 2,000 at a time: none is skipped or read twice', async () => {
    const s = await startServer({ now: () => NOW });
    try {
      await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
      const token = await sdkKeyOf(s, 'shop');
      const events = Array.from({ length: 4_500 }, (_, i) => ({ kind: 'index', creationDate: NOW - 10_000 + i, context: { key: `u-${i}`, n: i } }));
      expect((await s.request('POST', '/bulk', { body: events, token })).status).toBe(202);
      // The same users from a second application: 9,000 records.
      expect((await s.request('POST', '/bulk', { body: events, token, headers: { 'user-agent': 'Other/1.0' } })).status).toBe(202);
      const search = (filter?: string) => s.post('/api/v2/projects/shop/environments/production/context-instances/search', filter ? { filter } : {});
      expect((await search()).body.totalCount).toBe(9_000);
      expect((await search('applicationId equals "Other/1.0"')).body.totalCount).toBe(4_500);
      const names = (await s.get('/api/v2/projects/shop/environments/production/context-attributes')).body.items;
      expect(names).toEqual([{ kind: 'user', names: [{ name: '/key', weight: 4_500 }, { name: '/n', weight: 4_500 }] }]);
    } finally {
      await s.close();
    }
  });
});
