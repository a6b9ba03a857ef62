// The contexts filters' clauses on values, one operator at a time; missing attributes; kinds as sets.
import { describe, expect, it } from 'vitest';
import type { FilterClause, FilterOperator } from '../../http/filter.js';
import { contextPasses, instancePasses, valuePasses, type ContextView } from './search.js';
import type { StoredInstance } from './records.js';

const clause = (op: FilterOperator, ...values: string[]): FilterClause => ({ field: 'x', op, values });

describe('context filter clauses', () => {
  it('each operator on scalars, lists and missing values', () => {
    const cases: [unknown, FilterClause, boolean][] = [
      ['NZ', clause('equals', 'NZ'), true],
      [44, clause('equals', '44'), true],
      [true, clause('equals', 'true'), true],
      [undefined, clause('equals', 'NZ'), false],
      [undefined, clause('notEquals', 'NZ'), true],
      ['US', clause('notEquals', 'NZ'), true],
      [['a', 'b'], clause('equals', 'a', 'b'), true],
      [['a', 'b'], clause('equals', 'b', 'a'), false],
      ['b', clause('anyOf', 'a', 'b'), true],
      [['x', 'b'], clause('anyOf', 'a', 'b'), true],
      [undefined, clause('anyOf', 'a'), false],
      [['a', 'b', 'c'], clause('contains', 'a', 'c'), true],
      [['a'], clause('contains', 'a', 'c'), false],
      ['abc', clause('contains', 'a'), false],
      ['Sandy', clause('startsWith', 'Sa'), true],
      [5, clause('startsWith', '5'), false],
      [undefined, clause('exists', 'true'), false],
      [undefined, clause('exists', 'false'), true],
      ['', clause('exists', 'true'), true],
      ['2022-09-21T19:03:15Z', clause('after', '2022-01-01T00:00:00Z'), true],
      [1_700_000_000_000, clause('before', '2024-01-01T00:00:00Z'), true],
      ['not a date', clause('before', '2024-01-01T00:00:00Z'), false],
    ];
    for (const [value, c, expected] of cases) expect(valuePasses(value, c), `${JSON.stringify(value)} ${c.op} ${c.values.join(',')}`).toBe(expected);
  });

  it('a kind.attribute clause on another kind: only notEquals and exists false hold', () => {
    const view: ContextView = { kind: 'org', key: 'o', applicationId: '', context: { kind: 'org', key: 'o', tier: 'gold' }, lastSeen: 1, from: '', associated: new Set(), order: '' };
    const on = (field: string, op: FilterOperator, ...values: string[]) => contextPasses({ field, op, values }, view);
    expect(on('org.tier', 'equals', 'gold')).toBe(true);
    expect(on('*.tier', 'equals', 'gold')).toBe(true);
    expect(on('user.tier', 'equals', 'gold')).toBe(false);
    expect(on('user.tier', 'notEquals', 'gold')).toBe(true);
    expect(on('user.tier', 'exists', 'false')).toBe(true);
    expect(on('name', 'exists', 'false')).toBe(true);
    expect(on('q', 'equals', 'GOL')).toBe(true);
  });

  it('kinds and kindKeys compare as sets', () => {
    const instance: StoredInstance = { instanceId: 'i', rowId: 'i', applicationId: '', context: {}, anonymousKinds: [], lastSeen: 1, kinds: [{ kind: 'org', key: 'o' }, { kind: 'user', key: 'u' }] };
    expect(instancePasses({ field: 'kinds', op: 'equals', values: ['user', 'org'] }, instance)).toBe(true);
    expect(instancePasses({ field: 'kindKeys', op: 'equals', values: ['user:u', 'org:o'] }, instance)).toBe(true);
    expect(instancePasses({ field: 'kinds', op: 'equals', values: ['user'] }, instance)).toBe(false);
  });
});
