// Flag status tests: days on a clock set well before the SDK's own (the SDK dates its events now, so they arrive
// "from the future" and are dated when they arrive), the links of a status, and who may read one.
import { expect } from 'vitest';
import type { TestServer } from './server.js';

export const DAY = 24 * 60 * 60 * 1000;
export const START = Date.UTC(2024, 0, 1);
export const iso = (ms: number): string => new Date(ms).toISOString();

/** A FlagStatusRep's `_links`: the flag, and the status itself. */
export function statusLinks(flag: string, env = 'production', project = 'shop') {
  return {
    parent: { href: `/api/v2/flags/${project}/${flag}`, type: 'application/json' },
    self: { href: `/api/v2/flag-statuses/${project}/${env}/${flag}`, type: 'application/json' },
  };
}

/** Project `shop` with its production and staging environments. */
export async function createShop(s: TestServer): Promise<void> {
  const res = await s.post('/api/v2/projects', {
    name: 'Shop',
    key: 'shop',
    environments: [
      { name: 'Production', key: 'production', color: '417505' },
      { name: 'Staging', key: 'staging', color: '00AAFF' },
    ],
  });
  expect(res.status).toBe(201);
}

/**
 * A status route in project `shop` (`path`; `missing`, the same route with a key that does not exist) is read by every
 * role and by a custom role that may view the project; refused 401 without a valid token (the same answer whether
 * what it names exists or not), 401 with the environment's SDK or mobile key, 403 to a custom role that may not
 * view the project. Project `other` must exist.
 */
export async function expectReadableByProjectViewers(s: TestServer, path: string, missing: string): Promise<void> {
  const known = await s.get(path, { token: null });
  expect(known.status).toBe(401);
  expect(known.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
  expect((await s.get(missing, { token: null })).body).toEqual(known.body);
  expect((await s.get(path, { token: 'api-00000000-0000-4000-8000-000000000000' })).status).toBe(401);

  for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) expect((await s.get(path, { token })).status).toBe(200);

  const env = await s.get('/api/v2/projects/shop/environments/production');
  for (const token of [env.body.apiKey, env.body.mobileKey]) {
    const res = await s.get(path, { token });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  }

  const blind = await s.post('/api/v2/tokens', { name: 'other only', inlineRole: [{ effect: 'allow', resources: ['proj/other'], actions: ['*'] }] });
  const seeing = await s.post('/api/v2/tokens', { name: 'shop viewer', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }] });
  const refused = await s.get(path, { token: blind.body.token });
  expect(refused.status).toBe(403);
  expect(refused.body.code).toBe('forbidden');
  expect((await s.get(path, { token: seeing.body.token })).status).toBe(200);
}
