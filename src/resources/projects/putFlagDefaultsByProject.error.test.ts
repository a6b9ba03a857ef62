import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const PAYLOAD = {
  tags: [],
  temporary: true,
  booleanDefaults: { trueDisplayName: 'True', falseDisplayName: 'False', trueDescription: '', falseDescription: '', onVariation: 0, offVariation: 1 },
  defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false },
};

describe('putFlagDefaultsByProject: errors', () => {
  let s: TestServer;
  const put = (body: unknown, project = 'shop') => s.put(`/api/v2/projects/${project}/flag-defaults`, body);
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('400 naming every member missing: PUT replaces the whole', async () => {
    const res = await put({});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([
      { attribute: 'tags', reason: 'must be present' },
      { attribute: 'temporary', reason: 'must be present' },
      { attribute: 'booleanDefaults', reason: 'must be present' },
      { attribute: 'defaultClientSideAvailability', reason: 'must be present' },
    ]);
    expect(res.body.message).toBe('tags: must be present; temporary: must be present; booleanDefaults: must be present; defaultClientSideAvailability: must be present');
  });

  it('400 naming the field for each invalid value; nothing changes', async () => {
    for (const [body, attribute, reason] of [
      [{ ...PAYLOAD, tags: 'x' }, 'tags', 'must be an array'],
      [{ ...PAYLOAD, tags: [''] }, 'tags[0]', 'must not be empty'],
      [{ ...PAYLOAD, temporary: 'yes' }, 'temporary', 'must be a boolean'],
      [{ ...PAYLOAD, booleanDefaults: { ...PAYLOAD.booleanDefaults, onVariation: 2 } }, 'booleanDefaults.onVariation', 'must be <= 1'],
      [{ ...PAYLOAD, booleanDefaults: { ...PAYLOAD.booleanDefaults, offVariation: -1 } }, 'booleanDefaults.offVariation', 'must be >= 0'],
      [{ ...PAYLOAD, booleanDefaults: { ...PAYLOAD.booleanDefaults, offVariation: 0.5 } }, 'booleanDefaults.offVariation', 'must be an integer'],
      [{ ...PAYLOAD, booleanDefaults: { ...PAYLOAD.booleanDefaults, trueDisplayName: 7 } }, 'booleanDefaults.trueDisplayName', 'must be a string'],
      [{ ...PAYLOAD, booleanDefaults: { ...PAYLOAD.booleanDefaults, falseDescription: 'x'.repeat(8193) } }, 'booleanDefaults.falseDescription', 'must be at most 8192 characters'],
      [{ ...PAYLOAD, defaultClientSideAvailability: { usingMobileKey: true } }, 'defaultClientSideAvailability.usingEnvironmentId', 'must be present'],
      [[PAYLOAD], 'body', 'must be an object'],
    ] as [unknown, string, string][]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await put(body)))).toBe(false);
      expect(res!.status, attribute).toBe(400);
      expect(res!.body.code).toBe('invalid_request');
      expect(res!.body.errors, attribute).toContainEqual({ attribute, reason });
      expect(res!.body.message).toContain(attribute);
    }
    expect((await s.get('/api/v2/projects/shop/flag-defaults')).body.tags).toEqual([]);
  });

  it('400 for a body that is not JSON', async () => {
    const res = await s.request('PUT', '/api/v2/projects/shop/flag-defaults', { raw: '{"tags": [' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors[0].attribute).toBe('body');
  });

  it('404 naming the project', async () => {
    const res = await put(PAYLOAD, 'nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });
});
