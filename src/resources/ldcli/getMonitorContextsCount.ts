// GET /internal/projects/{projectKey}/flags/{flagKey}/monitor/contextsCount?from&to&filter=env equals {env},
// contextKind equals {kind} — ldcli's `flags usage --exposures`: how many unique contexts of a kind were exposed to
// the flag in the environment over [from, to) (Unix ms; the last seven days when left out). Not in LaunchDarkly's
// specs; ldcli reads `data.totalUniqueContexts` and `data.isSampled`. A context counts once, by its key of that kind,
// from the full evaluation events SDKs send for the flag (`feature` and `debug`: a flag that tracks events, an
// experiment's or a guarded rollout's); summary events carry counts, not contexts. Every event kept is counted, so
// the figure is never sampled.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseEpochMillisParam } from '../../http/filter.js';
import { contextKeyOf } from '../../sdk/postEvents.js';
import { monitorScope } from './monitor.js';

const WEEK_MS = 7 * 24 * 3_600_000;

export function getMonitorContextsCount(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; flagKey: string }; Querystring: { filter?: string; from?: string; to?: string } }>(
    '/internal/projects/:projectKey/flags/:flagKey/monitor/contextsCount',
    async (request) => {
      const to = parseEpochMillisParam(request.query.to, 'to') ?? deps.now();
      const from = parseEpochMillisParam(request.query.from, 'from') ?? to - WEEK_MS;
      if (from > to) throw validationFailed([{ attribute: 'from', reason: `must not be after to (${to})` }]);
      const { environment, flagKey, contextKind } = await monitorScope(deps, request.params, request.query.filter, true);
      const rows = await deps.store.db
        .selectFrom('sdk_events')
        .select('context_keys')
        .distinct()
        .where('environment_id', '=', environment.id)
        .where('kind', 'in', ['feature', 'debug'])
        .where('key', '=', flagKey)
        .where('creation_date', '>=', from)
        .where('creation_date', '<', to)
        .where('context_keys', 'is not', null)
        .execute();
      const keys = new Set<string>();
      for (const row of rows) {
        const key = contextKeyOf(row.context_keys, contextKind!);
        if (key !== undefined) keys.add(key);
      }
      return { data: { totalUniqueContexts: keys.size, isSampled: false } };
    },
  );
}
