// What both metrics operations read: the config, the environment the query names, the config's tracked events there,
// (only those of one context when the query names one), and each variation's token prices (from its model config).
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findEnvironment } from '../environments/environments.js';
import { findProject } from '../projects/projects.js';
import { readAIEvents, readMetricsQuery, type AIEvent, type TokenCosts } from './metrics.js';
import { findAIConfig, modelConfigsOf, type ConfigParams, type LoadedAIConfig } from './model.js';

export interface MetricsScope {
  config: LoadedAIConfig;
  events: AIEvent[];
  costOf: (variationKey: string) => TokenCosts | undefined;
}

export async function metricsScope(deps: Deps, request: FastifyRequest<{ Params: ConfigParams; Querystring: Record<string, unknown> }>): Promise<MetricsScope> {
  const db = deps.store.db;
  const { from, to, env, context } = readMetricsQuery(request.query);
  const project = await findProject(db, request.params.projectKey);
  const config = await findAIConfig(db, project, request.params.configKey);
  const environment = await findEnvironment(db, project.id, project.key, env);
  const models = await modelConfigsOf(db, project.id, config.variations);
  const costs = new Map(
    config.variations.map((v) => {
      const model = v.doc.modelConfigKey !== undefined ? models.get(v.doc.modelConfigKey) : undefined;
      return [v.key, { input: model?.costPerInputToken, output: model?.costPerOutputToken }];
    }),
  );
  return { config, events: await readAIEvents(db, environment.id, config.row.key, from, to, context), costOf: (key) => costs.get(key) };
}
