// The legacy User settings refused: unknown project, environment or flag are 404s naming what is missing (an archived
// flag is no flag of the environment's: 404 too); putFlagSetting's setting that is no variation's value, a body that
// is not an object, or a comment that is not text are 400s naming the field; an environment that requires approvals
// refuses the PUT with a 405, as putContextFlagSetting does; and a refused PUT writes nothing (no new version, no
// target, no audit entry).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagVersion } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BASE = '/api/v2/users/shop/production';

describe('User settings errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    const project = await s.post('/api/v2/projects', { key: 'shop', name: 'Shop', environments: [{ key: 'production', name: 'Production', color: '000000' }, { key: 'staging', name: 'Staging', color: '000000' }] });
    expect(project.status).toBe(201);
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'sort.order', name: 'Sort order' })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'alternate.page', name: 'Alternate page', variations: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'gone', name: 'Archived' })).status).toBe(201);
    expect((await s.patch('/api/v2/flags/shop/gone', [{ op: 'replace', path: '/archived', value: true }])).status).toBe(200);
  });
  afterAll(() => s.close());

  /** The flag's production version and targets, and the newest audit entry: what a refused PUT must leave as it was. */
  const snapshot = async (flag = 'sort.order', env = 'production') => {
    const read = await s.get(`/api/v2/flags/shop/${flag}`);
    expect(read.status).toBe(200);
    const audit = await s.get('/api/v2/auditlog?limit=1');
    expect(audit.status).toBe(200);
    return {
      version: await flagVersion(s, 'shop', flag, env),
      targets: read.body.environments[env].targets,
      contextTargets: read.body.environments[env].contextTargets,
      lastAudit: audit.body.items[0]?._id,
    };
  };

  describe('404 for what does not exist, naming it', () => {
    const cases: [string, string, string][] = [
      ['unknown project', '/api/v2/users/nope/production/ada/flags', 'nope'],
      ['unknown environment', '/api/v2/users/shop/nowhere/ada/flags', 'nowhere'],
      ['environment of another project', '/api/v2/users/other/staging/ada/flags', 'staging'],
    ];
    for (const [what, path, name] of cases) {
      it(`getUserFlagSettings: ${what}`, async () => {
        const res = await s.get(path);
        expect(res.status, JSON.stringify(res.body)).toBe(404);
        expect(res.body.code).toBe('not_found');
        expect(res.body.message).toContain(name);
      });
      it(`getUserFlagSetting: ${what}`, async () => {
        const res = await s.get(`${path}/sort.order`);
        expect(res.status, JSON.stringify(res.body)).toBe(404);
        expect(res.body.code).toBe('not_found');
        expect(res.body.message).toContain(name);
      });
      it(`putFlagSetting: ${what}, and nothing written`, async () => {
        const before = await snapshot();
        const res = await s.put(`${path}/sort.order`, { setting: true });
        expect(res.status, JSON.stringify(res.body)).toBe(404);
        expect(res.body.code).toBe('not_found');
        expect(res.body.message).toContain(name);
        expect(await snapshot()).toEqual(before);
      });
    }

    it('getUserFlagSetting: unknown flag (and a flag of another project)', async () => {
      for (const [path, name] of [
        [`${BASE}/ada/flags/no-such-flag`, 'no-such-flag'],
        ['/api/v2/users/other/production/ada/flags/sort.order', 'sort.order'],
      ]) {
        const res = await s.get(path);
        expect(res.status, path).toBe(404);
        expect(res.body.code).toBe('not_found');
        expect(res.body.message).toContain(name);
      }
    });

    it('putFlagSetting: unknown flag, and nothing written', async () => {
      const before = await snapshot();
      const res = await s.put(`${BASE}/ada/flags/no-such-flag`, { setting: true });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(res.body.message).toContain('no-such-flag');
      expect(await snapshot()).toEqual(before);
    });

    it('getUserFlagSetting: an archived flag is not served in the environment, so it is a 404 naming it (and left out of the list)', async () => {
      const res = await s.get(`${BASE}/ada/flags/gone`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(res.body.message).toContain('gone');
      const list = await s.get(`${BASE}/ada/flags`);
      expect(list.status).toBe(200);
      expect(Object.keys(list.body.items)).toEqual(['alternate.page', 'sort.order']);
    });
  });

  describe('400 naming the field, and nothing written', () => {
    const cases: [string, unknown, string][] = [
      ['a string for a boolean flag', { setting: 'yes' }, 'setting'],
      ['a number for a boolean flag', { setting: 1 }, 'setting'],
      ['an object for a boolean flag', { setting: { on: true } }, 'setting'],
      ['a list holding a valid setting', [{ setting: true }], 'body'],
      ['a number comment', { setting: true, comment: 5 }, 'comment'],
      ['an object comment', { setting: true, comment: { text: 'x' } }, 'comment'],
      ['a null comment', { setting: true, comment: null }, 'comment'],
    ];
    for (const [what, body, name] of cases) {
      it(`${what}: ${JSON.stringify(body)}`, async () => {
        const before = await snapshot();
        const res = await s.put(`${BASE}/ada/flags/sort.order`, body);
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.code).toBe('invalid_request');
        expect(res.body.message).toContain(name);
        expect(await snapshot()).toEqual(before);
      });
    }

    it('a value of another flag\'s variations ("b" is alternate.page\'s, not sort.order\'s)', async () => {
      const before = await snapshot();
      const res = await s.put(`${BASE}/ada/flags/sort.order`, { setting: 'b' });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toContain('setting');
      expect(res.body.errors).toEqual([expect.objectContaining({ attribute: 'setting' })]);
      expect(await snapshot()).toEqual(before);
    });

    it('a multivariate flag: a value none of its variations has ("d"; "A" is not "a")', async () => {
      const before = await snapshot('alternate.page');
      for (const setting of ['d', 'A', true]) {
        const res = await s.put(`${BASE}/ada/flags/alternate.page`, { setting });
        expect(res.status, JSON.stringify(setting)).toBe(400);
        expect(res.body.code).toBe('invalid_request');
        expect(res.body.message).toContain('setting');
      }
      expect(await snapshot('alternate.page')).toEqual(before);
    });

    it('a body that is no object (JSON text, number, true, a list)', async () => {
      const before = await snapshot();
      for (const raw of ['"true"', '5', 'true', '[]']) {
        const res = await s.request('PUT', `${BASE}/ada/flags/sort.order`, { raw, headers: { 'content-type': 'application/json' } });
        expect(res.status, raw).toBe(400);
        expect(res.body.code, raw).toBe('invalid_request');
        expect(res.body.message, raw).toContain('body');
      }
      expect(await snapshot()).toEqual(before);
    });

    it('a body that is no JSON at all', async () => {
      const before = await snapshot();
      const res = await s.request('PUT', `${BASE}/ada/flags/sort.order`, { raw: '{"setting": tru', headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(await snapshot()).toEqual(before);
    });

    it('a refused PUT leaves the user\'s existing setting as it was', async () => {
      expect((await s.put(`${BASE}/kept/flags/sort.order`, { setting: false })).status).toBe(204);
      const before = await snapshot();
      expect(before.targets).toEqual([expect.objectContaining({ values: ['kept'], variation: 1 })]);
      const res = await s.put(`${BASE}/kept/flags/sort.order`, { setting: 'no' });
      expect(res.status).toBe(400);
      expect(await snapshot()).toEqual(before);
      expect((await s.get(`${BASE}/kept/flags/sort.order`)).body).toMatchObject({ setting: false });
      // Clean up, so the other cases see no target.
      expect((await s.put(`${BASE}/kept/flags/sort.order`, { setting: null })).status).toBe(204);
    });
  });

  describe('an empty user key (a user needs a key)', () => {
    it('putFlagSetting: 400 naming userKey, and nothing written', async () => {
      const before = await snapshot();
      const res = await s.put(`${BASE}//flags/sort.order`, { setting: true });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toContain('userKey');
      expect(await snapshot()).toEqual(before);
    });

    it('getUserFlagSettings and getUserFlagSetting: 400 naming userKey', async () => {
      for (const path of [`${BASE}//flags`, `${BASE}//flags/sort.order`]) {
        const res = await s.get(path);
        expect(res.status, path).toBe(400);
        expect(res.body.code).toBe('invalid_request');
        expect(res.body.message).toContain('userKey');
      }
    });
  });

  describe('an environment that requires approvals', () => {
    beforeAll(async () => {
      const required = await s.patch('/api/v2/projects/shop/environments/staging', [{ op: 'replace', path: '/approvalSettings/required', value: true }]);
      expect(required.status, JSON.stringify(required.body)).toBe(200);
    });

    it('putFlagSetting: 405 as putContextFlagSetting answers, and nothing written', async () => {
      const before = await snapshot('sort.order', 'staging');
      const res = await s.put('/api/v2/users/shop/staging/ada/flags/sort.order', { setting: true, comment: 'please' });
      expect(res.status, JSON.stringify(res.body)).toBe(405);
      expect(res.body.code).toBe('method_not_allowed');
      expect(res.body.message).toMatch(/^Approval is required to make this request/);
      expect(res.body.message).toContain('staging');
      expect(await snapshot('sort.order', 'staging')).toEqual(before);
      expect((await s.get('/api/v2/users/shop/staging/ada/flags/sort.order')).body).toMatchObject({ setting: null });

      const context = await s.put('/api/v2/projects/shop/environments/staging/contexts/user/ada/flags/sort.order', { setting: true });
      expect(context.status).toBe(405);
      expect(context.body.code).toBe(res.body.code);
      expect(await snapshot('sort.order', 'staging')).toEqual(before);
    });

    it('the same PUT in production, which requires none, is made', async () => {
      expect((await s.put(`${BASE}/ada/flags/sort.order`, { setting: true })).status).toBe(204);
      expect((await s.get(`${BASE}/ada/flags/sort.order`)).body).toMatchObject({ setting: true });
    });

    it('the GETs are not refused there', async () => {
      expect((await s.get('/api/v2/users/shop/staging/ada/flags')).status).toBe(200);
      expect((await s.get('/api/v2/users/shop/staging/ada/flags/sort.order')).status).toBe(200);
    });
  });
});
