// POST …/experiments/{experimentKey}/iterations — the founding endpoint: a new draft iteration (200 IterationRep).
// It replaces an unstarted draft (which is gone, not listed anywhere); a running or stopped iteration is untouched.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { invalidRequest } from '../../http/errors.js';
import type { Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { cachedLookups, resolveIteration, storeLookups } from './iterationInput.js';
import { byArity, placeholders, statement } from '../../store/statements.js';
import { findExperiment, type IterationDoc } from './model.js';
import { FULL_ITERATION, representIteration } from './represent.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  experimentKey: string;
}

// The status is a literal for the reason DRAFT_STATUS is (model.ts): bound, SQLite would recompile at every call.
const deleteDraft = statement(`delete from "iterations" where "experiment_id" = ? and "status" = 'not_started'`);
const insertIteration = statement('insert into "iterations" ("id", "experiment_id", "status", "doc", "created_at", "started_at") values (?, ?, ?, ?, ?, null)');
const insertRefs = byArity((n) => statement(`insert into "experiment_refs" ("experiment_id", "iteration_id", "kind", "key") values ${placeholders(n, '(?, ?, ?, ?)')}`));

/** Stores doc as the experiment's only draft, with the references list filters use. */
export async function insertDraft(trx: Trx, experimentId: string, doc: IterationDoc, now: number): Promise<string> {
  await deleteDraft.run(trx, [experimentId]);
  const id = objectId(now);
  await insertIteration.run(trx, [id, experimentId, doc.status, JSON.stringify(doc), now]);
  const refs = [
    ...Object.keys(doc.flags).map((key) => ['flag', key]),
    ...doc.metrics.map((m) => [m.isGroup ? 'metric-group' : 'metric', m.key]),
  ];
  if (refs.length > 0) await insertRefs(refs.length).run(trx, refs.flatMap(([kind, key]) => [experimentId, id, kind, key]));
  return id;
}

export function createIteration(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: Params }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/iterations',
    async (request) => {
      const { projectKey, environmentKey, experimentKey } = request.params;
      const now = deps.now();
      const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
      const context = { projectKey, environmentKey };
      // Validated before the transaction, from cached reads; the transaction then only checks that the flags are
      // still what the validation saw (else validates again, inside it), so the experiment is locked briefly.
      await findExperiment(deps.store.db, deps.store, environment.id, experimentKey, context);
      const lookups = cachedLookups(deps.catalog, deps.store.db, project.id, environment.id);
      const validated = await resolveIteration({ project, environment, prefix: '', now, lookups }, request.body);
      const result = await deps.store.tx(async (trx) => {
        const experiment = await findExperiment(trx, deps.store, environment.id, experimentKey, context, true);
        if (experiment.archived_date !== null) {
          throw invalidRequest(`Experiment "${experimentKey}" is archived; restore it before creating iterations`, 'experimentKey');
        }
        const doc = (await lookups.flagsUnchanged(trx))
          ? validated
          : await resolveIteration({ project, environment, prefix: '', now, lookups: storeLookups(trx, project.id, environment.id) }, request.body);
        const id = await insertDraft(trx, experiment.id, doc, now);
        await recordAudit(trx, request.actor, now, {
          kind: 'experiment',
          resource: `proj/${projectKey}:env/${environmentKey}:experiment/${experimentKey}`,
          action: 'createIteration',
          name: experiment.name,
          description: `created a new iteration of the experiment ${experiment.name}`,
          projectKey,
          after: { _id: id, ...doc },
        });
        return { id, doc, projectId: project.id, experimentId: experiment.id };
      });
      deps.changed({ kind: 'experiment', projectId: result.projectId, id: result.experimentId });
      return representIteration(projectKey, { id: result.id, doc: result.doc }, FULL_ITERATION);
    },
  );
}
