// POST …/experiments/{experimentKey}/iterations — the founding endpoint: a new draft iteration (200 IterationRep).
// It replaces an unstarted draft (which is gone, not listed anywhere); a running or stopped iteration is untouched.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { cachedLookups, resolveIteration } from './iterationInput.js';
import { DraftWriter } from './draftWriter.js';
import { findExperiment } from './model.js';
import { FULL_ITERATION, representIteration } from './represent.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  experimentKey: string;
}

export function createIteration(app: FastifyInstance, deps: Deps): void {
  const drafts = new DraftWriter(deps.store);
  app.post<{ Params: Params }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/iterations',
    async (request) => {
      const { projectKey, environmentKey, experimentKey } = request.params;
      const now = deps.now();
      const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
      // Validated before the transaction, from cached reads; the transaction then only checks that the flags are
      // still what the validation saw (else validates again, inside it), so the experiment is locked briefly.
      await findExperiment(deps.store.db, deps.store, environment.id, experimentKey, { projectKey, environmentKey });
      const lookups = cachedLookups(deps.catalog, deps.store.db, project.id, environment.id);
      const doc = await resolveIteration({ project, environment, prefix: '', now, lookups }, request.body);
      const written = await drafts.write({ project, environment, experimentKey, body: request.body, doc, seenFlags: lookups.seenFlags(), actor: request.actor, now });
      deps.changed({ kind: 'experiment', projectId: project.id, id: written.experimentId });
      return representIteration(projectKey, written, FULL_ITERATION);
    },
  );
}
