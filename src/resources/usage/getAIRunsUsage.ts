// GET /api/v2/usage/ai-runs (beta) — AI runs: the generations LaunchDarkly's AI SDKs tracked through AI Configs (each
// `$ld:ai:generation:success` or `$ld:ai:generation:error` event they sent), by the SDK that sent them; filtered and
// grouped by project, environment and SDK name, version and type.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerCountUsage } from './counts.js';
import { METRIC } from './tally.js';

export function getAIRunsUsage(app: FastifyInstance, deps: Deps): void {
  registerCountUsage(app, deps, '/api/v2/usage/ai-runs', {
    metric: METRIC.aiRuns,
    // [sdkName, sdkVersion, sdkType]
    labels: (f, places) => ({ projectId: places.all.get(f.environmentId)?.projectId ?? '', environmentId: f.environmentId, sdkName: f.dims[0], sdkVersion: f.dims[1], sdkType: f.dims[2] }),
    groupable: ['projectId', 'environmentId', 'sdkName', 'sdkVersion', 'sdkType'],
    filters: { sdkName: 'sdkName', sdkVersion: 'sdkVersion', sdkType: 'sdkType' },
    value: (f) => f.count,
  });
}
