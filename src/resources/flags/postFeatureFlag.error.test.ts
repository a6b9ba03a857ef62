import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postFeatureFlag: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  async function expect400(body: unknown, attribute: string, reason?: RegExp, path = '/api/v2/flags/shop') {
    const res = await s.post(path, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toContain(attribute);
    if (reason) expect(res.body.errors.find((e: { attribute: string }) => e.attribute === attribute).reason).toMatch(reason);
    expect(res.body.message).toContain(attribute);
    return res;
  }

  it('409 conflict on a duplicate key, and the first flag is untouched', async () => {
    expect((await s.post('/api/v2/flags/shop', { name: 'First', key: 'dup' })).status).toBe(201);
    const res = await s.post('/api/v2/flags/shop', { name: 'Second', key: 'dup' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'A flag with the key "dup" already exists in project "shop"' });
    expect((await s.get('/api/v2/flags/shop/dup')).body.name).toBe('First');
  });

  it('404 naming a project that does not exist', async () => {
    const res = await s.post('/api/v2/flags/nope', { name: 'F', key: 'f' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('400 naming missing and mistyped fields', async () => {
    const res = await s.post('/api/v2/flags/shop', { name: 5, temporary: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { attribute: 'key', reason: 'must be present' },
        { attribute: 'name', reason: 'must be a string' },
        { attribute: 'temporary', reason: 'must be a boolean' },
      ]),
    );
  });

  it('400 naming a variation value too large for a double (it would be stored as null); nothing made', async () => {
    const res = await expectRefused(s.store, () => s.request('POST', '/api/v2/flags/shop', { raw: '{"name":"Huge","key":"huge","variations":[{"value":1},{"value":1e400}]}' }), 400, 'invalid_request');
    expect(res.body.errors).toEqual([{ attribute: 'variations[1].value', reason: 'is a number out of range (larger than a double holds)' }]);
  });

  it('400 naming maintainerTeamKey when no team has that key', async () => {
    await expect400({ name: 'F', key: 'team-kept', maintainerTeamKey: 'nobody' }, 'maintainerTeamKey', /no team has the key "nobody"/);
  });

  it('400 for a key LaunchDarkly would refuse', async () => {
    await expect400({ name: 'F', key: 'has space' }, 'key', /letter or digit/);
    await expect400({ name: 'F', key: '-leading' }, 'key');
  });

  it("400 naming the key when it breaks the project's naming convention (casing, prefix)", async () => {
    expect((await s.post('/api/v2/projects', { name: 'Conventions', key: 'conventions', namingConvention: { case: 'kebabCase', prefix: 'enable-' } })).status).toBe(201);
    for (const [key, reason] of [
      ['NOT_CAMEL', /must be in kebabCase and start with "enable-"/],
      ['dark-mode', /must start with "enable-"/],
      ['enable-Dark', /must be in kebabCase: the project's naming convention/],
    ] as const) {
      const res = await s.post('/api/v2/flags/conventions', { name: 'F', key });
      expect(res.status, key).toBe(400);
      expect(res.body.errors).toEqual([{ attribute: 'key', reason: expect.stringMatching(reason) }]);
    }
    expect((await s.get('/api/v2/flags/conventions')).body.items).toEqual([]);
    expect((await s.post('/api/v2/flags/conventions', { name: 'F', key: 'enable-dark-mode' })).status).toBe(201);
  });

  it('400 naming `variations` when fewer than two are given', async () => {
    await expect400({ name: 'F', key: 'one', variations: [{ value: 'only' }] }, 'variations', /at least 2/);
    await expect400({ name: 'F', key: 'none', variations: [] }, 'variations', /at least 2/);
  });

  it('400 for duplicate variation values (JSON compared by value)', async () => {
    await expect400({ name: 'F', key: 'dupv', variations: [{ value: 'a' }, { value: 'a' }] }, 'variations[1].value', /unique/);
    await expect400({ name: 'F', key: 'dupj', variations: [{ value: { a: 1, b: 2 } }, { value: { b: 2, a: 1 } }] }, 'variations[1].value', /unique/);
  });

  it('400 for variations of mixed types, null values and a missing value', async () => {
    await expect400({ name: 'F', key: 'mixed', variations: [{ value: 'a' }, { value: 1 }] }, 'variations[1].value', /string/);
    await expect400({ name: 'F', key: 'nul', variations: [{ value: 'a' }, { value: null }] }, 'variations[1].value', /null/);
    await expect400({ name: 'F', key: 'novalue', variations: [{ value: 'a' }, { name: 'b' }] }, 'variations[1].value', /must be present/);
  });

  it('400 naming defaults.onVariation / offVariation out of range', async () => {
    await expect400({ name: 'F', key: 'd1', defaults: { onVariation: 2, offVariation: 0 } }, 'defaults.onVariation', /0 to 1/);
    await expect400({ name: 'F', key: 'd2', defaults: { onVariation: 0, offVariation: -1 } }, 'defaults.offVariation');
    await expect400({ name: 'F', key: 'd3', defaults: { onVariation: 0 } }, 'defaults.offVariation', /must be present/);
  });

  it('400 for an unknown maintainer', async () => {
    await expect400({ name: 'F', key: 'm', maintainerId: '000000000000000000000000' }, 'maintainerId', /no member/);
  });

  it('400 for initialPrerequisites naming an unknown flag or variation', async () => {
    await s.post('/api/v2/flags/shop', { name: 'P', key: 'pre' });
    await expect400({ name: 'F', key: 'p1', initialPrerequisites: [{ key: 'ghost', variationId: 'x' }] }, 'initialPrerequisites[0].key', /no flag "ghost"/);
    await expect400({ name: 'F', key: 'p2', initialPrerequisites: [{ key: 'pre', variationId: 'x' }] }, 'initialPrerequisites[0].variationId');
  });

  it('400 for a purpose other than migration or holdout', async () => {
    await expect400({ name: 'F', key: 'bad-purpose', purpose: 'other' }, 'purpose', /must be one of/);
  });

  it('404 when the clone source does not exist; 400 when variations are given with clone', async () => {
    const missing = await s.post('/api/v2/flags/shop?clone=ghost', { name: 'F', key: 'c1' });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Flag "ghost" (the clone source) in project "shop" not found');
    await s.post('/api/v2/flags/shop', { name: 'Src', key: 'src' });
    await expect400({ name: 'F', key: 'c2', variations: [{ value: 1 }, { value: 2 }] }, 'variations', /clone/, '/api/v2/flags/shop?clone=src');
    expect((await s.get('/api/v2/flags/shop/c2')).status).toBe(404);
  });

  it('nothing is created when the body is refused', async () => {
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'refused', variations: [{ value: 'x' }] });
    expect((await s.get('/api/v2/flags/shop/refused')).status).toBe(404);
  });

  it('400 naming viewKeys: a view the project lacks, or none while the project requires new flags to be linked to one', async () => {
    await expect400({ name: 'V', key: 'v', viewKeys: ['ghost'] }, 'viewKeys[0]', /no view "ghost"/);
    await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/requireViewAssociationForNewFlags', value: true }]);
    try {
      await expect400({ name: 'V', key: 'v' }, 'viewKeys', /requires new flags to be linked to a view/);
      await expect400({ name: 'V', key: 'v', viewKeys: [] }, 'viewKeys', /requires new flags to be linked to a view/);
    } finally {
      await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/requireViewAssociationForNewFlags', value: false }]);
    }
    expect((await s.get('/api/v2/flags/shop/v')).status).toBe(404);
  });
});

describe('postFeatureFlag: migration flag errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Moves', key: 'moves' });
    await s.post('/api/v2/flags/moves', { name: 'Plain', key: 'plain' });
  });
  afterAll(() => s.close());

  /** A refused create: 400 naming `attribute` with a reason matching `reason`, and nothing written. */
  async function refused(body: Record<string, unknown>, attribute: string, reason: RegExp, path = '/api/v2/flags/moves') {
    const res = await expectRefused(s.store, () => s.post(path, body), 400, 'invalid_request');
    const error = res.body.errors.find((e: { attribute: string }) => e.attribute === attribute);
    expect(error, JSON.stringify(res.body.errors)).toBeDefined();
    expect(error.reason).toMatch(reason);
    expect(res.body.message).toContain(attribute);
  }
  const migration = (settings: unknown, more: Record<string, unknown> = {}) => ({ name: 'M', key: 'm', purpose: 'migration', migrationSettings: settings, ...more });

  it('a stage count other than 2, 4 or 6', async () => {
    await refused(migration({ stageCount: 3 }), 'migrationSettings.stageCount', /must be 2, 4 or 6, not 3/);
    await refused(migration({ stageCount: 0 }), 'migrationSettings.stageCount', /must be 2, 4 or 6/);
    const res = await expectRefused(s.store, () => s.post('/api/v2/flags/moves', migration({ stageCount: 'six' })), 400, 'invalid_request');
    expect(res.body.message).toContain('migrationSettings.stageCount');
  });

  it('six stages need a valid context kind; fewer take none', async () => {
    await refused(migration({ stageCount: 6 }), 'migrationSettings.contextKind', /required for a six-stage migration/);
    await refused(migration({ stageCount: 6, contextKind: 'multi' }), 'migrationSettings.contextKind', /reserved/);
    await refused(migration({ stageCount: 6, contextKind: 'a b' }), 'migrationSettings.contextKind', /context kind/);
    await refused(migration({ stageCount: 4, contextKind: 'account' }), 'migrationSettings.contextKind', /only for six-stage migrations/);
  });

  it('purpose and migrationSettings go together; variations and defaults are the stages\'', async () => {
    await refused({ name: 'M', key: 'm', purpose: 'migration' }, 'migrationSettings', /required for a migration flag/);
    await refused({ name: 'M', key: 'm', migrationSettings: { stageCount: 2 } }, 'migrationSettings', /only for migration flags/);
    await refused({ name: 'M', key: 'm', purpose: 'holdout', migrationSettings: { stageCount: 2 } }, 'migrationSettings', /only for migration flags/);
    await refused(migration({ stageCount: 2 }, { variations: [{ value: 'off' }, { value: 'complete' }] }), 'variations', /generated from migrationSettings.stageCount/);
    await refused(migration({ stageCount: 2 }, { defaults: { onVariation: 1, offVariation: 0 } }), 'defaults', /generated from migrationSettings.stageCount/);
  });

  it('a clone takes its purpose and stages from its source', async () => {
    await refused(migration({ stageCount: 2 }, { key: 'c' }), 'migrationSettings', /cannot be given with clone/, '/api/v2/flags/moves?clone=plain');
    await refused({ name: 'C', key: 'c', purpose: 'migration' }, 'purpose', /cannot be "migration" with clone/, '/api/v2/flags/moves?clone=plain');
  });
});
