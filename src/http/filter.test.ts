import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { parseFilterExpression } from './filter.js';

const FIELDS = { tags: ['contains'], query: ['equals'], kind: ['equals'], ids: ['anyOf'] } as const;

describe("parseFilterExpression (LaunchDarkly's `field op value and ...` filters)", () => {
  it('reads bare, quoted and list values, joined by and in any case', () => {
    expect(parseFilterExpression(`tags contains ["a", 'b,c'] AND query equals 'x and y' and kind equals funnel`, FIELDS)).toEqual([
      { field: 'tags', op: 'contains', values: ['a', 'b,c'] },
      { field: 'query', op: 'equals', values: ['x and y'] },
      { field: 'kind', op: 'equals', values: ['funnel'] },
    ]);
    expect(parseFilterExpression('ids anyOf [id1,id2]', FIELDS)).toEqual([{ field: 'ids', op: 'anyOf', values: ['id1', 'id2'] }]);
    expect(parseFilterExpression('ids anyOf []', FIELDS)).toEqual([{ field: 'ids', op: 'anyOf', values: [] }]);
  });

  it('treats an absent or empty filter as no clauses', () => {
    expect(parseFilterExpression(undefined, FIELDS)).toEqual([]);
    expect(parseFilterExpression('  ', FIELDS)).toEqual([]);
  });

  it('refuses, with attribute filter, what it cannot read', () => {
    for (const bad of ['tags', 'tags contains', 'color equals red', 'tags equals a', "query equals 'x", 'tags contains ["a"', 'tags contains a and']) {
      try {
        parseFilterExpression(bad, FIELDS);
        expect.unreachable(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).errors?.[0].attribute).toBe('filter');
      }
    }
  });
});
