// POST /api/v2/projects/{projectKey}/flags/{flagKey}/environments/{environmentKey}/migration-safety-issues — the
// migration safety issues a semantic patch of the flag would cause in the environment: 200 with them, 204 when there
// are none. The patch is applied as patchFeatureFlag would apply it in that environment, on a dry run: every check
// it would meet is met here (a 400 naming what is wrong, a 404 for an unknown project, environment or flag), and
// nothing is written. The issues are judged from the stages the change moves contexts between (migrationSafety.ts);
// a flag that is not a migration flag has no stages, so its patches cause none.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { isObject } from '../../http/patch/jsonPatch.js';
import { SEMANTIC_PATCH_TYPE } from '../../http/patch/semanticPatch.js';
import { commitFlagUpdate } from './commitUpdate.js';
import { isMigrationFlag } from './migration.js';
import { migrationSafetyIssues, type MigrationSafetyIssue } from './migrationSafety.js';
import { parseFlagUpdate } from './update.js';

export function postMigrationSafetyIssues(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; flagKey: string; environmentKey: string } }>(
    '/api/v2/projects/:projectKey/flags/:flagKey/environments/:environmentKey/migration-safety-issues',
    // A question that changes nothing: readers may ask it.
    { config: { role: 'reader' } },
    async (request, reply) => {
      const { projectKey, flagKey, environmentKey } = request.params;
      const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
      // The path names the environment the instructions act in (LaunchDarkly's body for this call has no
      // environmentKey); one given in the body too must be the same.
      const body = request.body;
      if (isObject(body) && body.environmentKey !== undefined && body.environmentKey !== environmentKey) {
        throw validationFailed([{ attribute: 'environmentKey', reason: `must be the environment the path names, "${environmentKey}", or be left out` }]);
      }
      const update = parseFlagUpdate(isObject(body) ? { ...body, environmentKey } : body, SEMANTIC_PATCH_TYPE);
      let issues: MigrationSafetyIssue[] = [];
      await commitFlagUpdate(deps, {
        project,
        flagKey,
        update,
        actor: request.actor,
        dryRun: true,
        inspect: (before, after) => {
          const [was, now] = [before.configs.get(environment.id), after.configs.get(environment.id)];
          if (isMigrationFlag(before.doc) && was && now) issues = migrationSafetyIssues(before.doc, was, now);
        },
      });
      if (issues.length === 0) return reply.code(204).send();
      return issues;
    },
  );
}
