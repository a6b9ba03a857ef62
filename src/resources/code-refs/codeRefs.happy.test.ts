// Code references as ld-find-code-refs reports them: a repository made (or merge-patched) before each run, a branch
// PUT with the references found, extinctions posted, branches gone from the remote pruned; then what LaunchDarkly's
// UI and API read back: repositories (with branches or the default branch's references), a branch, extinctions, and
// statistics per project and flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collateLinguistically } from '../../../test/support/collation.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const REPOS = '/api/v2/code-refs/repositories';
const link = (href: string) => ({ href, type: 'application/json' });

/** A branch as ld-find-code-refs PUTs it (its Go struct: commitTime, contentHash on hunks, no hint). */
function branch(name: string, head: string, updateSequenceId: number | undefined, references: unknown[]): Record<string, unknown> {
  return { name, head, ...(updateSequenceId !== undefined ? { updateSequenceId } : {}), syncTime: 1_700_000_000_000, references, commitTime: '2026-12-01T10:00:00Z' };
}
const hunk = (flagKey: string, startingLineNumber: number, projKey = 'shop') => ({ startingLineNumber, lines: `if (ld.variation('${flagKey}'))`, projKey, flagKey, aliases: ['alias'], contentHash: 'abc123' });

describe('Code references', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it("postRepository: 200 with the repository, LaunchDarkly's defaults filled in; 404 before it exists", async () => {
    expect((await s.get(`${REPOS}/web`)).status).toBe(404);
    // ld-find-code-refs' first run: GET (404), then POST its RepoParams, empty strings and all.
    const res = await s.post(REPOS, { type: 'custom', name: 'web', sourceLink: '', commitUrlTemplate: '', hunkUrlTemplate: '', defaultBranch: '' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: 'web', sourceLink: '', commitUrlTemplate: '', hunkUrlTemplate: '', type: 'custom', defaultBranch: 'main', enabled: true, version: 1, _links: { self: link(`${REPOS}/web`) } });
    expect((await s.get(`${REPOS}/web`)).body).toEqual(res.body);
    const github = await s.post(REPOS, { name: 'LaunchDarkly-Docs', sourceLink: 'https://github.com/launchdarkly/LaunchDarkly-Docs', type: 'github', defaultBranch: 'trunk' });
    expect(github.body).toMatchObject({ type: 'github', defaultBranch: 'trunk', sourceLink: 'https://github.com/launchdarkly/LaunchDarkly-Docs' });
  });

  it('patchRepository: the bare merge patch ld-find-code-refs sends, a JSON Patch, and turning scanning off; each moves version on', async () => {
    const merged = await s.patch(`${REPOS}/web`, { sourceLink: 'https://git.example.com/web' });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ sourceLink: 'https://git.example.com/web', version: 2 });
    const patched = await s.patch(`${REPOS}/web`, [{ op: 'replace', path: '/defaultBranch', value: 'main' }, { op: 'replace', path: '/hunkUrlTemplate', value: 'https://git.example.com/web/${sha}/${filePath}#L${lineNumber}' }]);
    expect(patched.body).toMatchObject({ defaultBranch: 'main', hunkUrlTemplate: 'https://git.example.com/web/${sha}/${filePath}#L${lineNumber}', version: 3 });
    // Nothing changed: the same version, no audit entry.
    const entries = (await s.get('/api/v2/auditlog?limit=50')).body.items.length;
    expect((await s.patch(`${REPOS}/web`, { defaultBranch: 'main' })).body.version).toBe(3);
    expect((await s.get('/api/v2/auditlog?limit=50')).body.items.length).toBe(entries);
    const off = await s.patch(`${REPOS}/LaunchDarkly-Docs`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, version: 2 });
    const entry = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    expect((await s.get(`/api/v2/auditlog/${entry._id}`)).body).toMatchObject({ kind: 'code-reference-repository', accesses: [{ action: 'updateCodeRefsRepositoryOn', resource: 'code-reference-repository/LaunchDarkly-Docs' }] });
  });

  it('putBranch: the references stored (without contentHash, commitTime in ms); getBranch filters by project and flag', async () => {
    const put = await s.put(`${REPOS}/web/branches/main`, branch('main', 'a94a8fe5', 25, [
      { path: 'src/index.js', hunks: [hunk('sort.order', 10), hunk('checkout', 40)] },
      { path: 'src/other.js', hint: 'javascript', hunks: [hunk('sort.order', 3), hunk('elsewhere', 7, 'other')] },
    ]));
    expect(put.status).toBe(200);
    const got = await s.get(`${REPOS}/web/branches/main`);
    expect(got.body).toEqual({
      name: 'main',
      head: 'a94a8fe5',
      updateSequenceId: 25,
      syncTime: 1_700_000_000_000,
      references: [
        { path: 'src/index.js', hunks: [{ startingLineNumber: 10, lines: "if (ld.variation('sort.order'))", projKey: 'shop', flagKey: 'sort.order', aliases: ['alias'] }, expect.objectContaining({ flagKey: 'checkout' })] },
        { path: 'src/other.js', hint: 'javascript', hunks: [expect.objectContaining({ flagKey: 'sort.order' }), expect.objectContaining({ flagKey: 'elsewhere', projKey: 'other' })] },
      ],
      _links: { self: link(`${REPOS}/web/branches/main`) },
    });
    const one = await s.get(`${REPOS}/web/branches/main?projKey=shop&flagKey=checkout`);
    expect(one.body.references).toEqual([{ path: 'src/index.js', hunks: [expect.objectContaining({ flagKey: 'checkout', startingLineNumber: 40 })] }]);
    // A branch name with a slash, escaped in the path as ld-find-code-refs escapes it.
    expect((await s.put(`${REPOS}/web/branches/${encodeURIComponent('feature/x')}`, branch('feature/x', 'b1', 1, []))).status).toBe(200);
    expect((await s.get(`${REPOS}/web/branches`)).body).toEqual({
      items: [
        { name: 'feature/x', head: 'b1', updateSequenceId: 1, syncTime: 1_700_000_000_000, _links: { self: link(`${REPOS}/web/branches/feature%2Fx`) } },
        { name: 'main', head: 'a94a8fe5', updateSequenceId: 25, syncTime: 1_700_000_000_000, _links: { self: link(`${REPOS}/web/branches/main`) } },
      ],
      _links: { self: link(`${REPOS}/web/branches`) },
    });
  });

  it('updateSequenceId: a lower or equal one is a 409 updateSequenceId_conflict and keeps the newer data; none always replaces', async () => {
    const older = await s.put(`${REPOS}/web/branches/main`, branch('main', 'old', 24, []));
    expect(older.status).toBe(409);
    expect(older.body).toEqual({ code: 'updateSequenceId_conflict', message: expect.stringContaining('updateSequenceId 24') });
    expect((await s.put(`${REPOS}/web/branches/main`, branch('main', 'same', 25, []))).status).toBe(409);
    expect((await s.get(`${REPOS}/web/branches/main`)).body.head).toBe('a94a8fe5');
    expect((await s.put(`${REPOS}/web/branches/feature%2Fx`, branch('feature/x', 'b2', undefined, []))).status).toBe(200);
    expect((await s.get(`${REPOS}/web/branches/feature%2Fx`)).body).not.toHaveProperty('updateSequenceId');
  });

  it('getRepositories: plain, withBranches, withReferencesForDefaultBranch, and filtered by project and flag', async () => {
    const plain = (await s.get(REPOS)).body;
    expect(plain._links).toEqual({ self: link(REPOS) });
    expect(plain.items.map((r: { name: string }) => r.name)).toEqual(['LaunchDarkly-Docs', 'web']);
    expect(plain.items[1]).not.toHaveProperty('branches');
    const withBranches = (await s.get(`${REPOS}?withBranches=true`)).body.items[1];
    expect(withBranches.branches.map((b: { name: string }) => b.name)).toEqual(['feature/x', 'main']);
    expect(withBranches.branches[0]).not.toHaveProperty('references');
    const withRefs = (await s.get(`${REPOS}?withReferencesForDefaultBranch=true`)).body.items;
    expect(withRefs[0].branches).toEqual([]);
    expect(withRefs[1].branches).toHaveLength(1);
    expect(withRefs[1].branches[0].references).toHaveLength(2);
    const filtered = (await s.get(`${REPOS}?withReferencesForDefaultBranch=true&projKey=shop&flagKey=checkout`)).body.items;
    expect(filtered.map((r: { name: string }) => r.name)).toEqual(['web']);
    expect(filtered[0].branches[0].references).toEqual([{ path: 'src/index.js', hunks: [expect.objectContaining({ flagKey: 'checkout' })] }]);
    expect((await s.get(`${REPOS}?flagKey=nowhere`)).body.items).toEqual([]);
    // As the spec says, "set to any value": even false; and projKey or flagKey alone bring the references too.
    expect((await s.get(`${REPOS}?withBranches=false`)).body.items[1].branches).toHaveLength(2);
    expect((await s.get(`${REPOS}?flagKey=checkout`)).body.items[0].branches[0].references).toEqual([{ path: 'src/index.js', hunks: [expect.objectContaining({ flagKey: 'checkout' })] }]);
  });

  it('statistics: per project, per flag, per repository: hunks and files in the default branch, and its commit time', async () => {
    const root = await s.get('/api/v2/code-refs/statistics');
    expect(root.body).toEqual({ projects: [link('/api/v2/code-refs/statistics/other'), link('/api/v2/code-refs/statistics/shop')], self: link('/api/v2/code-refs/statistics') });
    const stats = await s.get('/api/v2/code-refs/statistics/shop');
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      flags: {
        'sort.order': [{ name: 'web', type: 'custom', sourceLink: 'https://git.example.com/web', defaultBranch: 'main', enabled: true, version: 3, hunkCount: 2, fileCount: 2, _links: { self: link(`${REPOS}/web`) }, latestCommitTime: Date.parse('2026-12-01T10:00:00Z') }],
        checkout: [expect.objectContaining({ name: 'web', hunkCount: 1, fileCount: 1 })],
      },
      _links: { self: link('/api/v2/code-refs/statistics/shop') },
    });
    expect(Object.keys((await s.get('/api/v2/code-refs/statistics/shop?flagKey=checkout')).body.flags)).toEqual(['checkout']);
    expect((await s.get('/api/v2/code-refs/statistics/nope')).status).toBe(404);
  });

  it('extinctions: posted for a branch, read by flag newest first, filtered; branches pruned; a repository deleted takes all', async () => {
    const posted = await s.post(`${REPOS}/web/branches/main/extinction-events`, [
      { revision: 'r1', message: 'Remove flag for launched feature', time: 1_000, flagKey: 'old-flag', projKey: 'shop' },
      { revision: 'r2', message: 'Remove another', time: 2_000, flagKey: 'old-flag', projKey: 'shop' },
      { revision: 'r2', message: 'Remove another', time: 2_000, flagKey: 'gone', projKey: 'shop' },
    ]);
    expect(posted.status).toBe(200);
    const all = (await s.get('/api/v2/code-refs/extinctions')).body;
    expect(all).toEqual({
      items: {
        'old-flag': [
          { revision: 'r2', message: 'Remove another', time: 2_000, flagKey: 'old-flag', projKey: 'shop' },
          { revision: 'r1', message: 'Remove flag for launched feature', time: 1_000, flagKey: 'old-flag', projKey: 'shop' },
        ],
        gone: [{ revision: 'r2', message: 'Remove another', time: 2_000, flagKey: 'gone', projKey: 'shop' }],
      },
      _links: { self: link('/api/v2/code-refs/extinctions') },
    });
    expect(Object.keys((await s.get('/api/v2/code-refs/extinctions?flagKey=gone')).body.items)).toEqual(['gone']);
    expect((await s.get('/api/v2/code-refs/extinctions?from=0&to=1500')).body.items['old-flag'].map((e: { revision: string }) => e.revision)).toEqual(['r1']);
    expect((await s.get('/api/v2/code-refs/extinctions?from=1500&to=9999&repoName=web&branchName=main')).body.items['old-flag']).toHaveLength(1);
    // Another branch's extinctions: only when branchName names it (by default, each repository's default branch).
    expect((await s.post(`${REPOS}/web/branches/feature%2Fx/extinction-events`, [{ revision: 'f1', message: 'on a branch', time: 3_000, flagKey: 'branch-only', projKey: 'shop' }])).status).toBe(200);
    expect((await s.get('/api/v2/code-refs/extinctions')).body.items).not.toHaveProperty('branch-only');
    expect((await s.get('/api/v2/code-refs/extinctions?branchName=feature%2Fx')).body.items).toEqual({ 'branch-only': [expect.objectContaining({ revision: 'f1' })] });

    expect((await s.post(`${REPOS}/web/branch-delete-tasks`, ['feature/x', 'never-existed'])).status).toBe(200);
    expect((await s.get(`${REPOS}/web/branches`)).body.items.map((b: { name: string }) => b.name)).toEqual(['main']);

    expect((await s.del(`${REPOS}/web`)).status).toBe(204);
    expect((await s.get(`${REPOS}/web`)).status).toBe(404);
    expect((await s.get('/api/v2/code-refs/extinctions')).body.items).toEqual({});
    expect((await s.get('/api/v2/code-refs/statistics')).body.projects).toEqual([]);
  });
});

describe('Code references: order', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await collateLinguistically(s.store, [['code_ref_repositories', 'name'], ['code_ref_branches', 'name']]);
  });
  afterAll(() => s.close());

  it('repositories and branches in code-unit order whatever the database collation', async () => {
    for (const name of ['b', 'A', 'a', 'B']) {
      expect((await s.post(REPOS, { name, sourceLink: '', defaultBranch: 'main' })).status).toBe(200);
      expect((await s.put(`${REPOS}/${name}/branches/main`, branch('main', 'h', 1, []))).status).toBe(200);
    }
    for (const name of ['z', 'Y', 'y']) expect((await s.put(`${REPOS}/a/branches/${name}`, branch(name, 'h', 1, []))).status).toBe(200);
    const repos = (await s.get(`${REPOS}?withBranches=true`)).body.items;
    expect(repos.map((r: { name: string }) => r.name)).toEqual(['A', 'B', 'a', 'b']);
    expect(repos[2].branches.map((b: { name: string }) => b.name)).toEqual(['Y', 'main', 'y', 'z']);
    expect((await s.get(`${REPOS}/a/branches`)).body.items.map((b: { name: string }) => b.name)).toEqual(['Y', 'main', 'y', 'z']);
  });
});
