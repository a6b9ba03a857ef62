// ldcli's usage analytics: a body that is not an event is a 400 naming the field; nothing is stored either way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('postTracking: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('400 naming the field for an event without a name or with properties that are not an object', async () => {
    for (const [body, attribute] of [
      [{}, 'event'],
      [{ event: '' }, 'event'],
      [{ event: 'CLI Command Run', properties: ['flags'] }, 'properties'],
      [[], 'body'],
    ] as const) {
      for (const path of ['/internal/tracking', '/api/v2/tracking']) {
        let res: Response | undefined;
        expect(await changedBy(s.store, async () => (res = await s.post(path, body)))).toBe(false);
        expect(res!.status, `${path} ${JSON.stringify(body)}`).toBe(400);
        expect(res!.body.code).toBe('invalid_request');
        expect(res!.body.message).toContain(attribute);
      }
    }
  });
});
