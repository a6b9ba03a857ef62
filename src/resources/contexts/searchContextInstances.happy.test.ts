// searchContextInstances: the environment's instances, filtered by applicationId, id, kinds and kindKeys.
import { describe, expect, it } from 'vitest';
import { idOf, seededServer } from '../../../test/support/contexts.js';

describe('searchContextInstances', () => {
  const world = seededServer();
  const ids = (body: { items: { id: string }[] }) => body.items.map((i) => Buffer.from(i.id, 'base64url').toString());

  it('every instance once per application, most recent first; filters on kinds, kindKeys, id and applicationId', async () => {
    const all = await world.s.post(`${world.base}/context-instances/search`, {});
    expect(all.status).toBe(200);
    expect(ids(all.body)).toEqual(['kai', 'sandy', 'org:launchdarkly', 'org:launchdarkly:user:henry']);
    expect(all.body.totalCount).toBe(4);
    const cases: [string, string[]][] = [
      ['kinds contains ["org","user"]', ['org:launchdarkly:user:henry']],
      ['kinds anyOf ["org"]', ['org:launchdarkly', 'org:launchdarkly:user:henry']],
      ['kinds equals ["user"]', ['kai', 'sandy']],
      ['kindKeys contains ["user:henry"]', ['org:launchdarkly:user:henry']],
      [`id equals "${idOf('sandy')}"`, ['sandy']],
      ['applicationId equals "web-app"', ['org:launchdarkly']],
      ['kindKeys:{"contains": ["user:kai"]}', ['kai']],
    ];
    for (const [filter, expected] of cases) {
      const res = await world.s.post(`${world.base}/context-instances/search`, { filter });
      expect(res.status, `${filter}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(ids(res.body), filter).toEqual(expected);
    }
  });

  it('pages with the continuation token, oldest first with sort=ts', async () => {
    const first = await world.s.post(`${world.base}/context-instances/search?limit=3&sort=ts`, {});
    expect(ids(first.body)).toEqual(['org:launchdarkly:user:henry', 'org:launchdarkly', 'sandy']);
    const rest = await world.s.post(`${world.base}/context-instances/search`, { limit: 3, sort: 'ts', continuationToken: first.body.continuationToken });
    expect(ids(rest.body)).toEqual(['kai']);
  });
});
