// PATCH /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey} — change a segment: semantic patch, JSON merge patch or
// JSON Patch; a targeting change where the environment requires segment approvals is a 405 (gate.ts).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam } from '../../http/filter.js';
import { commitSegmentUpdate } from './commitUpdate.js';
import { parseSegmentUpdate } from './update.js';

export function patchSegment(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; environmentKey: string; segmentKey: string } }>(
    '/api/v2/segments/:projectKey/:environmentKey/:segmentKey',
    async (request) => {
      // LaunchDarkly's `dryRun=true`: answer with the segment as the patch would leave it, and write nothing.
      const dryRun = parseBooleanParam((request.query as Record<string, unknown>).dryRun, 'dryRun') ?? false;
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const update = parseSegmentUpdate(request.body, request.headers['content-type'], environment.key);
      return commitSegmentUpdate(deps, { project, environment, segmentKey: request.params.segmentKey, update, actor: request.actor, dryRun, requireApproval: true });
    },
  );
}
