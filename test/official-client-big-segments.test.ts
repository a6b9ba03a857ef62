// The official REST client (launchdarkly-api-typescript) drives big segments over real HTTP, unchanged, as Terraform's
// launchdarkly_segment with unbounded = true does (create with unboundedContextKind "", then its JSON Patch update),
// then the big-segment operations: updateBigSegmentContextTargets, updateBigSegmentTargets and the membership reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AxiosError } from 'axios';
import { Configuration, ProjectsApi, SegmentsApi } from 'launchdarkly-api-typescript';
import { startServer, type TestServer } from './support/server.js';

const P = 'big-client';
const E = 'production';

describe('big segments through launchdarkly-api-typescript', () => {
  let s: TestServer;
  let segments: SegmentsApi;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    segments = new SegmentsApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    await new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url })).postProject({ name: 'Big segments client', key: P });
  });
  afterAll(() => s.close());

  it("Terraform's create and update of a big segment: SegmentBody with unbounded, then the JSON Patch of every field", async () => {
    const created = await segments.postSegment(P, E, { name: 'Big', key: 'big', description: '', tags: [], unbounded: true, unboundedContextKind: '' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ unbounded: true, unboundedContextKind: 'user', generation: 1 });
    const ops = [
      ['/name', 'Big users'],
      ['/description', 'from Terraform'],
      ['/temporary', 'temporary'],
      ['/included', []],
      ['/excluded', []],
      ['/rules', []],
      ['/includedContexts', []],
      ['/excludedContexts', []],
      ['/tags', ['tf']],
    ].map(([path, value]) => ({ op: 'replace', path: path as string, value }));
    const patched = await segments.patchSegment(P, E, 'big', { comment: 'Terraform', patch: ops });
    expect(patched.data).toMatchObject({ name: 'Big users', unbounded: true, unboundedContextKind: 'user', generation: 1, included: [], rules: [] });
    // What Terraform's read sets: unbounded, unbounded_context_kind, and empty lists.
    const read = (await segments.getSegment(P, E, 'big')).data;
    expect([read.unbounded, read.unboundedContextKind, read.included, read.excluded, read.includedContexts, read.excludedContexts]).toEqual([true, 'user', [], [], [], []]);
  });

  it('updateBigSegmentContextTargets and updateBigSegmentTargets (204), read back with the membership operations', async () => {
    expect((await segments.updateBigSegmentContextTargets(P, E, 'big', { included: { add: ['u1', 'u2'] }, excluded: { add: ['u3'] } })).status).toBe(204);
    expect((await segments.updateBigSegmentTargets(P, E, 'big', { included: { remove: ['u2'] } })).status).toBe(204);
    expect((await segments.getSegmentMembershipForContext(P, E, 'big', 'u1')).data).toEqual({ userKey: 'u1', included: true, excluded: false });
    expect((await segments.getSegmentMembershipForUser(P, E, 'big', 'u2')).data).toEqual({ userKey: 'u2', included: false, excluded: false });
    expect((await segments.getSegmentMembershipForUser(P, E, 'big', 'u3')).data).toEqual({ userKey: 'u3', included: false, excluded: true });
  });

  it("a standard segment refuses the big-segment operations with LaunchDarkly's {code, message}", async () => {
    await segments.postSegment(P, E, { name: 'Small', key: 'small', unbounded: false, unboundedContextKind: '' });
    const err = await segments.updateBigSegmentContextTargets(P, E, 'small', { included: { add: ['u1'] } }).then(
      () => undefined,
      (e: AxiosError<{ code: string; message: string }>) => e,
    );
    expect(err?.response?.status).toBe(400);
    expect(err?.response?.data).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('segment "small" is a standard segment') });
  });
});
