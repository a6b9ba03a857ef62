// evaluationSummaries: 400 naming the field for a body that is not LaunchDarkly's (at most 10 environments), a window
// that ends before it starts, an unknown flag or environment; 404 for an unknown project. Nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { usageWorld, type UsageWorld } from '../../../test/support/usage.js';
import type { Response } from '../../../test/support/server.js';

describe('postEvaluationSummaries: errors', () => {
  let u: UsageWorld;
  beforeAll(async () => {
    u = await usageWorld();
  });
  afterAll(() => u.s.close());

  const good = { flagKeys: ['checkout'], environmentKeys: ['production'], from: 0, to: 1 };
  const refused = async (path: string, body: unknown, status: number) => {
    let res: Response | undefined;
    expect(await changedBy(u.s.store, async () => (res = await u.s.post(path, body)))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(status);
    return res!.body;
  };

  it('400 naming the field', async () => {
    const path = '/internal/projects/shop/evaluationSummaries';
    for (const [body, attribute] of [
      [{ ...good, flagKeys: [] }, 'flagKeys'],
      [{ ...good, flagKeys: 'checkout' }, 'flagKeys'],
      [{ ...good, environmentKeys: Array.from({ length: 11 }, (_, i) => `e${i}`) }, 'environmentKeys'],
      [{ ...good, from: 'yesterday' }, 'from'],
      [{ ...good, to: undefined }, 'to'],
      [{ ...good, from: 5, to: 4 }, 'from'],
      [{ ...good, flagKeys: ['checkout', 'ghost'] }, 'flagKeys[1]'],
      [{ ...good, environmentKeys: ['production', 'staging'] }, 'environmentKeys[1]'],
    ] as const) {
      const body2 = await refused(path, body, 400);
      expect(body2.code).toBe('invalid_request');
      expect(body2.message, JSON.stringify(body)).toContain(attribute);
    }
  });

  it('404 naming an unknown project', async () => {
    const body = await refused('/internal/projects/nope/evaluationSummaries', good, 404);
    expect(body).toEqual({ code: 'not_found', message: expect.stringContaining('"nope"') });
  });
});
