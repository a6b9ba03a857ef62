// Every error a client can cause on the Views API: exact status, code and a message naming the field or what is
// missing; a request that fails writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { createView, linkTo, viewWorld, type ViewWorld } from '../../../test/support/views.js';
import type { Response } from '../../../test/support/server.js';

describe('Views API errors', () => {
  let w: ViewWorld;
  beforeAll(async () => {
    w = await viewWorld();
    await createView(w, { key: 'squad', name: 'Squad', maintainerId: w.ownerId });
    await linkTo(w, 'squad', 'flags', { keys: ['checkout'] });
  });
  afterAll(() => w.s.close());

  /** The answer is the error expected, and the store is as it was. */
  const expectError = async (send: () => Promise<Response>, status: number, code: string, message: unknown) => {
    let res: Response | undefined;
    expect(await changedBy(w.s.store, async () => (res = await send()))).toBe(false);
    expect({ status: res!.status, body: res!.body }).toEqual({ status, body: expect.objectContaining({ code, message }) });
  };
  const invalid = (send: () => Promise<Response>, message: unknown) => expectError(send, 400, 'invalid_request', message);

  it('without LD-API-Version: beta, 403 on every route', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', w.views],
      ['POST', w.views, { key: 'x', name: 'x' }],
      ['GET', `${w.views}/squad`],
      ['PATCH', `${w.views}/squad`, { name: 'y' }],
      ['DELETE', `${w.views}/squad`],
      ['POST', `${w.views}/squad/link/flags`, { keys: ['search'] }],
      ['DELETE', `${w.views}/squad/link/flags`, { keys: ['checkout'] }],
      ['GET', `${w.views}/squad/linked/flags`],
      ['GET', '/api/v2/projects/shop/view-associations/flags/checkout'],
    ];
    for (const [method, path, body] of routes) {
      await expectError(() => w.s.request(method, path, body === undefined ? {} : { body }), 403, 'forbidden', expect.stringMatching(/beta/));
    }
  });

  it('an unknown project, view, flag, segment or environment: 404 naming it', async () => {
    await expectError(() => w.get('/api/v2/projects/nope/views'), 404, 'not_found', 'Project "nope" not found');
    await expectError(() => w.post('/api/v2/projects/nope/views', { key: 'x', name: 'x' }), 404, 'not_found', 'Project "nope" not found');
    const missing = 'View "nope" in project "shop" not found';
    await expectError(() => w.get(`${w.views}/nope`), 404, 'not_found', missing);
    await expectError(() => w.patch(`${w.views}/nope`, { name: 'x' }), 404, 'not_found', missing);
    await expectError(() => w.del(`${w.views}/nope`), 404, 'not_found', missing);
    await expectError(() => w.post(`${w.views}/nope/link/flags`, { keys: ['checkout'] }), 404, 'not_found', missing);
    await expectError(() => w.del(`${w.views}/nope/link/flags`, { keys: ['checkout'] }), 404, 'not_found', missing);
    await expectError(() => w.get(`${w.views}/nope/linked/segments`), 404, 'not_found', missing);
    const associations = '/api/v2/projects/shop/view-associations';
    await expectError(() => w.get(`${associations}/flags/nope`), 404, 'not_found', 'Flag "nope" in project "shop" not found');
    await expectError(() => w.get(`${associations}/segments/nope?environmentId=${w.env.test}`), 404, 'not_found', 'Segment "nope" in environment "test" of project "shop" not found');
    await expectError(() => w.get(`${associations}/segments/staff?environmentId=elsewhere`), 404, 'not_found', 'Environment "elsewhere" in project "shop" not found');
    await expectError(() => w.get(`${associations}/aiConfigs/assistant`), 404, 'not_found', 'AI Config "assistant" in project "shop" not found');
    await expectError(() => w.post(`${w.views}/squad/link/segments`, { filter: 'tags anyOf ["beta"]', environmentId: 'elsewhere' }), 404, 'not_found', 'Environment "elsewhere" in project "shop" not found');
    await expectError(() => w.get(`${w.views}/squad/linked/segments?environmentId=elsewhere`), 404, 'not_found', 'Environment "elsewhere" in project "shop" not found');
  });

  it('createView: a body LaunchDarkly would refuse, 400 naming the field; a key taken, 409', async () => {
    const create = (body: unknown) => () => w.post(w.views, body);
    await invalid(create({ name: 'No key' }), 'key: must be present');
    await invalid(create({ key: 'no-name' }), 'name: must be present');
    await invalid(create({ key: 'bad key', name: 'x' }), "key: must start with a letter or digit and contain only letters, digits, '.', '_' or '-'");
    await invalid(create({ key: 'x', name: '' }), 'name: must not be empty');
    await invalid(create({ key: 'x', name: 'x', tags: 'a' }), 'tags: must be an array');
    await invalid(create({ key: 'x', name: 'x', generateSdkKeys: 'yes' }), 'generateSdkKeys: must be a boolean');
    await invalid(create({ key: 'x', name: 'x', owner: 'me' }), 'owner: is not allowed');
    await invalid(create({ key: 'x', name: 'x', maintainerId: 'nobody' }), 'maintainerId: no member has the ID "nobody"');
    await invalid(create({ key: 'x', name: 'x', maintainerTeamKey: 'no-team' }), 'maintainerTeamKey: no team has the key "no-team"');
    await invalid(create({ key: 'x', name: 'x', maintainerId: w.ownerId, maintainerTeamKey: 'checkout-team' }), 'maintainerTeamKey: cannot be set with maintainerId: a view has one maintainer, a member or a team');
    await invalid(create([{ key: 'x' }]), expect.stringMatching(/^body: /));
    await expectError(create({ key: 'squad', name: 'Again' }), 409, 'conflict', 'A view with the key "squad" already exists in project "shop"');
  });

  it('getViews and getView: a filter, sort, page or expansion LaunchDarkly does not document, 400 naming it', async () => {
    const list = (query: string, path = w.views) => () => w.get(`${path}?${query}`);
    const filter = (text: string) => `filter=${encodeURIComponent(text)}`;
    await invalid(list(filter('owner equals "me"')), 'filter: unknown filter field "owner"; use one of name, key, tag, maintainerId, isPayloadView');
    await invalid(list(filter('tag startsWith "a"')), 'filter: the field "tag" takes the operator equals or anyOf, not "startsWith"');
    await invalid(list(filter('isPayloadView equals maybe')), 'filter: the field "isPayloadView" takes true or false, not "maybe"');
    await invalid(list(filter('key equals ["a","b"]')), 'filter: the field "key" takes one value with equals; use anyOf for several');
    await invalid(list('sort=createdAt'), 'sort: cannot sort by "createdAt"; use key, name, updatedAt (prefix - for descending, comma-separated)');
    await invalid(list('limit=0'), 'limit: must be >= 1');
    await invalid(list('offset=x'), 'offset: must be an integer');
    await invalid(list('expand=allFlags'), 'expand: cannot expand "allFlags"; use flagsSummary, segmentsSummary, resourceSummary, metricsSummary, aiConfigsSummary');
    await invalid(list('expand=everything', `${w.views}/squad`), expect.stringMatching(/^expand: cannot expand "everything"; use .*allFlags/));
    await invalid(list('sort=size', `${w.views}/squad`), 'sort: cannot sort by "size"; use key, name, updatedAt (prefix - for descending, comma-separated)');
  });

  it('updateView: a change LaunchDarkly would refuse, 400 naming the field (409 for a failed test); nothing written', async () => {
    const patch = (body: unknown) => () => w.patch(`${w.views}/squad`, body);
    await invalid(patch({ name: '' }), 'name: must not be empty');
    await invalid(patch({ tags: 'a' }), 'tags: must be an array');
    await invalid(patch({ generateSdkKeys: 'yes' }), 'generateSdkKeys: must be a boolean');
    await invalid(patch({ archived: null }), 'archived: must be present');
    await invalid(patch({ owner: 'me' }), '/owner: is not a field that can be patched; patchable fields are name, description, generateSdkKeys, tags, archived, maintainerId, maintainerTeamKey');
    await invalid(patch({ key: 'renamed' }), '/key: is read-only and cannot be changed');
    await invalid(patch([{ op: 'replace', path: '/version', value: 9 }]), '/version: is read-only and cannot be changed');
    await invalid(patch({ maintainerId: 'nobody' }), 'maintainerId: no member has the ID "nobody"');
    await invalid(patch({ maintainerTeamKey: 'no-team' }), 'maintainerTeamKey: no team has the key "no-team"');
    await invalid(patch({ maintainerId: w.ownerId, maintainerTeamKey: 'checkout-team' }), 'maintainerTeamKey: cannot be set with maintainerId: a view has one maintainer, a member or a team');
    await invalid(patch([{ op: 'jump', path: '/name' }]), expect.stringMatching(/^patch\[0\]: op must be one of/));
    await invalid(patch({ comment: 5, name: 'x' }), 'comment: must be a string');
    await invalid(patch('name'), expect.stringMatching(/^body: /));
    await expectError(patch([{ op: 'test', path: '/version', value: 7 }, { op: 'replace', path: '/name', value: 'x' }]), 409, 'optimistic_locking_error', expect.stringContaining('operation 0'));
  });

  it('linkResource and unlinkResource: a body LaunchDarkly would refuse, 400 naming the field; nothing written', async () => {
    for (const method of ['POST', 'DELETE']) {
      const send = (type: string, body: unknown) => () => (method === 'POST' ? w.post(`${w.views}/squad/link/${type}`, body) : w.del(`${w.views}/squad/link/${type}`, body));
      await invalid(send('metrics', { keys: ['m'] }), 'resourceType: must be one of flags, segments, aiConfigs, not "metrics"');
      await invalid(send('flags', ['checkout']), 'body: must be an object with keys, segmentIdentifiers or a filter');
      await invalid(send('flags', {}), 'keys: one of keys or filter is required');
      await invalid(send('segments', {}), 'keys: one of keys, segmentIdentifiers or filter is required');
      await invalid(send('flags', { keys: 'checkout' }), 'keys: must be an array');
      await invalid(send('flags', { keys: [''] }), 'keys[0]: must not be empty');
      await invalid(send('flags', { keys: ['checkout'], force: true }), 'force: is not allowed');
      await invalid(send('flags', { keys: ['checkout'], segmentIdentifiers: [] }), 'segmentIdentifiers: cannot be sent with keys');
      await invalid(send('flags', { segmentIdentifiers: [{ environmentId: w.env.test, segmentKey: 'staff' }] }), 'segmentIdentifiers: names segments; flags are named by keys');
      await invalid(send('segments', { keys: ['staff'] }), 'keys: segments are named by segmentIdentifiers ({environmentId, segmentKey}), not by keys');
      await invalid(send('segments', { segmentIdentifiers: [{ environmentId: w.env.test }] }), 'segmentIdentifiers[0].segmentKey: must be present');
      await invalid(send('flags', { keys: ['checkout'], environmentId: w.env.test }), 'environmentId: is taken with a filter or with segmentIdentifiers, not with keys');
      await invalid(send('segments', { filter: 'tags anyOf ["beta"]' }), 'environmentId: is required with a filter for segments: it names the environment whose segments the filter picks');
      await invalid(send('flags', { filter: 'color:blue' }), expect.stringMatching(/^filter: unknown filter field "color"; use one of query, tags/));
      await invalid(send('flags', { filter: 'state:gone' }), 'filter: state must be live, deprecated or archived, not "gone"');
      await invalid(send('segments', { filter: 'color anyOf ["blue"]', environmentId: w.env.test }), 'filter: unknown filter field "color"; use one of excludedKeys, includedKeys, external, query, tags, unbounded, view');
      await invalid(send('flags', { keys: ['checkout'], comment: 5 }), 'comment: must be a string');
    }
  });

  it('getLinkedResources and getLinkedViews: a query LaunchDarkly does not document, 400 naming it', async () => {
    const linked = (type: string, query: string) => () => w.get(`${w.views}/squad/linked/${type}?${query}`);
    await invalid(linked('flags', 'sort=key'), 'sort: cannot sort by "key"; use one of linkedAt, name (prefix - for descending)');
    await invalid(linked('flags', 'expand=maintainers'), 'expand: cannot expand "maintainers"; use resourceDetails, maintainer');
    await invalid(linked('flags', 'limit=-1'), 'limit: must be >= 1');
    await invalid(linked('flags', `filter=${encodeURIComponent('size:9')}`), expect.stringMatching(/^filter: unknown filter field "size"/));
    await invalid(linked('segments', `filter=${encodeURIComponent('tags anyOf ["beta"]')}`), 'environmentId: is required with a filter for segments: it names the environment whose segments the filter picks');
    await invalid(linked('aiConfigs', 'filter=tags:x'), 'filter: is taken for flags and segments only');
    await invalid(() => w.post(`${w.views}/squad/link/aiConfigs`, { filter: 'tags:x' }), 'filter: is taken for flags and segments only; AI Configs are named by keys');
    await invalid(() => w.post(`${w.views}/squad/link/aiConfigs`, { keys: ['a'], filter: 'tags:x' }), 'filter: is taken for flags and segments only; AI Configs are named by keys');
    await invalid(() => w.del(`${w.views}/squad/link/aiConfigs`, { comment: 'none' }), 'keys: is required');
    await invalid(linked('experiments', ''), 'resourceType: must be one of flags, segments, aiConfigs, not "experiments"');
    await invalid(() => w.get('/api/v2/projects/shop/view-associations/segments/staff'), "environmentId: is required for segments: a segment is an environment's");
    await invalid(() => w.get('/api/v2/projects/shop/view-associations/metrics/m'), 'resourceType: must be one of flags, segments, aiConfigs, not "metrics"');
    await invalid(() => w.get('/api/v2/projects/shop/view-associations/flags/checkout?offset=-2'), 'offset: must be >= 0');
  });
});
