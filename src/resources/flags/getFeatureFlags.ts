// GET /api/v2/flags/{projectKey} — list a project's flags: filter, sort, paging; environments only when asked for.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam, parseFilter, parseSort } from '../../http/filter.js';
import { pageLinks } from '../../http/links.js';
import { apiVersionOf, readVersionedPage, settlePage } from '../../http/apiVersion.js';
import type { MemberRow } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { flagsReleasedAlong } from '../releases/model.js';
import { FLAG_FILTER_FIELDS, flagPredicates } from './listFilter.js';
import { listFlagRows, loadConfigs, type FlagDoc, type FlagRow } from './model.js';
import { representFlag } from './represent.js';
import { environmentsFor, maintainerOf, readEnvironmentKeys, withConfigs } from './scope.js';

const SORT_FIELDS = ['creationDate', 'key', 'name', 'maintainerId'];

interface Listed {
  row: FlagRow;
  doc: FlagDoc;
}

function compare(field: string): (a: Listed, b: Listed) => number {
  switch (field) {
    case 'key':
      return (a, b) => a.row.key.localeCompare(b.row.key);
    case 'name':
      return (a, b) => a.row.name.localeCompare(b.row.name) || a.row.key.localeCompare(b.row.key);
    case 'maintainerId':
      return (a, b) => (a.doc.maintainerId ?? '').localeCompare(b.doc.maintainerId ?? '') || a.row.key.localeCompare(b.row.key);
    default:
      return (a, b) => a.row.created_at - b.row.created_at || a.row.key.localeCompare(b.row.key);
  }
}

export function getFeatureFlags(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/flags/:projectKey', async (request) => {
    const db = deps.store.db;
    const query = request.query as Record<string, unknown>;
    // API version 20240415 paginated this list (20 a page) and returns environments only when an environment is named.
    const current = apiVersionOf(request) >= 20240415;
    const requested = readVersionedPage(request, query, 20, 20240415);
    // releasePipeline is the list's own filter (it reads the releases), beside the ones the flags' filter applies.
    const filter = parseFilter(query.filter, [...FLAG_FILTER_FIELDS, 'releasePipeline']);
    const sort = parseSort(query.sort, SORT_FIELDS, 'creationDate');
    const summary = parseBooleanParam(query.summary, 'summary') ?? true;
    const keep = flagPredicates(query, filter);
    const project = await findProject(db, request.params.projectKey);
    const pipelineKey = filter.get('releasePipeline');
    const released = pipelineKey ? await flagsReleasedAlong(db, project.id, pipelineKey) : undefined;
    const envKeys = readEnvironmentKeys(query.env, filter.get('filterEnv'));
    const environments = envKeys || !current ? await environmentsFor(db, project, envKeys) : undefined;

    const flags = (await listFlagRows(db, project.id))
      .map((row) => ({ row, doc: JSON.parse(row.doc) as FlagDoc }))
      .filter((flag) => keep.every((p) => p(flag)) && (!released || released.has(flag.row.id)))
      .sort(compare(sort.field));
    if (sort.descending) flags.reverse();
    const page = settlePage(requested, flags.length);
    const shown = flags.slice(page.offset, page.offset + page.limit);
    const configs = environments ? await loadConfigs(db, shown.map((f) => f.row.id), environments.map((e) => e.id)) : undefined;
    const members = new Map<string, MemberRow | undefined>();
    const items = [];
    for (const { row, doc } of shown) {
      if (doc.maintainerId && !members.has(doc.maintainerId)) members.set(doc.maintainerId, await maintainerOf(db, doc));
      items.push(
        representFlag(project.key, {
          key: row.key,
          doc,
          environments: environments && configs ? withConfigs(environments, configs.get(row.id) ?? new Map()) : undefined,
          maintainer: doc.maintainerId ? members.get(doc.maintainerId) : undefined,
          summaryOnly: summary,
        }),
      );
    }
    const carried = (name: string) => {
      const value = query[name];
      return value === undefined ? undefined : Array.isArray(value) ? value.join(',') : String(value);
    };
    return {
      items,
      totalCount: flags.length,
      _links: pageLinks(`/api/v2/flags/${project.key}`, page, flags.length, {
        env: carried('env'),
        tag: carried('tag'),
        archived: carried('archived'),
        summary: carried('summary'),
        filter: carried('filter'),
        sort: carried('sort'),
      }),
    };
  });
}
