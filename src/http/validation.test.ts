import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.js';
import { Type } from '@sinclair/typebox';
import { check, parseJsonText } from './validation.js';

function refusal(text: string): ApiError {
  try {
    parseJsonText(text);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error(`accepted: ${text}`);
}

describe('parseJsonText', () => {
  it('parses plain JSON, with or without escapes, and a leading BOM', () => {
    expect(parseJsonText('{"a":[1,{"b":"c"}],"d":null}')).toEqual({ a: [1, { b: 'c' }], d: null });
    expect(parseJsonText('{"a":"say \\"hi\\" \\u00e9"}')).toEqual({ a: 'say "hi" é' });
    expect(parseJsonText('\uFEFF{"a":1}')).toEqual({ a: 1 });
  });

  it('takes __proto__ and constructor as values, and constructor as a key without prototype', () => {
    expect(parseJsonText('{"name":"__proto__","kind":"constructor"}')).toEqual({ name: '__proto__', kind: 'constructor' });
    expect(parseJsonText('{"constructor":"x"}')).toEqual({ constructor: 'x' });
  });

  it('refuses a __proto__ key however it is spelled, and constructor.prototype, naming where it is', () => {
    expect(refusal('{"a":{"__proto__":{"polluted":true}}}').body()).toMatchObject({ code: 'invalid_request' });
    expect(refusal('{"a":{"__proto__":{"polluted":true}}}').errors?.[0].attribute).toBe('a.__proto__');
    expect(refusal('{"a":{"\\u005f_proto__":{"polluted":true}}}').errors?.[0].attribute).toBe('a.__proto__');
    expect(refusal('{"__proto__" :{"polluted":true}}').errors?.[0].attribute).toBe('__proto__');
    expect(refusal('{"x":[{"constructor":{"prototype":{"polluted":true}}}]}').errors?.[0].attribute).toBe('x[0].constructor.prototype');
    expect(refusal('{"x":{"\\u0063onstructor":{"prototype":{}}}}').errors?.[0].attribute).toBe('x.constructor.prototype');
  });

  it('refuses text that is not JSON, nests too deep, or holds NUL', () => {
    expect(refusal('{"a":').message).toMatch(/not valid JSON/);
    expect(refusal(`${'['.repeat(101)}${']'.repeat(101)}`).message).toMatch(/nested deeper than 100/);
    expect(refusal('{"a":"\\u0000"}').message).toMatch(/NUL/);
    // 101 levels, braces and brackets mixed (neither kind alone is over 100)
    expect(refusal(`${'[{"a":'.repeat(50)}[1]${'}]'.repeat(50)}`).message).toMatch(/nested deeper than 100/);
  });

  it('names where the NUL is: the string, or the object whose key holds it', () => {
    expect(refusal('{"a":"\\u0000"}').errors?.[0].attribute).toBe('a');
    expect(refusal('{"variations":[{"value":"x"},{"value":"y\\u0000"}]}').errors?.[0].attribute).toBe('variations[1].value');
    expect(refusal('{"x":{"k\\u0000":1}}').errors?.[0].attribute).toBe('x');
    expect(refusal('{"a":"\\u0000"').errors?.[0].attribute).toBe('body');
  });

  it('refuses a number too large for a double (JSON.parse reads it as Infinity, a store writes null), naming it', () => {
    const big = `1${'0'.repeat(320)}`;
    for (const [text, attribute] of [
      ['{"variations":[{"value":1},{"value":1e400}]}', 'variations[1].value'],
      ['{"a":{"b":[-1E+999]}}', 'a.b[0]'],
      [`{"n":${big}}`, 'n'],
      ['{"s":"\\u00e9","n":2e308}', 'n'],
    ] as const) {
      const err = refusal(text);
      expect(err.statusCode, text).toBe(400);
      expect(err.errors?.[0], text).toEqual({ attribute, reason: 'is a number out of range (larger than a double holds)' });
    }
    // Large but finite, tiny, and look-alikes inside strings are taken.
    expect(parseJsonText('{"a":1e308,"b":1e-400,"c":"1e999"}')).toEqual({ a: 1e308, b: 0, c: '1e999' });
  });

  it('takes text with more brackets than the depth limit when they are not that deep', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ i, tags: ['x'] }));
    expect(parseJsonText(JSON.stringify(many))).toEqual(many);
    const deepest = `${'['.repeat(100)}${']'.repeat(100)}`;
    expect(parseJsonText(deepest)).toEqual(JSON.parse(deepest));
  });
});

describe('check', () => {
  it('names the values a union of literals allows, once per field', () => {
    const schema = Type.Object({ methodology: Type.Union([Type.Literal('bayesian'), Type.Literal('frequentist'), Type.Literal('export_only')]), kind: Type.Literal('x') });
    expect(check(schema, { methodology: 'x', kind: 'y' })).toEqual([
      { attribute: 'methodology', reason: 'must be one of "bayesian", "frequentist", "export_only"' },
      { attribute: 'kind', reason: 'must be "x"' },
    ]);
  });
});
