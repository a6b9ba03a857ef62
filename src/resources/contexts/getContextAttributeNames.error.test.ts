// getContextAttributeNames: errors — a filter this operation does not take is a 400 naming it; an unknown project or environment a 404.
import { describe, expect, it } from 'vitest';
import { expectUnknownProjectAndEnvironment, seededServer } from '../../../test/support/contexts.js';

describe('getContextAttributeNames: errors', () => {
  const world = seededServer();

  it('400 for a filter this operation does not take, naming the filter', async () => {
    const res = await world.s.get(`${world.base}/context-attributes?filter=${encodeURIComponent('name equals "/country"')}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toMatch(/^filter: /);
    const limit = await world.s.get(`${world.base}/context-attributes?limit=-1`);
    expect(limit.status).toBe(400);
    expect(limit.body.code).toBe('invalid_request');
  });

  it('404 for an unknown project or environment', async () => {
    await expectUnknownProjectAndEnvironment(world.s, 'GET', 'context-attributes');
  });
});
