// Webhook patches refused: an unknown webhook, a malformed patch, read-only and unknown members, invalid results
// (a relative URL, `on` not a boolean, bad statements), a failed test; nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchWebhook: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/webhooks', { url: 'https://example.com', sign: false, on: true })).body._id;
  });
  afterAll(() => s.close());

  it('404 for an unknown webhook', async () => {
    const res = await s.patch('/api/v2/webhooks/0123456789abcdef01234567', [{ op: 'replace', path: '/on', value: false }]);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Webhook "0123456789abcdef01234567" not found' });
  });

  it('400 naming the problem; 409 for a failed test; nothing written', async () => {
    const before = await digestStore(s.store);
    const cases: [unknown, number, string][] = [
      [{}, 400, 'body'],
      [[{ op: 'replace', path: '/url', value: '/relative' }], 400, 'url: "/relative" is not an absolute URL'],
      [[{ op: 'replace', path: '/url', value: 'mailto:a@b.c' }], 400, 'url: must be an http or https URL'],
      [[{ op: 'remove', path: '/url' }], 400, 'url'],
      [[{ op: 'replace', path: '/on', value: 'yes' }], 400, 'on'],
      [[{ op: 'replace', path: '/tags', value: [1] }], 400, 'tags'],
      [[{ op: 'replace', path: '/statements', value: [{ effect: 'allow' }] }], 400, 'statements[0].resources'],
      [[{ op: 'replace', path: '/_id', value: 'x' }], 400, '/_id: is read-only'],
      [[{ op: 'replace', path: '/sign', value: true }], 400, '/sign: is not a field that can be patched'],
      [[{ op: 'remove', path: '/statements' }], 400, 'patch[0]'],
      [[{ op: 'jump', path: '/on' }], 400, 'patch[0]'],
      [[{ op: 'copy', from: '/secret', path: '/name' }], 400, 'patch[0].from: the secret cannot be copied or moved'],
      [[{ op: 'replace', path: '/on', value: false }, { op: 'move', from: '/secret', path: '/name' }], 400, 'patch[1].from: the secret cannot be copied or moved'],
      [[{ op: 'test', path: '/on', value: false }], 409, 'optimistic_locking_error'],
    ];
    for (const [body, status, text] of cases) {
      const res = await s.patch(`/api/v2/webhooks/${id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(`${res.body.code} ${res.body.message}`, JSON.stringify(body)).toContain(text);
    }
    expect(await digestStore(s.store)).toBe(before);
  });
});
