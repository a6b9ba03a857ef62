import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../http/context.js';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchFlagDefaultsByProject: happy path', () => {
  let s: TestServer;
  const notices: (ChangeNotice | null)[] = [];
  const path = '/api/v2/projects/shop/flag-defaults';
  beforeAll(async () => {
    s = await startServer();
    s.bus.subscribe((notice) => notices.push(notice));
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it("patches LaunchDarkly's defaults member by member, answering an upsertPayloadRep", async () => {
    const res = await s.patch(path, [
      { op: 'replace', path: '/temporary', value: false },
      { op: 'add', path: '/tags/-', value: 'web' },
      { op: 'replace', path: '/booleanDefaults/trueDisplayName', value: 'Enabled' },
      { op: 'replace', path: '/booleanDefaults/falseDescription', value: 'the old way' },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      _links: { parent: { href: '/api/v2/projects/shop', type: 'application/json' }, self: { href: path, type: 'application/json' } },
      tags: ['web'],
      temporary: false,
      booleanDefaults: { trueDisplayName: 'Enabled', falseDisplayName: 'False', trueDescription: '', falseDescription: 'the old way', onVariation: 0, offVariation: 1 },
      defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false },
    });
    expect((await s.get(path)).body).toEqual(res.body);
    const project = await s.get('/api/v2/projects/shop');
    expect(notices).toContainEqual({ kind: 'project', projectId: project.body._id });

    const flag = await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
    expect(flag.body).toMatchObject({ tags: ['web'], temporary: false });
    expect(flag.body.variations.map(({ _id, valueHash: _hash, ...v }: { _id: string; valueHash: string }) => v)).toEqual([
      { value: true, name: 'Enabled' },
      { value: false, name: 'False', description: 'the old way' },
    ]);
  });

  it("the client-side availability is the project's: includeInSnippetByDefault follows usingEnvironmentId", async () => {
    const res = await s.patch(path, [{ op: 'replace', path: '/defaultClientSideAvailability', value: { usingMobileKey: false, usingEnvironmentId: true } }]);
    expect(res.status).toBe(200);
    expect((await s.get('/api/v2/projects/shop')).body).toMatchObject({ includeInSnippetByDefault: true, defaultClientSideAvailability: { usingMobileKey: false, usingEnvironmentId: true } });
    expect((await s.post('/api/v2/flags/shop', { name: 'G', key: 'g' })).body.clientSideAvailability).toEqual({ usingMobileKey: false, usingEnvironmentId: true });
  });

  it('takes {comment, patch}, recording the comment and the operations in the audit log', async () => {
    const ops = [{ op: 'replace', path: '/booleanDefaults/onVariation', value: 1 }, { op: 'replace', path: '/booleanDefaults/offVariation', value: 0 }];
    const res = await s.patch(path, { comment: 'serve false when on', patch: ops });
    expect(res.status).toBe(200);
    expect(res.body.booleanDefaults).toMatchObject({ onVariation: 1, offVariation: 0 });
    const [row] = await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', 'proj/shop').orderBy('date', 'desc').orderBy('id', 'desc').limit(1).execute();
    expect(JSON.parse(row.doc)).toMatchObject({ action: 'updateProjectFlagDefaults', comment: 'serve false when on', delta: ops, before: { booleanDefaults: { onVariation: 0 } }, after: { booleanDefaults: { onVariation: 1 } } });
    const flag = await s.post('/api/v2/flags/shop', { name: 'H', key: 'h' });
    expect(flag.body.defaults).toEqual({ onVariation: 1, offVariation: 0 });
    expect(flag.body.environments.production).toMatchObject({ fallthrough: { variation: 1 }, offVariation: 0 });
  });

  it('a patch that changes nothing (or only tests) writes nothing', async () => {
    let res: Response | undefined;
    const ops = [{ op: 'test', path: '/temporary', value: false }, { op: 'replace', path: '/tags', value: ['web'] }, { op: 'test', path: '/_links/self/href', value: path }];
    expect(await changedBy(s.store, async () => (res = await s.patch(path, ops)))).toBe(false);
    expect(res!.status).toBe(200);
    expect(res!.body.tags).toEqual(['web']);
  });
});
