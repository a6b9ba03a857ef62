// Code references refused: unknown repositories, branches and projects (404 naming them); repositories, patches,
// branches, extinctions and branch lists that are not what LaunchDarkly takes (400 naming the field); a taken name
// (409 conflict), a failed `test` (409), an older updateSequenceId (409 updateSequenceId_conflict); query parameters
// that are not what they must be. No refused write changes anything.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const REPOS = '/api/v2/code-refs/repositories';
const MISSING = 'no-such-repo';

const hunk = (flagKey: string, startingLineNumber: number) => ({ startingLineNumber, lines: `ld.variation('${flagKey}')`, projKey: 'shop', flagKey });
const branch = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  head: 'a94a8fe5',
  syncTime: 1_700_000_000_000,
  references: [{ path: 'src/index.js', hunks: [hunk('checkout', 10)] }],
  ...extra,
});
const extinction = (extra: Record<string, unknown> = {}) => ({ revision: 'r1', message: 'Remove checkout', time: 1_000, flagKey: 'checkout', projKey: 'shop', ...extra });

describe('Code references: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    const repo = await s.post(REPOS, { name: 'web', sourceLink: 'https://git.example.com/web', type: 'github', defaultBranch: 'main' });
    expect(repo.status).toBe(200);
    expect((await s.put(`${REPOS}/web/branches/main`, branch('main', { updateSequenceId: 10 }))).status).toBe(200);
    expect((await s.post(`${REPOS}/web/branches/main/extinction-events`, [extinction()])).status).toBe(200);
  });
  afterAll(() => s.close());

  /** Everything a client can read back, and the audit log: what a refused write must leave as it was. */
  async function visible(): Promise<unknown> {
    const paths = [
      `${REPOS}?withBranches=true`,
      `${REPOS}?withReferencesForDefaultBranch=true`,
      `${REPOS}/web`,
      `${REPOS}/web/branches`,
      `${REPOS}/web/branches/main`,
      '/api/v2/code-refs/extinctions',
      '/api/v2/code-refs/statistics',
      '/api/v2/code-refs/statistics/shop',
      '/api/v2/auditlog?limit=20',
    ];
    const out: Record<string, unknown> = {};
    for (const path of paths) {
      const res = await s.get(path);
      expect(res.status, path).toBe(200);
      out[path] = res.body;
    }
    return out;
  }

  /** `send` is refused with `status` and `code`, its message containing each of `names`; the store is unchanged. */
  async function refused(send: () => Promise<Response>, status: number, code: string, ...names: string[]): Promise<Response> {
    const digest = await digestStore(s.store);
    const seen = await visible();
    const res = await send();
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code, JSON.stringify(res.body)).toBe(code);
    for (const name of names) expect(res.body.message, JSON.stringify(res.body)).toContain(name);
    expect(await digestStore(s.store)).toBe(digest);
    expect(await visible()).toEqual(seen);
    return res;
  }

  const invalid = (send: () => Promise<Response>, ...names: string[]) => refused(send, 400, 'invalid_request', ...names);

  it('404 naming the repository on every per-repository route; nothing written', async () => {
    const base = `${REPOS}/${MISSING}`;
    const sends: [string, () => Promise<Response>][] = [
      ['getRepository', () => s.get(base)],
      ['patchRepository (JSON Patch)', () => s.patch(base, [{ op: 'replace', path: '/sourceLink', value: 'https://x.example' }])],
      ['patchRepository (merge patch)', () => s.patch(base, { sourceLink: 'https://x.example' })],
      ['deleteRepository', () => s.del(base)],
      ['deleteBranches', () => s.post(`${base}/branch-delete-tasks`, ['main'])],
      ['getBranches', () => s.get(`${base}/branches`)],
      ['getBranch', () => s.get(`${base}/branches/main`)],
      ['putBranch', () => s.put(`${base}/branches/main`, branch('main'))],
      ['postExtinction', () => s.post(`${base}/branches/main/extinction-events`, [extinction()])],
    ];
    for (const [operation, send] of sends) {
      const res = await refused(send, 404, 'not_found', `"${MISSING}"`);
      expect(res.body.message, operation).toBe(`Repository "${MISSING}" not found`);
    }
  });

  it('404 naming the branch on getBranch and postExtinction; 404 naming the project on getStatistics', async () => {
    const get = await refused(() => s.get(`${REPOS}/web/branches/nope`), 404, 'not_found', '"nope"', '"web"');
    expect(get.body.message).toBe('Branch "nope" of repository "web" not found');
    // The branch name, escaped in the path, is named as it is.
    await refused(() => s.get(`${REPOS}/web/branches/${encodeURIComponent('feature/gone')}`), 404, 'not_found', '"feature/gone"');
    const post = await refused(() => s.post(`${REPOS}/web/branches/nope/extinction-events`, [extinction()]), 404, 'not_found', '"nope"', '"web"');
    expect(post.body.message).toBe('Branch "nope" of repository "web" not found');
    const stats = await refused(() => s.get('/api/v2/code-refs/statistics/nope'), 404, 'not_found', '"nope"');
    expect(stats.body.message).toBe('Project "nope" not found');
    await refused(() => s.get('/api/v2/code-refs/statistics/nope?flagKey=checkout'), 404, 'not_found', 'Project "nope"');
  });

  it('postRepository: a missing or bad name, a bad type, unknown members, wrong types: 400 naming each; nothing written', async () => {
    const cases: [unknown, string[]][] = [
      [{}, ['name', 'must be present']],
      [{ type: 'github' }, ['name', 'must be present']],
      [{ name: '' }, ['name', 'must not be empty']],
      [{ name: 'a/b' }, ['name']],
      [{ name: 'group/project', type: 'gitlab' }, ['name']],
      // URLs resolve "." and ".." away: a repository so named could never be read, patched nor deleted.
      [{ name: '.' }, ['name']],
      [{ name: '..' }, ['name']],
      [{ name: 'x', type: 'svn' }, ['type']],
      [{ name: 'x', type: '' }, ['type']],
      [{ name: 'x', type: 'GitHub' }, ['type']],
      [{ name: 'x', enabled: false }, ['enabled', 'is not allowed']],
      [{ name: 'x', version: 3 }, ['version', 'is not allowed']],
      [{ name: 'x', branches: [] }, ['branches', 'is not allowed']],
      [{ name: 'x', frobnicate: true }, ['frobnicate', 'is not allowed']],
      [{ name: 5 }, ['name', 'must be a string']],
      [{ name: ['x'] }, ['name', 'must be a string']],
      [{ name: 'x', sourceLink: 5 }, ['sourceLink', 'must be a string']],
      [{ name: 'x', commitUrlTemplate: false }, ['commitUrlTemplate', 'must be a string']],
      [{ name: 'x', hunkUrlTemplate: {} }, ['hunkUrlTemplate', 'must be a string']],
      [{ name: 'x', defaultBranch: 1 }, ['defaultBranch', 'must be a string']],
      [{ name: 'x', type: 7 }, ['type']],
      [{ name: 'x', defaultBranch: 'b'.repeat(257) }, ['defaultBranch']],
      [{ name: 'n'.repeat(257) }, ['name']],
    ];
    for (const [body, names] of cases) await invalid(() => s.post(REPOS, body), ...names);
    for (const raw of ['null', '[]', '"web"', '42', '{', '{"name": "x",}']) {
      await refused(() => s.request('POST', REPOS, { raw }), 400, 'invalid_request');
    }
    expect((await s.get(`${REPOS}/x`)).status).toBe(404);
    // Names that only hold dots are still names.
    for (const name of ['...', '.github', 'web.app']) {
      expect((await s.post(REPOS, { name })).status, name).toBe(200);
      expect((await s.get(`${REPOS}/${name}`)).body.name).toBe(name);
      expect((await s.del(`${REPOS}/${name}`)).status).toBe(204);
    }
  });

  it('postRepository: a name taken is a 409 conflict naming it; the repository, its branches and extinctions are kept', async () => {
    const res = await refused(() => s.post(REPOS, { name: 'web', type: 'custom', defaultBranch: 'trunk' }), 409, 'conflict', '"web"');
    expect(res.body.message).toBe('A repository named "web" already exists');
    // ld-find-code-refs' own body, with its empty strings.
    await refused(() => s.post(REPOS, { type: 'custom', name: 'web', sourceLink: '', commitUrlTemplate: '', hunkUrlTemplate: '', defaultBranch: '' }), 409, 'conflict', '"web"');
    expect((await s.get(`${REPOS}/web`)).body).toMatchObject({ type: 'github', defaultBranch: 'main', version: 1 });
  });

  it('patchRepository: read-only and unknown members, bad values, a removed or empty defaultBranch: 400 naming each; nothing written', async () => {
    const url = `${REPOS}/web`;
    const cases: [unknown, string[]][] = [
      // Read-only members.
      [[{ op: 'replace', path: '/name', value: 'renamed' }], ['/name', 'read-only']],
      [[{ op: 'replace', path: '/version', value: 7 }], ['/version', 'read-only']],
      [[{ op: 'remove', path: '/version' }], ['/version', 'read-only']],
      [[{ op: 'add', path: '/branches', value: [] }], ['/branches', 'read-only']],
      [[{ op: 'replace', path: '/_links/self/href', value: '/elsewhere' }], ['/_links', 'read-only']],
      [{ name: 'renamed' }, ['/name', 'read-only']],
      [{ merge: { version: 9 } }, ['/version', 'read-only']],
      [{ patch: [{ op: 'replace', path: '/name', value: 'renamed' }], comment: 'rename' }, ['/name', 'read-only']],
      // Unknown members.
      [[{ op: 'add', path: '/frobnicate', value: 1 }], ['/frobnicate', 'is not a field that can be patched']],
      [{ frobnicate: 1 }, ['/frobnicate', 'is not a field that can be patched']],
      [{ merge: { frobnicate: null } }, ['/frobnicate', 'is not a field that can be patched']],
      [[{ op: 'replace', path: '', value: {} }], ['patch[0].path']],
      // Values a repository may not have.
      [[{ op: 'replace', path: '/type', value: 'svn' }], ['type']],
      [{ type: 'svn' }, ['type']],
      [{ merge: { type: 3 } }, ['type']],
      [[{ op: 'remove', path: '/type' }], ['type', 'must be present']],
      [[{ op: 'remove', path: '/defaultBranch' }], ['defaultBranch', 'must be present']],
      [{ defaultBranch: null }, ['defaultBranch', 'must be present']],
      [[{ op: 'replace', path: '/defaultBranch', value: '' }], ['defaultBranch', 'must not be empty']],
      [{ defaultBranch: '' }, ['defaultBranch', 'must not be empty']],
      [{ defaultBranch: 5 }, ['defaultBranch', 'must be a string']],
      [[{ op: 'replace', path: '/enabled', value: 'false' }], ['enabled', 'must be a boolean']],
      [{ enabled: 0 }, ['enabled', 'must be a boolean']],
      [{ enabled: null }, ['enabled', 'must be present']],
      [[{ op: 'replace', path: '/sourceLink', value: 42 }], ['sourceLink', 'must be a string']],
      [{ hunkUrlTemplate: ['x'] }, ['hunkUrlTemplate', 'must be a string']],
      // Malformed patches.
      [[{ op: 'frobnicate', path: '/sourceLink', value: 'x' }], ['patch[0]']],
      [[{ path: '/sourceLink', value: 'x' }], ['patch[0]']],
      [[{ op: 'replace', value: 'x' }], ['patch[0]']],
      [[{ op: 'replace', path: 'sourceLink', value: 'x' }], ['patch[0]']],
      [[{ op: 'replace', path: '/sourceLink' }], ['patch[0]']],
      [[{ op: 'move', path: '/sourceLink' }], ['patch[0]']],
      [[{ op: 'remove', path: '/sourceLink/deeper' }], ['patch[0]']],
      [['replace'], ['patch[0]']],
      [{ patch: 'replace /sourceLink' }, ['body']],
      [{ patch: [{ op: 'replace', path: '/sourceLink', value: 'x' }], comment: 5 }, ['comment', 'must be a string']],
      [{ merge: [] }, ['merge', 'must be an object']],
      [{ merge: 'sourceLink=x' }, ['merge', 'must be an object']],
      ['sourceLink', ['body']],
      // A JSON Patch and a merge patch in one body: which one is meant is not for the server to guess.
      [{ patch: [{ op: 'replace', path: '/sourceLink', value: 'x' }], merge: { enabled: false } }, ['merge', 'patch']],
      [{ patch: [], merge: { defaultBranch: 'trunk' } }, ['merge', 'patch']],
    ];
    for (const [body, names] of cases) await invalid(() => s.patch(url, body), ...names);
    // A valid change alongside a bad one: neither is made.
    await invalid(() => s.patch(url, [{ op: 'replace', path: '/sourceLink', value: 'https://changed.example' }, { op: 'replace', path: '/enabled', value: 'no' }]), 'enabled');
    await invalid(() => s.patch(url, { sourceLink: 'https://changed.example', defaultBranch: '' }), 'defaultBranch');
    for (const raw of ['null', '42', '{"sourceLink": ']) await refused(() => s.request('PATCH', url, { raw }), 400, 'invalid_request');
    expect((await s.get(url)).body).toMatchObject({ sourceLink: 'https://git.example.com/web', type: 'github', defaultBranch: 'main', enabled: true, version: 1 });
  });

  it('patchRepository: a failed test is a 409 naming the operation; nothing written', async () => {
    const url = `${REPOS}/web`;
    const res = await refused(
      () => s.patch(url, [{ op: 'test', path: '/version', value: 99 }, { op: 'replace', path: '/sourceLink', value: 'https://changed.example' }]),
      409,
      'optimistic_locking_error',
      'operation 0',
    );
    expect(res.body.message).toContain('/version');
    await refused(() => s.patch(url, { patch: [{ op: 'replace', path: '/enabled', value: false }, { op: 'test', path: '/defaultBranch', value: 'trunk' }], comment: 'c' }), 409, 'optimistic_locking_error', 'operation 1', '/defaultBranch');
    expect((await s.get(url)).body).toMatchObject({ sourceLink: 'https://git.example.com/web', enabled: true, version: 1 });
  });

  it('putBranch: a name not the path\'s, missing or bad members, bad hunks, a bad commitTime: 400 naming each; nothing written', async () => {
    const put = (path: string, body: unknown) => () => s.put(`${REPOS}/web/branches/${path}`, body);
    const res = await invalid(put('main', branch('other')), 'name', '"main"', '"other"');
    expect(res.body.errors).toEqual([{ attribute: 'name', reason: expect.stringContaining('"main"') }]);
    await invalid(put(encodeURIComponent('feature/x'), branch('feature%2Fx')), 'name', '"feature/x"');
    await invalid(put('new-branch', branch('main')), 'name', '"new-branch"');
    const { head: _head, ...noHead } = branch('main');
    const { syncTime: _syncTime, ...noSyncTime } = branch('main');
    const { name: _name, ...noName } = branch('main');
    const cases: [string, unknown, string[]][] = [
      ['main', noHead, ['head', 'must be present']],
      ['main', noSyncTime, ['syncTime', 'must be present']],
      ['main', noName, ['name', 'must be present']],
      ['main', branch('main', { head: '' }), ['head', 'must not be empty']],
      ['main', branch('main', { head: 5 }), ['head', 'must be a string']],
      ['main', branch('main', { syncTime: '1700000000000' }), ['syncTime', 'must be an integer']],
      ['main', branch('main', { syncTime: 1.5 }), ['syncTime', 'must be an integer']],
      ['main', branch('main', { syncTime: -1 }), ['syncTime']],
      ['main', branch('main', { updateSequenceId: 'eleven' }), ['updateSequenceId', 'must be an integer']],
      ['main', branch('main', { updateSequenceId: 11.5 }), ['updateSequenceId', 'must be an integer']],
      // The spec's int64, as clients decode it back: no JSON number they would read as another one or refuse.
      ['main', branch('main', { updateSequenceId: 1e300 }), ['updateSequenceId']],
      ['main', branch('main', { updateSequenceId: 2 ** 53 }), ['updateSequenceId']],
      ['main', branch('main', { references: [{ path: 'a.js', hunks: [{ ...hunk('checkout', 1), startingLineNumber: 1e300 }] }] }), ['references[0].hunks[0].startingLineNumber']],
      ['main', branch('main', { references: {} }), ['references', 'must be an array']],
      ['main', branch('main', { references: [{ hunks: [] }] }), ['references[0].path', 'must be present']],
      ['main', branch('main', { references: [{ path: 'a.js' }] }), ['references[0].hunks', 'must be present']],
      ['main', branch('main', { references: [{ path: 'a.js', hunks: [{ startingLineNumber: 1, projKey: 'shop' }] }] }), ['references[0].hunks[0].flagKey', 'must be present']],
      ['main', branch('main', { references: [{ path: 'a.js', hunks: [{ startingLineNumber: 1, flagKey: 'checkout' }] }] }), ['references[0].hunks[0].projKey', 'must be present']],
      ['main', branch('main', { references: [{ path: 'a.js', hunks: [{ projKey: 'shop', flagKey: 'checkout' }] }] }), ['references[0].hunks[0].startingLineNumber', 'must be present']],
      ['main', branch('main', { references: [{ path: 'a.js', hunks: [hunk('checkout', 1), { ...hunk('checkout', 2), startingLineNumber: 2.5 }] }] }), ['references[0].hunks[1].startingLineNumber', 'must be an integer']],
      ['main', branch('main', { references: [{ path: 'a.js', hunks: [{ ...hunk('checkout', 1), startingLineNumber: '12' }] }] }), ['references[0].hunks[0].startingLineNumber', 'must be an integer']],
      ['main', branch('main', { references: [{ path: 'a.js', hunks: [{ ...hunk('checkout', 1), flagKey: 7 }] }] }), ['references[0].hunks[0].flagKey', 'must be a string']],
      ['main', branch('main', { references: [{ path: 'a.js', hunks: [{ ...hunk('checkout', 1), aliases: 'alias' }] }] }), ['references[0].hunks[0].aliases', 'must be an array']],
      ['main', branch('main', { commitTime: 'yesterday' }), ['commitTime']],
      ['main', branch('main', { commitTime: true }), ['commitTime']],
      ['main', branch('main', { commitTime: 1.5 }), ['commitTime']],
    ];
    for (const [path, body, names] of cases) await invalid(put(path, body), ...names);
    // A name of 1,000 CJK characters (3,000 bytes) is within the schema's 1,024 characters, but no index row holds it.
    const cjk = Array.from(crypto.randomBytes(1000), (byte, i) => String.fromCodePoint(0x4e00 + ((byte * 97 + i) % 20_000))).join('');
    await invalid(put(encodeURIComponent(cjk), branch(cjk)), 'name', 'must be at most 1024 bytes of UTF-8, not 3000');
    // A brand-new branch refused is not made either.
    await invalid(put('fresh', branch('fresh', { commitTime: 'yesterday' })), 'commitTime');
    await invalid(put('fresh', branch('fresh', { references: [{ path: 'a.js', hunks: [{ projKey: 'shop', startingLineNumber: 1 }] }] })), 'flagKey');
    for (const raw of ['null', '[]', '"main"', '{']) await refused(() => s.request('PUT', `${REPOS}/web/branches/main`, { raw }), 400, 'invalid_request');
    expect((await s.get(`${REPOS}/web/branches/fresh`)).status).toBe(404);
    expect((await s.get(`${REPOS}/web/branches/main`)).body).toMatchObject({ head: 'a94a8fe5', updateSequenceId: 10 });
  });

  it('putBranch: an updateSequenceId not above the stored one is a 409 updateSequenceId_conflict naming both; nothing written', async () => {
    for (const id of [10, 9, -1]) {
      const res = await refused(() => s.put(`${REPOS}/web/branches/main`, branch('main', { head: 'older', updateSequenceId: id })), 409, 'updateSequenceId_conflict', `updateSequenceId ${id}`, '10');
      expect(res.body).toEqual({ code: 'updateSequenceId_conflict', message: expect.any(String) });
    }
    expect((await s.get(`${REPOS}/web/branches/main`)).body).toMatchObject({ head: 'a94a8fe5', updateSequenceId: 10 });
  });

  it('postExtinction: a body that is no array, entries missing or mistyping members: 400 naming each; nothing written', async () => {
    const url = `${REPOS}/web/branches/main/extinction-events`;
    const { revision: _revision, ...noRevision } = extinction();
    const { time: _time, ...noTime } = extinction();
    const { message: _message, ...noMessage } = extinction();
    const { flagKey: _flagKey, ...noFlagKey } = extinction();
    const { projKey: _projKey, ...noProjKey } = extinction();
    const cases: [unknown, string[]][] = [
      [extinction(), ['must be an array']],
      [{ items: [extinction()] }, ['must be an array']],
      ['r1', ['must be an array']],
      [[noRevision], ['[0].revision', 'must be present']],
      [[extinction(), noTime], ['[1].time', 'must be present']],
      [[noMessage], ['[0].message', 'must be present']],
      [[noFlagKey], ['[0].flagKey', 'must be present']],
      [[noProjKey], ['[0].projKey', 'must be present']],
      [[extinction({ revision: '' })], ['[0].revision', 'must not be empty']],
      [[extinction({ time: '1000' })], ['[0].time', 'must be an integer']],
      [[extinction({ time: 'yesterday' })], ['[0].time', 'must be an integer']],
      [[extinction({ time: -5 })], ['[0].time']],
      [[extinction({ revision: 42 })], ['[0].revision', 'must be a string']],
      [['r1'], ['[0]', 'must be an object']],
      [[null], ['[0]', 'must be an object']],
    ];
    for (const [body, names] of cases) await invalid(() => s.post(url, body), ...names);
    for (const raw of ['null', '{', '']) await refused(() => s.request('POST', url, { raw, headers: { 'content-type': 'application/json' } }), 400, 'invalid_request');
    // A good entry alongside a bad one: neither is recorded.
    await invalid(() => s.post(url, [extinction({ revision: 'r9', flagKey: 'other' }), noTime]), '[1].time');
    expect(Object.keys((await s.get('/api/v2/code-refs/extinctions')).body.items)).toEqual(['checkout']);
  });

  it('deleteBranches: a body that is not an array of branch names: 400 naming it; no branch deleted', async () => {
    const url = `${REPOS}/web/branch-delete-tasks`;
    const cases: [unknown, string[]][] = [
      ['main', ['must be an array']],
      [{ branches: ['main'] }, ['must be an array']],
      [{ name: 'main' }, ['must be an array']],
      [[1], ['[0]', 'must be a string']],
      [['main', 2], ['[1]', 'must be a string']],
      [[['main']], ['[0]', 'must be a string']],
      [[{ name: 'main' }], ['[0]', 'must be a string']],
      [['main', null], ['[1]', 'must be a string']],
      [[''], ['[0]', 'must not be empty']],
    ];
    for (const [body, names] of cases) await invalid(() => s.post(url, body), ...names);
    for (const raw of ['null', '{', '42']) await refused(() => s.request('POST', url, { raw }), 400, 'invalid_request');
    expect((await s.get(`${REPOS}/web/branches`)).body.items.map((b: { name: string }) => b.name)).toEqual(['main']);
  });

  it('query parameters: from and to that are not times, or one without the other: 400 naming them', async () => {
    const from = await invalid(() => s.get('/api/v2/code-refs/extinctions?from=abc&to=1'), 'from', '"abc"');
    expect(from.body.errors).toEqual([{ attribute: 'from', reason: expect.any(String) }]);
    await invalid(() => s.get('/api/v2/code-refs/extinctions?from=0&to=tomorrow'), 'to', '"tomorrow"');
    await invalid(() => s.get('/api/v2/code-refs/extinctions?from=1.5&to=2'), 'from');
    await invalid(() => s.get('/api/v2/code-refs/extinctions?from=0'), 'to', 'must be given with from');
    await invalid(() => s.get('/api/v2/code-refs/extinctions?to=0'), 'from', 'must be given with to');
  });
});
