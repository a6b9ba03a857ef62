import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('patchProject: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop', tags: ['a'] });
  });
  afterAll(() => s.close());

  it('changes name, tags and client-side defaults, answering a ProjectRep with its environments', async () => {
    const res = await s.patch('/api/v2/projects/shop', [
      { op: 'replace', path: '/name', value: 'Web shop' },
      { op: 'add', path: '/tags/-', value: 'b' },
      { op: 'replace', path: '/defaultClientSideAvailability/usingEnvironmentId', value: true },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'shop', name: 'Web shop', tags: ['a', 'b'], includeInSnippetByDefault: true, defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: true } });
    expect(res.body.environments.map((e: { key: string }) => e.key)).toEqual(['production', 'test']);
    expect((await s.get('/api/v2/projects/shop')).body.name).toBe('Web shop');
  });

  it('keeps includeInSnippetByDefault and usingEnvironmentId in step, whichever is patched', async () => {
    const res = await s.patch('/api/v2/projects/shop', { comment: 'hide', patch: [{ op: 'replace', path: '/includeInSnippetByDefault', value: false }] });
    expect(res.body.defaultClientSideAvailability.usingEnvironmentId).toBe(false);
  });

  it('a patch that changes nothing (or only tests) writes nothing', async () => {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch('/api/v2/projects/shop', [{ op: 'test', path: '/name', value: 'Web shop' }, { op: 'replace', path: '/key', value: 'shop' }])))).toBe(false);
    expect(res!.status).toBe(200);
  });

  it("takes Terraform's views settings: false until set, sending false changes nothing, true is kept and shown", async () => {
    expect((await s.get('/api/v2/projects/shop')).body).toMatchObject({ requireViewAssociationForNewFlags: false, requireViewAssociationForNewSegments: false });
    // The provider's create sends both, false, after postProject.
    const off = [
      { op: 'replace', path: '/requireViewAssociationForNewFlags', value: false },
      { op: 'replace', path: '/requireViewAssociationForNewSegments', value: false },
    ];
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch('/api/v2/projects/shop', off)))).toBe(false);
    expect(res!.status).toBe(200);
    const on = await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/requireViewAssociationForNewSegments', value: true }]);
    expect(on.body).toMatchObject({ requireViewAssociationForNewFlags: false, requireViewAssociationForNewSegments: true });
    expect((await s.get('/api/v2/projects/shop')).body.requireViewAssociationForNewSegments).toBe(true);
    expect((await s.patch('/api/v2/projects/shop', off)).body.requireViewAssociationForNewSegments).toBe(false);
  });
});
