// POST /api/v2/projects/{projectKey}/environments/{environmentKey}/flags/evaluate — every flag's value for a context
// (the body) and why, evaluated as the server-side SDKs evaluate the flags iterlab serves them; `filter`, `sort`,
// `limit` (-1, the default: all) and `offset`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { compareBy, filterMatches, parseFilterTree, parseSortList, type FilterClause } from '../../http/filter.js';
import { link, readPage, siteLink } from '../../http/links.js';
import { loadEvaluation, withBigSegmentMembership } from '../../sdk/environmentData.js';
import { evaluate, type Reason, type SdkFlagModel } from '../../sdk/evaluation.js';
import { listFlagRows, type FlagDoc } from '../flags/model.js';
import { contextOfBody } from './context.js';

const FILTER_FIELDS = { query: ['equals'], tags: ['contains'] } as const;
const SORT_FIELDS = ['key', 'name'] as const;

interface Listed {
  key: string;
  name: string;
  tags: string[];
  model: SdkFlagModel;
}

function passes(clause: FilterClause, flag: Listed): boolean {
  if (clause.field === 'query') {
    const needle = clause.values.join(',').toLowerCase();
    return flag.key.toLowerCase().includes(needle) || flag.name.toLowerCase().includes(needle);
  }
  // tags contains [...]: the flag has all of them.
  return clause.values.every((tag) => flag.tags.includes(tag));
}

/** LaunchDarkly's reason, with `ruleID` spelled as this operation's schema spells it. */
function restReason(reason: Reason): Record<string, unknown> {
  if (reason.kind !== 'RULE_MATCH') return reason;
  const { ruleId, ...rest } = reason;
  return { ...rest, ruleID: ruleId };
}

export function evaluateContextInstance(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; environmentKey: string }; Querystring: Record<string, unknown> }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/flags/evaluate',
    // It reads: a reader may ask.
    { config: { role: 'reader' } },
    async (request) => {
      const query = request.query;
      // `limit` -1, the default, is every flag.
      const page = readPage(String(query.limit).trim() === '-1' ? { ...query, limit: undefined } : query, Number.MAX_SAFE_INTEGER);
      const filter = parseFilterTree(query.filter, FILTER_FIELDS);
      const sort = parseSortList(query.sort, SORT_FIELDS, 'key');
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const kinds = contextOfBody(request.body);

      const db = deps.store.db;
      const [loaded, rows] = await Promise.all([loadEvaluation(db, environment.id), listFlagRows(db, project.id)]);
      const data = await withBigSegmentMembership(db, loaded.data, kinds);
      const models = data.flags;

      // Archived flags are not served to SDKs, so they have no value here either.
      const listed: Listed[] = rows.flatMap((row) => {
        const model = models.get(row.key);
        return model ? [{ key: row.key, name: row.name, tags: (JSON.parse(row.doc) as FlagDoc).tags, model }] : [];
      });
      const matching = listed.filter((flag) => filterMatches(filter, flag, passes));
      matching.sort(compareBy(sort, (flag, field) => flag[field]));
      const pageItems = matching.slice(page.offset, page.offset + page.limit);
      const self = `/api/v2/projects/${project.key}/environments/${environment.key}/flags/evaluate`;
      return {
        items: pageItems.map((flag) => {
          const result = evaluate(flag.model, kinds, data);
          return {
            name: flag.name,
            key: flag.key,
            _value: result.value,
            reason: restReason(result.reason),
            _links: { self: link(self), site: siteLink(`/${project.key}/${environment.key}/features/${flag.key}/targeting`) },
          };
        }),
        totalCount: matching.length,
        _links: { self: link(self) },
      };
    },
  );
}
