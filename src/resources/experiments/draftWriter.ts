// Create iteration's writes: the calls that queue for one experiment share one transaction.
//
// Writes of one experiment run one at a time whatever we do (its row lock on PostgreSQL, the one writer on
// SQLite), so while one transaction of an experiment is on its way, the calls that arrive for it wait here and then
// go together: the experiment is read (and locked) once, the flags once, and of the drafts that would each replace
// the one before, only the last is stored; every call keeps its own iteration id and its own audit entry. The result
// is what running them one after another would leave, and each call is acknowledged only once it is committed.
import type { Actor } from '../../http/context.js';
import { invalidRequest } from '../../http/errors.js';
import type { Store, Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { recordAudits, type AuditEntry } from '../audit-log/record.js';
import type { EnvironmentRow } from '../environments/environments.js';
import type { ProjectRow } from '../projects/projects.js';
import { currentFlagTexts, flagsStillAsSeen, resolveIteration, storeLookups } from './iterationInput.js';
import { byArity, placeholders, statement } from '../../store/statements.js';
import { findExperiment, type IterationDoc } from './model.js';

// The status is a literal for the reason DRAFT_STATUS is (model.ts): bound, SQLite would recompile at every call.
const deleteDraft = statement(`delete from "iterations" where "experiment_id" = ? and "status" = 'not_started'`);
const insertIteration = statement('insert into "iterations" ("id", "experiment_id", "status", "doc", "created_at", "started_at") values (?, ?, ?, ?, ?, null)');
const insertRefs = byArity((n) => statement(`insert into "experiment_refs" ("experiment_id", "iteration_id", "kind", "key") values ${placeholders(n, '(?, ?, ?, ?)')}`));

/** Stores doc as the experiment's only draft, with the references list filters use; returns its id. */
export async function insertDraft(trx: Trx, experimentId: string, doc: IterationDoc, now: number, id = objectId(now)): Promise<string> {
  await deleteDraft.run(trx, [experimentId]);
  await insertIteration.run(trx, [id, experimentId, doc.status, JSON.stringify(doc), now]);
  const refs = [
    ...Object.keys(doc.flags).map((key) => ['flag', key]),
    ...doc.metrics.map((m) => [m.isGroup ? 'metric-group' : 'metric', m.key]),
  ];
  if (refs.length > 0) await insertRefs(refs.length).run(trx, refs.flatMap(([kind, key]) => [experimentId, id, kind, key]));
  return id;
}

export interface DraftCall {
  project: ProjectRow;
  environment: EnvironmentRow;
  experimentKey: string;
  /** The request body, validated again inside the transaction if the flags changed since `doc` was resolved. */
  body: unknown;
  /** The iteration as the validation resolved it. */
  doc: IterationDoc;
  /** The stored text of the flags that validation read, by key. */
  seenFlags: ReadonlyMap<string, string>;
  actor: Actor | undefined;
  now: number;
}

export interface DraftWritten {
  id: string;
  doc: IterationDoc;
  experimentId: string;
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
  /** Experiments with a PostgreSQL transaction on its way. */
  private readonly writing = new Set<string>();

  constructor(private readonly store: Store) {}

  /** Stores call's draft as its experiment's only one; resolves once committed, rejects having written nothing. */
  write(call: DraftCall): Promise<DraftWritten> {
    const key = `${call.environment.id}\u0000${call.experimentKey}`;
    return new Promise((resolve, reject) => {
      const waiting = this.waiting.get(key);
      if (waiting) {
        waiting.push({ call, resolve, reject });
        return;
      }
      this.waiting.set(key, [{ call, resolve, reject }]);
      // SQLite queues transactions itself (group commit): the calls gather while theirs waits in that queue. On
      // PostgreSQL a second transaction would wait for the experiment's row lock holding a pool connection, so one
      // goes at a time and the calls gather here meanwhile.
      if (this.store.kind === 'sqlite' || !this.writing.has(key)) void this.transaction(key);
    });
  }

  /** One transaction, which takes the experiment's waiting calls when it starts. */
  private async transaction(key: string): Promise<void> {
    this.writing.add(key);
    let batch: Waiting[] | undefined;
    const take = () => {
      batch = this.waiting.get(key) ?? [];
      this.waiting.delete(key);
      return batch;
    };
    try {
      const outcomes = await this.store.tx((trx) => writeDrafts(trx, this.store, take().map((w) => w.call)));
      batch!.forEach((w, i) => {
        const outcome = outcomes[i];
        if (outcome.ok) w.resolve(outcome.value);
        else w.reject(outcome.error);
      });
    } catch (error) {
      // Nothing was written; a transaction that never began took no calls, and those waiting fail with it.
      for (const w of batch ?? take()) w.reject(error);
    } finally {
      this.writing.delete(key);
      if (this.store.kind !== 'sqlite' && this.waiting.has(key)) void this.transaction(key);
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
  const written: { call: DraftCall; value: DraftWritten }[] = [];
  for (const call of calls) {
    let doc = call.doc;
    if (!flagsStillAsSeen(call.seenFlags, flagsNow)) {
      try {
        doc = await resolveIteration({ project, environment, prefix: '', now: call.now, lookups: storeLookups(trx, project.id, environment.id) }, call.body);
      } catch (error) {
        outcomes.push({ ok: false, error });
        continue;
      }
    }
    const value = { id: objectId(call.now), doc, experimentId: experiment.id };
    outcomes.push({ ok: true, value });
    written.push({ call, value });
  }
  if (written.length === 0) return outcomes;

  // Each draft would replace the one before it: only the last is left, so only the last is stored.
  const last = written[written.length - 1];
  await insertDraft(trx, experiment.id, last.value.doc, last.call.now, last.value.id);
  await recordAudits(
    trx,
    written.map(({ call, value }) => ({ actor: call.actor, now: call.now, entry: createdEntry(project.key, environment.key, experimentKey, experiment.name, value) })),
  );
  return outcomes;
}

function createdEntry(projectKey: string, environmentKey: string, experimentKey: string, name: string, written: DraftWritten): AuditEntry {
  return {
    kind: 'experiment',
    resource: `proj/${projectKey}:env/${environmentKey}:experiment/${experimentKey}`,
    action: 'createIteration',
    name,
    description: `created a new iteration of the experiment ${name}`,
    projectKey,
    after: { _id: written.id, ...written.doc },
  };
}
