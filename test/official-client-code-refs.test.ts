// The official REST client (launchdarkly-api-typescript) reports code references over real HTTP, unchanged, the way
// ld-find-code-refs does on each run: getRepository (404 on the first), postRepository, patchRepository (a JSON Patch,
// and the bare merge patch ld-find-code-refs sends), putBranch for each branch scanned, getBranches, postExtinction
// for flags whose last reference went, deleteBranches for branches gone from the remote. Then the reads LaunchDarkly's
// UI and API make: getRepositories with each option, getBranch filtered, getExtinctions filtered, getRootStatistic and
// getStatistics; every field of each answer as the client hands it over. Errors reach the caller with their status:
// 404 for an unknown repository, 409 updateSequenceId_conflict for older references, 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeReferencesApi, Configuration, ProjectsApi, type PatchOperation, type PutBranch, type RepositoryRep } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

const REPOS = '/api/v2/code-refs/repositories';
const link = (href: string) => ({ href, type: 'application/json' });
const COMMIT_TIME = Date.parse('2026-12-01T10:00:00Z');
const SYNC_TIME = 1_764_583_200_000;

/** A branch as ld-find-code-refs sends it after a scan at `head`. */
function scanned(name: string, head: string, updateSequenceId: number, references: PutBranch['references']): PutBranch {
  return { name, head, updateSequenceId, syncTime: SYNC_TIME, commitTime: COMMIT_TIME, references };
}
const hunk = (flagKey: string, startingLineNumber: number, projKey = 'shop') => ({ startingLineNumber, lines: `const on = ld.variation('${flagKey}', false);`, projKey, flagKey, aliases: [`${flagKey}Alias`] });

describe('code references through launchdarkly-api-typescript (CodeReferencesApi)', () => {
  let s: TestServer;
  let codeRefs: CodeReferencesApi;
  let web: RepositoryRep;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    const config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    codeRefs = new CodeReferencesApi(config);
    await new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url })).postProject({ key: 'shop', name: 'Shop' });
  });
  afterAll(() => s.close());

  it("ld-find-code-refs' run: the repository looked up (404), made, updated; branches pushed, listed; extinctions posted; stale branches pruned", async () => {
    const missing = await clientFailure(codeRefs.getRepository('web'));
    expect(missing).toEqual({ status: 404, data: { code: 'not_found', message: 'Repository "web" not found' } });

    const created = await codeRefs.postRepository({
      name: 'web',
      sourceLink: 'https://github.com/example/web',
      commitUrlTemplate: 'https://github.com/example/web/commit/${sha}',
      hunkUrlTemplate: 'https://github.com/example/web/blob/${sha}/${filePath}#L${lineNumber}',
      type: 'github',
      defaultBranch: 'main',
    });
    expect(created.status).toBe(200);
    web = created.data;
    expect(web).toEqual({
      name: 'web',
      sourceLink: 'https://github.com/example/web',
      commitUrlTemplate: 'https://github.com/example/web/commit/${sha}',
      hunkUrlTemplate: 'https://github.com/example/web/blob/${sha}/${filePath}#L${lineNumber}',
      type: 'github',
      defaultBranch: 'main',
      enabled: true,
      version: 1,
      _links: { self: link(`${REPOS}/web`) },
    });
    expect((await codeRefs.getRepository('web')).data).toEqual(web);
    // A repository with only a name: LaunchDarkly's defaults.
    expect((await codeRefs.postRepository({ name: 'docs' })).data).toEqual({ name: 'docs', type: 'custom', defaultBranch: 'main', enabled: true, version: 1, _links: { self: link(`${REPOS}/docs`) } });
    const taken = await clientFailure(codeRefs.postRepository({ name: 'web' }));
    expect(taken).toEqual({ status: 409, data: { code: 'conflict', message: 'A repository named "web" already exists' } });

    const patched = await codeRefs.patchRepository('web', [{ op: 'replace', path: '/defaultBranch', value: 'trunk' }]);
    expect(patched.data).toEqual({ ...web, defaultBranch: 'trunk', version: 2 });
    // What ld-find-code-refs sends when its settings differ from the repository's: the RFC 7386 merge patch itself.
    const merge = { sourceLink: 'https://github.com/example/web-app', defaultBranch: 'main' } as unknown as PatchOperation[];
    web = (await codeRefs.patchRepository('web', merge)).data;
    expect(web).toEqual({ ...patched.data, sourceLink: 'https://github.com/example/web-app', defaultBranch: 'main', version: 3 });
    const badPatch = await clientFailure(codeRefs.patchRepository('web', [{ op: 'replace', path: '/name', value: 'renamed' }]));
    expect(badPatch.status).toBe(400);
    expect(badPatch.data).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('/name') });
    expect((await clientFailure(codeRefs.patchRepository('nope', [{ op: 'replace', path: '/defaultBranch', value: 'x' }]))).status).toBe(404);

    const main = await codeRefs.putBranch('web', 'main', scanned('main', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', 25, [
      { path: 'src/index.js', hint: 'javascript', hunks: [hunk('checkout', 10), hunk('sort.order', 40)] },
      { path: 'src/cart.ts', hunks: [hunk('checkout', 3), hunk('elsewhere', 7, 'other')] },
    ]));
    expect(main.status).toBe(200);
    // A branch name with a slash: the client escapes it in the path.
    expect((await codeRefs.putBranch('web', 'feature/x', scanned('feature/x', 'b1', 3, [{ path: 'src/x.js', hunks: [hunk('checkout', 1)] }]))).status).toBe(200);
    expect((await codeRefs.putBranch('web', 'stale', scanned('stale', 'c1', 1, []))).status).toBe(200);

    // A run that read the branch before another one pushed newer references: skipped as older data.
    const older = await clientFailure(codeRefs.putBranch('web', 'main', scanned('main', 'older', 24, [])));
    expect(older.status).toBe(409);
    expect(older.data).toEqual({ code: 'updateSequenceId_conflict', message: expect.stringContaining('updateSequenceId 24') });
    expect((await clientFailure(codeRefs.putBranch('web', 'main', scanned('main', 'same', 25, [])))).data.code).toBe('updateSequenceId_conflict');
    const wrongName = await clientFailure(codeRefs.putBranch('web', 'main', scanned('other', 'x', 26, [])));
    expect(wrongName.status).toBe(400);
    expect(wrongName.data).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('name') });
    expect((await clientFailure(codeRefs.putBranch('nope', 'main', scanned('main', 'x', 1, [])))).data).toEqual({ code: 'not_found', message: 'Repository "nope" not found' });

    const branches = await codeRefs.getBranches('web');
    expect(branches.data).toEqual({
      items: [
        { name: 'feature/x', head: 'b1', updateSequenceId: 3, syncTime: SYNC_TIME, _links: { self: link(`${REPOS}/web/branches/feature%2Fx`) } },
        { name: 'main', head: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', updateSequenceId: 25, syncTime: SYNC_TIME, _links: { self: link(`${REPOS}/web/branches/main`) } },
        { name: 'stale', head: 'c1', updateSequenceId: 1, syncTime: SYNC_TIME, _links: { self: link(`${REPOS}/web/branches/stale`) } },
      ],
      _links: { self: link(`${REPOS}/web/branches`) },
    });

    const posted = await codeRefs.postExtinction('web', 'main', [
      { revision: 'r1', message: 'Remove old-flag', time: 1_000, flagKey: 'old-flag', projKey: 'shop' },
      { revision: 'r2', message: 'Remove gone', time: 2_000, flagKey: 'gone', projKey: 'shop' },
      { revision: 'r3', message: 'Remove old-flag from other', time: 3_000, flagKey: 'old-flag', projKey: 'other' },
    ]);
    expect(posted.status).toBe(200);
    expect((await clientFailure(codeRefs.postExtinction('web', 'nope', [{ revision: 'r', message: 'm', time: 1, flagKey: 'f', projKey: 'shop' }]))).data).toEqual({ code: 'not_found', message: 'Branch "nope" of repository "web" not found' });

    expect((await codeRefs.deleteBranches('web', ['stale', 'never-existed'])).status).toBe(200);
    expect((await codeRefs.getBranches('web')).data.items.map((b) => b.name)).toEqual(['feature/x', 'main']);
    expect((await clientFailure(codeRefs.deleteBranches('nope', ['main']))).status).toBe(404);
  });

  it('getRepositories with each option, getBranch filtered: every field', async () => {
    const plain = await codeRefs.getRepositories();
    expect(plain.data).toEqual({ items: [(await codeRefs.getRepository('docs')).data, web], _links: { self: link(REPOS) } });

    const withBranches = (await codeRefs.getRepositories('true')).data.items;
    expect(withBranches.map((r) => r.name)).toEqual(['docs', 'web']);
    expect(withBranches[0].branches).toEqual([]);
    expect(withBranches[1]).toEqual({ ...web, branches: (await codeRefs.getBranches('web')).data.items });

    const withReferences = (await codeRefs.getRepositories(undefined, 'true')).data.items;
    expect(withReferences[0].branches).toEqual([]);
    expect(withReferences[1]).toEqual({ ...web, branches: [(await codeRefs.getBranch('web', 'main')).data] });

    const filtered = (await codeRefs.getRepositories(undefined, 'true', 'shop', 'checkout')).data;
    expect(filtered.items).toEqual([
      {
        ...web,
        branches: [
          {
            name: 'main',
            head: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
            updateSequenceId: 25,
            syncTime: SYNC_TIME,
            references: [
              { path: 'src/index.js', hint: 'javascript', hunks: [hunk('checkout', 10)] },
              { path: 'src/cart.ts', hunks: [hunk('checkout', 3)] },
            ],
            _links: { self: link(`${REPOS}/web/branches/main`) },
          },
        ],
      },
    ]);
    expect((await codeRefs.getRepositories(undefined, undefined, 'nowhere')).data.items).toEqual([]);

    const main = await codeRefs.getBranch('web', 'main');
    expect(main.data).toEqual({
      name: 'main',
      head: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3',
      updateSequenceId: 25,
      syncTime: SYNC_TIME,
      references: [
        { path: 'src/index.js', hint: 'javascript', hunks: [hunk('checkout', 10), hunk('sort.order', 40)] },
        { path: 'src/cart.ts', hunks: [hunk('checkout', 3), hunk('elsewhere', 7, 'other')] },
      ],
      _links: { self: link(`${REPOS}/web/branches/main`) },
    });
    expect((await codeRefs.getBranch('web', 'main', 'other')).data.references).toEqual([{ path: 'src/cart.ts', hunks: [hunk('elsewhere', 7, 'other')] }]);
    expect((await codeRefs.getBranch('web', 'main', 'shop', 'sort.order')).data.references).toEqual([{ path: 'src/index.js', hint: 'javascript', hunks: [hunk('sort.order', 40)] }]);
    expect((await codeRefs.getBranch('web', 'feature/x')).data).toMatchObject({ name: 'feature/x', head: 'b1', references: [{ path: 'src/x.js', hunks: [hunk('checkout', 1)] }] });
    expect((await clientFailure(codeRefs.getBranch('web', 'nope'))).data).toEqual({ code: 'not_found', message: 'Branch "nope" of repository "web" not found' });
    expect((await clientFailure(codeRefs.getBranches('nope'))).status).toBe(404);
  });

  it('getExtinctions filtered; getRootStatistic and getStatistics', async () => {
    const all = await codeRefs.getExtinctions();
    expect(all.data).toEqual({
      items: {
        'old-flag': [
          { revision: 'r3', message: 'Remove old-flag from other', time: 3_000, flagKey: 'old-flag', projKey: 'other' },
          { revision: 'r1', message: 'Remove old-flag', time: 1_000, flagKey: 'old-flag', projKey: 'shop' },
        ],
        gone: [{ revision: 'r2', message: 'Remove gone', time: 2_000, flagKey: 'gone', projKey: 'shop' }],
      },
      _links: { self: link('/api/v2/code-refs/extinctions') },
    });
    expect((await codeRefs.getExtinctions('web', 'main', 'shop')).data.items).toEqual({ 'old-flag': [all.data.items['old-flag'][1]], gone: all.data.items.gone });
    expect((await codeRefs.getExtinctions(undefined, undefined, undefined, 'old-flag', 2_000, 5_000)).data.items).toEqual({ 'old-flag': [all.data.items['old-flag'][0]] });
    expect((await codeRefs.getExtinctions(undefined, undefined, undefined, undefined, 0, 1_500)).data.items).toEqual({ 'old-flag': [all.data.items['old-flag'][1]] });
    expect((await codeRefs.getExtinctions('docs')).data.items).toEqual({});
    expect((await codeRefs.getExtinctions('web', 'feature/x')).data.items).toEqual({});

    const root = await codeRefs.getRootStatistic();
    expect(root.data).toEqual({ projects: [link('/api/v2/code-refs/statistics/other'), link('/api/v2/code-refs/statistics/shop')], self: link('/api/v2/code-refs/statistics') });

    const stat = (hunkCount: number, fileCount: number) => ({
      name: 'web',
      type: 'github',
      sourceLink: 'https://github.com/example/web-app',
      defaultBranch: 'main',
      enabled: true,
      version: 3,
      hunkCount,
      fileCount,
      _links: { self: link(`${REPOS}/web`) },
      latestCommitTime: COMMIT_TIME,
    });
    const stats = await codeRefs.getStatistics('shop');
    expect(stats.data).toEqual({ flags: { checkout: [stat(2, 2)], 'sort.order': [stat(1, 1)] }, _links: { self: link('/api/v2/code-refs/statistics/shop') } });
    expect((await codeRefs.getStatistics('shop', 'sort.order')).data.flags).toEqual({ 'sort.order': [stat(1, 1)] });
    expect((await codeRefs.getStatistics('shop', 'never-referenced')).data.flags).toEqual({});
    expect((await clientFailure(codeRefs.getStatistics('nope'))).data).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('deleteRepository takes its branches and extinctions; then it is unknown', async () => {
    expect((await codeRefs.deleteRepository('web')).status).toBe(204);
    expect((await clientFailure(codeRefs.getRepository('web'))).status).toBe(404);
    expect((await clientFailure(codeRefs.deleteRepository('web'))).data).toEqual({ code: 'not_found', message: 'Repository "web" not found' });
    expect((await codeRefs.getExtinctions()).data.items).toEqual({});
    expect((await codeRefs.getRootStatistic()).data.projects).toEqual([]);
    expect((await codeRefs.getRepositories()).data.items.map((r) => r.name)).toEqual(['docs']);
  });
});
