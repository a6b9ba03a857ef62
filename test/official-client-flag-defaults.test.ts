// The official REST client (launchdarkly-api-typescript) drives a project's flag defaults over real HTTP, unchanged:
// ProjectsApi.getFlagDefaultsByProject, putFlagDefaultsByProject and patchFlagDefaultsByProject answer typed
// FlagDefaultsRep and UpsertPayloadRep; FeatureFlagsApi.postFeatureFlag then creates flags with them; a bad payload
// and a writer's token are refused with LaunchDarkly's {code, message}.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, FeatureFlagsApi, ProjectsApi, type FlagDefaultsRep, type UpsertFlagDefaultsPayload, type UpsertPayloadRep } from 'launchdarkly-api-typescript';
import { clientFailure as failure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

const P = 'flag-defaults-client';

/** Every member UpsertPayloadRep declares required, with its declared JSON type; the problems, each named. */
function upsertProblems(rep: UpsertPayloadRep): string[] {
  const problems: string[] = [];
  if (!Array.isArray(rep.tags)) problems.push(`tags is ${JSON.stringify(rep.tags)}`);
  if (typeof rep.temporary !== 'boolean') problems.push(`temporary is ${JSON.stringify(rep.temporary)}`);
  for (const member of ['trueDisplayName', 'falseDisplayName', 'trueDescription', 'falseDescription'] as const) {
    if (typeof rep.booleanDefaults?.[member] !== 'string') problems.push(`booleanDefaults.${member} is ${JSON.stringify(rep.booleanDefaults?.[member])}`);
  }
  for (const member of ['onVariation', 'offVariation'] as const) {
    if (!Number.isInteger(rep.booleanDefaults?.[member])) problems.push(`booleanDefaults.${member} is ${JSON.stringify(rep.booleanDefaults?.[member])}`);
  }
  for (const member of ['usingMobileKey', 'usingEnvironmentId'] as const) {
    if (typeof rep.defaultClientSideAvailability?.[member] !== 'boolean') problems.push(`defaultClientSideAvailability.${member} is ${JSON.stringify(rep.defaultClientSideAvailability?.[member])}`);
  }
  return problems;
}

describe('flag defaults through launchdarkly-api-typescript (ProjectsApi)', () => {
  let s: TestServer;
  let projects: ProjectsApi;
  let flags: FeatureFlagsApi;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    projects = new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url }));
    flags = new FeatureFlagsApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    await projects.postProject({ name: 'Flag defaults client', key: P });
  });
  afterAll(() => s.close());

  it("getFlagDefaultsByProject: a new project's defaults", async () => {
    const res = await projects.getFlagDefaultsByProject(P);
    expect(res.status).toBe(200);
    const rep: FlagDefaultsRep = res.data;
    expect(rep).toMatchObject({
      tags: [],
      temporary: true,
      booleanDefaults: { trueDisplayName: 'True', falseDisplayName: 'False', trueDescription: '', falseDescription: '', onVariation: 0, offVariation: 1 },
      defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: false },
    });
    expect(rep._links!.self.href).toBe(`/api/v2/projects/${P}/flag-defaults`);
  });

  it('putFlagDefaultsByProject with the docs’ example payload; postFeatureFlag then follows it', async () => {
    const payload: UpsertFlagDefaultsPayload = {
      tags: ['tag-1', 'tag-2'],
      temporary: true,
      booleanDefaults: { trueDisplayName: 'True', falseDisplayName: 'False', trueDescription: 'serve true', falseDescription: 'serve false', onVariation: 0, offVariation: 1 },
      defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: true },
    };
    const res = await projects.putFlagDefaultsByProject(P, payload);
    expect(res.status).toBe(200);
    expect(upsertProblems(res.data)).toEqual([]);
    expect(res.data).toMatchObject(payload);
    expect((await projects.getProject(P)).data).toMatchObject({ includeInSnippetByDefault: true, defaultClientSideAvailability: { usingMobileKey: true, usingEnvironmentId: true } });

    const flag = (await flags.postFeatureFlag(P, { name: 'New checkout', key: 'new-checkout' })).data;
    expect(flag.tags).toEqual(['tag-1', 'tag-2']);
    expect(flag.clientSideAvailability).toEqual({ usingMobileKey: true, usingEnvironmentId: true });
    expect(flag.variations.map((v) => [v.value, v.name, v.description])).toEqual([
      [true, 'True', 'serve true'],
      [false, 'False', 'serve false'],
    ]);
  });

  it('patchFlagDefaultsByProject takes the client’s PatchOperation array', async () => {
    const res = await projects.patchFlagDefaultsByProject(P, [
      { op: 'replace', path: '/temporary', value: false },
      { op: 'remove', path: '/tags/0' },
    ]);
    expect(res.status).toBe(200);
    expect(upsertProblems(res.data)).toEqual([]);
    expect(res.data).toMatchObject({ tags: ['tag-2'], temporary: false });
    expect((await flags.postFeatureFlag(P, { name: 'Permanent', key: 'permanent' })).data).toMatchObject({ temporary: false, tags: ['tag-2'] });
  });

  it("LaunchDarkly's errors: 400 naming the field, 403 for a reader, 404 for a missing project", async () => {
    const bad = await failure(projects.patchFlagDefaultsByProject(P, [{ op: 'replace', path: '/booleanDefaults/offVariation', value: 3 }]));
    expect(bad.status).toBe(400);
    expect(bad.data.code).toBe('invalid_request');
    expect(bad.data.errors?.map((e) => e.attribute)).toEqual(['booleanDefaults.offVariation']);
    const reader = new ProjectsApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    const refused = await failure(reader.patchFlagDefaultsByProject(P, [{ op: 'replace', path: '/temporary', value: true }]));
    expect(refused.status).toBe(403);
    expect(refused.data.code).toBe('forbidden');
    expect((await reader.getFlagDefaultsByProject(P)).data.temporary).toBe(false);
    const missing = await failure(projects.getFlagDefaultsByProject('nope'));
    expect(missing).toEqual({ status: 404, data: { code: 'not_found', message: 'Project "nope" not found' } });
  });
});
