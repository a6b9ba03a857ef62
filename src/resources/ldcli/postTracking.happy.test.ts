// ldcli's usage analytics, as its analytics client sends them (after each command, to /internal/tracking; older
// versions to /api/v2/tracking): 204, nothing kept, for any token that may run a command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const LDCLI = { 'content-type': 'application/json', 'user-agent': 'launchdarkly-cli/v2.1.0' };

describe('postTracking: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('204 with no body for each event ldcli sends, on both paths and for every role; nothing is stored', async () => {
    const events = [
      { event: 'CLI Command Run', properties: { name: 'flags', action: 'list', flags: ['project', 'access-token'], id: 'f3c0e8d2', agent_context: 'cursor' } },
      { event: 'CLI Command Completed', properties: { outcome: 'success', id: 'f3c0e8d2' } },
      { event: 'CLI Setup Flag Toggled', properties: { on: true, count: 1, duration_ms: 1200, id: 'f3c0e8d2' } },
      { event: 'Dev Server UI Flag Override', properties: {} },
    ];
    for (const path of ['/internal/tracking', '/api/v2/tracking']) {
      for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) {
        for (const event of events) {
          let res: Response | undefined;
          expect(await changedBy(s.store, async () => (res = await s.post(path, event, { token, headers: LDCLI })))).toBe(false);
          expect(res!.status, `${path} ${event.event}`).toBe(204);
          expect(res!.body === undefined || res!.body === '' || res!.body === null).toBe(true);
          expect(res!.headers['content-length'] ?? '0').toBe('0');
        }
      }
    }
  });
});
