// Who may use code references: every route needs an access token (none, an unknown one, an SDK or mobile key: 401);
// readers read everything and write nothing (403); writers and admins write. Custom roles: the reads are account-wide
// (getStatistics also needs viewProject on its project); each write is LaunchDarkly's action on
// `code-reference-repository/<name>`: createCodeRefsRepository, updateCodeRefsRepositoryConfiguration (settings),
// updateCodeRefsRepositoryOn (`enabled`), updateCodeRefsRepositoryBranches (a branch pushed, branches pruned,
// extinctions recorded) and deleteCodeRefsRepository. No refused request changes anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const REPOS = '/api/v2/code-refs/repositories';
const UNKNOWN_TOKEN = 'api-00000000-0000-4000-8000-000000000000';

const branch = (name: string, head = 'a94a8fe5', updateSequenceId?: number) => ({
  name,
  head,
  ...(updateSequenceId !== undefined ? { updateSequenceId } : {}),
  syncTime: 1_700_000_000_000,
  references: [{ path: 'src/index.js', hunks: [{ startingLineNumber: 10, lines: "ld.variation('checkout')", projKey: 'shop', flagKey: 'checkout' }] }],
});
const extinction = (revision: string) => [{ revision, message: `Remove at ${revision}`, time: 1_000, flagKey: 'gone', projKey: 'shop' }];

type Send = (token: string | null) => Promise<Response>;

describe('Code references: security', () => {
  let s: TestServer;
  let roleCount = 0;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop', environments: [{ key: 'production', name: 'Production', color: '417505' }] })).status).toBe(201);
    for (const name of ['web', 'api']) {
      expect((await s.post(REPOS, { name, sourceLink: `https://git.example.com/${name}`, type: 'github' })).status).toBe(200);
      expect((await s.put(`${REPOS}/${name}/branches/main`, branch('main'))).status).toBe(200);
      expect((await s.put(`${REPOS}/${name}/branches/stale`, branch('stale'))).status).toBe(200);
      expect((await s.post(`${REPOS}/${name}/branches/main/extinction-events`, extinction('r0'))).status).toBe(200);
    }
  });
  afterAll(() => s.close());

  /** Every read, each as `token` would send it. */
  const reads: [string, Send][] = [
    ['getRepositories', (token) => s.get(`${REPOS}?withBranches=true`, { token })],
    ['getRepositories (references)', (token) => s.get(`${REPOS}?withReferencesForDefaultBranch=true&projKey=shop&flagKey=checkout`, { token })],
    ['getRepository', (token) => s.get(`${REPOS}/web`, { token })],
    ['getBranches', (token) => s.get(`${REPOS}/web/branches`, { token })],
    ['getBranch', (token) => s.get(`${REPOS}/web/branches/main?projKey=shop`, { token })],
    ['getExtinctions', (token) => s.get('/api/v2/code-refs/extinctions?repoName=web', { token })],
    ['getRootStatistic', (token) => s.get('/api/v2/code-refs/statistics', { token })],
    ['getStatistics', (token) => s.get('/api/v2/code-refs/statistics/shop?flagKey=checkout', { token })],
  ];

  /** Every write, on repository `repo` (which `postRepository` makes). */
  const writes = (repo: string): [string, Send][] => [
    ['postRepository', (token) => s.post(REPOS, { name: repo, type: 'gitlab' }, { token })],
    ['patchRepository (JSON Patch)', (token) => s.patch(`${REPOS}/${repo}`, [{ op: 'replace', path: '/sourceLink', value: 'https://evil.example' }], { token })],
    ['patchRepository (merge patch)', (token) => s.patch(`${REPOS}/${repo}`, { enabled: false }, { token })],
    ['patchRepository ({merge})', (token) => s.patch(`${REPOS}/${repo}`, { merge: { defaultBranch: 'trunk' }, comment: 'moved' }, { token })],
    ['putBranch', (token) => s.put(`${REPOS}/${repo}/branches/main`, branch('main', 'evil'), { token })],
    ['putBranch (new branch)', (token) => s.put(`${REPOS}/${repo}/branches/${encodeURIComponent('feature/x')}`, branch('feature/x'), { token })],
    ['postExtinction', (token) => s.post(`${REPOS}/${repo}/branches/main/extinction-events`, extinction('evil'), { token })],
    ['deleteBranches', (token) => s.post(`${REPOS}/${repo}/branch-delete-tasks`, ['stale', 'main'], { token })],
    ['deleteRepository', (token) => s.del(`${REPOS}/${repo}`, { token })],
  ];

  /** `send` is refused with `status` and `code` and changes nothing. */
  async function refused(label: string, send: () => Promise<Response>, status: number, code: string): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send())), label).toBe(false);
    expect(res!.status, `${label}: ${JSON.stringify(res!.body)}`).toBe(status);
    expect(res!.body.code, label).toBe(code);
    return res!;
  }

  /** A token whose only permissions are a custom role with `policy`. */
  async function customRoleToken(policy: unknown[], basePermissions?: string): Promise<string> {
    roleCount += 1;
    const role = await s.post('/api/v2/roles', { key: `code-refs-role-${roleCount}`, name: `Code refs role ${roleCount}`, policy, ...(basePermissions ? { basePermissions } : {}) });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const token = await s.post('/api/v2/tokens', { name: `code refs token ${roleCount}`, customRoleIds: [role.body._id] });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    return token.body.token;
  }

  /** 403 forbidden naming the action and the resource it is wanted on; nothing changed. */
  async function forbidden(label: string, send: () => Promise<Response>, action: string, repo: string): Promise<void> {
    const res = await refused(label, send, 403, 'forbidden');
    expect(res.body.message, label).toContain(action);
    expect(res.body.message, label).toContain(`code-reference-repository/${repo}`);
  }

  const allow = (actions: string[], resources = ['code-reference-repository/*']) => [{ effect: 'allow', actions, resources }];

  it('401 without a token, with an unknown one, with an SDK key or a mobile key, on every route; nothing written', async () => {
    const env = (await s.get('/api/v2/projects/shop/environments/production')).body;
    expect(env.apiKey).toMatch(/^sdk-/);
    expect(env.mobileKey).toMatch(/^mob-/);
    for (const token of [null, '', UNKNOWN_TOKEN, env.apiKey, env.mobileKey, `Bearer ${env.apiKey}`, env._id]) {
      for (const [label, send] of [...reads, ...writes('web'), ...writes('fresh')]) {
        const res = await refused(`${label} with ${String(token)}`, () => send(token), 401, 'unauthorized');
        expect(res.body.message).toBe('Invalid access token');
      }
    }
    expect((await s.get(`${REPOS}/fresh`)).status).toBe(404);
  });

  it('readers read every route; every write is 403 for them; nothing written', async () => {
    for (const [label, send] of reads) {
      const res = await send(s.tokens.reader);
      expect(res.status, label).toBe(200);
      expect(res.body, label).toEqual((await send(s.tokens.admin)).body);
    }
    for (const [label, send] of [...writes('web'), ...writes('fresh')]) await refused(`${label} as reader`, () => send(s.tokens.reader), 403, 'forbidden');
    expect((await s.get(`${REPOS}/web/branches/main`)).body.head).toBe('a94a8fe5');
  });

  it('writers make every write, and read', async () => {
    for (const [label, send] of reads) expect((await send(s.tokens.writer)).status, label).toBe(200);
    const expected: Record<string, number> = {
      postRepository: 200,
      'patchRepository (JSON Patch)': 200,
      'patchRepository (merge patch)': 200,
      'patchRepository ({merge})': 200,
      putBranch: 200,
      'putBranch (new branch)': 200,
      postExtinction: 200,
      deleteBranches: 200,
      deleteRepository: 204,
    };
    for (const [label, send] of writes('by-writer')) {
      const res = await send(s.tokens.writer);
      expect(res.status, `${label}: ${JSON.stringify(res.body)}`).toBe(expected[label]);
      if (label === 'deleteBranches') expect((await s.get(`${REPOS}/by-writer/branches`)).body.items.map((b: { name: string }) => b.name)).toEqual(['feature/x']);
      if (label === 'patchRepository ({merge})') expect((await s.get(`${REPOS}/by-writer`)).body).toMatchObject({ sourceLink: 'https://evil.example', enabled: false, defaultBranch: 'trunk', version: 4 });
    }
    expect((await s.get(`${REPOS}/by-writer`)).status).toBe(404);
    // Who made each change is in the audit log.
    const entries = (await s.get('/api/v2/auditlog?limit=20')).body.items.filter((e: { name: string }) => e.name === 'by-writer');
    expect(entries.length).toBeGreaterThanOrEqual(5);
  });

  it('updateCodeRefsRepositoryBranches on code-reference-repository/web: pushes, prunes and records extinctions for web only', async () => {
    const token = await customRoleToken(allow(['updateCodeRefsRepositoryBranches'], ['code-reference-repository/web']));
    const put = await s.put(`${REPOS}/web/branches/main`, branch('main', 'pushed-by-role', 5), { token });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await s.get(`${REPOS}/web/branches/main`)).body).toMatchObject({ head: 'pushed-by-role', updateSequenceId: 5 });
    expect((await s.put(`${REPOS}/web/branches/${encodeURIComponent('feature/y')}`, branch('feature/y'), { token })).status).toBe(200);
    expect((await s.post(`${REPOS}/web/branches/main/extinction-events`, extinction('r-role'), { token })).status).toBe(200);
    expect((await s.get('/api/v2/code-refs/extinctions?repoName=web')).body.items.gone.map((e: { revision: string }) => e.revision)).toContain('r-role');
    expect((await s.post(`${REPOS}/web/branch-delete-tasks`, ['feature/y'], { token })).status).toBe(200);
    expect((await s.get(`${REPOS}/web/branches`)).body.items.map((b: { name: string }) => b.name)).not.toContain('feature/y');

    // The account-wide reads, but not the statistics of a project it may not view.
    for (const [label, send] of reads.filter(([label]) => label !== 'getStatistics')) expect((await send(token)).status, label).toBe(200);
    const stats = await refused('getStatistics', () => s.get('/api/v2/code-refs/statistics/shop', { token }), 403, 'forbidden');
    expect(stats.body.message).toContain('viewProject');

    // Another repository, and everything else on this one.
    await forbidden('putBranch on api', () => s.put(`${REPOS}/api/branches/main`, branch('main', 'evil'), { token }), 'updateCodeRefsRepositoryBranches', 'api');
    await forbidden('postExtinction on api', () => s.post(`${REPOS}/api/branches/main/extinction-events`, extinction('evil'), { token }), 'updateCodeRefsRepositoryBranches', 'api');
    await forbidden('deleteBranches on api', () => s.post(`${REPOS}/api/branch-delete-tasks`, ['stale'], { token }), 'updateCodeRefsRepositoryBranches', 'api');
    await forbidden('patch web', () => s.patch(`${REPOS}/web`, [{ op: 'replace', path: '/sourceLink', value: 'https://evil.example' }], { token }), 'updateCodeRefsRepositoryConfiguration', 'web');
    await forbidden('merge-patch web', () => s.patch(`${REPOS}/web`, { enabled: false }, { token }), 'updateCodeRefsRepositoryOn', 'web');
    await forbidden('delete web', () => s.del(`${REPOS}/web`, { token }), 'deleteCodeRefsRepository', 'web');
    await forbidden('create web2', () => s.post(REPOS, { name: 'web2' }, { token }), 'createCodeRefsRepository', 'web2');
  });

  it('createCodeRefsRepository on code-reference-repository/*: creates any repository, and nothing else', async () => {
    const token = await customRoleToken(allow(['createCodeRefsRepository']));
    const made = await s.post(REPOS, { name: 'made-by-role', type: 'bitbucket', defaultBranch: 'develop' }, { token });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body).toMatchObject({ name: 'made-by-role', type: 'bitbucket', defaultBranch: 'develop', enabled: true, version: 1 });
    await forbidden('patch', () => s.patch(`${REPOS}/made-by-role`, { sourceLink: 'https://x.example' }, { token }), 'updateCodeRefsRepositoryConfiguration', 'made-by-role');
    await forbidden('putBranch', () => s.put(`${REPOS}/made-by-role/branches/develop`, branch('develop'), { token }), 'updateCodeRefsRepositoryBranches', 'made-by-role');
    await forbidden('delete', () => s.del(`${REPOS}/made-by-role`, { token }), 'deleteCodeRefsRepository', 'made-by-role');
    // One limited to a name creates only that name.
    const named = await customRoleToken(allow(['createCodeRefsRepository'], ['code-reference-repository/only-this']));
    await forbidden('create another', () => s.post(REPOS, { name: 'not-this' }, { token: named }), 'createCodeRefsRepository', 'not-this');
    expect((await s.post(REPOS, { name: 'only-this' }, { token: named })).status).toBe(200);
  });

  it('updateCodeRefsRepositoryConfiguration patches settings but not enabled, which is updateCodeRefsRepositoryOn', async () => {
    const config = await customRoleToken(allow(['updateCodeRefsRepositoryConfiguration']));
    const patched = await s.patch(`${REPOS}/api`, [{ op: 'replace', path: '/sourceLink', value: 'https://git.example.com/api-moved' }], { token: config });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ sourceLink: 'https://git.example.com/api-moved', enabled: true, version: 2 });
    // ld-find-code-refs' bare merge patch, and LaunchDarkly's {merge}.
    expect((await s.patch(`${REPOS}/api`, { sourceLink: 'https://git.example.com/api', commitUrlTemplate: 'https://git.example.com/api/commit/${sha}' }, { token: config })).body.version).toBe(3);
    expect((await s.patch(`${REPOS}/api`, { merge: { defaultBranch: 'main', type: 'gitlab' } }, { token: config })).body).toMatchObject({ type: 'gitlab', version: 4 });
    for (const [label, body] of [
      ['JSON Patch', [{ op: 'replace', path: '/enabled', value: false }]],
      ['JSON Patch with a setting', [{ op: 'replace', path: '/sourceLink', value: 'https://x.example' }, { op: 'replace', path: '/enabled', value: false }]],
      ['move onto enabled', [{ op: 'move', from: '/sourceLink', path: '/enabled' }]],
      ['{patch, comment}', { patch: [{ op: 'replace', path: '/enabled', value: false }], comment: 'off' }],
      ['bare merge patch', { enabled: false }],
      ['bare merge patch with a setting', { sourceLink: 'https://x.example', enabled: false }],
      ['{merge}', { merge: { enabled: false } }],
    ] as const) {
      await forbidden(label, () => s.patch(`${REPOS}/api`, body, { token: config }), 'updateCodeRefsRepositoryOn', 'api');
    }
    // A body with a JSON Patch the role allows and a merge patch beside it that turns scanning off: custom roles are
    // asked about both (and the operation refuses such a body anyway: codeRefs.error.test.ts).
    for (const patch of [[{ op: 'replace', path: '/sourceLink', value: 'https://x.example' }], []]) {
      await forbidden('patch and merge', () => s.patch(`${REPOS}/api`, { patch, merge: { enabled: false } }, { token: config }), 'updateCodeRefsRepositoryOn', 'api');
    }
    expect((await s.get(`${REPOS}/api`)).body).toMatchObject({ enabled: true, version: 4 });

    const on = await customRoleToken(allow(['updateCodeRefsRepositoryOn']));
    await forbidden('settings with updateCodeRefsRepositoryOn', () => s.patch(`${REPOS}/api`, { sourceLink: 'https://x.example' }, { token: on }), 'updateCodeRefsRepositoryConfiguration', 'api');
    const off = await s.patch(`${REPOS}/api`, { enabled: false }, { token: on });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect(off.body).toMatchObject({ enabled: false, sourceLink: 'https://git.example.com/api', version: 5 });
    expect((await s.patch(`${REPOS}/api`, [{ op: 'replace', path: '/enabled', value: true }], { token: on })).body).toMatchObject({ enabled: true, version: 6 });
    const entry = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    expect((await s.get(`/api/v2/auditlog/${entry._id}`)).body).toMatchObject({ accesses: [{ action: 'updateCodeRefsRepositoryOn', resource: 'code-reference-repository/api' }] });
  });

  it('deleteCodeRefsRepository deletes the repositories it names, and does nothing else', async () => {
    expect((await s.post(REPOS, { name: 'doomed' })).status).toBe(200);
    expect((await s.put(`${REPOS}/doomed/branches/main`, branch('main'))).status).toBe(200);
    const token = await customRoleToken(allow(['deleteCodeRefsRepository'], ['code-reference-repository/doomed']));
    await forbidden('delete another', () => s.del(`${REPOS}/api`, { token }), 'deleteCodeRefsRepository', 'api');
    await forbidden('prune', () => s.post(`${REPOS}/doomed/branch-delete-tasks`, ['main'], { token }), 'updateCodeRefsRepositoryBranches', 'doomed');
    await forbidden('patch', () => s.patch(`${REPOS}/doomed`, { defaultBranch: 'x' }, { token }), 'updateCodeRefsRepositoryConfiguration', 'doomed');
    expect((await s.del(`${REPOS}/doomed`, { token })).status).toBe(204);
    expect((await s.get(`${REPOS}/doomed`)).status).toBe(404);
    const wildcard = await customRoleToken(allow(['deleteCodeRefsRepository']));
    expect((await s.post(REPOS, { name: 'doomed-too' })).status).toBe(200);
    expect((await s.del(`${REPOS}/doomed-too`, { token: wildcard })).status).toBe(204);
  });

  it('a deny statement wins over an allow of every action', async () => {
    const token = await customRoleToken([
      { effect: 'allow', actions: ['*'], resources: ['code-reference-repository/*'] },
      { effect: 'deny', actions: ['updateCodeRefsRepositoryBranches', 'deleteCodeRefsRepository'], resources: ['code-reference-repository/api'] },
    ]);
    await forbidden('putBranch on api', () => s.put(`${REPOS}/api/branches/main`, branch('main', 'evil'), { token }), 'updateCodeRefsRepositoryBranches', 'api');
    await forbidden('delete api', () => s.del(`${REPOS}/api`, { token }), 'deleteCodeRefsRepository', 'api');
    expect((await s.put(`${REPOS}/web/branches/main`, branch('main', 'by-wildcard'), { token })).status).toBe(200);
  });

  it('getStatistics needs viewProject on its project; the account-wide reads do not', async () => {
    const none = await customRoleToken(allow(['createCodeRefsRepository']));
    for (const [label, send] of reads.filter(([label]) => label !== 'getStatistics')) expect((await send(none)).status, label).toBe(200);
    const refusedStats = await refused('getStatistics', () => s.get('/api/v2/code-refs/statistics/shop', { token: none }), 403, 'forbidden');
    expect(refusedStats.body.message).toContain('viewProject');
    expect(refusedStats.body.message).toContain('proj/shop');

    const viewer = await customRoleToken([{ effect: 'allow', actions: ['viewProject'], resources: ['proj/shop'] }]);
    const stats = await s.get('/api/v2/code-refs/statistics/shop', { token: viewer });
    expect(stats.status, JSON.stringify(stats.body)).toBe(200);
    expect(stats.body).toEqual((await s.get('/api/v2/code-refs/statistics/shop')).body);
    expect(Object.keys(stats.body.flags)).toContain('checkout');
    // basePermissions reader views every project.
    const baseReader = await customRoleToken([], 'reader');
    expect((await s.get('/api/v2/code-refs/statistics/shop', { token: baseReader })).status).toBe(200);
    // Viewing is no write.
    await forbidden('putBranch as viewer', () => s.put(`${REPOS}/web/branches/main`, branch('main', 'evil'), { token: viewer }), 'updateCodeRefsRepositoryBranches', 'web');
  });
});
