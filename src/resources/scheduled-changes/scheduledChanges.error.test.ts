// Scheduled changes refused: a date not to come, instructions that are not flag instructions or do not apply to the
// flag now, deleteFlag, a bad ignoreConflicts; unknown project, environment, flag and schedule; patches that mix
// deleteScheduledChange with others. Nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestStore } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('scheduled changes: errors', () => {
  let s: TestServer;
  let w: World;
  const clock = Date.UTC(2026, 11, 5, 12);
  let id: string;
  const path = (env = 'production', flag = 'checkout-button', project = w.project) => `/api/v2/projects/${project}/flags/${flag}/environments/${env}/scheduled-changes`;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
    id = (await s.post(path(), { executionDate: clock + 60_000, instructions: [{ kind: 'turnFlagOff' }] })).body._id;
  });
  afterAll(() => s.close());

  it('postFlagConfigScheduledChanges: 400 naming the problem, 404 naming what is missing; nothing written', async () => {
    const before = await digestStore(s.store);
    const later = clock + 3_600_000;
    const cases: [string, unknown, number, string][] = [
      [path(), { instructions: [{ kind: 'turnFlagOn' }] }, 400, 'executionDate: must be a date in Unix milliseconds'],
      [path(), { executionDate: '2027-01-01', instructions: [{ kind: 'turnFlagOn' }] }, 400, 'executionDate: must be a date'],
      [path(), { executionDate: clock, instructions: [{ kind: 'turnFlagOn' }] }, 400, 'executionDate: must be in the future'],
      [path(), { executionDate: later }, 400, 'instructions: must be a non-empty array'],
      [path(), { executionDate: later, instructions: [] }, 400, 'instructions: must be a non-empty array'],
      [path(), { executionDate: later, instructions: [{ kind: 'explode' }] }, 400, 'instructions[0].kind: unknown instruction kind "explode"'],
      [path(), { executionDate: later, instructions: [{ kind: 'deleteFlag' }] }, 400, 'instructions[0].kind: unknown instruction kind "deleteFlag"'],
      [path(), { executionDate: later, instructions: [{ kind: 'updateRuleDescription', ruleId: 'no-such-rule', description: 'x' }] }, 400, 'no-such-rule'],
      [path(), { executionDate: later, instructions: [{ kind: 'turnFlagOn' }], comment: 5 }, 400, 'comment: must be a string'],
      [`${path()}?ignoreConflicts=maybe`, { executionDate: later, instructions: [{ kind: 'turnFlagOn' }] }, 400, 'ignoreConflicts: must be true or false'],
      [path(), [{ kind: 'turnFlagOn' }], 400, 'body: must be an object'],
      [path('nope'), { executionDate: later, instructions: [{ kind: 'turnFlagOn' }] }, 404, 'Environment "nope"'],
      [path('production', 'nope'), { executionDate: later, instructions: [{ kind: 'turnFlagOn' }] }, 404, 'Flag "nope"'],
      [path('production', 'checkout-button', 'nope'), { executionDate: later, instructions: [{ kind: 'turnFlagOn' }] }, 404, 'Project "nope"'],
    ];
    for (const [url, body, status, text] of cases) {
      const res = await s.post(url, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.message, JSON.stringify(body)).toContain(text);
    }
    expect(await digestStore(s.store)).toBe(before);
  });

  it('patchFlagConfigScheduledChange and delete: 400 naming the problem, 404 for an unknown schedule; nothing written', async () => {
    const before = await digestStore(s.store);
    const cases: [string, unknown, number, string][] = [
      [`${path()}/${id}`, [{ op: 'replace', path: '/executionDate', value: 1 }], 400, 'semantic patch'],
      [`${path()}/${id}`, { instructions: [{ kind: 'updateScheduledChangesExecutionDate', value: clock - 1 }] }, 400, 'instructions[0].value: must be in the future'],
      [`${path()}/${id}`, { instructions: [{ kind: 'replaceScheduledChangesInstructions', value: [{ kind: 'nope' }] }] }, 400, 'instructions[0].value[0].kind: unknown instruction kind "nope"'],
      [`${path()}/${id}`, { instructions: [{ kind: 'replaceScheduledChangesInstructions', value: [] }] }, 400, 'instructions[0].value: must be a non-empty array'],
      [`${path()}/${id}`, { instructions: [{ kind: 'deleteScheduledChange' }, { kind: 'updateScheduledChangesExecutionDate', value: clock + 1 }] }, 400, 'deleteScheduledChange must be the only instruction'],
      [`${path()}/0123456789abcdef01234567`, { instructions: [{ kind: 'deleteScheduledChange' }] }, 404, 'Scheduled change "0123456789abcdef01234567" not found'],
      [`${path('test')}/${id}`, { instructions: [{ kind: 'deleteScheduledChange' }] }, 404, `Scheduled change "${id}" not found`],
    ];
    for (const [url, body, status, text] of cases) {
      const res = await s.patch(url, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.message, JSON.stringify(body)).toContain(text);
    }
    expect((await s.del(`${path()}/0123456789abcdef01234567`)).status).toBe(404);
    expect(await digestStore(s.store)).toBe(before);
  });
});
