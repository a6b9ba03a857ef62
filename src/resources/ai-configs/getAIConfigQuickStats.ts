// GET /api/v2/projects/{projectKey}/ai-configs/quick-stats?env — the project's AI Configs at a glance in one
// environment, computed from what iterlab stores: the configs the SDKs evaluated there in the past seven days, the
// running experiments on a config's flag there, the share of thumbs up among the AI SDKs' feedback events of the past
// seven days, and the month's spend as the token events since the start of the month (UTC) priced by each variation's
// model config (null when no event has a price). `quick-stats` is a static segment beside `{configKey}`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { queryText } from '../../http/filter.js';
import type { Db } from '../../store/db.js';
import { findEnvironment, type EnvironmentRow } from '../environments/environments.js';
import { flagRequestsIn, STATUS_WINDOW_MS } from '../flags/flagStatus.js';
import { findProject } from '../projects/projects.js';
import { readAIEventsOf, summarize, type ConfigAIEvent, type TokenCosts } from './metrics.js';
import { AI_CONFIGS_URL, listAIConfigs, modelConfigsOf, type LoadedAIConfig } from './model.js';
import { representQuickStats, type QuickStats } from './represent.js';

/** The running experiments of the environment whose running iteration experiments on one of `flagKeys`. */
async function runningExperimentsOn(db: Db, environment: EnvironmentRow, flagKeys: ReadonlySet<string>): Promise<number> {
  if (flagKeys.size === 0) return 0;
  const rows = await db
    .selectFrom('experiment_refs as r')
    .innerJoin('iterations as i', 'i.id', 'r.iteration_id')
    .innerJoin('experiments as e', 'e.id', 'r.experiment_id')
    .select('e.id')
    .distinct()
    .where('e.environment_id', '=', environment.id)
    .where('e.archived_date', 'is', null)
    .where('i.status', '=', 'running')
    .where('r.kind', '=', 'flag')
    .where('r.key', 'in', [...flagKeys])
    .execute();
  return rows.length;
}

/** What a token of each config's variation costs, by its model config's list prices. */
async function tokenCosts(db: Db, projectId: string, configs: readonly LoadedAIConfig[]): Promise<(configKey: string, variationKey: string) => TokenCosts | undefined> {
  const models = await modelConfigsOf(db, projectId, configs.flatMap((c) => c.variations));
  const costs = new Map<string, TokenCosts>();
  for (const config of configs) {
    for (const v of config.variations) {
      const model = v.doc.modelConfigKey !== undefined ? models.get(v.doc.modelConfigKey) : undefined;
      costs.set(`${config.row.key}\u0000${v.key}`, { input: model?.costPerInputToken, output: model?.costPerOutputToken });
    }
  }
  return (configKey, variationKey) => costs.get(`${configKey}\u0000${variationKey}`);
}

/** The events grouped by the config they name (only the project's configs). */
function byConfig(events: readonly ConfigAIEvent[], keys: ReadonlySet<string>): Map<string, ConfigAIEvent[]> {
  const out = new Map<string, ConfigAIEvent[]>();
  for (const e of events) if (keys.has(e.configKey)) out.set(e.configKey, [...(out.get(e.configKey) ?? []), e]);
  return out;
}

export function getAIConfigQuickStats(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(`${AI_CONFIGS_URL}/quick-stats`, async (request) => {
    const env = queryText(request.query.env);
    if (env === undefined || env === '') throw validationFailed([{ attribute: 'env', reason: 'must be present (an environment key)' }]);
    const db = deps.store.db;
    const now = deps.now();
    const project = await findProject(db, request.params.projectKey);
    const environment = await findEnvironment(db, project.id, project.key, env);
    const configs = await listAIConfigs(db, project.id);
    const keys = new Set(configs.map((c) => c.row.key));

    const requests = await flagRequestsIn(db, environment.id);
    const activeConfigs = [...keys].filter((key) => {
      const request = requests.get(key);
      return request !== undefined && now - Number(request.last_requested) < STATUS_WINDOW_MS;
    }).length;

    const weekAgo = now - STATUS_WINDOW_MS;
    const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), 1);
    const feedback = byConfig(await readAIEventsOf(db, environment.id, ['thumbsUp', 'thumbsDown'], weekAgo, now + 1), keys);
    const tokens = byConfig(await readAIEventsOf(db, environment.id, ['inputTokens', 'outputTokens'], monthStart, now + 1), keys);
    const costOf = await tokenCosts(db, project.id, configs);

    let thumbsUp = 0;
    let thumbsDown = 0;
    for (const events of feedback.values()) {
      const metrics = summarize(events, () => undefined);
      thumbsUp += metrics.thumbsUp;
      thumbsDown += metrics.thumbsDown;
    }
    let spend: number | null = null;
    for (const [configKey, events] of tokens) {
      const metrics = summarize(events, (variationKey) => costOf(configKey, variationKey));
      for (const cost of [metrics.inputCost, metrics.outputCost]) if (cost !== undefined) spend = (spend ?? 0) + cost;
    }

    const stats: QuickStats = {
      activeConfigs,
      activeExperiments: await runningExperimentsOn(db, environment, keys),
      averageSatisfaction7D: thumbsUp + thumbsDown > 0 ? thumbsUp / (thumbsUp + thumbsDown) : null,
      spendMonthToDate: spend === null ? null : Number(spend.toPrecision(12)),
    };
    return representQuickStats(stats);
  });
}
