// Scheduled changes end to end: create (201, checked against the flag now), list soonest first, read, move, replace,
// cancel; conflicts refused unless ignoreConflicts=true, then shown; applied by the job when their date comes
// (a new flag version, audited as scheduled, the schedule forgotten); one that no longer applies is dropped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, flagVersion, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { executeDueScheduledChanges } from './execute.js';

describe('scheduled changes', () => {
  let s: TestServer;
  let w: World;
  let clock = Date.UTC(2026, 11, 5, 12);
  const HOUR = 3_600_000;
  const path = (env = 'production') => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/${env}/scheduled-changes`;
  const isOn = async () => (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.on as boolean;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it("201 with the spec's fields; listed soonest first and read back", async () => {
    const me = (await s.get('/api/v2/members/me')).body;
    const later = (await s.post(path(), { executionDate: clock + 2 * HOUR, instructions: [{ kind: 'updateOffVariation', variationId: w.variations[1] }], comment: 'evening' })).body;
    const res = await s.post(path(), { executionDate: clock + HOUR, instructions: [{ kind: 'turnFlagOff' }] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _creationDate: clock,
      _maintainerId: me._id,
      _version: 1,
      executionDate: clock + HOUR,
      instructions: [{ kind: 'turnFlagOff' }],
      _links: { parent: { href: path(), type: 'application/json' }, self: { href: `${path()}/${res.body._id}`, type: 'application/json' } },
    });
    const list = (await s.get(path())).body;
    expect(list.items.map((i: { _id: string }) => i._id)).toEqual([res.body._id, later._id]);
    expect(list._links).toEqual({ self: { href: path(), type: 'application/json' } });
    expect((await s.get(`${path()}/${res.body._id}`)).body).toEqual(res.body);
    expect((await s.get(path('test'))).body.items).toEqual([]);
  });

  it('a conflicting schedule is a 409 naming the other; with ignoreConflicts=true it is made, and shows its conflicts', async () => {
    const [first] = (await s.get(path())).body.items;
    const refused = await s.post(path(), { executionDate: clock + 3 * HOUR, instructions: [{ kind: 'turnFlagOn' }] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('conflict');
    expect(refused.body.message).toContain(`${first._id} at `);
    expect(refused.body.message).toContain("it also changes the flag's targeting on or off");
    const made = await s.post(`${path()}?ignoreConflicts=true`, { executionDate: clock + 3 * HOUR, instructions: [{ kind: 'turnFlagOn' }] });
    expect(made.status).toBe(201);
    expect(made.body.conflicts).toEqual([{ _id: first._id, executionDate: clock + HOUR, reason: "it also changes the flag's targeting on or off" }]);
    expect((await s.get(`${path()}/${first._id}`)).body.conflicts).toEqual([{ _id: made.body._id, executionDate: clock + 3 * HOUR, reason: "it also changes the flag's targeting on or off" }]);
    expect((await s.del(`${path()}/${made.body._id}`)).status).toBe(204);
    expect((await s.get(`${path()}/${first._id}`)).body).not.toHaveProperty('conflicts');
  });

  it('moved and replaced by semantic patch, a version each; a patch that changes nothing writes nothing', async () => {
    const [first] = (await s.get(path())).body.items;
    const moved = await s.patch(`${path()}/${first._id}`, { instructions: [{ kind: 'updateScheduledChangesExecutionDate', value: clock + 30 * 60_000 }] });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ executionDate: clock + 30 * 60_000, _version: 2 });
    const replaced = await s.patch(`${path()}/${first._id}`, { comment: 'off, then a rule', instructions: [{ kind: 'replaceScheduledChangesInstructions', value: [{ kind: 'turnFlagOff' }, { kind: 'addTargets', variationId: w.variations[0], contextKind: 'user', values: ['ada'] }] }] });
    expect(replaced.body).toMatchObject({ _version: 3, instructions: [{ kind: 'turnFlagOff' }, { kind: 'addTargets', values: ['ada'] }] });
    const same = await s.patch(`${path()}/${first._id}`, { instructions: [{ kind: 'updateScheduledChangesExecutionDate', value: clock + 30 * 60_000 }] });
    expect(same.body._version).toBe(3);
    const entries = (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items.map((e: { accesses: { action: string }[] }) => e.accesses[0].action);
    expect(entries.slice(0, 2)).toEqual(['updateScheduledChanges', 'updateScheduledChanges']);
  });

  it('_maintainerServiceTokenId (2026-07) names the service token that created or last changed a schedule; a member token sets none', async () => {
    const made = (await s.post('/api/v2/tokens', { name: 'release bot', role: 'writer', serviceToken: true })).body;
    const service = { token: made.token as string };
    const byMember = (await s.post(path('test'), { executionDate: clock + 5 * HOUR, instructions: [{ kind: 'turnFlagOn' }] })).body;
    expect(byMember).not.toHaveProperty('_maintainerServiceTokenId');
    const byService = await s.post(path('test'), { executionDate: clock + 6 * HOUR, instructions: [{ kind: 'updateOffVariation', variationId: w.variations[0] }] }, service);
    expect(byService.status).toBe(201);
    expect(byService.body._maintainerServiceTokenId).toBe(made._id);
    expect((await s.get(`${path('test')}/${byService.body._id}`)).body._maintainerServiceTokenId).toBe(made._id);
    const moved = await s.patch(`${path('test')}/${byMember._id}`, { instructions: [{ kind: 'updateScheduledChangesExecutionDate', value: clock + 7 * HOUR }] }, service);
    expect(moved.status).toBe(200);
    expect(moved.body._maintainerServiceTokenId).toBe(made._id);
    for (const id of [byMember._id, byService.body._id]) expect((await s.del(`${path('test')}/${id}`)).status).toBe(204);
  });

  it('applied when its date comes, and not before: a new version, audited as scheduled; the schedule is gone', async () => {
    const [first, second] = (await s.get(path())).body.items;
    const version = await flagVersion(s, w.project, w.flag);
    clock = first.executionDate - 1;
    expect(await executeDueScheduledChanges(s.deps)).toBe(0);
    expect(await isOn()).toBe(true);
    clock = first.executionDate;
    expect(await executeDueScheduledChanges(s.deps)).toBe(1);
    expect(await isOn()).toBe(false);
    expect(await flagVersion(s, w.project, w.flag)).toBe(version + 1);
    expect((await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.targets).toEqual([expect.objectContaining({ variation: 0, values: ['ada'] })]);
    expect((await s.get(path())).body.items.map((i: { _id: string }) => i._id)).toEqual([second._id]);
    const entry = (await s.get(`/api/v2/auditlog?spec=proj/${w.project}:env/production:flag/${w.flag}`)).body.items[0];
    expect(entry).toMatchObject({ shortDescription: 'applied scheduled changes to the flag Checkout button in production, as scheduled' });
    expect(entry).not.toHaveProperty('member');
  });

  it('a schedule that no longer applies when its date comes is dropped, the flag unchanged', async () => {
    const rule = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.rules[0];
    const doomed = await s.post(`${path()}?ignoreConflicts=true`, { executionDate: clock + HOUR, instructions: [{ kind: 'updateRuleDescription', ruleId: rule._id, description: 'later' }], comment: 'describe it' });
    expect(doomed.status).toBe(201);
    const removed = await s.patch(`/api/v2/flags/${w.project}/${w.flag}?ignoreConflicts=true`, { environmentKey: 'production', instructions: [{ kind: 'removeRule', ruleId: rule._id }] }, { headers: { 'content-type': 'application/json; domain-model=launchdarkly.semanticpatch' } });
    expect(removed.status).toBe(200);
    const version = await flagVersion(s, w.project, w.flag);
    clock += 3 * HOUR;
    const warnings: string[] = [];
    await executeDueScheduledChanges(s.deps, { warn: (_o, msg) => warnings.push(msg) });
    expect(warnings).toContain('scheduled changes no longer apply to their flag; the schedule is dropped');
    expect((await s.get(`${path()}/${doomed.body._id}`)).status).toBe(404);
    expect(await flagVersion(s, w.project, w.flag)).toBe(version);
  });
});
