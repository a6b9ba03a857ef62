// POST /api/v2/projects/{projectKey}/views (beta) — a new view in the project: 200 (as LaunchDarkly documents) with
// it, version 1, linking nothing yet. 409 when the project has a view with the key.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { lockProject } from '../projects/projects.js';
import { representOneView } from './answer.js';
import { requireMaintainer, ViewPost, type ViewDoc, type ViewRow } from './model.js';
import { viewAudit, viewPlace } from './represent.js';

export function createView(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: ViewPost }>('/api/v2/projects/:projectKey/views', { config: { beta: true }, schema: { body: ViewPost } }, async (request) => {
    const body = request.body;
    const project = await deps.catalog.project(request.params.projectKey);
    const now = deps.now();
    return conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          // A project deleted meanwhile is not given a view.
          await lockProject(trx, deps.store, project.id);
          await requireMaintainer(trx, body);
          const doc: ViewDoc = {
            description: body.description ?? '',
            generateSdkKeys: body.generateSdkKeys ?? false,
            tags: [...new Set(body.tags ?? [])],
            ...(body.maintainerId ? { maintainerId: body.maintainerId } : {}),
            ...(body.maintainerTeamKey ? { maintainerTeamKey: body.maintainerTeamKey } : {}),
            archived: false,
            version: 1,
            updatedAt: now,
          };
          const row: ViewRow = { id: objectId(now), project_id: project.id, key: body.key, name: body.name, doc: JSON.stringify(doc), created_at: now };
          await trx.insertInto('views').values(row).execute();
          const shown = await representOneView(trx, row, viewPlace(deps.accountId, project));
          await recordAudit(trx, request.actor, now, viewAudit(project.key, row, 'createView', `created the view ${row.name}`, { after: shown }));
          return shown;
        }),
      `A view with the key "${body.key}" already exists in project "${project.key}"`,
    );
  });
}
