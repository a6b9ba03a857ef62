// GET /api/v2/projects/{projectKey}/ai-configs — the project's AI Configs, paged (20 a page by default), oldest
// first unless `sort` names key, name, createdAt or updatedAt (`-` for descending); `filter` takes query (in the key
// or name), tags (`+`-separated, all of them) and mode.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseFilter, parseSort } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { AI_CONFIGS_URL, listAIConfigs, maintainerOf, MODES, type LoadedAIConfig } from './model.js';
import { configsPath, representAIConfig, representAIConfigs } from './represent.js';

const FILTER_FIELDS = ['query', 'tags', 'mode'];
const SORT_FIELDS = ['key', 'name', 'createdAt', 'updatedAt'];

function predicates(filter: Map<string, string>): ((config: LoadedAIConfig) => boolean)[] {
  const out: ((config: LoadedAIConfig) => boolean)[] = [];
  const text = filter.get('query')?.toLowerCase();
  if (text) out.push(({ row, doc }) => row.key.toLowerCase().includes(text) || doc.name.toLowerCase().includes(text));
  const tags = (filter.get('tags') ?? '').split('+').filter((t) => t !== '');
  if (tags.length > 0) out.push(({ doc }) => tags.every((tag) => doc.tags.includes(tag)));
  const mode = filter.get('mode');
  if (mode !== undefined) {
    if (!(MODES as readonly string[]).includes(mode)) throw validationFailed([{ attribute: 'filter', reason: `mode must be one of ${MODES.join(', ')}, not "${mode}"` }]);
    out.push(({ doc }) => doc.mode === mode);
  }
  return out;
}

function compare(field: string): (a: LoadedAIConfig, b: LoadedAIConfig) => number {
  switch (field) {
    case 'key':
      return (a, b) => a.row.key.localeCompare(b.row.key);
    case 'name':
      return (a, b) => a.doc.name.localeCompare(b.doc.name) || a.row.key.localeCompare(b.row.key);
    case 'updatedAt':
      return (a, b) => a.doc.updatedAt - b.doc.updatedAt || a.row.key.localeCompare(b.row.key);
    default:
      return (a, b) => a.row.created_at - b.row.created_at || a.row.key.localeCompare(b.row.key);
  }
}

export function getAIConfigs(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(AI_CONFIGS_URL, async (request) => {
    const db = deps.store.db;
    const query = request.query;
    const page = readPage(query, 20);
    const filter = parseFilter(query.filter, FILTER_FIELDS);
    const sort = parseSort(query.sort, SORT_FIELDS, 'createdAt');
    const keep = predicates(filter);
    const project = await findProject(db, request.params.projectKey);
    const configs = (await listAIConfigs(db, project.id)).filter((config) => keep.every((p) => p(config))).sort(compare(sort.field));
    if (sort.descending) configs.reverse();
    const items = [];
    for (const config of configs.slice(page.offset, page.offset + page.limit)) items.push(representAIConfig(project.key, config, await maintainerOf(db, config.doc)));
    const carried = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    return representAIConfigs(items, configs.length, pageLinks(configsPath(project.key), page, configs.length, { filter: carried('filter'), sort: carried('sort') }));
  });
}
