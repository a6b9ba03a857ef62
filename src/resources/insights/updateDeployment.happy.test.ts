// updateDeployment: a JSON Patch on status (ending an open deployment now), archived and metadata; 200 with the
// deployment, an audit entry; a patch that changes nothing writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENTS, deploymentsOf, insightsWorld, sendEvent, type InsightsWorld } from '../../../test/support/insights.js';

describe('updateDeployment', () => {
  let w: InsightsWorld;
  let id: string;
  beforeAll(async () => {
    w = await insightsWorld();
    await sendEvent(w, { version: 'v1', eventType: 'started', eventTime: w.clock.now - 60_000 });
    id = (await deploymentsOf(w))[0].id;
  });
  afterAll(() => w.s.close());

  it("LaunchDarkly's example: replace /status with finished ends the deployment now", async () => {
    const res = await w.patch(`${DEPLOYMENTS}/${id}`, [{ op: 'replace', path: '/status', value: 'finished' }]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'finished', endedAt: w.clock.now, durationMs: 60_000 });
    expect(res.body.active).toBe(false);
  });

  it('archives it and replaces its metadata, with a comment; the audit log keeps the change', async () => {
    const res = await w.patch(`${DEPLOYMENTS}/${id}`, { comment: 'tidy', patch: [{ op: 'replace', path: '/archived', value: true }, { op: 'add', path: '/metadata/buildNumber', value: '7' }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ archived: true, metadata: { buildNumber: '7' } });
    const entries = (await w.s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`proj/shop:env/production:deployment/${id}`)}`)).body.items;
    expect(entries[0]).toMatchObject({ comment: 'tidy', title: expect.stringContaining('updated the deployment of billing v1') });
  });
});
