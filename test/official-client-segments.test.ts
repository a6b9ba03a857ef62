// The official REST client (launchdarkly-api-typescript) drives the segment routes over real HTTP, unchanged: create,
// list, read, JSON Patch with a comment, semantic patch, delete, and LaunchDarkly's {code, message} on 404 and 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AxiosError } from 'axios';
import { Configuration, FeatureFlagsApi, ProjectsApi, SegmentsApi, type PatchWithComment, type UserSegment } from 'launchdarkly-api-typescript';
import { startServer, type TestServer } from './support/server.js';

const P = 'seg-client';
const E = 'production';
const SEMANTIC_PATCH = 'application/json; domain-model=launchdarkly.semanticpatch';

/**
 * The generated client types patchSegment's body as PatchWithComment only; LaunchDarkly's semantic patch goes through
 * the same method, the body cast (as the client's own docs have users do).
 */
function semanticPatch(body: { environmentKey: string; comment?: string; instructions: Record<string, unknown>[] }): PatchWithComment {
  return body as unknown as PatchWithComment;
}

/** The client's error for a refused call: its HTTP status and LaunchDarkly's error body. */
async function failure(call: Promise<unknown>): Promise<{ status: number; data: { code: string; message: string } }> {
  const err = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as AxiosError<{ code: string; message: string }>,
  );
  expect(err.isAxiosError, String(err)).toBe(true);
  return { status: err.response!.status, data: err.response!.data };
}

describe('segments through launchdarkly-api-typescript', () => {
  let s: TestServer;
  let segments: SegmentsApi;
  let flags: FeatureFlagsApi;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    const writer = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    segments = new SegmentsApi(writer);
    flags = new FeatureFlagsApi(writer);
    await new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url })).postProject({ name: 'Segments client', key: P });
  });
  afterAll(() => s.close());

  it('postSegment creates a segment from a SegmentBody: empty targets and rules, version 1, LaunchDarkly\'s links', async () => {
    const created = await segments.postSegment(P, E, { name: 'Beta users', key: 'beta-users', description: 'Opted into beta', tags: ['a', 'b'] });
    expect(created.status).toBe(201);
    const seg: UserSegment = created.data;
    expect(seg).toMatchObject({
      name: 'Beta users',
      key: 'beta-users',
      description: 'Opted into beta',
      tags: ['a', 'b'],
      included: [],
      excluded: [],
      includedContexts: [],
      excludedContexts: [],
      rules: [],
      version: 1,
      deleted: false,
      generation: 1,
      unbounded: false,
    });
    expect(seg.creationDate).toBeTypeOf('number');
    expect(seg.lastModifiedDate).toBe(seg.creationDate);
    expect(seg._links.self).toEqual({ href: `/api/v2/segments/${P}/${E}/beta-users`, type: 'application/json' });
    expect(seg._links.parent.href).toBe(`/api/v2/segments/${P}/${E}`);
    // The bucketing salt is iterlab's own; the REST API never shows it.
    expect(seg).not.toHaveProperty('salt');
  });

  it('getSegments pages, sorts and filters (tags anyOf) as the client asks', async () => {
    await segments.postSegment(P, E, { name: 'Alpha testers', key: 'alpha', tags: ['a'] });
    await segments.postSegment(P, E, { name: 'Internal staff', key: 'internal', tags: ['b'] });
    await segments.postSegment(P, E, { name: 'Zeta', key: 'zeta', tags: ['c', 'a'] });

    const first = await segments.getSegments(P, E, 2, 0, 'name', 'tags anyOf ["a"]');
    expect(first.status).toBe(200);
    expect(first.data.totalCount).toBe(3);
    expect(first.data.items.map((x) => x.key)).toEqual(['alpha', 'beta-users']);
    expect(first.data.items.every((x) => x.tags.includes('a'))).toBe(true);
    const next = new URL(first.data._links.next.href!, 'http://x');
    expect(next.pathname).toBe(`/api/v2/segments/${P}/${E}`);
    expect(Object.fromEntries(next.searchParams)).toEqual({ filter: 'tags anyOf ["a"]', sort: 'name', limit: '2', offset: '2' });

    const second = await segments.getSegments(P, E, 2, 2, 'name', 'tags anyOf ["a"]');
    expect(second.data.items.map((x) => x.key)).toEqual(['zeta']);
    expect(second.data._links).not.toHaveProperty('next');

    const descending = await segments.getSegments(P, E, undefined, undefined, '-name');
    expect(descending.data.items.map((x) => x.key)).toEqual(['zeta', 'internal', 'beta-users', 'alpha']);
    expect(descending.data.totalCount).toBe(4);
  });

  it('getSegment reads one segment, with the flags that target it', async () => {
    const read = await segments.getSegment(P, E, 'beta-users');
    expect(read.status).toBe(200);
    expect(read.data).toMatchObject({ key: 'beta-users', name: 'Beta users', tags: ['a', 'b'], version: 1, deleted: false, generation: 1, _flags: [] });
  });

  it('patchSegment with a PatchWithComment JSON Patch: targets, a rule with clauses, the description; one version more', async () => {
    const before = (await segments.getSegment(P, E, 'beta-users')).data;
    const patched = await segments.patchSegment(P, E, 'beta-users', {
      comment: 'first targets',
      patch: [
        { op: 'replace', path: '/included', value: ['user-1', 'user-2'] },
        {
          op: 'add',
          path: '/rules/0',
          value: {
            description: 'Company staff',
            clauses: [
              { attribute: 'email', op: 'endsWith', values: ['@example.com'], negate: false },
              { contextKind: 'user', attribute: 'country', op: 'in', values: ['NZ', 'AU'], negate: true },
            ],
          },
        },
        { op: 'replace', path: '/description', value: 'Beta, staff first' },
      ],
    });
    expect(patched.status).toBe(200);
    const seg = patched.data;
    expect(seg.version).toBe(before.version + 1);
    expect(seg.included).toEqual(['user-1', 'user-2']);
    expect(seg.description).toBe('Beta, staff first');
    expect(seg.lastModifiedDate).toBeGreaterThanOrEqual(before.lastModifiedDate);
    expect(seg.creationDate).toBe(before.creationDate);
    expect(seg.rules).toHaveLength(1);
    const rule = seg.rules[0];
    expect(rule._id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rule.description).toBe('Company staff');
    expect(rule.clauses).toHaveLength(2);
    expect(rule.clauses[0]).toMatchObject({ attribute: 'email', op: 'endsWith', values: ['@example.com'], negate: false });
    expect(rule.clauses[1]).toMatchObject({ contextKind: 'user', attribute: 'country', op: 'in', values: ['NZ', 'AU'], negate: true });
    expect(rule.clauses[0]._id).toBeTypeOf('string');
    expect(rule.clauses[0]._id).not.toBe(rule.clauses[1]._id);

    // The read answers the same segment, rule ids included.
    const read = (await segments.getSegment(P, E, 'beta-users')).data;
    expect(read.rules[0]._id).toBe(rule._id);
    expect(read.version).toBe(seg.version);

    // LaunchDarkly's optimistic lock: a `test` of a stale version is a 409 and changes nothing.
    const stale = await failure(segments.patchSegment(P, E, 'beta-users', { patch: [{ op: 'test', path: '/version', value: before.version }, { op: 'replace', path: '/name', value: 'x' }] }));
    expect(stale.status).toBe(409);
    expect(stale.data.code).toBe('optimistic_locking_error');
    expect(stale.data.message).toMatch(/^Conflict\. Optimistic lock error/);
    expect((await segments.getSegment(P, E, 'beta-users')).data).toMatchObject({ name: 'Beta users', version: seg.version });
  });

  it('patchSegment with a semantic patch: with LaunchDarkly\'s content type, and as the generated client sends it (plain JSON)', async () => {
    const before = (await segments.getSegment(P, E, 'beta-users')).data;
    const withType = await segments.patchSegment(
      P,
      E,
      'beta-users',
      semanticPatch({ environmentKey: E, comment: 'orgs', instructions: [{ kind: 'addIncludedTargets', contextKind: 'org', values: ['org-1', 'org-2'] }] }),
      { headers: { 'Content-Type': SEMANTIC_PATCH } },
    );
    expect(withType.status).toBe(200);
    expect(withType.data.version).toBe(before.version + 1);
    expect(withType.data.includedContexts).toEqual([{ contextKind: 'org', values: ['org-1', 'org-2'] }]);
    // User keys stay where they were; the JSON Patch's rule is untouched.
    expect(withType.data.included).toEqual(['user-1', 'user-2']);
    expect(withType.data.rules.map((r) => r._id)).toEqual(before.rules.map((r) => r._id));

    const plain = await segments.patchSegment(
      P,
      E,
      'beta-users',
      semanticPatch({
        environmentKey: E,
        instructions: [
          { kind: 'addIncludedTargets', contextKind: 'org', values: ['org-2', 'org-3'] },
          { kind: 'addExcludedTargets', contextKind: 'org', values: ['org-9'] },
          { kind: 'addTags', values: ['semantic'] },
        ],
      }),
    );
    expect(plain.data.version).toBe(before.version + 2);
    expect(plain.data.includedContexts).toEqual([{ contextKind: 'org', values: ['org-1', 'org-2', 'org-3'] }]);
    expect(plain.data.excludedContexts).toEqual([{ contextKind: 'org', values: ['org-9'] }]);
    expect(plain.data.tags).toEqual(['a', 'b', 'semantic']);

    // An instruction already in effect changes nothing, and the version stays.
    const again = await segments.patchSegment(P, E, 'beta-users', semanticPatch({ environmentKey: E, instructions: [{ kind: 'addIncludedTargets', contextKind: 'org', values: ['org-1'] }] }));
    expect(again.data.version).toBe(plain.data.version);

    // The semantic patch's environmentKey must be the URL's.
    const elsewhere = await failure(segments.patchSegment(P, E, 'beta-users', semanticPatch({ environmentKey: 'test', instructions: [{ kind: 'addTags', values: ['x'] }] })));
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.data.code).toBe('invalid_request');
    expect(elsewhere.data.message).toContain('environmentKey');

    // The segment is environment-scoped: the project's other environment has none of it.
    expect((await segments.getSegments(P, 'test')).data).toMatchObject({ items: [], totalCount: 0 });
  });

  it('404 and 409 arrive as the client\'s error, with LaunchDarkly\'s {code, message}', async () => {
    const missing = await failure(segments.getSegment(P, E, 'no-such-segment'));
    expect(missing.status).toBe(404);
    expect(missing.data).toEqual({ code: 'not_found', message: expect.stringContaining('no-such-segment') });

    const patchMissing = await failure(segments.patchSegment(P, E, 'no-such-segment', { patch: [{ op: 'replace', path: '/name', value: 'x' }] }));
    expect(patchMissing.status).toBe(404);
    expect(patchMissing.data.code).toBe('not_found');

    const noEnvironment = await failure(segments.getSegments(P, 'no-such-env'));
    expect(noEnvironment.status).toBe(404);
    expect(noEnvironment.data.code).toBe('not_found');

    const duplicate = await failure(segments.postSegment(P, E, { name: 'Again', key: 'beta-users' }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.data).toEqual({ code: 'conflict', message: `A segment with the key "beta-users" already exists in environment "${E}" of project "${P}"` });
    // The same key in another environment is another segment.
    expect((await segments.postSegment(P, 'test', { name: 'Beta in test', key: 'beta-users' })).status).toBe(201);
  });

  it('deleteSegment: 409 while a flag\'s targeting matches on it, then 204, then 404', async () => {
    await flags.postFeatureFlag(P, { name: 'Beta feature', key: 'beta-feature' });
    const gated = await flags.patchFeatureFlag(P, 'beta-feature', {
      patch: [{ op: 'add', path: `/environments/${E}/rules/-`, value: { variation: 0, clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta-users'], negate: false }] } }],
    });
    const ruleId = gated.data.environments![E].rules![0]._id!;
    expect((await segments.getSegment(P, E, 'beta-users')).data._flags).toEqual([
      expect.objectContaining({ key: 'beta-feature', name: 'Beta feature', _links: { self: { href: `/api/v2/flags/${P}/beta-feature`, type: 'application/json' } } }),
    ]);

    const inUse = await failure(segments.deleteSegment(P, E, 'beta-users'));
    expect(inUse.status).toBe(409);
    expect(inUse.data.code).toBe('conflict');
    expect(inUse.data.message).toContain('"beta-feature"');
    expect((await segments.getSegment(P, E, 'beta-users')).status).toBe(200);

    await flags.patchFeatureFlag(P, 'beta-feature', { patch: [{ op: 'test', path: `/environments/${E}/rules/0/_id`, value: ruleId }, { op: 'remove', path: `/environments/${E}/rules/0` }] });
    const deleted = await segments.deleteSegment(P, E, 'beta-users');
    expect(deleted.status).toBe(204);
    expect(deleted.data).toBeFalsy();

    const gone = await failure(segments.getSegment(P, E, 'beta-users'));
    expect(gone.status).toBe(404);
    expect(gone.data.code).toBe('not_found');
    expect((await failure(segments.deleteSegment(P, E, 'beta-users'))).status).toBe(404);
    // Only that environment's segment went.
    expect((await segments.getSegment(P, 'test', 'beta-users')).data.name).toBe('Beta in test');
    expect((await segments.getSegments(P, E, undefined, undefined, 'key')).data.items.map((x) => x.key)).toEqual(['alpha', 'internal', 'zeta']);
  });

  it('a reader token reads segments but cannot write them (403 forbidden)', async () => {
    const asReader = new SegmentsApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    expect((await asReader.getSegment(P, E, 'alpha')).data.key).toBe('alpha');
    const refused = await failure(asReader.postSegment(P, E, { name: 'No', key: 'no' }));
    expect(refused.status).toBe(403);
    expect(refused.data.code).toBe('forbidden');
  });

  it('getContextInstanceSegmentsMembershipByEnv says which segments a context is in, and why', async () => {
    await segments.postSegment(P, E, { name: 'Members', key: 'members' });
    await segments.patchSegment(P, E, 'members', {
      patch: [
        { op: 'replace', path: '/included', value: ['ada'] },
        { op: 'replace', path: '/rules', value: [{ clauses: [{ contextKind: 'user', attribute: 'plan', op: 'in', values: ['pro'], negate: false }] }] },
      ],
    });
    const reader = new SegmentsApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    const membership = async (context: Record<string, unknown>) =>
      (await reader.getContextInstanceSegmentsMembershipByEnv(P, E, context)).data.items.find((item) => item.key === 'members');
    expect(await membership({ kind: 'user', key: 'ada' })).toMatchObject({ isMember: true, isIndividuallyTargeted: true, isRuleTargeted: false, unbounded: false });
    expect(await membership({ kind: 'user', key: 'bob', plan: 'pro' })).toMatchObject({ isMember: true, isIndividuallyTargeted: false, isRuleTargeted: true });
    expect(await membership({ kind: 'user', key: 'bob', plan: 'free' })).toMatchObject({ isMember: false, isIndividuallyTargeted: false, isRuleTargeted: false });
  });
});
