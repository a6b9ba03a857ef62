// How a workflow runs, as a pure state machine: its stages run in order; a stage starts when the one before it is
// applied (the first when the workflow is made) and starts its conditions, all at once or, with
// executeConditionsInSequence, each when the one before it is met; a schedule is met when its date comes (a relative
// one counts from when it started), an approval when its request is approved enough to be applied under the
// environment's approval settings. Once every condition of a stage is met, its instructions are applied (run.ts does
// it, through the flag update path). A condition that can no longer be met (its request deleted or failed), or a
// stage whose instructions no longer apply, fails the workflow.
import { DURATION_UNITS, type StageSpec, type WorkflowCondition, type WorkflowDoc, type WorkflowStage } from './model.js';

/** What became of an awaited approval request: gone (absent from the map), or its status and whether it may be applied. */
export interface RequestState {
  status: string;
  approved: boolean;
}

/** What a workflow needs next. */
export type Step =
  /** Nothing until a date comes or a request is reviewed. */
  | { kind: 'wait' }
  /** `doc` to be written; the approval conditions in `asking` (of the stage at `stage`) need their requests made. */
  | { kind: 'progress'; doc: WorkflowDoc; stage: number; asking: number[]; events: string[] }
  /** Every condition of stage `stage` is met (as `doc` says): its instructions are to be applied now. */
  | { kind: 'execute'; doc: WorkflowDoc; stage: number };

/** A new workflow of these stages, made at `now`, its first stage started. */
export function newWorkflow(fields: Omit<WorkflowDoc, 'stages' | 'execution' | 'version'>, stages: StageSpec[], now: number): WorkflowDoc {
  const doc: WorkflowDoc = {
    ...fields,
    version: 1,
    execution: { status: 'active', startDate: now },
    stages: stages.map((stage) => ({ ...stage, conditions: stage.conditions.map((c) => ({ ...c, execution: { status: 'pending' } })), execution: { status: 'pending' } }) as WorkflowStage),
  };
  startStage(doc.stages[0], now);
  return doc;
}

function clone(doc: WorkflowDoc): WorkflowDoc {
  return JSON.parse(JSON.stringify(doc)) as WorkflowDoc;
}

/** When a schedule started at `start` is due. */
function dueDate(condition: WorkflowCondition, start: number): number | undefined {
  if (condition.kind !== 'schedule') return undefined;
  if (condition.executeNow) return start;
  if (condition.scheduleKind === 'absolute') return condition.executionDate!;
  return start + condition.waitDuration! * DURATION_UNITS[condition.waitDurationUnit!];
}

function startCondition(condition: WorkflowCondition, at: number): void {
  condition.execution = { status: 'active', startDate: at };
  const due = dueDate(condition, at);
  if (due !== undefined) condition.dueDate = due;
}

function startStage(stage: WorkflowStage, at: number): void {
  stage.execution = { status: 'active', startDate: at };
  for (const condition of stage.executeConditionsInSequence ? stage.conditions.slice(0, 1) : stage.conditions) startCondition(condition, at);
}

function stageName(stage: WorkflowStage, index: number): string {
  return stage.name ? `stage ${index + 1} ("${stage.name}")` : `stage ${index + 1}`;
}

function fail(doc: WorkflowDoc, index: number, now: number, reason: string): void {
  const stage = doc.stages[index];
  stage.execution = { ...stage.execution, status: 'failed', stopDate: now };
  stage.failure = reason;
  doc.execution = { ...doc.execution, status: 'failed', stopDate: now };
  doc.failure = `${stageName(stage, index)} failed: ${reason}`;
}

/** Meets what can be met of the stage's active conditions at `now`; in sequence, each met one starts the next. */
function meetConditions(stage: WorkflowStage, now: number, requests: ReadonlyMap<string, RequestState>, events: string[]): string | undefined {
  for (let i = 0; i < stage.conditions.length; i++) {
    const condition = stage.conditions[i];
    if (condition.execution.status !== 'active') continue;
    let metAt: number | undefined;
    if (condition.kind === 'schedule') {
      if (condition.dueDate! <= now) metAt = condition.dueDate!;
    } else if (condition.approvalRequestId !== undefined) {
      const request = requests.get(condition.approvalRequestId);
      if (!request) return `its approval request ${condition.approvalRequestId} was deleted`;
      if (request.status === 'failed') return `its approval request ${condition.approvalRequestId} failed`;
      if (request.approved || request.status === 'completed') metAt = now;
    }
    if (metAt === undefined) continue;
    condition.execution = { ...condition.execution, status: 'completed', stopDate: metAt };
    events.push(condition.kind === 'schedule' ? `its schedule for ${new Date(metAt).toISOString()} came` : `approval request ${condition.approvalRequestId} was approved`);
    const next = stage.conditions[i + 1];
    if (stage.executeConditionsInSequence && next && next.execution.status === 'pending') startCondition(next, metAt);
  }
  return undefined;
}

/** The stage's started approval conditions whose requests are yet to be made, by index. */
export function unasked(stage: WorkflowStage): number[] {
  return stage.conditions.flatMap((c, i) => (c.kind === 'ld-approval' && c.execution.status === 'active' && c.approvalRequestId === undefined ? [i] : []));
}

/**
 * The next step of the workflow at `now`, given what became of its approval requests. A stage is started where the
 * one before it stopped; the conditions it can meet are met, and with all met it is to be executed.
 */
export function nextStep(current: WorkflowDoc, now: number, requests: ReadonlyMap<string, RequestState>): Step {
  if (current.execution.status !== 'active') return { kind: 'wait' };
  const doc = clone(current);
  const index = doc.stages.findIndex((stage) => stage.execution.status !== 'completed');
  const events: string[] = [];
  if (index < 0) {
    doc.execution = { ...doc.execution, status: 'completed', stopDate: now };
    return { kind: 'progress', doc, stage: doc.stages.length - 1, asking: [], events: ['completed'] };
  }
  const stage = doc.stages[index];
  if (stage.execution.status === 'pending') {
    startStage(stage, doc.stages[index - 1]?.execution.stopDate ?? now);
    events.push(`${stageName(stage, index)} started`);
  }
  // Each pass may start the next condition in sequence, which may be met at once (a schedule already due).
  for (let pass = 0; pass <= stage.conditions.length; pass++) {
    const before = JSON.stringify(stage.conditions);
    const failure = meetConditions(stage, now, requests, events);
    if (failure) {
      fail(doc, index, now, failure);
      return { kind: 'progress', doc, stage: index, asking: [], events: [...events, `${stageName(stage, index)} failed: ${failure}`] };
    }
    if (JSON.stringify(stage.conditions) === before) break;
  }
  const asking = unasked(stage);
  if (asking.length === 0 && stage.conditions.every((c) => c.execution.status === 'completed')) return { kind: 'execute', doc, stage: index };
  if (asking.length === 0 && JSON.stringify(doc) === JSON.stringify(current)) return { kind: 'wait' };
  return { kind: 'progress', doc, stage: index, asking, events: asking.length > 0 ? [...events, `approval requested for ${stageName(stage, index)}`] : events };
}

/** The workflow once stage `index` is applied at `now`: the stage completed (its approvals applied then), and the workflow too after its last. */
export function executed(current: WorkflowDoc, index: number, now: number): WorkflowDoc {
  const doc = clone(current);
  const stage = doc.stages[index];
  stage.execution = { ...stage.execution, status: 'completed', stopDate: now };
  for (const condition of stage.conditions) if (condition.kind === 'ld-approval') condition.appliedDate = now;
  if (index === doc.stages.length - 1) doc.execution = { ...doc.execution, status: 'completed', stopDate: now };
  return doc;
}

/** The workflow once stage `index` could not be applied at `now`, for `reason`. */
export function failed(current: WorkflowDoc, index: number, now: number, reason: string): WorkflowDoc {
  const doc = clone(current);
  fail(doc, index, now, reason);
  return doc;
}

/** What a step or stage did, in words, for the audit log. */
export function describeStage(doc: WorkflowDoc, index: number): string {
  return stageName(doc.stages[index], index);
}
