// Which actions each operation asks of a custom role, told from its body; every REST route is in the table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { resourceName } from './policy.js';
import { knowsRoute, routeAccess, type RouteRequest } from './routeActions.js';

function needs(request: Partial<RouteRequest> & Pick<RouteRequest, 'method' | 'url'>): string[][] {
  const access = routeAccess({ params: {}, body: undefined, memberId: 'm1', ...request });
  return (access?.requirements ?? []).map((alternatives) => alternatives.map((n) => `${n.action} ${resourceName(n.resource)}`));
}

const FLAG = { method: 'PATCH', url: '/api/v2/flags/:projectKey/:featureFlagKey', params: { projectKey: 'shop', featureFlagKey: 'checkout' } };

describe('routeActions', () => {
  it('a flag semantic patch: per-environment instructions on that environment, the others on every environment', () => {
    const body = { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }, { kind: 'addRule' }, { kind: 'updateName' }, { kind: 'turnFlagOff' }] };
    expect(needs({ ...FLAG, body })).toEqual([
      ['updateOn proj/shop:env/production:flag/checkout'],
      ['updateRules proj/shop:env/production:flag/checkout'],
      ['updateName proj/shop:env/*:flag/checkout'],
    ]);
  });

  it('a flag semantic patch deleting the flag asks deleteFlag, as DELETE does', () => {
    expect(needs({ ...FLAG, body: { instructions: [{ kind: 'deleteFlag' }] } })).toEqual([['deleteFlag proj/shop:env/*:flag/checkout']]);
  });

  it('creating a flag or segment into views (viewKeys) also asks to link it to each view', () => {
    const flag = { method: 'POST', url: '/api/v2/flags/:projectKey', params: { projectKey: 'shop' }, body: { key: 'f', viewKeys: ['a', 'b', 'a'] } };
    expect(needs(flag)).toEqual([['createFlag proj/shop:env/*:flag/f'], ['linkFlagToView proj/shop:view/a'], ['linkFlagToView proj/shop:view/b']]);
    const segment = { method: 'POST', url: '/api/v2/segments/:projectKey/:environmentKey', params: { projectKey: 'shop', environmentKey: 'test' }, body: { key: 's', viewKeys: ['a'] } };
    expect(needs(segment)).toEqual([['createSegment proj/shop:env/test:segment/s'], ['linkSegmentToView proj/shop:view/a']]);
  });

  it('a flag JSON Patch: the environment in the path, the member named by it', () => {
    const body = [
      { op: 'replace', path: '/environments/test/on', value: true },
      { op: 'replace', path: '/environments/test/fallthrough/variation', value: 1 },
      { op: 'add', path: '/tags/-', value: 'x' },
    ];
    expect(needs({ ...FLAG, body })).toEqual([['updateOn proj/shop:env/test:flag/checkout'], ['updateFallthrough proj/shop:env/test:flag/checkout'], ['updateTags proj/shop:env/*:flag/checkout']]);
    expect(needs({ ...FLAG, body: { comment: 'c', patch: [{ op: 'replace', path: '/name', value: 'N' }] } })).toEqual([['updateName proj/shop:env/*:flag/checkout']]);
  });

  it('a body with a JSON Patch and a merge patch side by side asks for what each changes', () => {
    const body = { patch: [{ op: 'replace', path: '/description', value: 'd' }], merge: { environments: { production: { on: true } } } };
    expect(needs({ ...FLAG, body })).toEqual([['updateDescription proj/shop:env/*:flag/checkout'], ['updateOn proj/shop:env/production:flag/checkout']]);
  });

  it('a move asks for what it takes from as well as where it puts; a copy only where it puts', () => {
    const body = [
      { op: 'move', from: '/environments/test/rules/0', path: '/environments/production/rules/0' },
      { op: 'copy', from: '/environments/test/offVariation', path: '/environments/production/offVariation' },
    ];
    expect(needs({ ...FLAG, body })).toEqual([
      ['updateRules proj/shop:env/production:flag/checkout'],
      ['updateRules proj/shop:env/test:flag/checkout'],
      ['updateOffVariation proj/shop:env/production:flag/checkout'],
    ]);
    const webhook = { method: 'PATCH', url: '/api/v2/webhooks/:id', params: { id: 'w1' } };
    expect(needs({ ...webhook, body: [{ op: 'move', from: '/secret', path: '/name' }] })).toEqual([['updateName webhook/w1'], ['updateSecret webhook/w1']]);
  });

  it('a flag merge patch: its members, and each environment’s', () => {
    const body = { comment: 'c', merge: { name: 'N', environments: { production: { on: true, rules: [] }, test: { offVariation: 1 } } } };
    expect(needs({ ...FLAG, body })).toEqual([
      ['updateName proj/shop:env/*:flag/checkout'],
      ['updateOn proj/shop:env/production:flag/checkout'],
      ['updateRules proj/shop:env/production:flag/checkout'],
      ['updateOffVariation proj/shop:env/test:flag/checkout'],
    ]);
    expect(needs({ method: 'PATCH', url: '/api/v2/roles/:customRoleKey', params: { customRoleKey: 'r' }, body: { merge: { name: 'x', basePermissions: 'reader' } } })).toEqual([
      ['updateName role/r'],
      ['updateBasePermissions role/r'],
    ]);
  });

  it('a flag copy: copyFlagConfigFrom on the source environment and copyFlagConfigTo on the target, the project in view', () => {
    const url = '/api/v2/flags/:projectKey/:featureFlagKey/copy';
    const params = { projectKey: 'shop', featureFlagKey: 'checkout' };
    const body = { source: { key: 'staging' }, target: { key: 'production', currentVersion: 3 }, includedActions: ['updateRules'] };
    expect(needs({ method: 'POST', url, params, body })).toEqual([['copyFlagConfigFrom proj/shop:env/staging:flag/checkout'], ['copyFlagConfigTo proj/shop:env/production:flag/checkout']]);
    expect(routeAccess({ method: 'POST', url, params, body, memberId: 'm1' })?.project).toBe('shop');
    // A body without environments (refused by the operation) still asks for both actions, on every environment.
    expect(needs({ method: 'POST', url, params, body: {} })).toEqual([['copyFlagConfigFrom proj/shop:env/*:flag/checkout'], ['copyFlagConfigTo proj/shop:env/*:flag/checkout']]);
  });

  it('experiments: archive and restore are updateExperimentArchived, everything else updateExperiment; create iteration too', () => {
    const url = '/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey';
    const params = { projectKey: 'shop', environmentKey: 'production', experimentKey: 'exp' };
    expect(needs({ method: 'PATCH', url, params, body: { instructions: [{ kind: 'archiveExperiment' }] } })).toEqual([['updateExperimentArchived proj/shop:env/production:experiment/exp']]);
    expect(needs({ method: 'PATCH', url, params, body: { instructions: [{ kind: 'startIteration' }] } })).toEqual([['updateExperiment proj/shop:env/production:experiment/exp']]);
    expect(needs({ method: 'POST', url: `${url}/iterations`, params, body: {} })).toEqual([['updateExperiment proj/shop:env/production:experiment/exp']]);
    expect(needs({ method: 'POST', url: '/api/v2/projects/:projectKey/environments/:environmentKey/experiments', params, body: { key: 'new' } })).toEqual([
      ['createExperiment proj/shop:env/production:experiment/new'],
    ]);
  });

  it('reads need only the project in view; account-wide reads need nothing', () => {
    const access = routeAccess({ method: 'GET', url: '/api/v2/flags/:projectKey', params: { projectKey: 'shop' }, body: undefined, memberId: 'm1' });
    expect(access).toEqual({ project: 'shop', requirements: [] });
    expect(routeAccess({ method: 'GET', url: '/api/v2/members', params: {}, body: undefined, memberId: 'm1' })).toBeUndefined();
  });

  it("a project's flag defaults: reading needs the project in view; PUT and PATCH, whatever they change, updateProjectFlagDefaults", () => {
    const url = '/api/v2/projects/:projectKey/flag-defaults';
    const params = { projectKey: 'shop' };
    expect(routeAccess({ method: 'GET', url, params, body: undefined, memberId: 'm1' })).toEqual({ project: 'shop', requirements: [] });
    expect(needs({ method: 'PUT', url, params, body: { tags: [], temporary: false } })).toEqual([['updateProjectFlagDefaults proj/shop']]);
    expect(needs({ method: 'PATCH', url, params, body: [{ op: 'replace', path: '/defaultClientSideAvailability/usingMobileKey', value: true }, { op: 'replace', path: '/tags', value: [] }] })).toEqual([
      ['updateProjectFlagDefaults proj/shop'],
    ]);
    expect(routeAccess({ method: 'PATCH', url, params, body: [], memberId: 'm1' })?.project).toBe('shop');
  });

  it('dependent flags, across environments or in one, are reads of the project', () => {
    for (const [url, params] of [
      ['/api/v2/flags/:projectKey/:featureFlagKey/dependent-flags', { projectKey: 'shop', featureFlagKey: 'checkout' }],
      ['/api/v2/flags/:projectKey/:environmentKey/:featureFlagKey/dependent-flags', { projectKey: 'shop', environmentKey: 'production', featureFlagKey: 'checkout' }],
    ] as const) {
      expect(routeAccess({ method: 'GET', url, params, body: undefined, memberId: 'm1' })).toEqual({ project: 'shop', requirements: [] });
      expect(knowsRoute('HEAD', url)).toBe(true);
    }
  });

  it('tokens: a service token or the member’s token may grant each action', () => {
    expect(needs({ method: 'DELETE', url: '/api/v2/tokens/:id', params: { id: 't1' } })).toEqual([['deleteAccessToken service-token/t1', 'deleteAccessToken member/m1:token/t1']]);
    expect(needs({ method: 'POST', url: '/api/v2/tokens', body: { serviceToken: true } })).toEqual([['createAccessToken service-token/*']]);
  });

  it('an update whose body names nothing still asks for the resource’s generic update action', () => {
    expect(needs({ ...FLAG, body: {} })).toEqual([['updateFlag proj/shop:env/*:flag/checkout']]);
    expect(needs({ method: 'PATCH', url: '/api/v2/roles/:customRoleKey', params: { customRoleKey: 'r' }, body: {} })).toEqual([['updatePolicy role/r']]);
    expect(needs({ method: 'PATCH', url: '/api/v2/tokens/:id', params: { id: 't1' }, body: [] })).toEqual([
      ['updateAccessTokenPolicy service-token/t1', 'updateAccessTokenPolicy member/m1:token/t1'],
    ]);
  });

  it('a route missing from the table needs an action no policy names', () => {
    expect(needs({ method: 'POST', url: '/api/v2/not-a-route' })).toEqual([['unlistedOperation acct']]);
  });

  describe('every REST route the app serves is in the table', () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await startServer();
    });
    afterAll(() => s.close());

    it('any body, however malformed, gives requirements rather than an exception', () => {
      const bodies: unknown[] = [
        undefined,
        null,
        7,
        'text',
        [],
        [null, 3, { path: 5 }, { op: 'add', path: '/environments' }, { path: '/~1x/~0y' }],
        { instructions: 'not a list' },
        { instructions: [null, 1, { kind: 9 }, { kind: 'turnFlagOn' }], environmentKey: { not: 'a string' } },
        { patch: { not: 'a list' } },
        { key: ['a'], tags: 'x', randomizationUnits: [null, 3, { randomizationUnit: {} }], serviceToken: 'yes' },
        { __proto__: { key: 'polluted' } },
      ];
      for (const route of s.routes.filter((r) => r.method !== 'OPTIONS' && !r.config.public && !r.config.sdkKey)) {
        const params = Object.fromEntries([...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => [m[1], 'k']));
        for (const body of bodies) {
          const access = routeAccess({ method: route.method, url: route.url, params, body, memberId: 'm1' });
          for (const requirement of access?.requirements ?? []) {
            expect(requirement.length, `${route.method} ${route.url} ${JSON.stringify(body)}`).toBeGreaterThan(0);
            for (const need of requirement) expect(typeof need.action).toBe('string');
          }
        }
      }
    });

    it('no route is left to the refusal of unlisted operations', () => {
      const missing = s.routes
        .filter((r) => r.method !== 'OPTIONS' && !r.config.public && !r.config.sdkKey)
        .filter((r) => !knowsRoute(r.method, r.url))
        .map((r) => `${r.method} ${r.url}`);
      expect(missing).toEqual([]);
    });
  });
});
