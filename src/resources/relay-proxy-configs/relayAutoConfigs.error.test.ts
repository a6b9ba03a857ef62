// Relay Proxy configurations refused: a create with missing, empty, mistyped or unknown members or statements the
// policy rules refuse; a patch that is malformed, touches a read-only or unknown member, leaves an invalid policy or
// fails a test; a reset with a bad expiry or a body; an unknown id. Each names the field it refuses, and a refused
// write changes nothing: the configuration reads back the same, the list is the same, the audit log has no new entry,
// the store is unchanged byte for byte (the key too).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

type FieldError = { attribute: string; reason: string };

const URL = '/api/v2/account/relay-auto-configs';
const POLICY = [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] }];
const UNKNOWN_ID = '0123456789abcdef01234567';

describe('Relay Proxy configurations: errors', () => {
  let s: TestServer;
  let id: string;
  let original: Record<string, unknown>;
  beforeAll(async () => {
    s = await startServer();
    const made = await s.post(URL, { name: 'Relay', policy: POLICY });
    expect(made.status).toBe(201);
    const { fullKey: _key, ...shown } = made.body;
    original = shown;
    id = made.body._id;
  });
  afterAll(() => s.close());

  /** The newest audit entry's id. */
  async function newestAuditEntry(): Promise<string | undefined> {
    const res = await s.get('/api/v2/auditlog?limit=1');
    expect(res.status).toBe(200);
    return res.body.items[0]?._id;
  }

  /**
   * `send` is refused with `status` and `code`, its message naming each of `names` (and `errors` exactly, when given);
   * nothing is written: the store, the configuration, the list and the audit log are as they were.
   */
  async function refused(send: () => Promise<Response>, status: number, code: string, names: string[], errors?: FieldError[]): Promise<Response> {
    const audit = await newestAuditEntry();
    const list = (await s.get(URL)).body;
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
    const what = JSON.stringify(res!.body);
    expect(res!.status, what).toBe(status);
    expect(res!.body.code, what).toBe(code);
    expect(typeof res!.body.message, what).toBe('string');
    for (const name of names) expect(res!.body.message, what).toContain(name);
    if (errors) {
      expect(res!.body.errors, what).toEqual(errors);
      for (const e of errors) expect(res!.body.message, what).toContain(`${e.attribute}: ${e.reason}`);
    }
    expect((await s.get(`${URL}/${id}`)).body).toEqual(original);
    expect((await s.get(URL)).body).toEqual(list);
    expect(await newestAuditEntry()).toBe(audit);
    return res!;
  }

  describe('POST', () => {
    const post = (body: unknown) => () => s.post(URL, body);

    it('400 naming a missing name or policy', async () => {
      await refused(post({ policy: POLICY }), 400, 'invalid_request', ['name'], [{ attribute: 'name', reason: 'must be present' }]);
      await refused(post({ name: 'No policy' }), 400, 'invalid_request', ['policy'], [{ attribute: 'policy', reason: 'must be present' }]);
      await refused(post({}), 400, 'invalid_request', ['name', 'policy']);
    });

    it('400 naming an empty or overlong name', async () => {
      await refused(post({ name: '', policy: POLICY }), 400, 'invalid_request', ['name'], [{ attribute: 'name', reason: 'must not be empty' }]);
      await refused(post({ name: 'x'.repeat(257), policy: POLICY }), 400, 'invalid_request', ['name'], [{ attribute: 'name', reason: 'must be at most 256 characters' }]);
    });

    it('400 naming a member of the wrong type', async () => {
      await refused(post({ name: 5, policy: POLICY }), 400, 'invalid_request', ['name'], [{ attribute: 'name', reason: 'must be a string' }]);
      await refused(post({ name: null, policy: POLICY }), 400, 'invalid_request', ['name']);
      await refused(post({ name: 'Relay', policy: {} }), 400, 'invalid_request', ['policy'], [{ attribute: 'policy', reason: 'must be an array' }]);
      await refused(post({ name: 'Relay', policy: 'proj/*:env/*' }), 400, 'invalid_request', ['policy'], [{ attribute: 'policy', reason: 'must be an array' }]);
      await refused(post({ name: 'Relay', policy: [5] }), 400, 'invalid_request', ['policy[0]']);
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', resources: 'proj/*:env/*', actions: ['*'] }] }), 400, 'invalid_request', ['policy[0].resources'], [
        { attribute: 'policy[0].resources', reason: 'must be an array' },
      ]);
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', resources: ['proj/*:env/*'], actions: [7] }] }), 400, 'invalid_request', ['policy[0].actions[0]']);
      await refused(post({ name: 'Relay', policy: [{ effect: 'maybe', resources: ['proj/*:env/*'], actions: ['*'] }] }), 400, 'invalid_request', ['policy[0].effect'], [
        { attribute: 'policy[0].effect', reason: 'must be one of "allow", "deny"' },
      ]);
      await refused(post({ name: 'Relay', policy: [{ resources: ['proj/*:env/*'], actions: ['*'] }] }), 400, 'invalid_request', ['policy[0].effect']);
    });

    it('400 naming an unknown member, the key and the read-only members included', async () => {
      for (const member of ['extra', 'fullKey', 'displayKey', '_id', 'creationDate']) {
        await refused(post({ name: 'Relay', policy: POLICY, [member]: member === 'creationDate' ? 1 : 'rel-00000000-0000-4000-8000-000000000000' }), 400, 'invalid_request', [member], [
          { attribute: member, reason: 'is not allowed' },
        ]);
      }
    });

    it('400 for a statement with both resources and notResources, or neither; both actions and notActions, or neither', async () => {
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', resources: ['proj/*:env/*'], notResources: ['proj/a:env/b'], actions: ['*'] }] }), 400, 'invalid_request', ['policy[0].notResources'], [
        { attribute: 'policy[0].notResources', reason: 'must be empty when resources is given; a statement takes resources or notResources, not both' },
      ]);
      await refused(post({ name: 'Relay', policy: [...POLICY, { effect: 'deny', actions: ['*'] }] }), 400, 'invalid_request', ['policy[1].resources'], [
        { attribute: 'policy[1].resources', reason: 'must list at least one of the resource specifiers the statement denies (or use notResources)' },
      ]);
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', resources: [], notResources: [], actions: ['*'] }] }), 400, 'invalid_request', ['policy[0].resources']);
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', resources: ['proj/*:env/*'], actions: ['*'], notActions: ['updateOn'] }] }), 400, 'invalid_request', ['policy[0].notActions']);
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', resources: ['proj/*:env/*'] }] }), 400, 'invalid_request', ['policy[0].actions'], [
        { attribute: 'policy[0].actions', reason: 'must list at least one of the actions the statement allows (or use notActions)' },
      ]);
    });

    it('400 naming an unparseable resource specifier and a bad action', async () => {
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', resources: ['proj/*:'], actions: ['*'] }] }), 400, 'invalid_request', ['policy[0].resources[0]'], [
        { attribute: 'policy[0].resources[0]', reason: '"proj/*:" is not a resource specifier: it has a malformed part ""; each part is type/key, optionally followed by ;tags' },
      ]);
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', notResources: ['proj/ok:env/ok', 'proj/'], actions: ['*'] }] }), 400, 'invalid_request', ['policy[0].notResources[1]', '"proj/"']);
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', resources: ['proj/*:env/*'], actions: ['update-on'] }] }), 400, 'invalid_request', ['policy[0].actions[0]'], [
        { attribute: 'policy[0].actions[0]', reason: '"update-on" is not an action; an action is a name such as updateOn, or a glob such as update*' },
      ]);
      await refused(post({ name: 'Relay', policy: [{ effect: 'allow', resources: ['proj/*:env/*'], notActions: ['*', 'do it'] }] }), 400, 'invalid_request', ['policy[0].notActions[1]', '"do it"']);
    });

    it('400 for a body that is no object, or no JSON', async () => {
      for (const raw of ['null', '[]', '"Relay"', '42']) {
        await refused(() => s.request('POST', URL, { raw }), 400, 'invalid_request', ['body'], [{ attribute: 'body', reason: 'must be an object' }]);
      }
      await refused(() => s.request('POST', URL, { raw: '{"name": "Relay",' }), 400, 'invalid_request', ['body', 'not valid JSON']);
      await refused(() => s.request('POST', URL, {}), 400, 'invalid_request', ['body']);
    });
  });

  describe('PATCH', () => {
    const patch = (body: unknown) => () => s.patch(`${URL}/${id}`, body);

    it('400 for a malformed patch, naming the operation or the body', async () => {
      await refused(patch('nope'), 400, 'invalid_request', ['body'], [{ attribute: 'body', reason: 'must be an array of operations' }]);
      await refused(patch({}), 400, 'invalid_request', ['patch'], [
        { attribute: 'patch', reason: 'must be present (or send the JSON Patch array itself as the body, or a JSON merge patch as the body itself or as {"merge": ...})' },
      ]);
      // The shared patch reader names the body, not its `patch` member, when that member is no array.
      await refused(patch({ patch: {} }), 400, 'invalid_request', ['must be an array of operations']);
      await refused(patch({ patch: [], comment: 5 }), 400, 'invalid_request', ['comment'], [{ attribute: 'comment', reason: 'must be a string' }]);
      await refused(patch([{ op: 'jump', path: '/name' }]), 400, 'invalid_request', ['patch[0]'], [{ attribute: 'patch[0]', reason: 'op must be one of add, remove, replace, move, copy, test' }]);
      await refused(patch([{ op: 'replace', path: '/name' }]), 400, 'invalid_request', ['patch[0]']);
      await refused(patch([{ op: 'replace', path: 'name', value: 'x' }]), 400, 'invalid_request', ['patch[0]']);
      await refused(patch([{ op: 'replace', path: '', value: {} }]), 400, 'invalid_request', ['patch[0].path'], [
        { attribute: 'patch[0].path', reason: 'must name a field; the whole resource cannot be replaced' },
      ]);
      await refused(patch([{ op: 'remove', path: '/policy/5' }]), 400, 'invalid_request', ['patch[0]'], [{ attribute: 'patch[0]', reason: 'remove /policy/5: index 5 is out of range (length 1)' }]);
      await refused(() => s.request('PATCH', `${URL}/${id}`, { raw: '[{"op":' }), 400, 'invalid_request', ['body', 'not valid JSON']);
    });

    it('400 naming a read-only member: displayKey, _id, creationDate, lastModified, _creator', async () => {
      for (const [path, value] of [
        ['/displayKey', 'abcd'],
        ['/_id', UNKNOWN_ID],
        ['/creationDate', 1],
        ['/lastModified', 1],
        ['/_creator', {}],
      ] as const) {
        for (const op of ['replace', 'add']) {
          await refused(patch([{ op, path, value }]), 400, 'invalid_request', [path], [{ attribute: path, reason: 'is read-only and cannot be changed' }]);
        }
        await refused(patch([{ op: 'remove', path }]), 400, 'invalid_request', [path], [{ attribute: path, reason: 'is read-only and cannot be changed' }]);
      }
      await refused(patch({ merge: { displayKey: 'abcd' } }), 400, 'invalid_request', ['/displayKey'], [{ attribute: '/displayKey', reason: 'is read-only and cannot be changed' }]);
      await refused(patch({ merge: { creationDate: null } }), 400, 'invalid_request', ['/creationDate'], [{ attribute: '/creationDate', reason: 'is read-only and cannot be changed' }]);
      // A valid operation before the refused one is not kept.
      await refused(patch([{ op: 'replace', path: '/name', value: 'Renamed' }, { op: 'replace', path: '/_id', value: UNKNOWN_ID }]), 400, 'invalid_request', ['/_id']);
    });

    it('400 naming a member that is no field of a configuration, the key included', async () => {
      const reason = 'is not a field that can be patched; patchable fields are name, policy';
      await refused(patch([{ op: 'add', path: '/color', value: 'red' }]), 400, 'invalid_request', ['/color'], [{ attribute: '/color', reason }]);
      await refused(patch([{ op: 'replace', path: '/fullKey', value: 'rel-00000000-0000-4000-8000-000000000000' }]), 400, 'invalid_request', ['/fullKey'], [{ attribute: '/fullKey', reason }]);
      await refused(patch({ merge: { color: 'red' } }), 400, 'invalid_request', ['/color'], [{ attribute: '/color', reason }]);
      await refused(patch({ merge: { color: null } }), 400, 'invalid_request', ['/color'], [{ attribute: '/color', reason }]);
    });

    it('400 naming the field when the patch leaves an invalid name or policy', async () => {
      await refused(patch([{ op: 'replace', path: '/name', value: '' }]), 400, 'invalid_request', ['name'], [{ attribute: 'name', reason: 'must not be empty' }]);
      await refused(patch([{ op: 'replace', path: '/name', value: 7 }]), 400, 'invalid_request', ['name'], [{ attribute: 'name', reason: 'must be a string' }]);
      await refused(patch([{ op: 'remove', path: '/name' }]), 400, 'invalid_request', ['name'], [{ attribute: 'name', reason: 'must be present' }]);
      await refused(patch({ merge: { name: null } }), 400, 'invalid_request', ['name'], [{ attribute: 'name', reason: 'must be present' }]);
      await refused(patch([{ op: 'remove', path: '/policy' }]), 400, 'invalid_request', ['policy'], [{ attribute: 'policy', reason: 'must be present' }]);
      await refused(patch([{ op: 'replace', path: '/policy', value: {} }]), 400, 'invalid_request', ['policy'], [{ attribute: 'policy', reason: 'must be an array' }]);
      await refused(patch({ merge: { policy: 'proj/*:env/*' } }), 400, 'invalid_request', ['policy'], [{ attribute: 'policy', reason: 'must be an array' }]);
      await refused(patch([{ op: 'replace', path: '/policy/0/effect', value: 'maybe' }]), 400, 'invalid_request', ['policy[0].effect'], [
        { attribute: 'policy[0].effect', reason: 'must be one of "allow", "deny"' },
      ]);
      await refused(patch([{ op: 'add', path: '/policy/0/notResources', value: ['proj/a:env/b'] }]), 400, 'invalid_request', ['policy[0].notResources'], [
        { attribute: 'policy[0].notResources', reason: 'must be empty when resources is given; a statement takes resources or notResources, not both' },
      ]);
      await refused(patch([{ op: 'remove', path: '/policy/0/resources' }]), 400, 'invalid_request', ['policy[0].resources']);
      await refused(patch([{ op: 'add', path: '/policy/-', value: { effect: 'allow' } }]), 400, 'invalid_request', ['policy[1].resources', 'policy[1].actions']);
      await refused(patch([{ op: 'add', path: '/policy/0/resources/-', value: 'proj/*:' }]), 400, 'invalid_request', ['policy[0].resources[1]'], [
        { attribute: 'policy[0].resources[1]', reason: '"proj/*:" is not a resource specifier: it has a malformed part ""; each part is type/key, optionally followed by ;tags' },
      ]);
      await refused(patch([{ op: 'replace', path: '/policy/0/actions', value: ['update-on'] }]), 400, 'invalid_request', ['policy[0].actions[0]'], [
        { attribute: 'policy[0].actions[0]', reason: '"update-on" is not an action; an action is a name such as updateOn, or a glob such as update*' },
      ]);
      // A rename that comes with an invalid policy is not kept either.
      await refused(patch([{ op: 'replace', path: '/name', value: 'Renamed' }, { op: 'replace', path: '/policy', value: [{ effect: 'allow' }] }]), 400, 'invalid_request', ['policy[0]']);
    });

    it('409 optimistic_locking_error when a test operation fails; nothing after it is applied', async () => {
      const res = await refused(patch([{ op: 'test', path: '/name', value: 'Someone else' }, { op: 'replace', path: '/name', value: 'Mine' }]), 409, 'optimistic_locking_error', ['/name']);
      expect(res.body.errors).toBeUndefined();
      await refused(patch({ patch: [{ op: 'test', path: '/policy/0/effect', value: 'deny' }, { op: 'remove', path: '/policy/0' }], comment: 'only if denied' }), 409, 'optimistic_locking_error', [
        '/policy/0/effect',
      ]);
    });

    it('400 for a merge that is no object', async () => {
      for (const merge of [[], 'name', 5, null, true]) {
        await refused(patch({ merge }), 400, 'invalid_request', ['merge'], [{ attribute: 'merge', reason: 'must be an object (RFC 7386 JSON merge patch of the Relay Proxy configuration)' }]);
      }
      await refused(patch({ merge: { name: 'Renamed' }, comment: [] }), 400, 'invalid_request', ['comment'], [{ attribute: 'comment', reason: 'must be a string' }]);
    });
  });

  describe('reset', () => {
    it('400 naming an expiry that is no Unix time in milliseconds', async () => {
      for (const expiry of ['abc', 'tomorrow', '1.5', '1e3', '2026-12-05', '99999999999999999']) {
        await refused(() => s.post(`${URL}/${id}/reset?expiry=${encodeURIComponent(expiry)}`, undefined), 400, 'invalid_request', ['expiry'], [
          { attribute: 'expiry', reason: `must be a Unix time in milliseconds, not "${expiry}"` },
        ]);
      }
    });

    it('400 for a body: reset takes none', async () => {
      for (const body of [{}, { expiry: Date.now() + 60_000 }, []]) {
        const res = await refused(() => s.post(`${URL}/${id}/reset`, body), 400, 'invalid_request', ['body', 'takes no body']);
        expect(res.body.errors).toEqual([{ attribute: 'body', reason: 'must be empty' }]);
      }
      await refused(() => s.request('POST', `${URL}/${id}/reset`, { raw: 'expiry=1', headers: { 'content-type': 'text/plain' } }), 400, 'invalid_request', ['body']);
    });
  });

  describe('unknown ids', () => {
    it("404 in LaunchDarkly's shape on get, patch, delete and reset", async () => {
      for (const unknown of [UNKNOWN_ID, 'nope']) {
        const body = { code: 'not_found', message: `Relay Proxy configuration "${unknown}" not found` };
        const get = await s.get(`${URL}/${unknown}`);
        expect(get.status).toBe(404);
        expect(get.body).toEqual(body);
        for (const send of [
          () => s.patch(`${URL}/${unknown}`, [{ op: 'replace', path: '/name', value: 'Renamed' }]),
          () => s.patch(`${URL}/${unknown}`, { patch: [{ op: 'replace', path: '/name', value: 'Renamed' }], comment: 'Terraform' }),
          () => s.patch(`${URL}/${unknown}`, { merge: { name: 'Renamed' } }),
          () => s.del(`${URL}/${unknown}`),
          () => s.post(`${URL}/${unknown}/reset`, undefined),
          () => s.post(`${URL}/${unknown}/reset?expiry=${Date.now() + 60_000}`, undefined),
        ]) {
          const res = await refused(send, 404, 'not_found', [unknown]);
          expect(res.body).toEqual(body);
        }
      }
    });

    it('404 for a configuration once deleted; deleting it again writes nothing', async () => {
      const made = (await s.post(URL, { name: 'Short-lived', policy: POLICY })).body;
      expect((await s.del(`${URL}/${made._id}`)).status).toBe(204);
      const body = { code: 'not_found', message: `Relay Proxy configuration "${made._id}" not found` };
      expect(await s.get(`${URL}/${made._id}`)).toMatchObject({ status: 404, body });
      for (const send of [() => s.del(`${URL}/${made._id}`), () => s.post(`${URL}/${made._id}/reset`, undefined), () => s.patch(`${URL}/${made._id}`, [{ op: 'replace', path: '/name', value: 'Back' }])]) {
        expect((await refused(send, 404, 'not_found', [made._id])).body).toEqual(body);
      }
    });
  });
});
