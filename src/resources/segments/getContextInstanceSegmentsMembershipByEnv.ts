// POST /api/v2/projects/{projectKey}/environments/{environmentKey}/segments/evaluate — for a context (the body),
// whether it is in each segment of the environment, and why: targeted individually or by a rule.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { contextOfBody } from '../contexts/context.js';
import { bigSegmentMembership, bigSegmentRefs } from './bigSegments.js';
import { membership } from './membership.js';
import { listSegments } from './model.js';
import { segmentPath } from './represent.js';

export function getContextInstanceSegmentsMembershipByEnv(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; environmentKey: string } }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/segments/evaluate',
    // It reads: a reader may ask.
    { config: { role: 'reader' } },
    async (request) => {
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const kinds = contextOfBody(request.body);
      const segments = await listSegments(deps.store.db, environment.id);
      const lookup = new Map(segments.map(({ row, doc }) => [row.key, doc]));
      const big = { membership: await bigSegmentMembership(deps.store.db, bigSegmentRefs(segments), kinds), consulted: false };
      return {
        items: segments.map(({ row, doc }) => ({
          name: doc.name,
          key: row.key,
          description: doc.description ?? '',
          unbounded: doc.unbounded === true,
          // No segment of iterlab's is synced from another tool.
          external: '',
          ...membership(row.key, doc, kinds, lookup, undefined, big),
          _links: { self: link(segmentPath(project.key, environment.key, row.key)) },
        })),
        _links: { self: link(`/api/v2/projects/${project.key}/environments/${environment.key}/segments/evaluate`) },
      };
    },
  );
}
