// GET /api/v2/templates — the account's workflow templates, oldest first: `search` keeps those whose name or
// description holds it (any case), `summary=true` leaves out their stages. A custom-role token sees those made for
// the projects it may view.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam, queryText } from '../../http/filter.js';
import { projectViewer } from '../custom-roles/access.js';
import { representTemplates } from './represent.js';
import { templateDoc, TEMPLATES_URL } from './templates.js';

export function getWorkflowTemplates(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Record<string, unknown> }>(TEMPLATES_URL, async (request) => {
    const summary = parseBooleanParam(request.query.summary, 'summary') ?? false;
    const search = queryText(request.query.search)?.toLowerCase();
    const views = await projectViewer(deps.store.db, request.actor);
    const rows = await deps.store.db.selectFrom('workflow_templates').selectAll().orderBy('created_at').orderBy('id').execute();
    const shown = rows.filter((row) => {
      const doc = templateDoc(row);
      if (views && !views(doc.source.projectKey)) return false;
      return search === undefined || [doc.name, doc.description].some((text) => text?.toLowerCase().includes(search));
    });
    return representTemplates(shown, summary);
  });
}
