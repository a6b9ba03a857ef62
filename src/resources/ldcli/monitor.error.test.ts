// ldcli's flag monitor reads: a `filter` that does not name the environment (and for contextsCount the context kind),
// or names another field, and a `from` or `to` that is no Unix time or a window that ends before it starts, are 400s
// naming the parameter; an unknown project, environment or flag a 404 naming it. Nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { usageWorld, type UsageWorld } from '../../../test/support/usage.js';

describe('getMonitorContextKinds and getMonitorContextsCount: errors', () => {
  let u: UsageWorld;
  beforeAll(async () => {
    u = await usageWorld();
  });
  afterAll(() => u.s.close());

  const kinds = (filter?: string, flag = 'checkout', project = 'shop') =>
    u.s.get(`/internal/projects/${project}/flags/${flag}/monitor/contextKinds${filter === undefined ? '' : `?filter=${encodeURIComponent(filter)}`}`);
  const count = (query: string, flag = 'checkout') => u.s.get(`/internal/projects/shop/flags/${flag}/monitor/contextsCount?${query}`);
  const both = encodeURIComponent('env equals production,contextKind equals user');

  it('400 naming filter, from or to', async () => {
    await expectRefused(u.s.store, () => kinds(), 400, 'invalid_request', /filter: must name the environment/);
    await expectRefused(u.s.store, () => kinds('contextKind equals user'), 400, 'invalid_request', /filter/);
    await expectRefused(u.s.store, () => kinds('region equals eu'), 400, 'invalid_request', /unknown filter field "region"/);
    await expectRefused(u.s.store, () => kinds('env startsWith prod'), 400, 'invalid_request', /filter/);
    await expectRefused(u.s.store, () => count(`filter=${encodeURIComponent('env equals production')}`), 400, 'invalid_request', /filter: must name the environment and the context kind/);
    await expectRefused(u.s.store, () => count(`from=yesterday&filter=${both}`), 400, 'invalid_request', /from: must be a Unix time in milliseconds/);
    await expectRefused(u.s.store, () => count(`to=1.5&filter=${both}`), 400, 'invalid_request', /to: must be a Unix time/);
    await expectRefused(u.s.store, () => count(`from=5&to=4&filter=${both}`), 400, 'invalid_request', /from: must not be after to \(4\)/);
  });

  it('404 naming an unknown project, environment or flag', async () => {
    await expectRefused(u.s.store, () => kinds('env equals production', 'checkout', 'nope'), 404, 'not_found', /nope/);
    await expectRefused(u.s.store, () => kinds('env equals staging'), 404, 'not_found', /Environment "staging"/);
    await expectRefused(u.s.store, () => kinds('env equals production', 'ghost'), 404, 'not_found', 'Flag "ghost" in project "shop" not found');
    await expectRefused(u.s.store, () => count(`filter=${both}`, 'ghost'), 404, 'not_found', /ghost/);
    // ldcli reads a 404 as no exposure figures for that flag, not as zeros.
    expect((await count(`filter=${both}`)).status).toBe(200);
  });
});
