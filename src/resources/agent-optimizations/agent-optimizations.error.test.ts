// Every error a client can cause on the agent optimization routes: exact status, code and a message naming the field
// or what is missing; nothing written by a request that fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOptimizationTargets, SUPPORT_OPTIMIZATION } from '../../../test/support/agentOptimizations.js';
import { expectRefused } from '../../../test/support/digest.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('agent optimizations: errors', () => {
  let s: TestServer;
  const optimizations = '/api/v2/projects/shop/agent-optimizations';
  const optimization = `${optimizations}/support-agent-tuning`;
  const runId = '6f1c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f';
  let resultId = '';
  const minimal = { key: 'k', aiConfigKey: 'support-agent', maxAttempts: 3, judgeModel: 'gpt-4o' };
  const result = { runId, agentOptimizationVersion: 1, iteration: 0, instructions: 'i', userInput: 'u' };
  beforeAll(async () => {
    s = await startServer();
    await postOptimizationTargets(s.post, 'shop');
    expect((await s.post(optimizations, SUPPORT_OPTIMIZATION)).status).toBe(201);
    resultId = (await s.post(`${optimization}/results`, result)).body.id;
  });
  afterAll(() => s.close());

  const refused = (send: () => Promise<Response>, status: number, code: string, message: string | RegExp) => expectRefused(s.store, send, status, code, message);
  const post = (body: unknown) => () => s.post(optimizations, body);
  const patch = (body: unknown) => () => s.patch(optimization, body);
  const postResult = (body: unknown) => () => s.post(`${optimization}/results`, body);
  const patchResult = (body: unknown, id = resultId) => () => s.patch(`${optimization}/results/${id}`, body);

  it('an optimization without a required member, or with one of the wrong type, 400 naming each', async () => {
    await refused(post({ aiConfigKey: 'support-agent', maxAttempts: 3, judgeModel: 'gpt-4o' }), 400, 'invalid_request', 'key: must be present');
    await refused(post({ key: 'k', maxAttempts: 3, judgeModel: 'gpt-4o' }), 400, 'invalid_request', 'aiConfigKey: must be present');
    await refused(post({ key: 'k', aiConfigKey: 'support-agent', judgeModel: 'gpt-4o' }), 400, 'invalid_request', 'maxAttempts: must be present');
    await refused(post({ key: 'k', aiConfigKey: 'support-agent', maxAttempts: 3 }), 400, 'invalid_request', 'judgeModel: must be present');
    await refused(post({ ...minimal, key: 'k k' }), 400, 'invalid_request', /^key: must start with a letter or digit/);
    await refused(post({ ...minimal, maxAttempts: 0 }), 400, 'invalid_request', 'maxAttempts: must be >= 1');
    await refused(post({ ...minimal, maxAttempts: '3' }), 400, 'invalid_request', 'maxAttempts: must be an integer');
    await refused(post({ ...minimal, judgeModel: '' }), 400, 'invalid_request', 'judgeModel: must not be empty');
    await refused(post({ ...minimal, modelChoices: 'gpt-4o' }), 400, 'invalid_request', 'modelChoices: must be an array');
    await refused(post({ ...minimal, variableChoices: ['router'] }), 400, 'invalid_request', 'variableChoices[0]: must be an object');
    await refused(post({ ...minimal, acceptanceStatements: [{ statement: 'Polite' }] }), 400, 'invalid_request', 'acceptanceStatements[0].threshold: must be present');
    await refused(post({ ...minimal, acceptanceStatements: [{ statement: 'Polite', threshold: 1.5 }] }), 400, 'invalid_request', 'acceptanceStatements[0].threshold: must be <= 1');
    await refused(post({ ...minimal, judges: [{ key: 'accuracy-judge', threshold: -0.1 }] }), 400, 'invalid_request', 'judges[0].threshold: must be >= 0');
    await refused(post({ ...minimal, judges: [{ threshold: 0.5 }] }), 400, 'invalid_request', 'judges[0].key: must be present');
    await refused(post({ ...minimal, tokenLimit: 0 }), 400, 'invalid_request', 'tokenLimit: must be >= 1');
    await refused(post({ ...minimal, autoCommit: 'yes' }), 400, 'invalid_request', 'autoCommit: must be a boolean');
    await refused(post({ ...minimal, version: 3 }), 400, 'invalid_request', 'version: is not allowed');
    await refused(post({ ...minimal, modelChoices: Array.from({ length: 1001 }, () => 'gpt-4o') }), 400, 'invalid_request', 'modelChoices: must have at most 1000 items');
    await refused(post([]), 400, 'invalid_request', /body/);
  });

  it('a judge named twice, or expected outputs that do not line up with their inputs, 400 naming the field', async () => {
    await refused(post({ ...minimal, judges: [{ key: 'accuracy-judge', threshold: 0.5 }, { key: 'accuracy-judge', threshold: 0.9 }] }), 400, 'invalid_request', 'judges[1].key: "accuracy-judge" is already judges[0]: each judge is named once');
    await refused(
      post({ ...minimal, groundTruthResponses: ['a', 'b'], userInputOptions: ['x'], variableChoices: [{}, {}] }),
      400,
      'invalid_request',
      'groundTruthResponses: has 2 expected output(s) but userInputOptions has 1: each expected output is paired with the user input and the variables at its index',
    );
    await refused(patch({ groundTruthResponses: ['only one'] }), 400, 'invalid_request', /^groundTruthResponses: has 1 expected output\(s\) but userInputOptions has 2/);
  });

  it('an AI Config, variation, judge or metric the project does not have, 400 naming the field', async () => {
    await postOptimizationTargets(s.post, 'elsewhere');
    await refused(post({ ...minimal, aiConfigKey: 'ghost' }), 400, 'invalid_request', 'aiConfigKey: "ghost" is not an AI Config of this project');
    await refused(() => s.post(optimizations, { ...minimal, aiConfigKey: 'elsewhere-agent' }), 400, 'invalid_request', 'aiConfigKey: "elsewhere-agent" is not an AI Config of this project');
    await refused(post({ ...minimal, aiConfigKey: 'chat-completion' }), 400, 'invalid_request', 'aiConfigKey: AI Config "chat-completion" is not an agent (its mode is completion): an optimization improves an agent-mode AI Config\'s instructions');
    await refused(post({ ...minimal, variationKey: 'j' }), 400, 'invalid_request', 'variationKey: "j" is not a variation of AI Config "support-agent"');
    await refused(post({ ...minimal, judges: [{ key: 'nope', threshold: 0.5 }] }), 400, 'invalid_request', 'judges[0].key: "nope" is not an AI Config of this project');
    await refused(post({ ...minimal, judges: [{ key: 'support-agent', threshold: 0.5 }] }), 400, 'invalid_request', 'judges[0].key: AI Config "support-agent" is not a judge (its mode is agent)');
    await refused(post({ ...minimal, metricKey: 'nope' }), 400, 'invalid_request', 'metricKey: "nope" is not a metric of this project');
    await refused(patch({ variationKey: 'nope', metricKey: 'nope' }), 400, 'invalid_request', 'variationKey: "nope" is not a variation of AI Config "support-agent"; metricKey: "nope" is not a metric of this project');
  });

  it('an update of the key or of the AI Config optimized, or of the wrong type, 400 naming the member; nothing written', async () => {
    await refused(patch({ aiConfigKey: 'support-agent' }), 400, 'invalid_request', 'aiConfigKey: is not allowed');
    await refused(patch({ key: 'other' }), 400, 'invalid_request', 'key: is not allowed');
    await refused(patch({ maxAttempts: null }), 400, 'invalid_request', 'maxAttempts: must be an integer');
    await refused(patch([{ op: 'replace', path: '/maxAttempts', value: 2 }]), 400, 'invalid_request', /must be an object/);
    expect((await s.get(optimization)).body).toMatchObject({ maxAttempts: 5, version: 1 });
  });

  it('a key the project already has, 409 naming it', async () => {
    await refused(post(SUPPORT_OPTIMIZATION), 409, 'conflict', 'An agent optimization with the key "support-agent-tuning" already exists in project "shop"');
  });

  it('a result without a required member, of the wrong type, or with a run ID that is not a UUID, 400 naming it', async () => {
    for (const name of ['runId', 'agentOptimizationVersion', 'iteration', 'instructions', 'userInput'] as const) {
      const { [name]: _, ...rest } = result;
      await refused(postResult(rest), 400, 'invalid_request', `${name}: must be present`);
    }
    await refused(postResult({ ...result, runId: 'run-1' }), 400, 'invalid_request', 'runId: must be a UUID (as "046b6c7f-0b8a-43b9-b35d-6489e6daee91"), not "run-1"');
    await refused(postResult({ ...result, iteration: -1 }), 400, 'invalid_request', 'iteration: must be >= 0');
    await refused(postResult({ ...result, agentOptimizationVersion: 0 }), 400, 'invalid_request', 'agentOptimizationVersion: must be >= 1');
    await refused(postResult({ ...result, parameters: [] }), 400, 'invalid_request', 'parameters: must be an object');
    await refused(postResult({ ...result, status: 'PASSED' }), 400, 'invalid_request', 'status: is not allowed');
  });

  it('a result of a version the optimization does not have, or of another version than its run, 400 naming agentOptimizationVersion', async () => {
    await refused(postResult({ ...result, iteration: 1, agentOptimizationVersion: 2 }), 400, 'invalid_request', 'agentOptimizationVersion: agent optimization "support-agent-tuning" has no version 2: its current version is 1');
    expect((await s.patch(optimization, { maxAttempts: 6 })).body.version).toBe(2);
    await refused(postResult({ ...result, iteration: 1, agentOptimizationVersion: 2 }), 400, 'invalid_request', `agentOptimizationVersion: run "${runId}" runs version 1 of agent optimization "support-agent-tuning", not 2: a run keeps the version it started with`);
  });

  it('a second result for an iteration of a run, 409 naming them', async () => {
    await refused(postResult(result), 409, 'conflict', `Run "${runId}" of agent optimization "support-agent-tuning" already has a result for iteration 0: update that result instead`);
  });

  it('a result update of the wrong type, an unknown status, or a variation the AI Config does not have, 400 naming the member', async () => {
    await refused(patchResult({ status: 'DONE' }), 400, 'invalid_request', 'status: must be one of "RUNNING", "PASSED", "FAILED", "ERRORED"');
    await refused(patchResult({ activity: 'SLEEPING' }), 400, 'invalid_request', /^activity: must be one of "PENDING", "GENERATING"/);
    await refused(patchResult({ scores: 0.5 }), 400, 'invalid_request', 'scores: must be an object');
    await refused(patchResult({ generationLatency: 1.5 }), 400, 'invalid_request', 'generationLatency: must be an integer');
    await refused(patchResult({ iteration: 3 }), 400, 'invalid_request', 'iteration: is not allowed');
    await refused(patchResult({ createdVariationKey: 'never-made' }), 400, 'invalid_request', 'createdVariationKey: "never-made" is not a variation of AI Config "support-agent", the one agent optimization "support-agent-tuning" optimizes');
    await refused(patchResult({ createdVariationKey: 'j' }), 400, 'invalid_request', /^createdVariationKey: "j" is not a variation of AI Config "support-agent"/);
  });

  it('an unknown project, optimization, result or run, 404 naming it', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555';
    await refused(() => s.get('/api/v2/projects/nope/agent-optimizations'), 404, 'not_found', 'Project "nope" not found');
    await refused(() => s.post('/api/v2/projects/nope/agent-optimizations', minimal), 404, 'not_found', 'Project "nope" not found');
    const missing = `${optimizations}/nope`;
    const sends = [
      () => s.get(missing),
      () => s.patch(missing, { maxAttempts: 2 }),
      () => s.del(missing),
      () => s.get(`${missing}/results`),
      () => s.post(`${missing}/results`, result),
      () => s.get(`${missing}/all-results`),
      () => s.get(`${missing}/runs`),
      () => s.get(`${missing}/runs/${runId}/results`),
      () => s.patch(`${missing}/results/${resultId}`, { status: 'PASSED' }),
      () => s.del(`${missing}/runs/${runId}`, BETA),
    ];
    for (const send of sends) await refused(send, 404, 'not_found', 'Agent optimization "nope" not found');
    await refused(patchResult({ status: 'PASSED' }, unknown), 404, 'not_found', `Result "${unknown}" of agent optimization "support-agent-tuning" not found`);
    await refused(patchResult({ status: 'PASSED' }, 'not-a-uuid'), 404, 'not_found', 'Result "not-a-uuid" of agent optimization "support-agent-tuning" not found');
    await refused(() => s.del(`${optimization}/runs/${unknown}`, BETA), 404, 'not_found', `Run "${unknown}" of agent optimization "support-agent-tuning" not found`);
  });

  it('a result is found only under its own optimization', async () => {
    expect((await s.post(optimizations, minimal)).status).toBe(201);
    await refused(() => s.patch(`${optimizations}/k/results/${resultId}`, { status: 'PASSED' }), 404, 'not_found', `Result "${resultId}" of agent optimization "k" not found`);
    await refused(() => s.del(`${optimizations}/k/runs/${runId}`, BETA), 404, 'not_found', `Run "${runId}" of agent optimization "k" not found`);
  });

  it('deleting a run needs LD-API-Version: beta (403); a run ID that is no UUID is no run (404)', async () => {
    await refused(() => s.del(`${optimization}/runs/${runId}`), 403, 'forbidden', /LD-API-Version: beta/);
    await refused(() => s.del(`${optimization}/runs/run-1`, BETA), 404, 'not_found', 'Run "run-1" of agent optimization "support-agent-tuning" not found');
    await refused(() => s.get(`${optimization}/runs/run-1/results`), 404, 'not_found', 'Run "run-1" of agent optimization "support-agent-tuning" not found');
  });

  it('a page or filter the lists do not take, 400 naming it', async () => {
    for (const path of [optimizations, `${optimization}/results`, `${optimization}/all-results`, `${optimization}/runs`]) {
      await refused(() => s.get(`${path}?limit=0`), 400, 'invalid_request', 'limit: must be >= 1');
      await refused(() => s.get(`${path}?offset=x`), 400, 'invalid_request', 'offset: must be an integer');
    }
    await refused(() => s.get(`${optimizations}?filter=${encodeURIComponent('name equals x')}`), 400, 'invalid_request', /^filter: /);
    await refused(() => s.get(`${optimizations}?filter=${encodeURIComponent('key equals [a,b]')}`), 400, 'invalid_request', /^filter: /);
  });
});
