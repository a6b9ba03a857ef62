// What the two snippet lists (listPromptSnippets, listPromptSnippetVersions) share: the page the query asks for
// (20 by default), each item shown as a PromptSnippet with its snippet's maintainer, with the collection's `_links`
// and `totalCount`.
import { pageLinks, readPage } from '../../http/links.js';
import type { Db } from '../../store/db.js';
import { maintainerViews } from '../ai-tools/maintainer.js';
import { snippetDoc, type ShownSnippet } from './model.js';
import { representSnippet } from './represent.js';

/** The page of `items` (in the order given) the query asks for; `params` are carried into the links. */
export async function snippetPage(
  db: Db,
  projectKey: string,
  query: Record<string, unknown>,
  path: string,
  items: readonly ShownSnippet[],
  params: Record<string, string | undefined> = {},
): Promise<{ _links: unknown; items: unknown[]; totalCount: number }> {
  const page = readPage(query, 20);
  const shown = items.slice(page.offset, page.offset + page.limit);
  const views = await maintainerViews(db, shown.map((item) => snippetDoc(item.snippet).maintainer));
  return {
    _links: pageLinks(path, page, items.length, params),
    items: shown.map((item) => representSnippet(projectKey, item.snippet, item.version, views(snippetDoc(item.snippet).maintainer))),
    totalCount: items.length,
  };
}
