// Concurrency: deleting a segment while a flag's rule or another segment's rule is made to match on it. One of the two
// is refused, as if they had come one after the other (a segment in use is not deleted, a deleted segment cannot be
// matched on), and nothing is left naming a segment that is gone. The PostgreSQL run is the one that races.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const SEMANTIC = { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } };
const ROUNDS = 20;

describe('deleteSegment races', () => {
  let s: TestServer;
  const segments = '/api/v2/segments/shop/production';
  const flag = '/api/v2/flags/shop/banner';
  const matchOn = (key: string) => ({ clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: [key], negate: false }] });

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { name: 'Banner', key: 'banner' })).status).toBe(201);
    expect((await s.post(segments, { name: 'Host', key: 'host' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it("a flag's rule matching on a segment being deleted: the rule is refused (400) or the delete (409), never both taken", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const key = `doomed-${round}`;
      expect((await s.post(segments, { name: key, key })).status).toBe(201);
      const [patch, del] = await Promise.all([
        s.patch(flag, [{ op: 'add', path: '/environments/production/rules/-', value: { variation: 0, ...matchOn(key) } }]),
        s.del(`${segments}/${key}`),
      ]);
      const outcome = `${patch.status} ${del.status}`;
      expect(['200 409', '400 204'], `${JSON.stringify(patch.body)} ${JSON.stringify(del.body)}`).toContain(outcome);
      const rules = (await s.get(flag)).body.environments.production.rules as { clauses: { values: unknown[] }[] }[];
      if (patch.status === 200) {
        expect(del.body.message).toContain(`Segment "${key}" is used by the targeting of flag "banner"`);
        expect((await s.get(`${segments}/${key}`)).status).toBe(200);
        expect(rules.map((rule) => rule.clauses[0].values)).toEqual([[key]]);
      } else {
        expect(patch.body.message).toContain(`unknown segment "${key}"`);
        expect((await s.get(`${segments}/${key}`)).status).toBe(404);
        expect(rules).toEqual([]);
      }
      // The flag can still be changed either way.
      for (const kind of ['turnFlagOn', 'turnFlagOff']) expect((await s.patch(flag, { environmentKey: 'production', instructions: [{ kind }] }, SEMANTIC)).status).toBe(200);
      if (rules.length > 0) expect((await s.patch(flag, [{ op: 'remove', path: '/environments/production/rules/0' }])).status).toBe(200);
    }
  });

  it("another segment's rule matching on a segment being deleted: the rule is refused (400) or the delete (409), never both taken", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const key = `gone-${round}`;
      expect((await s.post(segments, { name: key, key })).status).toBe(201);
      const [patch, del] = await Promise.all([s.patch(`${segments}/host`, [{ op: 'add', path: '/rules/-', value: matchOn(key) }]), s.del(`${segments}/${key}`)]);
      const outcome = `${patch.status} ${del.status}`;
      expect(['200 409', '400 204'], `${JSON.stringify(patch.body)} ${JSON.stringify(del.body)}`).toContain(outcome);
      const host = (await s.get(`${segments}/host`)).body;
      if (patch.status === 200) {
        expect(del.body.message).toContain(`Segment "${key}" is used by the rules of segment "host"`);
        expect(host.rules.map((rule: { clauses: { values: unknown[] }[] }) => rule.clauses[0].values)).toEqual([[key]]);
        expect((await s.patch(`${segments}/host`, [{ op: 'remove', path: '/rules/0' }])).status).toBe(200);
      } else {
        expect(patch.body.message).toContain(`unknown segment "${key}"`);
        expect(host.rules).toEqual([]);
        // The host can still be changed.
        expect((await s.patch(`${segments}/host`, [{ op: 'replace', path: '/description', value: `round ${round}` }])).status).toBe(200);
      }
    }
  });
});
