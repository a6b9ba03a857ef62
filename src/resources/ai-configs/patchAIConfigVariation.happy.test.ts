// Updating a variation with a JSON object of the fields to change: each change is a new version (the old ones kept
// and listed), the flag serves the newest under the same `_id` (targeting still points at it), archiving and
// publishing move `state` and its dates; a patch that changes nothing (a comment alone) makes no version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchAIConfigVariation', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs';
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    const made = await s.post(url, { key: 'agent', name: 'Agent', mode: 'agent', defaultVariation: { key: 'a', name: 'A', instructions: 'Plan {{goal}}', model: { modelName: 'gpt-4o' } } });
    id = made.body.variations[0]._id;
    await s.post(`${url}/agent/variations`, { key: 'b', name: 'B', instructions: 'Other' });
  });
  afterAll(() => s.close());

  it('a new version, served under the same _id; the old one kept', async () => {
    const res = await s.patch(`${url}/agent/variations/a`, { instructions: 'Plan {{goal}} carefully', model: { modelName: 'gpt-4.1', parameters: { temperature: 0 } }, comment: 'stricter' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ key: 'a', _id: id, version: 2, instructions: 'Plan {{goal}} carefully', model: { modelName: 'gpt-4.1', parameters: { temperature: 0 } }, comment: 'stricter', state: 'published' });
    const versions = (await s.get(`${url}/agent/variations/a`)).body;
    expect(versions.items.map((v: { version: number; instructions: string }) => [v.version, v.instructions])).toEqual([
      [1, 'Plan {{goal}}'],
      [2, 'Plan {{goal}} carefully'],
    ]);
    const targeting = (await s.get(`${url}/agent/targeting`)).body;
    expect(targeting.variations[1]).toMatchObject({ _id: id, value: { _ldMeta: { variationKey: 'a', version: 2, mode: 'agent', enabled: true }, model: { name: 'gpt-4.1', parameters: { temperature: 0 } }, instructions: 'Plan {{goal}} carefully' } });
    expect((await s.get(`${url}/agent`)).body.variations.map((v: { key: string; version: number }) => [v.key, v.version])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('outputFormat (2026-07) sent makes a new version holding it; the versions before keep theirs', async () => {
    const outputFormat = { type: 'object', properties: { steps: { type: 'array', items: { type: 'string' } } }, required: ['steps'] };
    const before = (await s.get(`${url}/agent/variations/a`)).body.items.length;
    const res = await s.patch(`${url}/agent/variations/a`, { outputFormat });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ version: before + 1, outputFormat });
    const versions = (await s.get(`${url}/agent/variations/a`)).body.items;
    expect(versions.map((v: { outputFormat?: unknown }) => v.outputFormat)).toEqual([...Array(before).fill(undefined), outputFormat]);
    expect((await s.patch(`${url}/agent/variations/a`, { outputFormat })).body.version).toBe(before + 1);
    const refused = await s.patch(`${url}/agent/variations/a`, { outputFormat: { required: 'steps' } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^outputFormat: is not a JSON Schema: \/required /);
    expect((await s.get(`${url}/agent/variations/a`)).body.items).toHaveLength(before + 1);
  });

  it('archive and publish again: state and dates; a comment alone makes no version', async () => {
    const archived = await s.patch(`${url}/agent/variations/b`, { state: 'archived' });
    expect(archived.body).toMatchObject({ version: 2, state: 'archived', _archivedAt: expect.any(Number) });
    const published = await s.patch(`${url}/agent/variations/b`, { published: true });
    expect(published.body).toMatchObject({ version: 3, state: 'published' });
    expect(published.body._archivedAt).toBeUndefined();
    let res: { status: number; body: unknown } | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(`${url}/agent/variations/b`, { comment: 'just a note' })))).toBe(false);
    expect(res).toMatchObject({ status: 200, body: published.body });
  });
});
