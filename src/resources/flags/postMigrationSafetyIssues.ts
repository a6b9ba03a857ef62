// POST /api/v2/projects/{projectKey}/flags/{flagKey}/environments/{environmentKey}/migration-safety-issues — the
// migration safety issues a semantic patch of the flag would cause in the environment: 200 with them, 204 when there
// are none. Issues come from moving a migration flag's cohorts between its stages (a step back from a stage where only
// the new system is written, a step over the stages that copy data), judged with the consistency, latency and error
// data of migration op events. iterlab does not judge them yet (the `migration_op` events SDKs send are stored raw
// and read by nothing): a flag that is not a migration flag has no stages, so its patches can cause none, and for a
// migration flag none is computed; both answer 204. The patch is still checked as patchFeatureFlag checks a semantic
// patch's instructions (a 400 naming what is wrong), and the project, environment and flag must exist (404).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { FLAG_INSTRUCTIONS } from './instructions.js';
import { loadFlag } from './model.js';

export function postMigrationSafetyIssues(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; flagKey: string; environmentKey: string } }>(
    '/api/v2/projects/:projectKey/flags/:flagKey/environments/:environmentKey/migration-safety-issues',
    // A question that changes nothing: readers may ask it.
    { config: { role: 'reader' } },
    async (request, reply) => {
      const { project } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      readSemanticPatch(request.body, FLAG_INSTRUCTIONS);
      const flag = await loadFlag(deps.store.db, project.id, request.params.flagKey);
      if (!flag) throw notFound(`Flag "${request.params.flagKey}" in project "${project.key}"`);
      // Not a migration flag: no stages for the patch to move its contexts between. A migration flag: not judged yet.
      return reply.code(204).send();
    },
  );
}
