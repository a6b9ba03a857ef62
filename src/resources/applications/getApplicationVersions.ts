// GET /api/v2/applications/{applicationKey}/versions (beta) — an application's versions: filter on key, name,
// autoAdded and supported, sort on name or creationDate, pages of 50 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { listPage } from './listing.js';
import { findApplication, listApplicationVersions } from './model.js';
import { representApplicationVersion, versionsPath } from './represent.js';

const FIELDS = { operators: { supported: ['equals', 'notEquals'] }, choices: {} } as const;

export function getApplicationVersions(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { applicationKey: string }; Querystring: Record<string, unknown> }>('/api/v2/applications/:applicationKey/versions', { config: { beta: true } }, async (request) => {
    const application = await findApplication(deps.store.db, request.params.applicationKey);
    const load = async () =>
      (await listApplicationVersions(deps.store.db, application.key)).map((row) => ({
        row,
        key: row.key,
        name: row.name,
        autoAdded: row.auto_added === 1,
        creationDate: Number(row.created_at),
        fields: { supported: row.supported === 1 },
      }));
    return listPage(request.query, versionsPath(application.key), FIELDS, 50, load, (page) => page.map((item) => representApplicationVersion(item.row)));
  });
}
