// GET /internal/projects/{projectKey}/flags/{flagKey}/monitor/contextKinds?filter=env equals {env} — ldcli's
// `flags usage --exposures` asks which context kinds evaluated the flag in the environment, then counts each kind's
// unique contexts (getMonitorContextsCount.ts). Not in LaunchDarkly's specs; ldcli reads `data.contextKinds`. The
// kinds are those the SDKs' events reported evaluating the flag in the past 30 days (as the flag list's
// `contextKindsEvaluated`), sorted.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { kindsEvaluated } from '../../sdk/evaluatedKinds.js';
import { monitorScope } from './monitor.js';

export function getMonitorContextKinds(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; flagKey: string }; Querystring: { filter?: string } }>(
    '/internal/projects/:projectKey/flags/:flagKey/monitor/contextKinds',
    async (request) => {
      const { environment, flagKey } = await monitorScope(deps, request.params, request.query.filter, false);
      const kinds = await kindsEvaluated(deps.store.db, [environment.id], deps.now(), { flagKeys: [flagKey] });
      return { data: { contextKinds: kinds.get(environment.id)?.get(flagKey) ?? [] } };
    },
  );
}
