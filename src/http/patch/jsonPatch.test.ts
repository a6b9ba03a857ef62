import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, checkOperations, PatchError, testedPointer } from './jsonPatch.js';

describe('applyJsonPatch (RFC 6902)', () => {
  const doc = { a: 1, list: [1, 2, 3], nested: { x: 'y' } };

  it('adds, removes, replaces, moves, copies and tests', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/b', value: 2 },
      { op: 'add', path: '/list/-', value: 4 },
      { op: 'add', path: '/list/0', value: 0 },
      { op: 'remove', path: '/a' },
      { op: 'replace', path: '/nested/x', value: 'z' },
      { op: 'move', from: '/b', path: '/c' },
      { op: 'copy', from: '/c', path: '/d' },
      { op: 'test', path: '/list', value: [0, 1, 2, 3, 4] },
    ]);
    expect(out).toEqual({ list: [0, 1, 2, 3, 4], nested: { x: 'z' }, c: 2, d: 2 });
    expect(doc).toEqual({ a: 1, list: [1, 2, 3], nested: { x: 'y' } });
  });

  it('decodes ~0 and ~1 in pointers', () => {
    expect(applyJsonPatch({ 'a/b': 1, 'c~d': 2 }, [{ op: 'replace', path: '/a~1b', value: 3 }, { op: 'remove', path: '/c~0d' }])).toEqual({ 'a/b': 3 });
  });

  it('names the failing operation', () => {
    try {
      applyJsonPatch(doc, [{ op: 'replace', path: '/nested/x', value: 1 }, { op: 'remove', path: '/missing' }]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PatchError);
      expect((err as PatchError).index).toBe(1);
      expect((err as PatchError).message).toContain('/missing');
    }
  });

  it('a failed test is reported as such', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/a', value: 2 }])).toThrow(/test failed/);
    try {
      applyJsonPatch(doc, [{ op: 'test', path: '/a', value: 2 }]);
    } catch (err) {
      expect((err as PatchError).testFailed).toBe(true);
    }
  });

  it('refuses out-of-range indexes, replace of missing paths and prototype keys', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/list/9', value: 1 }])).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }])).toThrow(PatchError);
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/__proto__/polluted', value: 1 }])).toThrow(PatchError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('removeRunsFromBefore: ascending removals that fail in order remove what their indexes named before them', () => {
    const list = { list: ['a', 'b', 'c', 'd', 'e'] };
    const tail = [{ op: 'remove', path: '/list/2' }, { op: 'remove', path: '/list/3' }, { op: 'remove', path: '/list/4' }];
    expect(() => applyJsonPatch(list, tail)).toThrow(/index 4 is out of range/);
    expect(applyJsonPatch(list, tail, { removeRunsFromBefore: true })).toEqual({ list: ['a', 'b'] });
    // A patch that applies in order keeps RFC 6902's meaning: /list/1 then /list/2 of what is left.
    expect(applyJsonPatch(list, [{ op: 'remove', path: '/list/1' }, { op: 'remove', path: '/list/2' }], { removeRunsFromBefore: true })).toEqual({ list: ['a', 'c', 'e'] });
    // Still refused: an index past the array before the run, and a run broken by another operation.
    try {
      applyJsonPatch(list, [{ op: 'remove', path: '/list/4' }, { op: 'remove', path: '/list/5' }], { removeRunsFromBefore: true });
      expect.unreachable();
    } catch (err) {
      expect((err as PatchError).index).toBe(1);
    }
    expect(() => applyJsonPatch(list, [tail[0], { op: 'replace', path: '/list/0', value: 'z' }, tail[1], tail[2]], { removeRunsFromBefore: true })).toThrow(PatchError);
  });

  it("`test /version` reads `_version` where the object has no `version` (LaunchDarkly's documented lock); only test does", () => {
    const rep = { _version: 10, description: 'old' };
    const lock = { op: 'test', path: '/version', value: 10 };
    expect(applyJsonPatch(rep, [lock, { op: 'replace', path: '/description', value: 'The new description' }])).toEqual({ _version: 10, description: 'The new description' });
    expect(() => applyJsonPatch(rep, [{ ...lock, value: 9 }])).toThrow(new PatchError(0, '/version', 'test failed: /version is 10, not 9', true));
    // An object with its own `version` is tested on it; without `_version` either, /version does not exist.
    expect(() => applyJsonPatch({ _version: 10, version: 3 }, [lock])).toThrow('test failed: /version is 3, not 10');
    expect(() => applyJsonPatch({ version: 3 }, [{ op: 'test', path: '/version', value: 3 }])).not.toThrow();
    expect(() => applyJsonPatch({ description: 'x' }, [lock])).toThrow('test failed: /version does not exist');
    // Nested members and other operations keep their RFC 6902 meaning.
    expect(() => applyJsonPatch({ env: { _version: 1 } }, [{ op: 'test', path: '/env/version', value: 1 }])).toThrow('does not exist');
    expect(() => applyJsonPatch(rep, [{ op: 'replace', path: '/version', value: 11 }])).toThrow('replace /version: path does not exist');
    expect(testedPointer(rep, '/version')).toBe('/_version');
    expect(testedPointer(rep, '/_version')).toBe('/_version');
  });

  it('checkOperations reports malformed operations', () => {
    expect(checkOperations([{ op: 'nope', path: '/a' }, { op: 'add', path: 'a', value: 1 }, { op: 'add', path: '/a' }])).toEqual([
      { index: 0, reason: 'op must be one of add, remove, replace, move, copy, test' },
      { index: 1, reason: 'path "a" must start with /' },
      { index: 2, reason: 'a add operation needs a value' },
    ]);
  });
});

describe('applyMergePatch (RFC 7386)', () => {
  it('merges objects, deletes on null, replaces arrays', () => {
    expect(applyMergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { a: null, b: { c: 5 }, e: [2] })).toEqual({ b: { c: 5, d: 3 }, e: [2] });
  });
});
