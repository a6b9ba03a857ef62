// GET /api/v2/projects/{projectKey}/environments/{environmentKey}/sdk-active — `{active}`: whether any SDK (of the
// name, wrapper or purpose asked) was active in the environment in the last seven days, as iterlab saw its traffic.
// Not in LaunchDarkly's published specs; ldcli's `environments get-sdk-active` calls it (`sdk_name`,
// `sdk_wrapper_name`), and LaunchDarkly's API clients add `purpose` (`ai`).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { single, type Query } from './query.js';
import { ACTIVE_WINDOW_MS, activeMetrics, representSdkActive, showsSdk, type SdkActiveFilter } from './sdkActive.js';
import { countFacts } from './series.js';
import { hourOf } from './tally.js';

export function getSdkActive(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string }; Querystring: Query }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/sdk-active',
    async (request) => {
      const filter: SdkActiveFilter = {
        sdkName: single(request.query, 'sdk_name'),
        sdkWrapperName: single(request.query, 'sdk_wrapper_name'),
        ai: single(request.query, 'purpose') === 'ai',
      };
      const { environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const now = deps.now();
      // Counters are hourly: the hour seven days ago counts whole.
      const from = hourOf(now - ACTIVE_WINDOW_MS);
      // One metric at a time: the first that shows such an SDK answers.
      for (const metric of activeMetrics(filter)) {
        if (showsSdk(metric, await countFacts(deps.store.db, metric, from, now + 1, new Set([environment.id])), filter)) return representSdkActive(true);
      }
      return representSdkActive(false);
    },
  );
}
