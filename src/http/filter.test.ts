import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { filterBoolean, filterClauses, filterMatches, parseFilterExpression, parseFilterTree, type FilterClause, type FilterTree } from './filter.js';

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

  it('reads a comma-separated list of clauses too; a comma that no clause follows stays in a bare value', () => {
    expect(parseFilterExpression('kind equals custom,tags contains ["a","b"], query equals x', FIELDS)).toEqual([
      { field: 'kind', op: 'equals', values: ['custom'] },
      { field: 'tags', op: 'contains', values: ['a', 'b'] },
      { field: 'query', op: 'equals', values: ['x'] },
    ]);
    expect(parseFilterExpression('query equals a,b', FIELDS)).toEqual([{ field: 'query', op: 'equals', values: ['a,b'] }]);
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

describe('parseFilterTree (the segments list\'s grouped syntax)', () => {
  const FIELDS = { tags: ['anyOf'], query: ['equals'], external: ['exists'] } as const;
  const keys = (tree: FilterTree | undefined) => (clause: FilterClause, item: { tags: string[]; key: string }) =>
    clause.field === 'tags' ? item.tags.some((t) => clause.values.includes(t)) : clause.field === 'query' ? item.key.includes(clause.values[0]) : filterBoolean(clause);
  const items = [
    { key: 'alpha', tags: ['a'] },
    { key: 'beta', tags: ['b'] },
    { key: 'gamma', tags: ['a', 'b'] },
  ];
  const run = (raw: string) => {
    const tree = parseFilterTree(raw, FIELDS);
    return items.filter((item) => filterMatches(tree, item, keys(tree))).map((item) => item.key);
  };

  it('`,` is and, `|` is or, parentheses group, and `,` binds looser than `|`', () => {
    expect(run('tags anyOf ["a"],query equals "mm"')).toEqual(['gamma']);
    expect(run('query equals alpha|query equals beta')).toEqual(['alpha', 'beta']);
    expect(run('tags anyOf ["b"],query equals "et"|query equals "mm"')).toEqual(['beta', 'gamma']);
    expect(run('(query equals alpha|query equals beta),tags anyOf ["b"]')).toEqual(['beta']);
    expect(run('tags anyOf ["a","b"]')).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('a field may be written as a JSON string, commas and bars inside it kept', () => {
    expect(parseFilterTree('"tags" anyOf ["a"]', FIELDS)).toEqual({ field: 'tags', op: 'anyOf', values: ['a'] });
    const odd = parseFilterTree('"user.first, name|x" equals Ann,"\\u0074ags" anyOf ["b"]', (field) => (field === 'tags' || field === 'user.first, name|x' ? ['equals', 'anyOf'] : undefined));
    expect(filterClauses(odd).map((c) => c.field)).toEqual(['user.first, name|x', 'tags']);
  });

  it('`exists` may stand alone; an absent filter matches everything', () => {
    expect(parseFilterTree('external exists', FIELDS)).toEqual({ field: 'external', op: 'exists', values: ['true'] });
    expect(parseFilterTree(undefined, FIELDS)).toBeUndefined();
    expect(filterClauses(parseFilterTree('tags anyOf ["a"],(query equals x|external exists false)', FIELDS)).map((c) => c.field)).toEqual(['tags', 'query', 'external']);
  });

  it('a 400 naming filter: unknown field, wrong operator, no value, unbalanced parentheses', () => {
    for (const [raw, reason] of [
      ['nope equals 1', 'unknown filter field "nope"'],
      ['tags equals "a"', 'takes the operator anyOf'],
      ['query equals', 'has no value'],
      ['(query equals a', 'unbalanced'],
    ]) {
      expect(() => parseFilterTree(raw, FIELDS), raw).toThrowError(expect.objectContaining({ statusCode: 400, message: expect.stringContaining(reason) }));
    }
  });
});
