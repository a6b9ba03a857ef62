// GET /api/v2/engineering-insights/insights/scores (beta) — the scores of a project's environment (and applications)
// over the last 30 days, beside the 30 days before (InsightScores). An unknown project or environment is a 400.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError, validationFailed } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { readKeys, readRequired, type Query } from './query.js';
import { scoresFor } from './scores.js';

export function getInsightsScores(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/engineering-insights/insights/scores', { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    const projectKey = readRequired(query, 'projectKey');
    const environmentKey = readRequired(query, 'environmentKey');
    const applicationKeys = readKeys(query, 'applicationKey');
    // The operation's documented errors have no 404: an unknown project or environment is a 400 naming the parameter.
    const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey).catch((err: unknown) => {
      if (err instanceof ApiError && err.statusCode === 404) throw validationFailed([{ attribute: err.message.startsWith('Project') ? 'projectKey' : 'environmentKey', reason: err.message }]);
      throw err;
    });
    const scored = await scoresFor(deps.store.db, { projectId: project.id, projectKey: project.key, environment, applicationKeys }, deps.now());
    return { ...scored, _links: { self: link('/api/v2/engineering-insights/insights/scores') } };
  });
}
