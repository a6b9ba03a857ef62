// GET /api/v2/projects/{projectKey}/ai-configs/{configKey}/variations/{variationKey} — every version of the variation, oldest first.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { findProject } from '../projects/projects.js';
import { AI_CONFIG_URL, findAIConfig, variationVersions, type ConfigParams } from './model.js';
import { representVariationVersions } from './represent.js';

export function getAIConfigVariation(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ConfigParams & { variationKey: string } }>(`${AI_CONFIG_URL}/variations/:variationKey`, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const config = await findAIConfig(db, project, request.params.configKey);
    const versions = await variationVersions(db, config.row.id, request.params.variationKey);
    if (versions.length === 0) throw notFound(`Variation "${request.params.variationKey}" of AI Config "${config.row.key}"`);
    return representVariationVersions(project.key, config.row.key, versions);
  });
}
