// Workflows: a flag's stages in one environment, each a set of conditions (a schedule, an approval request) and the
// flag instructions applied once they are met; what a client's stages are read into, what is stored, and the
// lookups. The progress of a running workflow is progress.ts's; the job that drives it is run.ts's.
import { ApiError, notFound, objectBody, validationFailed, type FieldError } from '../../http/errors.js';
import type { Db, Store, Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import type { FlagWorkflowsTable } from '../../store/schema.js';
import { readReviewers } from '../approvals/model.js';
import { TARGETING_INSTRUCTIONS } from '../flags/instructions.js';
import { findMember } from '../members/members.js';
import { executionDateProblem, readScheduledInstructions, subjectOf, type ScheduledChangeRow } from '../scheduled-changes/model.js';
import { isObject } from '../../http/patch/resourcePatch.js';

export type WorkflowRow = FlagWorkflowsTable;

export const WORKFLOWS_URL = '/api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/workflows';

/** How long a relative schedule waits, by unit; a calendar day is 24 hours of UTC. */
export const DURATION_UNITS = { minute: 60_000, hour: 3_600_000, calendarDay: 86_400_000, calendarWeek: 604_800_000 } as const;
export type DurationUnit = keyof typeof DURATION_UNITS;

/** The longest relative wait taken: ten years. */
const MAX_WAIT_MS = 3650 * DURATION_UNITS.calendarDay;

export interface ScheduleSpec {
  kind: 'schedule';
  scheduleKind?: 'absolute' | 'relative';
  executionDate?: number;
  waitDuration?: number;
  waitDurationUnit?: DurationUnit;
  executeNow?: boolean;
}

export interface ApprovalSpec {
  kind: 'ld-approval';
  description: string;
  notifyMemberIds: string[];
}

/** A condition as asked: a schedule, or an LaunchDarkly approval request. */
export type ConditionSpec = (ScheduleSpec | ApprovalSpec) & { _id: string };

/** A stage as asked: its conditions, met all at once or one after another, and the flag instructions they release. */
export interface StageSpec {
  _id: string;
  name?: string;
  executeConditionsInSequence: boolean;
  conditions: ConditionSpec[];
  instructions: Record<string, unknown>[];
}

export type ExecutionStatus = 'pending' | 'active' | 'completed' | 'failed';

/** Where something is in its run (LaunchDarkly's ExecutionOutput, with when it started). */
export interface Execution {
  status: ExecutionStatus;
  startDate?: number;
  stopDate?: number;
}

/** A condition as it runs: when a schedule is due, which approval request is awaited, when that was applied. */
export type WorkflowCondition = ConditionSpec & { execution: Execution; dueDate?: number; approvalRequestId?: string; appliedDate?: number };

export interface WorkflowStage extends Omit<StageSpec, 'conditions'> {
  conditions: WorkflowCondition[];
  execution: Execution;
  /** Why the stage failed, when it did. */
  failure?: string;
}

export interface WorkflowDoc {
  name: string;
  description?: string;
  maintainerId: string;
  /** The member who made it: its approval requests are asked in their name. */
  requestorId: string;
  templateKey?: string;
  version: number;
  stages: WorkflowStage[];
  execution: Execution;
  failure?: string;
}

export function workflowDoc(row: Pick<WorkflowRow, 'doc'>): WorkflowDoc {
  return JSON.parse(row.doc) as WorkflowDoc;
}

/** A workflow as the audit log keeps it. */
export function auditedWorkflow(id: string, doc: WorkflowDoc): Record<string, unknown> {
  return { _id: id, ...doc };
}

/** What a condition may say, as LaunchDarkly's ConditionInput names it. */
const CONDITION_FIELDS = new Set(['kind', 'scheduleKind', 'executionDate', 'waitDuration', 'waitDurationUnit', 'executeNow', 'description', 'notifyMemberIds', 'notifyTeamKeys', 'integrationConfig']);
const STAGE_FIELDS = new Set(['name', 'executeConditionsInSequence', 'conditions', 'action']);
const MAX_STAGES = 100;
const MAX_CONDITIONS = 20;
const MAX_TEXT = 5000;

/** A text field's problem, if any: a string of at most MAX_TEXT characters (non-empty when `required`). */
export function textProblem(value: unknown, attribute: string, required = false): FieldError | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || (required && value.trim() === '')) return { attribute, reason: required ? 'must be a non-empty string' : 'must be a string' };
  if (value.length > MAX_TEXT) return { attribute, reason: `must be at most ${MAX_TEXT} characters` };
  return undefined;
}

function unknownFields(input: Record<string, unknown>, known: Set<string>, at: string, what: string): FieldError[] {
  return Object.keys(input)
    .filter((field) => !known.has(field))
    .map((field) => ({ attribute: `${at}.${field}`, reason: `is not a field of ${what}` }));
}

/** Options of reading stages: `now` for absolute dates, which a workflow's must be to come (a template's need not). */
export interface StageReading {
  now: number;
  futureDates: boolean;
}

/** One schedule condition's shape: executeNow, an absolute date, or a relative wait (the fields of the others ignored). */
function readSchedule(input: Record<string, unknown>, at: string, reading: StageReading, errors: FieldError[]): ScheduleSpec {
  if (input.executeNow !== undefined && typeof input.executeNow !== 'boolean') errors.push({ attribute: `${at}.executeNow`, reason: 'must be a boolean' });
  if (input.executeNow === true) return { kind: 'schedule', executeNow: true };
  if (input.scheduleKind === 'absolute') {
    // A template's date may have passed: it is a parameter that a workflow made from it must then override.
    const problem = executionDateProblem(input.executionDate, reading.futureDates ? reading.now : -1, `${at}.executionDate`);
    if (problem) errors.push(problem);
    return { kind: 'schedule', scheduleKind: 'absolute', executionDate: input.executionDate as number };
  }
  if (input.scheduleKind === 'relative') {
    const duration = input.waitDuration;
    const unit = input.waitDurationUnit;
    if (typeof unit !== 'string' || !Object.hasOwn(DURATION_UNITS, unit)) errors.push({ attribute: `${at}.waitDurationUnit`, reason: `must be one of ${Object.keys(DURATION_UNITS).join(', ')}` });
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0) errors.push({ attribute: `${at}.waitDuration`, reason: 'must be a whole number, 0 or more' });
    else if (typeof unit === 'string' && Object.hasOwn(DURATION_UNITS, unit) && duration * DURATION_UNITS[unit as DurationUnit] > MAX_WAIT_MS) {
      errors.push({ attribute: `${at}.waitDuration`, reason: 'must wait at most ten years' });
    }
    return { kind: 'schedule', scheduleKind: 'relative', waitDuration: duration as number, waitDurationUnit: unit as DurationUnit };
  }
  errors.push({ attribute: `${at}.scheduleKind`, reason: 'must be absolute (with executionDate) or relative (with waitDuration and waitDurationUnit), unless executeNow is true' });
  return { kind: 'schedule' };
}

/**
 * A client's stages read and checked, every problem a 400 naming it (`stages[0].conditions[1].waitDuration`): the
 * conditions' shapes, their reviewers (members and teams that exist), the instructions (flag targeting instructions,
 * checked as a flag's semantic patch checks them; whether they apply to the flag is checked apart, by a dry run).
 */
export async function readStages(db: Db | Trx, value: unknown, attribute: string, reading: StageReading): Promise<StageSpec[]> {
  if (!Array.isArray(value) || value.length === 0) throw validationFailed([{ attribute, reason: 'must be a non-empty array of stages, each {"name": ..., "conditions": [...], "action": {"instructions": [...]}}' }]);
  if (value.length > MAX_STAGES) throw validationFailed([{ attribute, reason: `must have at most ${MAX_STAGES} stages` }]);
  const errors: FieldError[] = [];
  const shapes = value.map((raw, i) => {
    const at = `${attribute}[${i}]`;
    if (!isObject(raw)) {
      errors.push({ attribute: at, reason: 'must be an object {"name": ..., "conditions": [...], "action": {"instructions": [...]}}' });
      return undefined;
    }
    errors.push(...unknownFields(raw, STAGE_FIELDS, at, 'a workflow stage'));
    const named = textProblem(raw.name, `${at}.name`);
    if (named) errors.push(named);
    if (raw.executeConditionsInSequence !== undefined && typeof raw.executeConditionsInSequence !== 'boolean') errors.push({ attribute: `${at}.executeConditionsInSequence`, reason: 'must be a boolean' });
    const conditions = raw.conditions ?? [];
    if (!Array.isArray(conditions)) errors.push({ attribute: `${at}.conditions`, reason: 'must be an array of conditions' });
    else if (conditions.length > MAX_CONDITIONS) errors.push({ attribute: `${at}.conditions`, reason: `must have at most ${MAX_CONDITIONS} conditions` });
    const read = (Array.isArray(conditions) ? conditions.slice(0, MAX_CONDITIONS) : []).map((condition, j) => readConditionShape(condition, `${at}.conditions[${j}]`, reading, errors));
    const action = raw.action;
    if (!isObject(action)) errors.push({ attribute: `${at}.action`, reason: 'must be an object {"instructions": [...]}' });
    else {
      errors.push(...unknownFields(action, new Set(['kind', 'instructions']), `${at}.action`, "a stage's action"));
      if (action.kind !== undefined && action.kind !== 'patch') errors.push({ attribute: `${at}.action.kind`, reason: 'must be patch (the only kind of action)' });
    }
    return { raw, at, read };
  });
  if (errors.length > 0) throw validationFailed(errors);
  const stages: StageSpec[] = [];
  for (const shape of shapes) {
    const { raw, at, read } = shape!;
    const instructions = readScheduledInstructions((raw.action as Record<string, unknown>).instructions, `${at}.action.instructions`, TARGETING_INSTRUCTIONS, 'flag targeting instructions, such as [{"kind": "turnFlagOn"}]');
    const conditions: ConditionSpec[] = [];
    for (const [j, condition] of read.entries()) {
      const where = `${at}.conditions[${j}].`;
      if (condition.kind === 'ld-approval') {
        const input = (raw.conditions as Record<string, unknown>[])[j];
        conditions.push({ ...condition, notifyMemberIds: await readReviewers(db, input.notifyMemberIds, input.notifyTeamKeys, where), _id: objectId(reading.now) });
      } else conditions.push({ ...condition, _id: objectId(reading.now) });
    }
    stages.push({
      _id: objectId(reading.now),
      ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
      executeConditionsInSequence: raw.executeConditionsInSequence === true,
      conditions,
      instructions,
    });
  }
  return stages;
}

/** A condition's shape (its reviewers are read after): a schedule or an ld-approval. */
function readConditionShape(value: unknown, at: string, reading: StageReading, errors: FieldError[]): ScheduleSpec | ApprovalSpec {
  if (!isObject(value)) {
    errors.push({ attribute: at, reason: 'must be an object {"kind": "schedule" | "ld-approval", ...}' });
    return { kind: 'schedule' };
  }
  errors.push(...unknownFields(value, CONDITION_FIELDS, at, 'a workflow condition'));
  if (value.kind === 'schedule') return readSchedule(value, at, reading, errors);
  if (value.kind === 'ld-approval') {
    const described = textProblem(value.description, `${at}.description`);
    if (described) errors.push(described);
    if (value.integrationConfig !== undefined && value.integrationConfig !== null) errors.push({ attribute: `${at}.integrationConfig`, reason: 'is not supported: iterlab has no approval integrations (its approvals are LaunchDarkly approvals)' });
    return { kind: 'ld-approval', description: typeof value.description === 'string' ? value.description : '', notifyMemberIds: [] };
  }
  errors.push({
    attribute: `${at}.kind`,
    reason: value.kind === 'integration-approval' ? 'integration-approval cannot be used in custom workflows; use ld-approval' : 'must be schedule or ld-approval',
  });
  return { kind: 'schedule' };
}

/** What the create body says besides its stages: name, description, maintainer. */
export interface WorkflowFields {
  name?: string;
  description?: string;
  maintainerId?: string;
}

const WORKFLOW_FIELDS = new Set(['name', 'description', 'maintainerId', 'stages', 'templateKey', 'parameters']);

/** The create body's own fields, checked (a maintainer must be a member); `name` may be left to a template. */
export async function readWorkflowFields(db: Db | Trx, body: unknown): Promise<WorkflowFields & { input: Record<string, unknown> }> {
  const input = objectBody(body, '{"name": ..., "stages": [...]}');
  const errors = Object.keys(input)
    .filter((field) => !WORKFLOW_FIELDS.has(field))
    .map((field) => ({ attribute: field, reason: 'is not a field of a workflow' }));
  for (const problem of [input.name !== undefined ? textProblem(input.name, 'name', true) : undefined, textProblem(input.description, 'description')]) if (problem) errors.push(problem);
  if (input.maintainerId !== undefined && typeof input.maintainerId !== 'string') errors.push({ attribute: 'maintainerId', reason: 'must be a member _id' });
  else if (typeof input.maintainerId === 'string' && !(await findMember(db, input.maintainerId))) errors.push({ attribute: 'maintainerId', reason: `there is no member with _id "${input.maintainerId}"` });
  if (errors.length > 0) throw validationFailed(errors);
  return {
    input,
    ...(typeof input.name === 'string' ? { name: input.name } : {}),
    ...(typeof input.description === 'string' ? { description: input.description } : {}),
    ...(typeof input.maintainerId === 'string' ? { maintainerId: input.maintainerId } : {}),
  };
}

/**
 * The stages' instructions as one flag update, in order, and where each came from: a dry run of them all checks
 * every stage against the flag as the stages before it leave it.
 */
export function stagedInstructions(stages: readonly Pick<StageSpec, 'instructions'>[]): { instructions: Record<string, unknown>[]; origins: string[] } {
  const origins = stages.flatMap((stage, i) => stage.instructions.map((_, j) => `stages[${i}].action.instructions[${j}]`));
  return { instructions: stages.flatMap((stage) => stage.instructions), origins };
}

/** An error of the dry run of stagedInstructions, its attributes named after the stage instruction at fault. */
export function inStages(err: unknown, origins: readonly string[]): unknown {
  if (!(err instanceof ApiError) || !err.errors || err.statusCode !== 400) return err;
  return validationFailed(err.errors.map((e) => ({ ...e, attribute: e.attribute.replace(/^instructions\[(\d+)\]/, (whole, n: string) => origins[Number(n)] ?? whole) })));
}

/** The workflows of a flag in an environment, oldest first. */
export function workflowsOf(db: Db | Trx, flagId: string, environmentId: string): Promise<WorkflowRow[]> {
  return db.selectFrom('flag_workflows').selectAll().where('flag_id', '=', flagId).where('environment_id', '=', environmentId).orderBy('created_at').orderBy('id').execute();
}

/** One workflow of a flag in an environment (404 naming it when there is none); locked on PostgreSQL when `lock` names the store. */
export async function findWorkflow(db: Db | Trx, where: { flagId: string; environmentId: string; id: string }, lock?: Pick<Store, 'kind'>): Promise<WorkflowRow> {
  let query = db.selectFrom('flag_workflows').selectAll().where('id', '=', where.id).where('flag_id', '=', where.flagId).where('environment_id', '=', where.environmentId);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Workflow "${where.id}"`);
  return row;
}

/** LaunchDarkly's ConflictOutput: a stage to come that changes what something else to come changes. */
export interface WorkflowConflict {
  stageId: string;
  message: string;
}

/** The stages still to run of a workflow (none once it has stopped). */
function stagesToRun(doc: WorkflowDoc): { stage: WorkflowStage; index: number }[] {
  if (doc.execution.status !== 'active') return [];
  return doc.stages.map((stage, index) => ({ stage, index })).filter(({ stage }) => stage.execution.status === 'pending' || stage.execution.status === 'active');
}

function subjects(instructions: readonly Record<string, unknown>[]): Set<string> {
  return new Set(instructions.map(subjectOf));
}

/**
 * The workflow's stages to run that change what the flag's scheduled changes in the environment, or the stages to run
 * of its other workflows there, change too (in subjectOf's words).
 */
export function conflictsOf(id: string, doc: WorkflowDoc, schedules: readonly ScheduledChangeRow[], others: readonly WorkflowRow[]): WorkflowConflict[] {
  const theirs = [
    ...schedules.map((s) => ({ what: `scheduled change ${s.id} for ${new Date(Number(s.execution_date)).toISOString()}`, subjects: subjects((JSON.parse(s.doc) as { instructions: Record<string, unknown>[] }).instructions) })),
    ...others
      .filter((o) => o.id !== id)
      .flatMap((o) => {
        const other = workflowDoc(o);
        return stagesToRun(other).map(({ stage, index }) => ({ what: `stage "${stage.name ?? index + 1}" of workflow "${other.name}" (${o.id})`, subjects: subjects(stage.instructions) }));
      }),
  ];
  return stagesToRun(doc).flatMap(({ stage }) => {
    const mine = subjects(stage.instructions);
    return theirs.flatMap((other) => {
      const shared = [...other.subjects].filter((s) => mine.has(s));
      return shared.length === 0 ? [] : [{ stageId: stage._id, message: `${other.what} also changes the flag's ${shared.join(', ')}` }];
    });
  });
}
