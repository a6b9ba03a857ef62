import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMetricGroup: errors', () => {
  let s: TestServer;
  let original: Record<string, unknown>;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    for (const key of ['a', 'b']) await s.post('/api/v2/metrics/shop', { key, kind: 'custom', eventKey: key, isNumeric: false });
    original = (
      await s.post('/api/v2/projects/shop/metric-groups', { key: 'f', name: 'F', kind: 'funnel', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'a', nameInGroup: 'A' }, { key: 'b', nameInGroup: 'B' }] }, BETA)
    ).body;
  });
  afterAll(() => s.close());

  async function rejects(ops: unknown, status: number, code: string, errors: { attribute: string; reason: string | RegExp }[] | undefined, message?: RegExp) {
    const res = await s.patch('/api/v2/projects/shop/metric-groups/f', ops, BETA);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    if (errors) expect(res.body.errors).toEqual(errors.map((e) => ({ attribute: e.attribute, reason: typeof e.reason === 'string' ? e.reason : expect.stringMatching(e.reason) })));
    if (message) expect(res.body.message).toMatch(message);
    expect((await s.get('/api/v2/projects/shop/metric-groups/f', BETA)).body).toEqual(original);
  }

  it('400 naming read-only paths: kind, key, _id, maintainer', async () => {
    await rejects([{ op: 'replace', path: '/kind', value: 'standard' }], 400, 'invalid_request', [{ attribute: '/kind', reason: 'is read-only and cannot be changed' }]);
    await rejects([{ op: 'replace', path: '/key', value: 'g' }], 400, 'invalid_request', [{ attribute: '/key', reason: 'is read-only and cannot be changed' }]);
    await rejects([{ op: 'replace', path: '/_id', value: 'x' }], 400, 'invalid_request', [{ attribute: '/_id', reason: 'is read-only and cannot be changed' }]);
    await rejects([{ op: 'remove', path: '/maintainer/member' }], 400, 'invalid_request', [{ attribute: '/maintainer', reason: 'is read-only and cannot be changed' }]);
  });

  it("400 when the result breaks the group's rules", async () => {
    await rejects([{ op: 'add', path: '/metrics/-', value: { key: 'a', nameInGroup: 'Again' } }], 400, 'invalid_request', [
      { attribute: 'metrics[2].key', reason: 'the metric "a" is already in the group' },
    ]);
    await rejects([{ op: 'remove', path: '/metrics/1/nameInGroup' }], 400, 'invalid_request', [
      { attribute: 'metrics[1].nameInGroup', reason: 'must be present for every metric of a funnel group' },
    ]);
    await rejects([{ op: 'replace', path: '/metrics/0/key', value: 'missing' }], 400, 'invalid_request', [{ attribute: 'metrics[0].key', reason: 'no metric "missing" in project "shop"' }]);
    await rejects([{ op: 'replace', path: '/metrics', value: [] }], 400, 'invalid_request', [{ attribute: 'metrics', reason: 'must have at least 1 item(s)' }]);
    await rejects([{ op: 'remove', path: '/name' }], 400, 'invalid_request', [{ attribute: 'name', reason: 'must be present' }]);
  });

  it("400 'maintainer ID is required' when the maintainer is emptied, and naming an unknown one", async () => {
    await rejects([{ op: 'replace', path: '/maintainerId', value: '' }], 400, 'invalid_request', [{ attribute: 'maintainerId', reason: 'maintainer ID is required' }], /^maintainer ID is required$/);
    await rejects([{ op: 'replace', path: '/maintainerId', value: 'ghost' }], 400, 'invalid_request', [{ attribute: 'maintainerId', reason: 'no member has the ID "ghost"' }]);
  });

  it('409 for the documented `test /version` naming a version the group is not at; nothing applied; /version cannot be written', async () => {
    const stale = (original._version as number) + 1;
    await rejects(
      [
        { op: 'test', path: '/version', value: stale },
        { op: 'replace', path: '/description', value: 'The new description' },
      ],
      409,
      'optimistic_locking_error',
      undefined,
      new RegExp(`^Conflict\\. Optimistic lock error: operation 0 test failed: /version is ${original._version}, not ${stale}$`),
    );
    await rejects([{ op: 'replace', path: '/version', value: 1 }], 400, 'invalid_request', [
      { attribute: '/version', reason: /^is not a field that can be patched/ },
    ]);
  });

  it('409 optimistic_locking_error when a test fails', async () => {
    await rejects([{ op: 'test', path: '/name', value: 'Not F' }, { op: 'replace', path: '/name', value: 'X' }], 409, 'optimistic_locking_error', undefined, /test failed: \/name is "F", not "Not F"/);
  });

  it('400 for a malformed patch, 404 for an unknown group', async () => {
    await rejects({ op: 'replace' }, 400, 'invalid_request', [{ attribute: 'body', reason: 'must be an array of operations' }]);
    expect(await s.patch('/api/v2/projects/shop/metric-groups/none', [], BETA)).toMatchObject({ status: 404, body: { message: 'Metric group "none" not found' } });
  });
});
