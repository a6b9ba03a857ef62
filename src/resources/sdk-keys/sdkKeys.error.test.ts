// SDK keys: every error a caller can cause is a 4xx naming the field (or the missing thing), and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const NOW = 1_800_000_000_000;

describe('SDK keys: errors', () => {
  let s: TestServer;
  let w: World;
  let keys: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    w = await createWorld(s);
    keys = `/api/v2/projects/${w.project}/environments/production/sdk-keys`;
    expect((await s.post(keys, { key: 'existing', name: 'Existing' }, BETA)).status).toBe(201);
  });
  afterAll(() => s.close());

  it('a creation without key or name, with a bad key, kind or expiry, or an unknown member (viewKeys) is a 400 naming it', async () => {
    for (const [body, field] of [
      [{ name: 'No key' }, /key/],
      [{ key: 'no-name' }, /name/],
      [{ key: 'has space', name: 'X' }, /key/],
      [{ key: 'k', name: '' }, /name/],
      [{ key: 'k', name: 'X', kind: 'client' }, /kind/],
      [{ key: 'k', name: 'X', expiry: 'tomorrow' }, /expiry/],
      [{ key: 'k', name: 'X', expiry: NOW }, /expiry: must be in the future/],
      [{ key: 'k', name: 'X', expiry: NOW - 1 }, /expiry: must be in the future/],
      [{ key: 'k', name: 'X', viewKeys: ['checkout'] }, /viewKeys/],
    ] as const) {
      await expectRefused(s.store, () => s.post(keys, body, BETA), 400, 'invalid_request', field);
    }
  });

  it('a key already in the environment is a 409 naming it', async () => {
    await expectRefused(s.store, () => s.post(keys, { key: 'existing', name: 'Again', kind: 'mobile' }, BETA), 409, 'conflict', 'SDK key "existing" already exists in environment "production"');
  });

  it('a patch with a bad or unknown member, a past expiry, or a bad version is a 400 naming it', async () => {
    for (const [body, field] of [
      [{ name: '' }, /name/],
      [{ expiry: NOW - 5 }, /expiry: must be in the future/],
      [{ value: 'sdk-mine' }, /value/],
      [{ kind: 'mobile' }, /kind/],
      [[{ op: 'replace', path: '/name', value: 'X' }], /body|object/],
    ] as const) {
      await expectRefused(s.store, () => s.patch(`${keys}/existing`, body, BETA), 400, 'invalid_request', field);
    }
    await expectRefused(s.store, () => s.patch(`${keys}/existing?version=one`, { name: 'X' }, BETA), 400, 'invalid_request', /version/);
  });

  it('an unknown project, environment or key is a 404 naming it', async () => {
    await expectRefused(s.store, () => s.post('/api/v2/projects/nope/environments/production/sdk-keys', { key: 'k', name: 'K' }, BETA), 404, 'not_found', 'Project "nope" not found');
    await expectRefused(s.store, () => s.post(`/api/v2/projects/${w.project}/environments/nope/sdk-keys`, { key: 'k', name: 'K' }, BETA), 404, 'not_found', `Environment "nope" in project "${w.project}" not found`);
    const missing = `SDK key "missing" in environment "production" of project "${w.project}" not found`;
    for (const send of [() => s.get(`${keys}/missing`, BETA), () => s.patch(`${keys}/missing`, { name: 'X' }, BETA), () => s.del(`${keys}/missing`, BETA)]) {
      await expectRefused(s.store, send, 404, 'not_found', missing);
    }
    // A key of another environment is not this one's.
    await expectRefused(s.store, () => s.get(`/api/v2/projects/${w.project}/environments/test/sdk-keys/existing`, BETA), 404, 'not_found', /SDK key "existing" in environment "test"/);
  });

  it('without LD-API-Version: beta every operation is a 403', async () => {
    for (const send of [() => s.post(keys, { key: 'k', name: 'K' }), () => s.get(`${keys}/existing`), () => s.patch(`${keys}/existing`, { name: 'X' }), () => s.del(`${keys}/existing`)]) {
      await expectRefused(s.store, send, 403, 'forbidden', /beta/);
    }
  });
});
