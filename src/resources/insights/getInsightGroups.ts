// GET /api/v2/engineering-insights/insights/groups (beta) — the insight groups (of the projects a custom role may
// view): `query` on the name, `sort` name or -name (by name by default), pages of `limit` (1 to 20, 20 by default)
// from `offset`; `expand` scores, environment, and metadata (the groups counted by their overall indicator).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { pageLinks, readKnownExpand, readPage } from '../../http/links.js';
import { compareText } from '../../store/reads.js';
import { viewsProject } from '../custom-roles/access.js';
import { representExpandedGroup, placedGroups } from './groups.js';
import { readInteger, readOption, readText, type Query } from './query.js';

const PATH = '/api/v2/engineering-insights/insights/groups';
const COUNTED = ['excellent', 'good', 'fair', 'needsAttention', 'notCalculated', 'unknown'] as const;

export function getInsightGroups(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>(PATH, { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    readInteger(query, 'limit', 1, 20);
    const page = readPage(query, 20, 20);
    const sort = readOption(query, 'sort', ['name', '-name'] as const, 'name')!;
    const text = readText(query, 'query')?.toLowerCase();
    const expand = readKnownExpand(query, ['scores', 'environment', 'metadata'] as const);
    const db = deps.store.db;
    let groups = await placedGroups(db);
    if (request.actor?.policy) {
      const projects = await db.selectFrom('projects').select(['key', 'doc']).execute();
      const visible = new Set(projects.filter((p) => viewsProject(request.actor, p)).map((p) => p.key));
      groups = groups.filter((g) => visible.has(g.projectKey));
    }
    if (text) groups = groups.filter((g) => g.row.name.toLowerCase().includes(text));
    groups.sort((a, b) => (sort === 'name' ? 1 : -1) * (compareText(a.row.name.toLowerCase(), b.row.name.toLowerCase()) || compareText(a.row.key, b.row.key)));
    const now = deps.now();
    const scoring = new Set<string>(expand.has('metadata') ? [...expand, 'scores'] : expand);
    const shown = await Promise.all((expand.has('metadata') ? groups : groups.slice(page.offset, page.offset + page.limit)).map((g) => representExpandedGroup(db, g, scoring, now)));
    const items = (expand.has('metadata') ? shown.slice(page.offset, page.offset + page.limit) : shown).map(({ rep }) => {
      if (expand.has('scores')) return rep;
      const { scores: _scores, scoreMetadata: _meta, ...bare } = rep;
      return bare;
    });
    const body: Record<string, unknown> = {
      totalCount: groups.length,
      items,
      _links: pageLinks(PATH, page, groups.length, { query: text, sort: query.sort as string | undefined, expand: expand.size > 0 ? [...expand].join(',') : undefined }),
    };
    if (expand.has('metadata')) {
      const counts = Object.fromEntries(COUNTED.map((indicator) => [indicator, shown.filter((s) => s.overall === indicator).length]));
      body.metadata = { countByIndicator: { ...counts, total: groups.length } };
    }
    if (expand.has('scores') && shown[0]?.rep.scoreMetadata) body.scoreMetadata = shown[0].rep.scoreMetadata;
    return body;
  });
}
