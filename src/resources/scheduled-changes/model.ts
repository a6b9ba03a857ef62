// Scheduled changes: a flag's semantic-patch instructions, to be applied to its targeting in one environment at a
// date by the job in execute.ts. Two schedules of one flag and environment conflict when they change the same thing
// (its on/off, a rule, the targets...).
import { ApiError, notFound, validationFailed } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { FlagScheduledChangesTable } from '../../store/schema.js';
import { FLAG_INSTRUCTIONS } from '../flags/instructions.js';

export type ScheduledChangeRow = FlagScheduledChangesTable;

export interface ScheduledChangeDoc {
  instructions: Record<string, unknown>[];
  comment?: string;
  maintainerId: string;
  /** The service token that created the schedule or last changed it, when one did (2026-07 `_maintainerServiceTokenId`). */
  maintainerServiceTokenId?: string;
  version: number;
}

/** The `maintainerServiceTokenId` a write by `actor` records: its token's id when that is a service token. */
export function serviceTokenOf(actor: { serviceToken: boolean; tokenId: string } | undefined): { maintainerServiceTokenId?: string } {
  return actor?.serviceToken ? { maintainerServiceTokenId: actor.tokenId } : {};
}

export function scheduledChangeDoc(row: Pick<ScheduledChangeRow, 'doc'>): ScheduledChangeDoc {
  return JSON.parse(row.doc) as ScheduledChangeDoc;
}

/** A schedule as the audit log keeps it: its id, date and doc. */
export function auditedSchedule(row: ScheduledChangeRow): Record<string, unknown> {
  return { _id: row.id, executionDate: Number(row.execution_date), ...scheduledChangeDoc(row) };
}

/** Every flag instruction but deleteFlag: a schedule changes a flag, it does not remove it. */
const { deleteFlag: _delete, ...SCHEDULABLE } = FLAG_INSTRUCTIONS;

/**
 * Instructions a schedule may hold (or, with `kinds`, an approval request), checked as a flag's semantic patch
 * checks them (their applying to the flag is checked apart, by a dry run); problems are named under `attribute`
 * (`instructions`, `instructions[0].value`).
 */
export function readScheduledInstructions(
  value: unknown,
  attribute: string,
  kinds: Parameters<typeof readSemanticPatch>[1] = SCHEDULABLE,
  example = 'flag instructions, such as [{"kind": "turnFlagOn"}]',
): Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0) throw validationFailed([{ attribute, reason: `must be a non-empty array of ${example}` }]);
  try {
    readSemanticPatch({ instructions: value }, kinds);
  } catch (err) {
    if (!(err instanceof ApiError) || !err.errors) throw err;
    throw validationFailed(err.errors.map((e) => ({ attribute: e.attribute.replace(/^instructions/, attribute), reason: e.reason })));
  }
  return value as Record<string, unknown>[];
}

/** What an instruction changes, in words: two schedules that change the same thing conflict. */
export function subjectOf(instruction: Record<string, unknown>): string {
  const kind = String(instruction.kind);
  if (kind === 'turnFlagOn' || kind === 'turnFlagOff') return 'targeting on or off';
  if (typeof instruction.ruleId === 'string') return `rule ${instruction.ruleId}`;
  if (/Rules?$/.test(kind)) return 'rules';
  if (/Targets$/.test(kind)) return 'individual targets';
  if (/Prerequisites?$/.test(kind)) return 'prerequisites';
  if (kind === 'updateFallthroughVariationOrRollout') return 'default rule';
  if (kind === 'updateOffVariation') return 'off variation';
  return kind;
}

export interface Conflict {
  _id: string;
  executionDate: number;
  reason: string;
}

/** The other schedules of the same flag and environment that change something these instructions change. */
export function conflictsOf(instructions: Record<string, unknown>[], others: ScheduledChangeRow[]): Conflict[] {
  const mine = new Set(instructions.map(subjectOf));
  return others.flatMap((other) => {
    const shared = [...new Set(scheduledChangeDoc(other).instructions.map(subjectOf))].filter((s) => mine.has(s));
    return shared.length === 0 ? [] : [{ _id: other.id, executionDate: Number(other.execution_date), reason: `it also changes the flag's ${shared.join(', ')}` }];
  });
}

/** The 409 of a schedule that conflicts with others, unless `ignoreConflicts=true` was asked. */
export function refuseConflicts(conflicts: Conflict[], query: unknown): void {
  const ignore = (query as { ignoreConflicts?: unknown } | undefined)?.ignoreConflicts;
  if (ignore !== undefined && ignore !== 'true' && ignore !== 'false') throw validationFailed([{ attribute: 'ignoreConflicts', reason: 'must be true or false' }]);
  if (conflicts.length === 0 || ignore === 'true') return;
  const list = conflicts.map((c) => `${c._id} at ${new Date(c.executionDate).toISOString()} (${c.reason})`).join('; ');
  throw new ApiError(409, 'conflict', `These instructions conflict with other scheduled changes of the flag in this environment: ${list}. Send ignoreConflicts=true to schedule them anyway`);
}

/** The latest time a JavaScript Date holds (year 275760). */
const MAX_DATE = 8.64e15;

/** The problem with an execution date, if any: a time to come, in epoch milliseconds. */
export function executionDateProblem(value: unknown, now: number, attribute: string): { attribute: string; reason: string } | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_DATE) return { attribute, reason: 'must be a date in Unix milliseconds' };
  if (value <= now) return { attribute, reason: `must be in the future (it is ${new Date(value).toISOString()}, and now is ${new Date(now).toISOString()})` };
  return undefined;
}

/** The schedules of a flag in an environment, soonest first. */
export function schedulesOf(db: Db | Trx, flagId: string, environmentId: string): Promise<ScheduledChangeRow[]> {
  return db.selectFrom('flag_scheduled_changes').selectAll().where('flag_id', '=', flagId).where('environment_id', '=', environmentId).orderBy('execution_date').orderBy('id').execute();
}

/** One schedule of a flag in an environment (404 naming it when there is none); locked on PostgreSQL when `lock` names the store. */
export async function findScheduledChange(db: Db | Trx, where: { flagId: string; environmentId: string; id: string }, lock?: Pick<Store, 'kind'>): Promise<ScheduledChangeRow> {
  let query = db.selectFrom('flag_scheduled_changes').selectAll().where('id', '=', where.id).where('flag_id', '=', where.flagId).where('environment_id', '=', where.environmentId);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Scheduled change "${where.id}"`);
  return row;
}
