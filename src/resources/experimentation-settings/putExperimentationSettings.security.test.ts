// Who may change a project's randomization units: a token is needed (401), readers may not (403), writers may; a custom
// role needs updateAvailabilityForExperiments on each context kind whose availability the PUT changes (added, removed,
// made or unmade the default), and on no other it names. Nothing refused is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, expectWriters } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('putExperimentationSettings: security', () => {
  let s: TestServer;
  const settings = '/api/v2/projects/shop/experimentation-settings';
  const units = (...keys: string[]) => ({ randomizationUnits: keys.map((randomizationUnit, i) => ({ randomizationUnit, default: i === 0 })) });
  const current = async () => (await s.get(settings)).body.randomizationUnits.map((u: { randomizationUnit: string }) => u.randomizationUnit);
  /** A token allowed updateAvailabilityForExperiments on `allowed` context kinds, and denied it on `denied`. */
  const roleToken = async (allowed: string[], denied: string[] = []): Promise<string> => {
    const inlineRole = [
      { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] },
      ...(allowed.length > 0 ? [{ effect: 'allow', resources: allowed.map((k) => `proj/shop:context-kind/${k}`), actions: ['updateAvailabilityForExperiments'] }] : []),
      ...(denied.length > 0 ? [{ effect: 'deny', resources: denied.map((k) => `proj/shop:context-kind/${k}`), actions: ['*'] }] : []),
    ];
    const res = await s.post('/api/v2/tokens', { name: `units ${allowed.join()} ${denied.join()}`, inlineRole });
    expect(res.status).toBe(201);
    return res.body.token;
  };

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
    for (const kind of ['org', 'device']) expect((await s.put(`/api/v2/projects/shop/context-kinds/${kind}`, { name: kind })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('401 without a valid token, 403 for a reader, nothing written; a writer changes them', async () => {
    await expectWriters(s, (token) => s.put(settings, units('user', 'org'), { token }));
    expect((await s.put(settings, units('user', 'org'), { token: s.tokens.writer })).status).toBe(200);
    expect(await current()).toEqual(['user', 'org']);
  });

  it('removing a unit needs the action on it: a role denied on it cannot take it away', async () => {
    expect((await s.put(settings, units('user', 'org'))).status).toBe(200);
    const token = await roleToken(['user'], ['org']);
    const res = await expectRefused(s.store, () => s.put(settings, units('user'), { token }), 403, 'forbidden');
    expect(res.body.message).toContain('proj/shop:context-kind/org');
    expect(await current()).toEqual(['user', 'org']);
  });

  it('adding a unit needs the action on it only, not on the units left as they are', async () => {
    expect((await s.put(settings, units('user', 'org'))).status).toBe(200);
    const onDevice = await roleToken(['device']);
    const res = await s.put(settings, units('user', 'org', 'device'), { token: onDevice });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await current()).toEqual(['user', 'org', 'device']);
    // Moving the default changes the old default's availability and the new one's.
    await expectRefused(s.store, () => s.put(settings, units('device', 'user', 'org'), { token: onDevice }), 403, 'forbidden', /context-kind\/user/);
    const both = await roleToken(['device', 'user']);
    expect((await s.put(settings, units('device', 'user', 'org'), { token: both })).status).toBe(200);
  });
});
