// Create iteration's writes: the calls that queue for one experiment share one transaction.
//
// Writes of one experiment run one at a time whatever we do (its row lock on PostgreSQL, the one writer on
// SQLite), so while one transaction of an experiment is on its way, the calls that arrive for it wait here and then
// go together: the experiment is read (and locked) once, the flags once, and of the drafts that would each replace
// the one before, only the last is stored; every call keeps its own iteration id and its own audit entry. The result
// is what running them one after another would leave, and each call is acknowledged only once it is committed.
//
// The calls first go at once, off the transaction machinery: on PostgreSQL as one statement (iterlab_write_drafts,
// migration 003, which also carries the change notice for the other instances), on SQLite as a checked write on the
// writer thread (Store.writeOffThread). Either writes only if nothing the calls were validated against has changed;
// else the calls go as the transaction below, which validates again. Either way the writer publishes the change.
import type { Actor, ChangeNotice } from '../../http/context.js';
import { invalidRequest } from '../../http/errors.js';
import type { ChangeBus } from '../../store/changes.js';
import type { Store, Trx } from '../../store/db.js';
import type { CheckedWrite } from '../../store/sqliteThread.js';
import { objectId } from '../../store/ids.js';
import { auditInserts, auditValues, recordAudits, SerializedJson, type AuditEntry } from '../audit-log/record.js';
import type { EnvironmentRow } from '../environments/environments.js';
import type { ProjectRow } from '../projects/projects.js';
import { currentFlagTexts, flagsCheck, flagsStillAsSeen, resolveIteration, storeLookups, type StoredFlag } from './iterationInput.js';
import { byArity, placeholders, statement, type Statement } from '../../store/statements.js';
import { findExperiment, isBanditDoc, iterationRefs, type ExperimentRow, type IterationDoc } from './model.js';

// The status is a literal for the reason DRAFT_STATUS is (model.ts): bound, SQLite would recompile at every call.
const deleteDraftRefs = statement(
  `delete from "experiment_refs" where "iteration_id" in (select "id" from "iterations" where "experiment_id" = ? and "status" = 'not_started')`,
);
// A new draft takes the place of the one before in its row (the experiment's one draft, by iterations_one_draft):
// on SQLite an update in place writes the row's page and the id's index, where a delete and an insert also
// rewrote the draft indexes, a second table page and the free-page list (15 pages a commit -> 9).
const upsertDraft = statement(
  `insert into "iterations" ("id", "experiment_id", "status", "doc", "created_at", "started_at") values (?, ?, 'not_started', ?, ?, null) ` +
    `on conflict ("experiment_id") where "status" = 'not_started' do update set "id" = excluded."id", "doc" = excluded."doc", "created_at" = excluded."created_at"`,
);
const insertRefs = byArity((n) => statement(`insert into "experiment_refs" ("experiment_id", "iteration_id", "kind", "key") values ${placeholders(n, '(?, ?, ?, ?)')}`));

/**
 * Stores doc as the experiment's only draft, with the references list filters use; returns its id. `first`: the
 * experiment was inserted in this transaction, so it has no draft whose references need deleting (a round trip
 * fewer on PostgreSQL).
 */
export async function insertDraft(
  trx: Trx,
  experimentId: string,
  doc: IterationDoc,
  now: number,
  { id = objectId(now), text = JSON.stringify(doc), first = false }: { id?: string; text?: string; first?: boolean } = {},
): Promise<string> {
  for (const { statement: write, params } of draftWrites(experimentId, doc, text, now, id, !first)) await write.run(trx, params);
  return id;
}

/** The statements that make doc (whose JSON is text) the experiment's only draft (insertDraft, and SQLite's writer thread). */
function draftWrites(experimentId: string, doc: IterationDoc, text: string, now: number, id: string, replacing = true): { statement: Statement<never>; params: unknown[] }[] {
  const refs = iterationRefs(doc);
  return [
    // Before the draft's id changes: they reference it.
    ...(replacing ? [{ statement: deleteDraftRefs, params: [experimentId] }] : []),
    { statement: upsertDraft, params: [id, experimentId, text, now] },
    ...(refs.length > 0 ? [{ statement: insertRefs(refs.length), params: refs.flatMap(([kind, key]) => [experimentId, id, kind, key]) }] : []),
  ];
}

export interface DraftCall {
  project: ProjectRow;
  environment: EnvironmentRow;
  experimentKey: string;
  /** The experiment as read before the validation. */
  experiment: Pick<ExperimentRow, 'id' | 'name'>;
  /** The request body, validated again inside the transaction if the flags changed since `doc` was resolved. */
  body: unknown;
  /** The iteration as the validation resolved it. */
  doc: IterationDoc;
  /** The stored text of the flags that validation read, by key. */
  seenFlags: ReadonlyMap<string, StoredFlag>;
  actor: Actor | undefined;
  now: number;
}

export interface DraftWritten {
  id: string;
  doc: IterationDoc;
  experimentId: string;
}

/** A draft about to be written, with its JSON: serialized once for its row and its call's audit entry. */
interface DraftToWrite extends DraftWritten {
  text: string;
}

function toWrite(id: string, doc: IterationDoc, experimentId: string): DraftToWrite {
  return { id, doc, experimentId, text: JSON.stringify(doc) };
}

interface Waiting {
  call: DraftCall;
  resolve: (written: DraftWritten) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: DraftWritten } | { ok: false; error: unknown };

export class DraftWriter {
  /** Calls waiting for their experiment's transaction to take them, by experiment. */
  private readonly waiting = new Map<string, Waiting[]>();
  /** Experiments with a write on its way. */
  private readonly writing = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly bus: ChangeBus,
  ) {}

  /**
   * Stores call's draft as its experiment's only one; resolves once committed and published on the change bus,
   * rejects having written nothing.
   */
  write(call: DraftCall): Promise<DraftWritten> {
    const key = `${call.environment.id}\u0000${call.experimentKey}`;
    return new Promise((resolve, reject) => {
      const waiting = this.waiting.get(key);
      if (waiting) {
        waiting.push({ call, resolve, reject });
        return;
      }
      this.waiting.set(key, [{ call, resolve, reject }]);
      // The experiment's writes go one at a time (its row lock, SQLite's one writer): while one is on its way, the
      // calls gather here rather than each waiting for that lock on its own.
      if (!this.writing.has(key)) void this.transaction(key);
    });
  }

  /** One write of the experiment's waiting calls: at once if it can, else as a transaction. */
  private async transaction(key: string): Promise<void> {
    this.writing.add(key);
    const batch = this.waiting.get(key) ?? [];
    this.waiting.delete(key);
    const calls = batch.map((w) => w.call);
    try {
      let outcomes = await writeAtOnce(this.store, this.bus, calls);
      if (!outcomes) {
        outcomes = await this.store.tx((trx) => writeDrafts(trx, this.store, calls));
        const written = outcomes.find((outcome) => outcome.ok);
        if (written?.ok) this.bus.publish(draftChanged(calls[0], written.value.experimentId));
      }
      batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) w.resolve(outcome.value);
        else w.reject(outcome.error);
      });
    } catch (error) {
      // Nothing was written.
      for (const w of batch) w.reject(error);
    } finally {
      this.writing.delete(key);
      if (this.waiting.has(key)) void this.transaction(key);
    }
  }
}

/**
 * One transaction for calls on one experiment, in order. A call whose flags changed since its validation is
 * validated again here and may fail alone; a missing or archived experiment fails them all.
 */
async function writeDrafts(trx: Trx, store: Store, calls: DraftCall[]): Promise<Outcome[]> {
  if (calls.length === 0) return [];
  const { project, environment, experimentKey } = calls[0];
  const context = { projectKey: project.key, environmentKey: environment.key };
  const experiment = await findExperiment(trx, store, environment.id, experimentKey, context, true);
  if (experiment.archived_date !== null) {
    throw invalidRequest(`Experiment "${experimentKey}" is archived; restore it before creating iterations`, 'experimentKey');
  }
  const flagsNow = await currentFlagTexts(trx, project.id, environment.id, calls.flatMap((call) => [...call.seenFlags.keys()]));

  const outcomes: Outcome[] = [];
  const written: { call: DraftCall; value: DraftToWrite }[] = [];
  for (const call of calls) {
    let doc = call.doc;
    if (!flagsStillAsSeen(call.seenFlags, flagsNow)) {
      try {
        doc = await resolveIteration({ project, environment, prefix: '', now: call.now, bandit: isBanditDoc(experiment.doc), lookups: storeLookups(trx, project.id, environment.id) }, call.body);
      } catch (error) {
        outcomes.push({ ok: false, error });
        continue;
      }
    }
    const value = toWrite(objectId(call.now), doc, experiment.id);
    outcomes.push({ ok: true, value });
    written.push({ call, value });
  }
  if (written.length === 0) return outcomes;

  // Each draft would replace the one before it: only the last is left, so only the last is stored.
  const last = written[written.length - 1];
  await insertDraft(trx, experiment.id, last.value.doc, last.call.now, { id: last.value.id, text: last.value.text });
  await recordAudits(
    trx,
    written.map(({ call, value }) => ({ actor: call.actor, now: call.now, entry: createdEntry(project.key, environment.key, experimentKey, experiment.name, value) })),
  );
  return outcomes;
}

/** What a new draft changes, for the caches of every instance. */
function draftChanged(call: DraftCall, experimentId: string): ChangeNotice {
  return { kind: 'experiment', projectId: call.project.id, id: experimentId, part: 'draft' };
}

const writeDraftsStatement = statement<{ result: { outcome: 'written' | 'changed'; listeners?: string[] } }>('select iterlab_write_drafts(?::jsonb) as "result"');
const experimentAsSeen = statement('select "id", "name", "archived_date" from "experiments" where "id" = ?');

/** Calls folded into one write: what each writes, and what they all saw (undefined when they did not all see the same). */
interface Folded {
  first: DraftCall;
  flags: Map<string, StoredFlag>;
  written: DraftToWrite[];
  audits: { actor: Actor | undefined; now: number; entry: AuditEntry }[];
}

function fold(calls: DraftCall[]): Folded | undefined {
  const [first] = calls;
  const flags = new Map<string, StoredFlag>();
  for (const call of calls) {
    if (call.experiment.id !== first.experiment.id || call.experiment.name !== first.experiment.name) return undefined;
    for (const [key, seen] of call.seenFlags) {
      const other = flags.get(key);
      if (other && (other.doc !== seen.doc || other.config !== seen.config)) return undefined;
      flags.set(key, seen);
    }
  }
  const written = calls.map((call) => toWrite(objectId(call.now), call.doc, first.experiment.id));
  const audits = calls.map((call, i) => ({
    actor: call.actor,
    now: call.now,
    entry: createdEntry(first.project.key, first.environment.key, first.experimentKey, first.experiment.name, written[i]),
  }));
  return { first, flags, written, audits };
}

/**
 * The calls written at once, off the transaction machinery: as one statement on PostgreSQL, on the writer thread
 * on SQLite; only if the experiment and every flag are still as the calls saw them. Undefined when they are not
 * (nothing was written), when the calls did not all see the same, or when the store has no such way (in memory).
 */
async function writeAtOnce(store: Store, bus: ChangeBus, calls: DraftCall[]): Promise<Outcome[] | undefined> {
  if (store.kind === 'sqlite' && !store.writesOffThread) return undefined;
  const folded = fold(calls);
  if (!folded) return undefined;
  const { first, written } = folded;
  const notice = draftChanged(first, first.experiment.id);
  if (store.kind === 'postgres') {
    if (!(await writeOnPostgres(store, bus, folded, notice))) return undefined;
  } else {
    if (!(await store.writeOffThread(checkedWrite(folded)))) return undefined;
    bus.publish(notice);
  }
  return written.map((value) => ({ ok: true, value }));
}

/** iterlab_write_drafts (migration 003), which also carries the change notice to the other instances. */
async function writeOnPostgres(store: Store, bus: ChangeBus, { first, flags, written, audits }: Folded, notice: ChangeNotice): Promise<boolean> {
  const last = written[written.length - 1];
  const carried = bus.carry([notice]);
  const batch = {
    experimentId: first.experiment.id,
    experimentName: first.experiment.name,
    projectId: first.project.id,
    environmentId: first.environment.id,
    flags: [...flags].map(([key, { doc, config }]) => ({ key, doc, config })),
    draft: { id: last.id, doc: last.text, createdAt: audits[audits.length - 1].now, refs: iterationRefs(last.doc) },
    audits: audits.map(({ actor, now, entry }) => {
      const [id, date, member_id, token_id, kind, resource, project_key, doc] = auditValues(actor, now, entry);
      return { id, date, member_id, token_id, kind, resource, project_key, doc };
    }),
    notify: carried && { channel: carried.channel, payload: carried.payload, listenerPrefix: carried.listenerPrefix },
  };
  let result;
  try {
    [{ result }] = await writeDraftsStatement.run(store.db, [JSON.stringify(batch)]);
  } catch (error) {
    carried?.abandoned();
    throw error;
  }
  if (result.outcome !== 'written') {
    carried?.abandoned();
    return false;
  }
  if (carried) carried.committed(result.listeners ?? []);
  else bus.publish(notice);
  return true;
}

/** The same checks and statements as iterlab_write_drafts, for SQLite's writer thread. */
function checkedWrite({ first, flags, written, audits }: Folded): CheckedWrite {
  const { id: experimentId, name } = first.experiment;
  const last = written[written.length - 1];
  const now = audits[audits.length - 1].now;
  return {
    checks: [
      { sql: experimentAsSeen.sql, params: [experimentId], rows: [{ id: experimentId, name, archived_date: null }] },
      ...(flags.size > 0 ? [flagsCheck(first.project.id, first.environment.id, flags)] : []),
    ],
    writes: [...draftWrites(experimentId, last.doc, last.text, now, last.id), ...auditInserts(audits)].map(({ statement: write, params }) => ({ sql: write.sql, params })),
  };
}

function createdEntry(projectKey: string, environmentKey: string, experimentKey: string, name: string, written: DraftToWrite): AuditEntry {
  return {
    kind: 'experiment',
    resource: `proj/${projectKey}:env/${environmentKey}:experiment/${experimentKey}`,
    action: 'createIteration',
    name,
    description: `created a new iteration of the experiment ${name}`,
    projectKey,
    after: SerializedJson.withId(written.id, written.text),
  };
}
