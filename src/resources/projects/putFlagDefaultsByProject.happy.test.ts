import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../http/context.js';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const PAYLOAD = {
  tags: ['web', 'team-a'],
  temporary: false,
  booleanDefaults: { trueDisplayName: 'On', falseDisplayName: 'Off', trueDescription: 'serve true', falseDescription: 'serve false', onVariation: 1, offVariation: 0 },
  defaultClientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true },
};

describe('putFlagDefaultsByProject: happy path', () => {
  let s: TestServer;
  const notices: (ChangeNotice | null)[] = [];
  beforeAll(async () => {
    s = await startServer();
    s.bus.subscribe((notice) => notices.push(notice));
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Plain', key: 'plain' });
  });
  afterAll(() => s.close());

  it('replaces the defaults, answering an upsertPayloadRep; the project takes the client-side availability', async () => {
    const project = await s.get('/api/v2/projects/shop');
    const res = await s.put('/api/v2/projects/shop/flag-defaults', PAYLOAD);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      _links: { parent: { href: '/api/v2/projects/shop', type: 'application/json' }, self: { href: '/api/v2/projects/shop/flag-defaults', type: 'application/json' } },
      ...PAYLOAD,
    });
    expect((await s.get('/api/v2/projects/shop/flag-defaults')).body).toEqual(res.body);
    const after = await s.get('/api/v2/projects/shop');
    expect(after.body).toEqual({ ...project.body, includeInSnippetByDefault: true, defaultClientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true } });
    expect(notices).toContainEqual({ kind: 'project', projectId: project.body._id });
    // Another project keeps LaunchDarkly's defaults.
    expect((await s.get('/api/v2/projects/plain/flag-defaults')).body.tags).toEqual([]);
  });

  it('records one audit entry, updateProjectFlagDefaults on the project, with the defaults before and after', async () => {
    const entries = await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', 'proj/shop').orderBy('date', 'desc').orderBy('id', 'desc').execute();
    const entry = JSON.parse(entries[0].doc);
    expect(entry).toMatchObject({ kind: 'project', action: 'updateProjectFlagDefaults', name: 'Shop', description: 'updated the flag defaults of the project Shop', delta: PAYLOAD });
    expect(entry.before).toMatchObject({ tags: [], temporary: true, defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false } });
    expect(entry.after).toMatchObject(PAYLOAD);
  });

  it('a new flag takes from the defaults what its create omits', async () => {
    const res = await s.post('/api/v2/flags/shop', { name: 'Dark mode', key: 'dark-mode' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'boolean',
      tags: ['web', 'team-a'],
      temporary: false,
      defaults: { onVariation: 1, offVariation: 0 },
      clientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true },
      includeInSnippet: true,
    });
    expect(res.body.variations.map(({ _id, valueHash: _hash, ...v }: { _id: string; valueHash: string }) => v)).toEqual([
      { value: true, name: 'On', description: 'serve true' },
      { value: false, name: 'Off', description: 'serve false' },
    ]);
    for (const env of Object.values(res.body.environments) as { fallthrough: unknown; offVariation: number }[]) {
      expect(env.fallthrough).toEqual({ variation: 1 });
      expect(env.offVariation).toBe(0);
    }
  });

  it('what the create gives wins; given variations serve their first and last, unnamed', async () => {
    const given = await s.post('/api/v2/flags/shop', {
      name: 'Given',
      key: 'given',
      tags: [],
      temporary: true,
      clientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false },
      defaults: { onVariation: 0, offVariation: 1 },
    });
    expect(given.body).toMatchObject({ tags: [], temporary: true, defaults: { onVariation: 0, offVariation: 1 }, clientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false } });
    expect(given.body.variations.map((v: { name?: string }) => v.name)).toEqual(['On', 'Off']);
    const pair = await s.post('/api/v2/flags/shop', { name: 'Pair', key: 'pair', variations: [{ value: false }, { value: true }] });
    expect(pair.body.defaults).toEqual({ onVariation: 0, offVariation: 1 });
    expect(pair.body.variations.map(({ _id, valueHash: _hash, ...v }: { _id: string; valueHash: string }) => v)).toEqual([{ value: false }, { value: true }]);
    const snippet = await s.post('/api/v2/flags/shop', { name: 'Snippet', key: 'snippet', includeInSnippet: false });
    expect(snippet.body.clientSideAvailability).toEqual({ usingMobileKey: false, usingEnvironmentId: false });
  });

  it('a clone copies its source, not the defaults', async () => {
    const clone = await s.post('/api/v2/flags/shop?clone=given', { name: 'Copy', key: 'copy' });
    expect(clone.status).toBe(201);
    expect(clone.body).toMatchObject({ tags: [], temporary: true, defaults: { onVariation: 0, offVariation: 1 }, clientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false } });
  });

  it('empty display names and descriptions leave the variations unnamed', async () => {
    const res = await s.put('/api/v2/projects/plain/flag-defaults', { ...PAYLOAD, booleanDefaults: { ...PAYLOAD.booleanDefaults, trueDisplayName: '', falseDisplayName: '', trueDescription: '', falseDescription: '' } });
    expect(res.status).toBe(200);
    const flag = await s.post('/api/v2/flags/plain', { name: 'Bare', key: 'bare' });
    expect(flag.body.variations.map(({ _id, valueHash: _hash, ...v }: { _id: string; valueHash: string }) => v)).toEqual([{ value: true }, { value: false }]);
  });

  it('the same defaults again write nothing; members the payload does not define are not kept', async () => {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.put('/api/v2/projects/shop/flag-defaults', { ...PAYLOAD, key: 'x', booleanDefaults: { ...PAYLOAD.booleanDefaults, extra: 1 } })))).toBe(false);
    expect(res!.status).toBe(200);
    expect(res!.body.key).toBeUndefined();
    expect(res!.body.booleanDefaults).toEqual(PAYLOAD.booleanDefaults);
  });
});
