// getContexts: errors — a filter this operation does not take is a 400 naming it; an unknown project or environment a 404.
import { describe, expect, it } from 'vitest';
import { expectUnknownProjectAndEnvironment, seededServer } from '../../../test/support/contexts.js';

describe('getContexts: errors', () => {
  const world = seededServer();

  it('400 for a filter this operation does not take, naming the filter', async () => {
    const res = await world.s.get(`${world.base}/contexts/user/sandy?filter=${encodeURIComponent('user.name equals x')}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toMatch(/^filter: /);
    // Sorting and paging are checked as the searches check them.
    const sort = await world.s.get(`${world.base}/contexts/user/sandy?sort=name`);
    expect(sort.status).toBe(400);
    expect(sort.body.message).toMatch(/sort: must be ts/);
  });

  it('404 for an unknown project or environment', async () => {
    await expectUnknownProjectAndEnvironment(world.s, 'GET', 'contexts/user/sandy');
  });
});
