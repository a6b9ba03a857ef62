// The official REST client (launchdarkly-api-typescript) reads dependent flags (beta) over real HTTP, unchanged:
// FeatureFlagsBetaApi.getDependentFlags and getDependentFlagsByEnv answer typed MultiEnvironmentDependentFlags and
// DependentFlagsByEnvironment, with every member the client declares required; missing flags and environments, and
// a missing beta header, are LaunchDarkly's {code, message}. The beta header goes in baseOptions, as for holdouts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, FeatureFlagsApi, FeatureFlagsBetaApi, ProjectsApi, type DependentFlagsByEnvironment, type Link, type MultiEnvironmentDependentFlags } from 'launchdarkly-api-typescript';
import { clientFailure as failure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

const P = 'dependents-client';

/** The members the client's types declare required, each of its declared JSON type; the problems, each named. */
function linkProblems(at: string, links: Record<string, Link>, site: Link): string[] {
  const problems: string[] = [];
  if (typeof links !== 'object' || links === null) problems.push(`${at}._links is ${JSON.stringify(links)}`);
  for (const [name, l] of Object.entries(links ?? {})) if (typeof l.href !== 'string' || typeof l.type !== 'string') problems.push(`${at}._links.${name} is ${JSON.stringify(l)}`);
  if (typeof site?.href !== 'string' || site.type !== 'text/html') problems.push(`${at}._site is ${JSON.stringify(site)}`);
  return problems;
}

describe('dependent flags through launchdarkly-api-typescript (FeatureFlagsBetaApi)', () => {
  let s: TestServer;
  let beta: FeatureFlagsBetaApi;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    await new ProjectsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url })).postProject({ name: 'Dependents client', key: P });
    const flags = new FeatureFlagsApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    const gate = await flags.postFeatureFlag(P, { name: 'Gate', key: 'gate' });
    const on = gate.data.variations[0]._id!;
    await flags.postFeatureFlag(P, { name: 'Checkout', key: 'checkout', initialPrerequisites: [{ key: 'gate', variationId: on }] });
    await flags.postFeatureFlag(P, { name: 'Banner', key: 'banner' });
    await flags.patchFeatureFlag(P, 'banner', { patch: [{ op: 'add', path: '/environments/test/prerequisites/-', value: { key: 'gate', variation: 0 } }] });
    beta = new FeatureFlagsBetaApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } }));
  });
  afterAll(() => s.close());

  it('getDependentFlags: every dependent flag with the environments it depends in', async () => {
    const res = await beta.getDependentFlags(P, 'gate');
    expect(res.status).toBe(200);
    const rep: MultiEnvironmentDependentFlags = res.data;
    const problems = linkProblems('', rep._links, rep._site);
    for (const item of rep.items) for (const env of item.environments) problems.push(...linkProblems(`${item.key}.${env.key}`, env._links, env._site));
    expect(problems).toEqual([]);
    expect(rep.items.map((i) => [i.key, i.name, i.environments.map((e) => e.key)])).toEqual([
      ['banner', 'Banner', ['test']],
      ['checkout', 'Checkout', ['production', 'test']],
    ]);
    expect(rep._site.href).toBe(`/${P}/~/features/gate`);
    expect(rep.items[0].environments[0]._site.href).toBe(`/${P}/test/features/banner`);
  });

  it('getDependentFlagsByEnv: the dependent flags in one environment', async () => {
    const res = await beta.getDependentFlagsByEnv(P, 'production', 'gate');
    expect(res.status).toBe(200);
    const rep: DependentFlagsByEnvironment = res.data;
    expect([...linkProblems('', rep._links, rep._site), ...rep.items.flatMap((i) => linkProblems(i.key, i._links, i._site))]).toEqual([]);
    expect(rep.items.map((i) => [i.key, i.name, i._site.href])).toEqual([['checkout', 'Checkout', `/${P}/production/features/checkout`]]);
    expect((await beta.getDependentFlagsByEnv(P, 'test', 'checkout')).data.items).toEqual([]);
  });

  it("LaunchDarkly's errors: 404 for a missing flag or environment, 403 without the beta header", async () => {
    const flag = await failure(beta.getDependentFlags(P, 'ghost'));
    expect(flag).toEqual({ status: 404, data: { code: 'not_found', message: `Flag "ghost" in project "${P}" not found` } });
    const env = await failure(beta.getDependentFlagsByEnv(P, 'moon', 'gate'));
    expect(env).toEqual({ status: 404, data: { code: 'not_found', message: `Environment "moon" in project "${P}" not found` } });
    const plain = new FeatureFlagsBetaApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    const refused = await failure(plain.getDependentFlags(P, 'gate'));
    expect(refused.status).toBe(403);
    expect(refused.data.code).toBe('forbidden');
  });
});
