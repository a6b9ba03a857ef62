// Every error a client can cause creating a prompt snippet: exact status, code and a message naming the field or what
// is missing; nothing written by a request that fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('prompt snippets: errors', () => {
  let s: TestServer;
  const snippets = '/api/v2/projects/shop/ai-configs/prompt-snippets';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(snippets, { key: 'taken', name: 'Taken', text: 't' })).status).toBe(201);
  });
  afterAll(() => s.close());

  const refused = (body: unknown, status: number, code: string, message: string | RegExp, path = snippets) => expectRefused(s.store, () => s.post(path, body), status, code, message);

  it('a snippet without key, name or text, or with members of the wrong type, 400 naming each', async () => {
    await refused({ name: 'N', text: 't' }, 400, 'invalid_request', 'key: must be present');
    await refused({ key: 'k', text: 't' }, 400, 'invalid_request', 'name: must be present');
    await refused({ key: 'k', name: 'N' }, 400, 'invalid_request', 'text: must be present');
    await refused({ key: 'k', name: 'N', text: '' }, 400, 'invalid_request', 'text: must not be empty');
    await refused({ key: 'k', name: '', text: 't' }, 400, 'invalid_request', 'name: must not be empty');
    await refused({ key: 'k', name: 'N', text: 5 }, 400, 'invalid_request', 'text: must be a string');
    await refused({ key: 'k', name: 'N', text: 't', description: ['d'] }, 400, 'invalid_request', 'description: must be a string');
    await refused({ key: '-k', name: 'N', text: 't' }, 400, 'invalid_request', /^key: must start with a letter or digit/);
    await refused({}, 400, 'invalid_request', 'key: must be present; name: must be present; text: must be present');
    await refused('text', 400, 'invalid_request', /body/);
  });

  it('a key the project already has, 409 naming it', async () => {
    await refused({ key: 'taken', name: 'Again', text: 'again' }, 409, 'conflict', 'A prompt snippet with the key "taken" already exists in project "shop"');
  });

  it('an unknown project, 404 naming it', async () => {
    await refused({ key: 'k', name: 'N', text: 't' }, 404, 'not_found', 'Project "nope" not found', '/api/v2/projects/nope/ai-configs/prompt-snippets');
  });
});
