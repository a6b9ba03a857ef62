// postAuditLogEntries and postAuditLogEntryCounts refused: a body that is not statements, a statement that is not
// one, and counts' range and buckets out of order are 400s naming what is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postAuditLogEntries and postAuditLogEntryCounts errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  const expect400 = async (path: string, body: unknown, name: string) => {
    const res = await s.post(path, body);
    expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message, `${path} ${JSON.stringify(body)}`).toContain(name);
  };

  it('a body that is not a list of statements', async () => {
    // The search takes `null` as no statements (ldcli sends it); the counts, whose body is required, do not.
    expect((await s.request('POST', '/api/v2/auditlog/counts?after=0', { raw: 'null', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    for (const path of ['/api/v2/auditlog', '/api/v2/auditlog/counts?after=0']) {
      await expect400(path, { effect: 'allow' }, 'body');
      await expect400(path, [{ resources: ['*'], actions: ['*'] }], 'body[0].effect');
      await expect400(path, [{ effect: 'allow', actions: ['*'] }], 'body[0].resources');
      await expect400(path, [{ effect: 'allow', resources: ['proj/*:'], actions: ['*'] }], 'body[0].resources[0]');
      await expect400(path, [{ effect: 'allow', resources: ['*'], actions: ['update flag'] }], 'body[0].actions[0]');
      await expect400(path, [{ effect: 'allow', resources: ['*'], actions: ['*'] }, { effect: 'deny', notResources: ['proj/a', 'proj'], actions: ['*'] }], 'body[1].notResources[1]');
    }
    await expect400('/api/v2/auditlog?before=soon', [], 'before');
  });

  it('counts: after required, before after it, buckets from 1 to 500, a body required', async () => {
    await expect400('/api/v2/auditlog/counts', [], 'after');
    await expect400('/api/v2/auditlog/counts?after=2000&before=1000', [], 'before');
    for (const buckets of ['0', '501', 'ten']) await expect400(`/api/v2/auditlog/counts?after=0&buckets=${buckets}`, [], 'buckets');
    await expect400('/api/v2/auditlog/counts?after=0', undefined, 'body');
  });
});
