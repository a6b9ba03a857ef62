// Table tests of getTags' pure parts: reading `kind` and `asOf`, and collecting the tags a query asks for.
import { describe, expect, it } from 'vitest';
import { checkAsOf, readKinds, tagsOf, type Tagged } from './model.js';

const tagged = (kind: Tagged['kind'], tags: string[], archived = false): Tagged => ({ kind, projectKey: 'p', archived, tags });

describe('readKinds', () => {
  it('none named is every kind; repeated and comma-separated kinds are read alike', () => {
    expect(readKinds(undefined)).toEqual(new Set());
    expect(readKinds(['flag', 'segment'])).toEqual(new Set(['flag', 'segment']));
    expect(readKinds('flag,metric')).toEqual(new Set(['flag', 'metric']));
  });

  it('a kind LaunchDarkly does not tag is a 400 naming kind', () => {
    expect(() => readKinds(['flag', 'experiment'])).toThrow(expect.objectContaining({ statusCode: 400, message: expect.stringContaining('kind') }));
  });
});

describe('checkAsOf', () => {
  it('a Unix time in milliseconds or an RFC 3339 date passes; anything else is a 400 naming asOf', () => {
    expect(() => checkAsOf(undefined)).not.toThrow();
    expect(() => checkAsOf('1733300000000')).not.toThrow();
    expect(() => checkAsOf('2026-12-04T12:00:00Z')).not.toThrow();
    for (const bad of ['yesterday', '2026-13-45', '-5']) expect(() => checkAsOf(bad)).toThrow(expect.objectContaining({ statusCode: 400, message: expect.stringContaining('asOf') }));
  });
});

describe('tagsOf', () => {
  const resources = [tagged('flag', ['ops', 'beta']), tagged('flag', ['legacy'], true), tagged('segment', ['ops', 'growth']), tagged('project', ['pro'])];

  it('each tag once, in text order, from every kind unless kinds are named', () => {
    expect(tagsOf(resources, { kinds: new Set(), prefix: '', archived: false })).toEqual(['beta', 'growth', 'ops', 'pro']);
    expect(tagsOf(resources, { kinds: new Set(['segment', 'project']), prefix: '', archived: false })).toEqual(['growth', 'ops', 'pro']);
  });

  it('archived flags count only when asked; a prefix keeps the tags that start with it', () => {
    expect(tagsOf(resources, { kinds: new Set(), prefix: '', archived: true })).toContain('legacy');
    expect(tagsOf(resources, { kinds: new Set(), prefix: 'op', archived: false })).toEqual(['ops']);
  });
});
