// GET /api/v2/approval-requests/projects/{projectKey}/settings (beta) — the project's approval request settings by
// resource kind and environment, optionally of one environment or one kind.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { Db, Trx } from '../../store/db.js';
import { findEnvironment, listEnvironments } from '../environments/environments.js';
import { findProject, type ProjectRow } from '../projects/projects.js';
import { representApprovalRequestSettings } from './represent.js';
import { readSettingsQuery, type SettingsQuery } from './settings.js';

export const SETTINGS_URL = '/api/v2/approval-requests/projects/:projectKey/settings';

/** The project's settings as the query asks for them; an unknown `environmentKey` is a 404 naming it. */
export async function projectSettings(db: Db | Trx, project: ProjectRow, query: SettingsQuery): Promise<Record<string, unknown>> {
  const rows = query.environmentKey !== undefined ? [await findEnvironment(db, project.id, project.key, query.environmentKey)] : await listEnvironments(db, project.id);
  return representApprovalRequestSettings(query.resourceKinds, rows, query.withDefault);
}

export function getApprovalRequestSettings(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(SETTINGS_URL, { config: { beta: true } }, async (request) => {
    const query = readSettingsQuery(request.query);
    const project = await findProject(deps.store.db, request.params.projectKey);
    return projectSettings(deps.store.db, project, query);
  });
}
