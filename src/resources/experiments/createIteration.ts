// POST …/experiments/{experimentKey}/iterations — the founding endpoint: a new draft iteration (200 IterationRep).
// It replaces an unstarted draft (which is gone, not listed anywhere); a running or stopped iteration is untouched.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { invalidRequest, validationFailed } from '../../http/errors.js';
import { isHoldoutBase } from '../holdouts/model.js';
import { resolveCached } from './iterationInput.js';
import { DraftWriter } from './draftWriter.js';
import { changedFlagsReason } from './lifecycle.js';
import { isBanditDoc } from './model.js';
import { FULL_ITERATION, representIteration } from './represent.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  experimentKey: string;
}

export function createIteration(app: FastifyInstance, deps: Deps): void {
  const drafts = new DraftWriter(deps.store, deps.bus);
  app.post<{ Params: Params }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/iterations',
    async (request) => {
      const { projectKey, environmentKey, experimentKey } = request.params;
      const now = deps.now();
      const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
      // Validated before the write, from cached reads; the write then only checks that the experiment and the flags
      // are still what the validation saw (else validates again, inside it), so the experiment is locked briefly.
      const experiment = await deps.catalog.experiment(environment.id, experimentKey, { projectKey, environmentKey });
      // An archived experiment takes no iteration, whatever the body (the write checks again, under the lock).
      if (experiment.archived_date !== null) throw invalidRequest(`Experiment "${experimentKey}" is archived; restore it before creating iterations`, 'experimentKey');
      // A holdout's base experiment keeps the iteration its holdout was designed with.
      if (isHoldoutBase(experiment.doc)) {
        throw invalidRequest(`experiment "${experimentKey}" is the base experiment of holdout "${experimentKey}"; its iteration cannot be replaced`, 'experimentKey');
      }
      const { doc, seenFlags } = await resolveCached(deps.catalog, deps.store.db, { project, environment, prefix: '', now, bandit: isBanditDoc(experiment.doc) }, request.body);
      const flagsRefused = changedFlagsReason(await deps.catalog.flagsRunOn(experiment.id), Object.keys(doc.flags));
      if (flagsRefused) throw validationFailed([{ attribute: 'flags', reason: flagsRefused }]);
      // The writer publishes the change (on PostgreSQL within the write itself), as deps.changed would.
      const written = await drafts.write({ project, environment, experimentKey, experiment, body: request.body, doc, seenFlags, actor: request.actor, now });
      return representIteration(projectKey, written, FULL_ITERATION, isBanditDoc(experiment.doc));
    },
  );
}
