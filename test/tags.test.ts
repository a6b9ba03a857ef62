// Tags on every resource that has them follow LaunchDarkly's rule: letters, digits, '.', '_' and '-', 1 to 64 characters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from './support/digest.js';
import { startServer, type Response, type TestServer } from './support/server.js';

const SEMANTIC = { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } };

describe('tags: the character set and length LaunchDarkly allows', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' })).status).toBe(201);
    expect((await s.post('/api/v2/segments/shop/production', { name: 'S', key: 's' })).status).toBe(201);
    expect((await s.post('/api/v2/metrics/shop', { key: 'm', name: 'M', kind: 'custom', eventKey: 'e', isNumeric: false })).status).toBe(201);
  });
  afterAll(() => s.close());

  async function refused(send: () => Promise<Response>, attribute: string, reason: RegExp) {
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await send();
    });
    expect(res!.status, JSON.stringify(res!.body)).toBe(400);
    expect(res!.body.code).toBe('invalid_request');
    expect(res!.body.message).toContain(attribute);
    const error = res!.body.errors.find((e: { attribute: string }) => e.attribute === attribute);
    expect(error, JSON.stringify(res!.body)).toBeDefined();
    expect(error.reason).toMatch(reason);
    expect(changed).toBe(false);
  }

  const CHARSET = /must contain only letters, digits, '\.', '_' or '-'/;

  it('accepts letters, digits, periods, underscores and dashes, up to 64 characters', async () => {
    const tags = ['beta', 'Team_2.web-app', 't'.repeat(64)];
    expect((await s.post('/api/v2/flags/shop', { name: 'G', key: 'g', tags })).body.tags).toEqual(tags);
    expect((await s.post('/api/v2/segments/shop/production', { name: 'T', key: 't', tags })).body.tags).toEqual(tags);
    expect((await s.post('/api/v2/projects', { name: 'P', key: 'p', tags })).body.tags).toEqual(tags);
    const added = await s.patch('/api/v2/flags/shop/f', { instructions: [{ kind: 'addTags', values: ['new.tag'] }] }, SEMANTIC);
    expect(added.status).toBe(200);
    expect(added.body.tags).toEqual(['new.tag']);
  });

  it('refuses other characters and longer tags on create, naming the tag', async () => {
    await refused(() => s.post('/api/v2/flags/shop', { name: 'H', key: 'h', tags: ['ok', 'has space'] }), 'tags[1]', CHARSET);
    await refused(() => s.post('/api/v2/flags/shop', { name: 'H', key: 'h', tags: ['t'.repeat(65)] }), 'tags[0]', /at most 64 characters/);
    await refused(() => s.post('/api/v2/segments/shop/production', { name: 'U', key: 'u', tags: ['a*b'] }), 'tags[0]', CHARSET);
    await refused(() => s.post('/api/v2/metrics/shop', { key: 'n', name: 'N', kind: 'custom', eventKey: 'e', isNumeric: false, tags: ['a/b'] }), 'tags[0]', CHARSET);
    await refused(() => s.post('/api/v2/projects', { name: 'Q', key: 'q', tags: ['ünïcode'] }), 'tags[0]', CHARSET);
    await refused(() => s.post('/api/v2/projects/shop/environments', { name: 'E', key: 'e', color: 'ffffff', tags: ['a,b'] }), 'tags[0]', CHARSET);
  });

  it('refuses them in JSON Patches and in addTags, and removeTags still takes any tag', async () => {
    await refused(() => s.patch('/api/v2/flags/shop/f', [{ op: 'add', path: '/tags/-', value: 'a b' }]), 'tags[1]', CHARSET);
    await refused(() => s.patch('/api/v2/metrics/shop/m', [{ op: 'replace', path: '/tags', value: ['a;b'] }]), 'tags[0]', CHARSET);
    await refused(() => s.patch('/api/v2/projects/shop', [{ op: 'add', path: '/tags/-', value: 'p q' }]), 'tags[0]', CHARSET);
    await refused(() => s.patch('/api/v2/flags/shop/f', { instructions: [{ kind: 'addTags', values: ['a:b'] }] }, SEMANTIC), 'instructions[0].values[0]', CHARSET);
    await refused(
      () => s.patch('/api/v2/segments/shop/production/s', { instructions: [{ kind: 'addTags', values: ['a:b'] }] }, SEMANTIC),
      'instructions[0].values[0]',
      CHARSET,
    );
    const removed = await s.patch('/api/v2/flags/shop/f', { instructions: [{ kind: 'removeTags', values: ['never stored'] }] }, SEMANTIC);
    expect(removed.status).toBe(200);
  });
});
