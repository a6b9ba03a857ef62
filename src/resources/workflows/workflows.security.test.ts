// Who may do what with workflows and templates: no token is a 401; readers read, writers make and delete; a custom
// role needs updateFeatureWorkflows on the flag in the environment (for a template: on the flag it is made from, and
// on every flag to delete one), and sees only the templates of projects it may view; another project's workflow is
// not found through this one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('workflows: security', () => {
  let s: TestServer;
  let w: World;
  const path = (env = 'production', project = 'proj') => `/api/v2/projects/${project}/flags/checkout-button/environments/${env}/workflows`;
  const body = () => ({ name: 'Later', stages: [{ conditions: [{ kind: 'schedule', scheduleKind: 'relative', waitDuration: 1, waitDurationUnit: 'hour' }], action: { instructions: [{ kind: 'turnFlagOff' }] } }] });
  const templateBody = (key: string, env = 'production') => ({ key, stages: body().stages, projectKey: 'proj', environmentKey: env, flagKey: 'checkout-button' });
  const role = async (resources: string, actions: string[]) =>
    (await s.post('/api/v2/tokens', { name: `${resources} ${actions.join()}`, inlineRole: [{ effect: 'allow', resources: ['proj/proj'], actions: ['viewProject'] }, { effect: 'allow', resources: [resources], actions }] })).body.token as string;
  /** A refused write: 403 forbidden, nothing written. */
  const forbidden = (send: () => Promise<Response>): Promise<Response> => expectRefused(s.store, send, 403, 'forbidden');
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createWorld(s, 'elsewhere');
  });
  afterAll(() => s.close());

  it('401 without a valid token, on every route', async () => {
    const id = (await s.post(path(), body())).body._id;
    expect((await s.post('/api/v2/templates', templateBody('sec-401'))).status).toBe(201);
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const res of [
        await s.get(path(), { token }),
        await s.get(`${path()}/${id}`, { token }),
        await s.post(path(), body(), { token }),
        await s.del(`${path()}/${id}`, { token }),
        await s.get('/api/v2/templates', { token }),
        await s.post('/api/v2/templates', templateBody('sec-401b'), { token }),
        await s.del('/api/v2/templates/sec-401', { token }),
      ]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
      }
    }
    expect((await s.del(`${path()}/${id}`)).status).toBe(204);
  });

  it('readers read workflows and templates but may not make or delete them; writers may', async () => {
    const id = (await s.post(path(), body(), { token: s.tokens.writer })).body._id;
    expect((await s.get(path(), { token: s.tokens.reader })).status).toBe(200);
    expect((await s.get(`${path()}/${id}`, { token: s.tokens.reader })).status).toBe(200);
    expect((await s.get('/api/v2/templates', { token: s.tokens.reader })).status).toBe(200);
    await forbidden(() => s.post(path(), body(), { token: s.tokens.reader }));
    await forbidden(() => s.del(`${path()}/${id}`, { token: s.tokens.reader }));
    await forbidden(() => s.post('/api/v2/templates', templateBody('by-reader'), { token: s.tokens.reader }));
    await forbidden(() => s.del('/api/v2/templates/sec-401', { token: s.tokens.reader }));
    expect((await s.post('/api/v2/templates', templateBody('by-writer'), { token: s.tokens.writer })).status).toBe(201);
    expect((await s.del('/api/v2/templates/by-writer', { token: s.tokens.writer })).status).toBe(204);
    expect((await s.del(`${path()}/${id}`, { token: s.tokens.writer })).status).toBe(204);
  });

  it("custom roles: updateFeatureWorkflows on the flag in the environment makes and deletes workflows; the instructions' own actions do not", async () => {
    const production = await role('proj/proj:env/production:flag/*', ['updateFeatureWorkflows']);
    const onOff = await role('proj/proj:env/*:flag/*', ['updateOn']);
    const viewer = await role('proj/proj:env/*:flag/*', ['viewProject']);
    const res = await forbidden(() => s.post(path(), body(), { token: onOff }));
    expect(res.body.message).toContain('updateFeatureWorkflows on proj/proj:env/production:flag/checkout-button');
    const made = await s.post(path(), body(), { token: production });
    expect(made.status).toBe(201);
    await forbidden(() => s.post(path('test'), body(), { token: production }));
    expect((await s.get(`${path()}/${made.body._id}`, { token: viewer })).status).toBe(200);
    await forbidden(() => s.del(`${path()}/${made.body._id}`, { token: onOff }));
    expect((await s.del(`${path()}/${made.body._id}`, { token: production })).status).toBe(204);
  });

  it("custom roles and templates: made from the flag they are for (the workflow's, from workflowId); deleted with every flag's", async () => {
    const production = await role('proj/proj:env/production:flag/*', ['updateFeatureWorkflows']);
    const everywhere = await role('proj/*:env/*:flag/*', ['updateFeatureWorkflows']);
    expect((await s.post('/api/v2/templates', templateBody('prod-only'), { token: production })).status).toBe(201);
    await forbidden(() => s.post('/api/v2/templates', templateBody('in-test', 'test'), { token: production }));
    const inTest = (await s.post(path('test'), body())).body._id;
    const inProduction = (await s.post(path(), body())).body._id;
    const refused = await forbidden(() => s.post('/api/v2/templates', { key: 'from-test', workflowId: inTest }, { token: production }));
    expect(refused.body.message).toContain('updateFeatureWorkflows on proj/proj:env/test:flag/checkout-button');
    expect((await s.post('/api/v2/templates', { key: 'from-production', workflowId: inProduction }, { token: production })).status).toBe(201);
    await forbidden(() => s.del('/api/v2/templates/prod-only', { token: production }));
    expect((await s.del('/api/v2/templates/prod-only', { token: everywhere })).status).toBe(204);
  });

  it("a custom-role token lists the templates of the projects it may view; another project's workflow is not found through this one", async () => {
    expect((await s.post('/api/v2/templates', { ...templateBody('elsewhere-template'), projectKey: 'elsewhere' })).status).toBe(201);
    const viewer = await role('proj/proj:env/*:flag/*', ['viewProject']);
    const seen = (await s.get('/api/v2/templates', { token: viewer })).body.items.map((t: { _key: string }) => t._key);
    expect(seen).not.toContain('elsewhere-template');
    expect(seen).toContain('from-production');
    expect((await s.get('/api/v2/templates')).body.items.map((t: { _key: string }) => t._key)).toContain('elsewhere-template');
    const theirs = (await s.post(path('production', 'elsewhere'), body())).body._id;
    expect((await s.get(`${path()}/${theirs}`)).status).toBe(404);
    expect((await s.del(`${path()}/${theirs}`)).status).toBe(404);
    expect((await s.get(`${path('production', 'elsewhere')}/${theirs}`)).status).toBe(200);
    await forbidden(() => s.get(path('production', 'elsewhere'), { token: viewer }));
  });
});
