// The workflow state machine alone (no store): when stages start, when conditions are met, what fails a workflow.
import { describe, expect, it } from 'vitest';
import type { ApprovalSpec, ConditionSpec, ScheduleSpec, StageSpec, WorkflowDoc } from './model.js';
import { executed, failed, newWorkflow, nextStep, type RequestState } from './progress.js';

const T = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const fields = { name: 'W', maintainerId: 'm', requestorId: 'm' };
let ids = 0;
const stage = (conditions: (ScheduleSpec | ApprovalSpec)[], inSequence = false): StageSpec => ({
  _id: `s${++ids}`,
  executeConditionsInSequence: inSequence,
  conditions: conditions.map((c) => ({ ...c, _id: `c${++ids}` }) as ConditionSpec),
  instructions: [{ kind: 'turnFlagOn' }],
});
const wait = (hours: number) => ({ kind: 'schedule' as const, scheduleKind: 'relative' as const, waitDuration: hours, waitDurationUnit: 'hour' as const });
const approval = { kind: 'ld-approval' as const, description: '', notifyMemberIds: [] };
const none = new Map<string, RequestState>();

/**
 * Runs the machine at `now` as the job would until it waits, each stage applied; each approval asked is given the id
 * `r<stage>.<condition>` and is pending (unless `reviewed` says otherwise).
 */
function settle(doc: WorkflowDoc, now: number, reviewed = none): { doc: WorkflowDoc; applied: number[] } {
  const applied: number[] = [];
  const requests = new Map(reviewed);
  const asked = doc.stages.flatMap((st) => st.conditions.flatMap((c) => (c.approvalRequestId ? [c.approvalRequestId] : [])));
  for (const id of asked) if (!requests.has(id)) requests.set(id, { status: 'pending', approved: false });
  for (;;) {
    const step = nextStep(doc, now, requests);
    if (step.kind === 'wait') return { doc, applied };
    if (step.kind === 'execute') {
      applied.push(step.stage);
      doc = executed(step.doc, step.stage, now);
      continue;
    }
    for (const i of step.asking) {
      const id = `r${step.stage}.${i}`;
      step.doc.stages[step.stage].conditions[i].approvalRequestId = id;
      if (!requests.has(id)) requests.set(id, { status: 'pending', approved: false });
    }
    doc = step.doc;
  }
}

describe('workflow progress', () => {
  it('starts the first stage when made: a relative wait counts from then, an absolute date is kept', () => {
    const doc = newWorkflow(fields, [stage([wait(2), { kind: 'schedule', scheduleKind: 'absolute', executionDate: T + 5 * HOUR }]), stage([wait(1)])], T);
    expect(doc.stages[0].execution).toEqual({ status: 'active', startDate: T });
    expect(doc.stages[0].conditions.map((c) => c.dueDate)).toEqual([T + 2 * HOUR, T + 5 * HOUR]);
    expect(doc.stages[1].execution).toEqual({ status: 'pending' });
    expect(nextStep(doc, T + 2 * HOUR - 1, none)).toEqual({ kind: 'wait' });
    // One condition met is written, though the stage still waits for the other.
    expect(nextStep(doc, T + 2 * HOUR, none)).toMatchObject({ kind: 'progress', events: [`its schedule for ${new Date(T + 2 * HOUR).toISOString()} came`] });
    expect(settle(doc, T + 5 * HOUR).applied).toEqual([0]);
  });

  it('a stage starts when the one before it was applied: the next wait counts from then, a met schedule from its date', () => {
    const doc = newWorkflow(fields, [stage([wait(1)]), stage([wait(1)])], T);
    // The job comes by two and a half hours late: the schedule was met at T+1h, the stage applied at T+3.5h.
    const late = settle(doc, T + 3.5 * HOUR);
    expect(late.applied).toEqual([0]);
    expect(late.doc.stages[0].conditions[0].execution).toEqual({ status: 'completed', startDate: T, stopDate: T + HOUR });
    expect(late.doc.stages[0].execution).toEqual({ status: 'completed', startDate: T, stopDate: T + 3.5 * HOUR });
    expect(late.doc.stages[1].conditions[0].dueDate).toBe(T + 4.5 * HOUR);
    const done = settle(late.doc, T + 4.5 * HOUR).doc;
    expect(done.execution).toEqual({ status: 'completed', startDate: T, stopDate: T + 4.5 * HOUR });
  });

  it('in sequence, each condition starts when the one before it is met; an approval is asked only then', () => {
    const doc = newWorkflow(fields, [stage([wait(1), approval, wait(1)], true)], T);
    expect(doc.stages[0].conditions.map((c) => c.execution.status)).toEqual(['active', 'pending', 'pending']);
    const asked = settle(doc, T + HOUR).doc;
    expect(asked.stages[0].conditions.map((c) => [c.execution.status, c.approvalRequestId])).toEqual([['completed', undefined], ['active', 'r0.1'], ['pending', undefined]]);
    const approved = new Map([['r0.1', { status: 'pending', approved: true }]]);
    const waiting = settle(asked, T + 3 * HOUR, approved).doc;
    expect(waiting.stages[0].conditions[2]).toMatchObject({ execution: { status: 'active', startDate: T + 3 * HOUR }, dueDate: T + 4 * HOUR });
    expect(settle(waiting, T + 4 * HOUR, approved).applied).toEqual([0]);
  });

  it('all at once: every approval is asked when the stage starts, and every one must be approved', () => {
    const doc = newWorkflow(fields, [stage([approval, approval])], T);
    const asked = settle(doc, T).doc;
    expect(asked.stages[0].conditions.map((c) => c.approvalRequestId)).toEqual(['r0.0', 'r0.1']);
    expect(settle(asked, T, new Map([['r0.0', { status: 'pending', approved: true }], ['r0.1', { status: 'pending', approved: false }]])).applied).toEqual([]);
    const both = new Map([['r0.0', { status: 'pending', approved: true }], ['r0.1', { status: 'pending', approved: true }]]);
    const done = settle(asked, T + 1, both).doc;
    expect(done.execution.status).toBe('completed');
    expect(done.stages[0].conditions.map((c) => c.appliedDate)).toEqual([T + 1, T + 1]);
  });

  it('a deleted or failed approval request fails the stage and the workflow', () => {
    const asked = settle(newWorkflow(fields, [stage([approval]), stage([wait(1)])], T), T).doc;
    const gone = nextStep(asked, T + 1, none);
    expect(gone).toMatchObject({ kind: 'progress', doc: { execution: { status: 'failed', stopDate: T + 1 }, failure: 'stage 1 failed: its approval request r0.0 was deleted' } });
    const broken = nextStep(asked, T + 1, new Map([['r0.0', { status: 'failed', approved: false }]]));
    expect(broken).toMatchObject({ doc: { stages: [{ execution: { status: 'failed' }, failure: 'its approval request r0.0 failed' }, { execution: { status: 'pending' } }] } });
    expect(nextStep((gone as { doc: WorkflowDoc }).doc, T + 2, none)).toEqual({ kind: 'wait' });
  });

  it('a stage with no conditions, or executeNow, is applied at once; failed() stops the workflow at that stage', () => {
    const doc = newWorkflow(fields, [stage([]), stage([{ kind: 'schedule', executeNow: true }]), stage([wait(1)])], T);
    const run = settle(doc, T);
    expect(run.applied).toEqual([0, 1]);
    const stopped = failed(run.doc, 2, T + 5, 'no longer applies');
    expect(stopped).toMatchObject({ execution: { status: 'failed', stopDate: T + 5 }, failure: 'stage 3 failed: no longer applies' });
    expect(nextStep(stopped, T + 2 * HOUR, none)).toEqual({ kind: 'wait' });
  });
});
