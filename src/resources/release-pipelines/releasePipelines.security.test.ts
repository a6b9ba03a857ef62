// Who may manage release pipelines and releases: every token must be valid; readers read; writers write. Custom roles
// need LaunchDarkly's release pipeline actions on `proj/p:release-pipeline/key` (createReleasePipeline, the update
// action of each member a PUT sends, deleteReleasePipeline) and, for a flag's release, the flag's
// updateReleasePhaseStatus; another project's pipelines stay out of reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const PIPELINES = '/api/v2/projects/shop/release-pipelines';
const PHASES = [{ name: 'Testing', audiences: [{ environmentKey: 'test', name: 'QA' }] }];

describe('release pipelines and releases: security', () => {
  let s: TestServer;
  const as = (token: string | null) => ({ token, headers: { 'LD-API-Version': 'beta' } });
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'hidden']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
    for (const key of ['checkout', 'banner']) expect((await s.post('/api/v2/flags/shop', { key, name: key })).status).toBe(201);
    expect((await s.post(PIPELINES, { key: 'standard', name: 'Standard', phases: PHASES }, as(s.tokens.writer))).status).toBe(201);
    expect((await s.post('/api/v2/projects/hidden/release-pipelines', { key: 'secret', name: 'Secret', phases: PHASES }, as(s.tokens.writer))).status).toBe(201);
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>, status: number): Promise<void> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
  }

  const writes = (token: string | null) => [
    () => s.post(PIPELINES, { key: 'new', name: 'New', phases: PHASES }, as(token)),
    () => s.put(`${PIPELINES}/standard`, { name: 'Renamed', phases: PHASES }, as(token)),
    () => s.del(`${PIPELINES}/standard`, as(token)),
    () => s.put('/api/v2/projects/shop/flags/checkout/release', { releasePipelineKey: 'standard' }, as(token)),
    () => s.patch('/api/v2/flags/shop/checkout/release', [{ op: 'replace', path: '/phases/0/complete', value: true }], as(token)),
    () => s.del('/api/v2/flags/shop/checkout/release', as(token)),
    () => s.put('/api/v2/projects/shop/flags/checkout/release/phases/x', { status: 'Started' }, as(token)),
  ];
  const reads = (token: string | null) => [
    () => s.get(PIPELINES, as(token)),
    () => s.get(`${PIPELINES}/standard`, as(token)),
    () => s.get(`${PIPELINES}/standard/releases`, as(token)),
  ];

  it('401 without a valid token; readers read but may not write', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [...reads(token), ...writes(token), () => s.get('/api/v2/flags/shop/checkout/release', as(token))]) await refused(send, 401);
    }
    for (const send of reads(s.tokens.reader)) expect((await send()).status).toBe(200);
    for (const send of writes(s.tokens.reader)) await refused(send, 403);
  });

  it('custom roles: the pipeline actions, on that project; the release is the flag\'s updateReleasePhaseStatus', async () => {
    const role = async (actions: string[], resource = 'proj/shop:release-pipeline/*') =>
      (await s.post('/api/v2/tokens', { name: actions.join() || 'view', inlineRole: [{ effect: 'allow', resources: ['proj/shop', 'proj/hidden'], actions: ['viewProject'] }, { effect: 'allow', resources: [resource], actions }] })).body.token as string;
    const viewer = await role(['viewProject'], 'proj/shop');
    for (const send of reads(viewer)) expect((await send()).status).toBe(200);
    for (const send of writes(viewer)) await refused(send, 403);
    const creator = await role(['createReleasePipeline']);
    expect((await s.post(PIPELINES, { key: 'made', name: 'Made', phases: PHASES }, as(creator))).status).toBe(201);
    await refused(() => s.post('/api/v2/projects/hidden/release-pipelines', { key: 'made', name: 'Made', phases: PHASES }, as(creator)), 403);
    // A PUT sends name and phases: both actions are asked; a description asks its own.
    const renamer = await role(['updateReleasePipelineName']);
    await refused(() => s.put(`${PIPELINES}/made`, { name: 'Renamed', phases: PHASES }, as(renamer)), 403);
    const editor = await role(['updateReleasePipelineName', 'updateReleasePipelinePhase']);
    expect((await s.put(`${PIPELINES}/made`, { name: 'Renamed', phases: PHASES }, as(editor))).status).toBe(200);
    await refused(() => s.put(`${PIPELINES}/made`, { name: 'Renamed', phases: PHASES, description: 'd' }, as(editor)), 403);
    await refused(() => s.del(`${PIPELINES}/made`, as(editor)), 403);
    expect((await s.del(`${PIPELINES}/made`, as(await role(['deleteReleasePipeline'], 'proj/shop:release-pipeline/made')))).status).toBe(204);
    // Releases: the flag's action.
    await refused(() => s.put('/api/v2/projects/shop/flags/checkout/release', { releasePipelineKey: 'standard' }, as(creator)), 403);
    const releaser = await role(['updateReleasePhaseStatus'], 'proj/shop:env/*:flag/checkout');
    const made = await s.put('/api/v2/projects/shop/flags/checkout/release', { releasePipelineKey: 'standard' }, as(releaser));
    expect(made.status).toBe(200);
    expect((await s.put(`/api/v2/projects/shop/flags/checkout/release/phases/${made.body.phases[0]._id}`, { status: 'Started' }, as(releaser))).status).toBe(200);
    await refused(() => s.put('/api/v2/projects/shop/flags/banner/release', { releasePipelineKey: 'standard' }, as(releaser)), 403);
    expect((await s.del('/api/v2/flags/shop/checkout/release', as(releaser))).status).toBe(204);
  });

  it("another project's pipeline is not found under this one", async () => {
    await refused(() => s.get(`${PIPELINES}/secret`, as(s.tokens.reader)), 404);
    await refused(() => s.put('/api/v2/projects/shop/flags/banner/release', { releasePipelineKey: 'secret' }, as(s.tokens.writer)), 400);
  });
});
