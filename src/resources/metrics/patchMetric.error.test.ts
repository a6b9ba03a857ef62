import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMetric: errors', () => {
  let s: TestServer;
  let original: Record<string, unknown>;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    original = (await s.post('/api/v2/metrics/shop', { key: 'm', kind: 'custom', eventKey: 'e', isNumeric: false })).body;
  });
  afterAll(() => s.close());

  async function rejects(ops: unknown, status: number, code: string, attribute: string | undefined, message: RegExp) {
    const res = await s.patch('/api/v2/metrics/shop/m', ops);
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
    expect(res.body.message).toMatch(message);
    if (attribute) expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toContain(attribute);
    expect((await s.get('/api/v2/metrics/shop/m')).body).toEqual(original);
  }

  it('400 naming a read-only path that the patch would change', async () => {
    await rejects([{ op: 'replace', path: '/key', value: 'other' }], 400, 'invalid_request', '/key', /\/key: is read-only/);
    await rejects([{ op: 'replace', path: '/_id', value: 'x' }], 400, 'invalid_request', '/_id', /\/_id: is read-only/);
    await rejects([{ op: 'replace', path: '/kind', value: 'click' }], 400, 'invalid_request', '/kind', /\/kind: is read-only/);
    await rejects([{ op: 'replace', path: '/_version', value: 9 }], 400, 'invalid_request', '/_version', /read-only/);
    await rejects([{ op: 'remove', path: '/_links/self' }], 400, 'invalid_request', '/_links', /read-only/);
  });

  it('400 naming a path that is not a field of a metric', async () => {
    await rejects([{ op: 'add', path: '/color', value: 'red' }], 400, 'invalid_request', '/color', /\/color: is not a field that can be patched/);
    await rejects([{ op: 'replace', path: '', value: {} }], 400, 'invalid_request', 'patch[0].path', /whole resource/);
  });

  it("400 when the result breaks the kind's rules", async () => {
    await rejects([{ op: 'remove', path: '/eventKey' }], 400, 'invalid_request', 'eventKey', /eventKey: must be present for custom metrics/);
    await rejects([{ op: 'add', path: '/selector', value: '.x' }], 400, 'invalid_request', 'selector', /selector: applies to click metrics only/);
    await rejects([{ op: 'replace', path: '/name', value: 7 }], 400, 'invalid_request', 'name', /name: must be a string/);
    await rejects([{ op: 'replace', path: '/analysisType', value: 'percentile' }], 400, 'invalid_request', 'percentileValue', /percentileValue/);
  });

  it("400 with LaunchDarkly's message for an unregistered unit, and naming an unknown maintainer", async () => {
    await rejects([{ op: 'replace', path: '/randomizationUnits', value: ['stableid'] }], 400, 'invalid_request', 'randomizationUnits[0]', /^Randomization unit "stableid" not found in project settings \[user\]$/);
    await rejects([{ op: 'replace', path: '/maintainerId', value: 'nobody' }], 400, 'invalid_request', 'maintainerId', /no member has the ID "nobody"/);
  });

  it('400 for a malformed patch, naming the operation', async () => {
    await rejects({ name: 'x' }, 400, 'invalid_request', 'body', /must be an array of operations/);
    await rejects([{ op: 'replace', path: '/name' }], 400, 'invalid_request', 'patch[0]', /needs a value/);
    await rejects([{ op: 'frobnicate', path: '/name' }], 400, 'invalid_request', 'patch[0]', /op must be one of/);
    await rejects([{ op: 'remove', path: '/description' }], 400, 'invalid_request', 'patch[0]', /path does not exist/);
    await rejects({ comment: 5, patch: [] }, 400, 'invalid_request', 'comment', /comment: must be a string/);
  });

  it('409 optimistic_locking_error when a test operation fails; nothing is applied', async () => {
    await rejects(
      [
        { op: 'replace', path: '/name', value: 'changed' },
        { op: 'test', path: '/_version', value: 7 },
      ],
      409,
      'optimistic_locking_error',
      undefined,
      /operation 1 test failed: \/_version is 1, not 7/,
    );
  });

  it('409 for the documented `test /version` naming a version the metric is not at; nothing applied; /version cannot be written', async () => {
    await rejects(
      [
        { op: 'test', path: '/version', value: 7 },
        { op: 'replace', path: '/description', value: 'The new description' },
      ],
      409,
      'optimistic_locking_error',
      undefined,
      /^Conflict\. Optimistic lock error: operation 0 test failed: \/version is 1, not 7$/,
    );
    await rejects([{ op: 'replace', path: '/version', value: 1 }], 400, 'invalid_request', '/version', /\/version: is not a field that can be patched/);
  });

  it("400 naming isNumeric when the metric is a funnel's step (funnels take no numeric metrics); outside a funnel it may become numeric", async () => {
    await s.post('/api/v2/metrics/shop', { key: 'step', kind: 'custom', eventKey: 'step', isNumeric: false });
    await s.post('/api/v2/metrics/shop', { key: 'loose', kind: 'custom', eventKey: 'loose', isNumeric: false });
    const funnel = { key: 'checkout', name: 'Checkout', kind: 'funnel', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'm', nameInGroup: 'One' }, { key: 'step', nameInGroup: 'Two' }] };
    const made = await s.post('/api/v2/projects/shop/metric-groups', funnel, BETA);
    expect(made.status).toBe(201);
    const before = (await s.get('/api/v2/metrics/shop/step')).body;
    const res = await s.patch('/api/v2/metrics/shop/step', [{ op: 'replace', path: '/isNumeric', value: true }, { op: 'add', path: '/unit', value: 'USD' }]);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([{ attribute: 'isNumeric', reason: 'metric "step" is a step of the funnel group "checkout"; a funnel\'s steps cannot be numeric' }]);
    expect((await s.get('/api/v2/metrics/shop/step')).body).toEqual(before);
    const loose = await s.patch('/api/v2/metrics/shop/loose', [{ op: 'replace', path: '/isNumeric', value: true }]);
    expect(loose.status).toBe(200);
    expect(loose.body.isNumeric).toBe(true);
  });

  it('404 naming the metric or project', async () => {
    expect(await s.patch('/api/v2/metrics/shop/none', [])).toMatchObject({ status: 404, body: { message: 'Metric "none" not found' } });
    expect(await s.patch('/api/v2/metrics/gone/m', [])).toMatchObject({ status: 404, body: { message: 'Project "gone" not found' } });
  });
});
