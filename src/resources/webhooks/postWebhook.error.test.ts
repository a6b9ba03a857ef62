// Webhooks refused: missing or mistyped fields, a URL that is not absolute http(s), bad statements; nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postWebhook: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('400 naming each problem; nothing written', async () => {
    const before = await digestStore(s.store);
    const ok = { url: 'https://example.com', sign: false, on: true };
    const cases: [unknown, string][] = [
      [{ sign: false, on: true }, 'url'],
      [{ url: 'https://example.com', on: true }, 'sign'],
      [{ url: 'https://example.com', sign: false }, 'on'],
      [{ ...ok, url: 42 }, 'url'],
      [{ ...ok, url: '/relative/path' }, 'url: "/relative/path" is not an absolute URL'],
      [{ ...ok, url: 'ftp://example.com/x' }, 'url: must be an http or https URL, not ftp:'],
      [{ ...ok, sign: 'yes' }, 'sign'],
      [{ ...ok, on: 1 }, 'on'],
      [{ ...ok, name: 7 }, 'name'],
      [{ ...ok, tags: 'a' }, 'tags'],
      [{ ...ok, tags: [''] }, 'tags[0]'],
      [{ ...ok, secret: 5 }, 'secret'],
      [{ ...ok, statements: {} }, 'statements: must be an array of statements'],
      [{ ...ok, statements: [{ effect: 'maybe', resources: ['proj/*'], actions: ['*'] }] }, 'statements'],
      [{ ...ok, statements: [{ effect: 'allow', actions: ['*'] }] }, 'statements[0].resources'],
      [{ ...ok, statements: [{ effect: 'allow', resources: ['proj/*'], actions: ['update-on'] }] }, 'statements[0].actions[0]'],
    ];
    for (const [body, message] of cases) {
      const res = await s.post('/api/v2/webhooks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message, JSON.stringify(body)).toContain(message);
    }
    for (const raw of ['null', '[]', '"x"', '{']) {
      const res = await s.request('POST', '/api/v2/webhooks', { raw });
      expect(res.status, raw).toBe(400);
      expect(res.body.code).toBe('invalid_request');
    }
    expect(await digestStore(s.store)).toBe(before);
  });
});
