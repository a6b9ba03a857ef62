// searchContextInstances: errors — a filter this operation does not take is a 400 naming it; an unknown project or environment a 404.
import { describe, expect, it } from 'vitest';
import { expectUnknownProjectAndEnvironment, seededServer } from '../../../test/support/contexts.js';

describe('searchContextInstances: errors', () => {
  const world = seededServer();

  it('400 for a filter this operation does not take, naming the filter', async () => {
    const res = await world.s.post(`${world.base}/context-instances/search`, { filter: 'kind equals user' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toMatch(/^filter: /);
    const both = await world.s.post(`${world.base}/context-instances/search?sort=ts`, { sort: '-ts' });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/sort: give it in the query or in the body, not both/);
  });

  it('404 for an unknown project or environment', async () => {
    await expectUnknownProjectAndEnvironment(world.s, 'POST', 'context-instances/search');
  });
});
