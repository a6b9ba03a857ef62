import { describe, expect, it } from 'vitest';
import { eventFilterProblems, eventPasses, type EventFilterDoc } from './eventFilter.js';

const country = (values: unknown[], negate = false): EventFilterDoc => ({ type: 'contextAttribute', attribute: 'country', op: 'in', values, contextKind: 'user', negate });
const jp = { context: { kind: 'user', key: 'u1', country: 'JP', tags: ['a', 'b'] }, data: { sku: 'x-1', price: 30 } };
const nz = { context: { kind: 'multi', user: { key: 'u2', country: 'NZ' }, org: { key: 'o1', plan: 'gold' } }, data: { sku: 'y-2' } };
const bare = { context: { kind: 'user', key: 'u3' } };

describe('eventPasses', () => {
  it('tests a context attribute of the kind named (a multi-context by its part), user when no kind is named', () => {
    expect(eventPasses(country(['JP']), jp)).toBe(true);
    expect(eventPasses(country(['JP']), nz)).toBe(false);
    expect(eventPasses(country(['NZ']), nz)).toBe(true);
    expect(eventPasses({ type: 'contextAttribute', attribute: 'plan', op: 'in', values: ['gold'], contextKind: 'org', negate: false }, nz)).toBe(true);
    expect(eventPasses({ type: 'contextAttribute', attribute: 'country', op: 'in', values: ['JP'], negate: false }, jp)).toBe(true);
    // An array attribute passes when any element matches.
    expect(eventPasses({ type: 'contextAttribute', attribute: 'tags', op: 'in', values: ['b'], negate: false }, jp)).toBe(true);
  });

  it('tests an event property with the targeting operators', () => {
    expect(eventPasses({ type: 'eventProperty', attribute: 'sku', op: 'startsWith', values: ['x-'], negate: false }, jp)).toBe(true);
    expect(eventPasses({ type: 'eventProperty', attribute: 'price', op: 'greaterThan', values: [20], negate: false }, jp)).toBe(true);
    expect(eventPasses({ type: 'eventProperty', attribute: 'price', op: 'lessThan', values: [20], negate: false }, jp)).toBe(false);
    expect(eventPasses({ type: 'eventProperty', attribute: 'sku', op: 'matches', values: ['^y-\\d$'], negate: false }, nz)).toBe(true);
  });

  it('negate inverts a test, but an event without the attribute passes neither', () => {
    expect(eventPasses(country(['JP'], true), jp)).toBe(false);
    expect(eventPasses(country(['JP'], true), nz)).toBe(true);
    expect(eventPasses(country(['JP'], true), bare)).toBe(false);
    expect(eventPasses(country(['JP']), bare)).toBe(false);
  });

  it('groups combine their members with and / or, and may be negated', () => {
    const both: EventFilterDoc = { type: 'group', op: 'and', negate: false, values: [country(['JP']), { type: 'eventProperty', attribute: 'sku', op: 'startsWith', values: ['x'], negate: false }] };
    expect(eventPasses(both, jp)).toBe(true);
    expect(eventPasses({ ...both, values: [country(['JP']), country(['NZ'])] }, jp)).toBe(false);
    expect(eventPasses({ ...both, op: 'or', values: [country(['JP']), country(['NZ'])] }, nz)).toBe(true);
    expect(eventPasses({ ...both, negate: true }, jp)).toBe(false);
  });
});

describe('eventFilterProblems', () => {
  it('names each problem where it is, in nested groups too', () => {
    expect(eventFilterProblems(country(['JP']), 'filters')).toEqual([]);
    expect(eventFilterProblems({ type: 'contextAttribute', op: 'bogusOp', values: [], negate: false }, 'filters')).toEqual([
      { attribute: 'filters.attribute', reason: 'must name the context attribute to filter on' },
      { attribute: 'filters.op', reason: expect.stringMatching(/^must be one of in, endsWith, startsWith/) },
    ]);
    expect(eventFilterProblems({ type: 'group', op: 'AND', values: [], negate: false }, 'filters')).toEqual([]);
    expect(eventFilterProblems({ type: 'group', op: 'xor', negate: false, values: [country(['JP']), { type: 'eventProperty', attribute: 'a', op: 'in', values: [1], negate: 'no' }] }, 'filters')).toEqual([
      { attribute: 'filters.op', reason: 'must be "and" or "or" for a group' },
      { attribute: 'filters.values[1].negate', reason: 'must be a boolean' },
    ]);
    expect(eventFilterProblems({ type: 'segment', op: 'in', values: [], negate: false }, 'filters')).toEqual([{ attribute: 'filters.type', reason: 'must be one of "contextAttribute", "eventProperty", "group"' }]);
  });
});
