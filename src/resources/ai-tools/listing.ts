// What the two tool lists (listAITools, listAIToolVersions) share: `sort` over a few fields (`-` for descending,
// comma-separated), ties broken by key then version so that pages never overlap, and the page with the collection's
// `_links` and `totalCount`.
import { compareBy, parseSortList } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import type { Db } from '../../store/db.js';
import { compareText } from '../../store/reads.js';
import { maintainerViews } from './maintainer.js';
import { toolDoc, type ShownTool } from './model.js';
import { representTool } from './represent.js';

/** How each sortable field reads a listed tool version. */
export type SortFields<F extends string> = Record<F, (item: ShownTool) => string | number>;

/** The page of `items` the query asks for, sorted, each shown as an AITool; `params` are carried into the links. */
export async function toolPage<F extends string>(
  db: Db,
  projectKey: string,
  query: Record<string, unknown>,
  path: string,
  fields: SortFields<F>,
  defaultSort: F,
  items: ShownTool[],
  params: Record<string, string | undefined> = {},
): Promise<{ _links: unknown; items: unknown[]; totalCount: number }> {
  const page = readPage(query, 20);
  const sort = parseSortList(query.sort, Object.keys(fields) as F[], defaultSort);
  const bySort = compareBy<ShownTool, F>(sort, (item, field) => fields[field](item));
  const sorted = [...items].sort((a, b) => bySort(a, b) || compareText(a.tool.key, b.tool.key) || a.version.version - b.version.version);
  const shown = sorted.slice(page.offset, page.offset + page.limit);
  const views = await maintainerViews(db, shown.map((item) => toolDoc(item.tool).maintainer));
  return {
    _links: pageLinks(path, page, sorted.length, { ...params, sort: query.sort as string | undefined }),
    items: shown.map((item) => representTool(projectKey, item.tool, item.version, views(toolDoc(item.tool).maintainer))),
    totalCount: sorted.length,
  };
}
