// The `filter` the AI library's lists take on their resources' keys (LaunchDarkly's grouped syntax): equals,
// notEquals, anyOf, startsWith, each with the values the operator takes; and on their tags (anyOf: any of them, as
// written). Shared by listAITools and listPromptSnippets.
import { validationFailed } from '../../http/errors.js';
import { filterClauses, parseFilterTree, type FilterClause, type FilterFields, type FilterTree } from '../../http/filter.js';

export const KEY_OPERATORS = ['equals', 'notEquals', 'anyOf', 'startsWith'] as const;

/** The fields the AI library's tagged resources are listed by. */
export const KEY_AND_TAGS_FIELDS = { key: KEY_OPERATORS, tags: ['anyOf'] } as const;

/** The query's filter on `fields`: a 400 naming `filter` when equals or notEquals is given other than one value. */
export function readListFilter(raw: unknown, fields: FilterFields): FilterTree | undefined {
  const filter = parseFilterTree(raw, fields);
  const several = filterClauses(filter).find((clause) => (clause.op === 'equals' || clause.op === 'notEquals') && clause.values.length !== 1);
  if (several) throw validationFailed([{ attribute: 'filter', reason: `the field "${several.field}" takes one value with ${several.op}; use anyOf for several` }]);
  return filter;
}

/** Whether a key passes a clause on it. Keys are matched as written: LaunchDarkly's keys are case-sensitive. */
export function keyPasses(clause: FilterClause, key: string): boolean {
  if (clause.op === 'startsWith') return clause.values.some((prefix) => key.startsWith(prefix));
  return clause.values.includes(key) === (clause.op !== 'notEquals');
}

/** Whether a resource of `key` holding `tags` passes a clause on its key or its tags. */
export function keyOrTagsPass(clause: FilterClause, key: string, tags: readonly string[] | undefined): boolean {
  if (clause.field !== 'tags') return keyPasses(clause, key);
  return clause.values.some((tag) => (tags ?? []).includes(tag));
}
