// Updating an AI Config with a JSON object of the fields to change (not a JSON Patch): the fields given replace the
// stored ones, the version moves on, the audit log keeps before and after; a judge's evaluation metric key reaches
// what SDKs are served; a patch that changes nothing writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchAIConfig', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/teams', { key: 'ml', name: 'ML team' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('replaces the fields given; version 2; audited', async () => {
    const made = (await s.post(url, { key: 'summarizer', name: 'Summarizer', tags: ['a'] })).body;
    const res = await s.patch(`${url}/summarizer`, { description: 'Example updated description', tags: ['new-tag'], maintainerTeamKey: 'ml' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...made, description: 'Example updated description', tags: ['new-tag'], _maintainer: { kind: 'team', key: 'ml', name: 'ML team' }, version: 2, updatedAt: expect.any(Number) });
    expect((await s.get(`${url}/summarizer`)).body).toEqual(res.body);
    expect((await s.patch(`${url}/summarizer`, { name: 'Summarizer 2' })).body.name).toBe('Summarizer 2');
    // Its flag is named as it is.
    expect((await s.get('/api/v2/flags/shop/summarizer')).body.name).toBe('Summarizer 2');
    expect((await s.patch(`${url}/summarizer`, { name: 'Summarizer' })).body.version).toBe(4);
    const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/shop:aiconfig/*')}`)).body.items[2];
    expect(entry).toMatchObject({ kind: 'aiconfig', name: 'Summarizer', title: expect.stringContaining('updated the AI Config Summarizer') });
    // Naming a member replaces the team.
    const me = (await s.get('/api/v2/members/me')).body;
    expect((await s.patch(`${url}/summarizer`, { maintainerId: me._id })).body._maintainer).toMatchObject({ kind: 'member', _id: me._id });
  });

  it('nothing to change: 200 as it is, nothing written', async () => {
    const before = (await s.get(`${url}/summarizer`)).body;
    let res: { status: number; body: unknown } | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(`${url}/summarizer`, { name: before.name, tags: before.tags })))).toBe(false);
    expect(res).toMatchObject({ status: 200, body: before });
  });

  it("a judge's evaluationMetricKey is served with its variations", async () => {
    expect((await s.post(url, { key: 'relevance-judge', name: 'Relevance judge', mode: 'judge', evaluationMetricKey: '$ld:ai:judge:relevance', defaultVariation: { key: 'j', name: 'J', messages: [{ role: 'system', content: 'Rate {{response_to_evaluate}}' }] } })).status).toBe(201);
    const served = async () => (await s.get(`${url}/relevance-judge/targeting`)).body.variations[1].value;
    expect((await served()).evaluationMetricKey).toBe('$ld:ai:judge:relevance');
    const res = await s.patch(`${url}/relevance-judge`, { evaluationMetricKey: '$ld:ai:judge:accuracy', isInverted: false });
    expect(res.body).toMatchObject({ evaluationMetricKey: '$ld:ai:judge:accuracy', isInverted: false, version: 2 });
    expect(await served()).toEqual({ _ldMeta: { enabled: true, variationKey: 'j', version: 1, mode: 'judge' }, messages: [{ role: 'system', content: 'Rate {{response_to_evaluate}}' }], evaluationMetricKey: '$ld:ai:judge:accuracy' });
  });
});
