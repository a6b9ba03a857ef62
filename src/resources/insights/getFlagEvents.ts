// GET /api/v2/engineering-insights/flag-events (beta) — the project's flag events in an environment (from the audit
// log of flag changes) in the window, newest first: filtered by applicationKey (flags those applications' SDKs
// evaluated), query (flag key), impactSize, hasExperiments and global; pages behind after/before; `expand=experiments`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readKnownExpand } from '../../http/links.js';
import { findMembers } from '../members/members.js';
import { IMPACT_SIZES, measuredEvents, representFlagEvent } from './flagEvents.js';
import { cursorLinks, cursorPage, readBoolean, readKeys, readLimit, readOption, readRequired, readText, readWindow, type Query } from './query.js';

const PATH = '/api/v2/engineering-insights/flag-events';

export function getFlagEvents(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>(PATH, { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    const projectKey = readRequired(query, 'projectKey');
    const environmentKey = readRequired(query, 'environmentKey');
    const filter = {
      applicationKeys: readKeys(query, 'applicationKey'),
      query: readText(query, 'query'),
      impactSize: readOption(query, 'impactSize', IMPACT_SIZES),
      hasExperiments: readBoolean(query, 'hasExperiments'),
      global: readOption(query, 'global', ['include', 'exclude'] as const, 'include'),
    };
    const expand = readKnownExpand(query, ['experiments'] as const);
    const limit = readLimit(query);
    const now = deps.now();
    const window = readWindow(query, now);
    const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    const db = deps.store.db;
    const measured = (await measuredEvents(db, project.key, environment, window, filter, now)).map((m) => ({ ...m, id: m.event.id }));
    const { page, ...cursors } = cursorPage(measured, query, limit);
    const members = await findMembers(db, page.flatMap((m) => (m.event.memberId ? [m.event.memberId] : [])));
    const place = { projectId: project.id, projectKey: project.key, environmentId: environment.id, environmentKey: environment.key };
    return {
      totalCount: measured.length,
      items: page.map((m) => representFlagEvent(m.event, place, { impact: m.impact, member: m.event.memberId ? members.get(m.event.memberId) : undefined, ...(expand.has('experiments') ? { experiments: m.experiments } : {}) })),
      _links: cursorLinks(PATH, query, cursors),
    };
  });
}
