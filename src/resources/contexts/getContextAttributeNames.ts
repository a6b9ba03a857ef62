// GET …/context-attributes — the attribute names of the environment's contexts, by kind, each with how many
// contexts have it (`weight`) and whether an SDK redacted it. `filter`: `kind equals …`, `name startsWith …`;
// `limit` (default and most 100) names per kind.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { filterMatches, parseFilterTree, type FilterClause } from '../../http/filter.js';
import { readPage } from '../../http/links.js';
import { attributeNames } from './attributes.js';
import { allInstances } from './records.js';
import { contextsOf } from './search.js';

interface Params {
  projectKey: string;
  environmentKey: string;
}

const FILTER_FIELDS = { kind: ['equals'], name: ['startsWith'] } as const;

export function getContextAttributeNames(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/context-attributes', async (request) => {
    const query = request.query as Record<string, unknown>;
    const filter = parseFilterTree(query.filter, FILTER_FIELDS, { colonForm: true });
    const { limit } = readPage({ limit: query.limit }, 100, 100);
    const { environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const names = attributeNames(contextsOf(await allInstances(deps.store, environment.id)));
    const passes = (clause: FilterClause, item: { kind: string; name: string }) =>
      clause.field === 'kind' ? clause.values.includes(item.kind) : clause.values.some((prefix) => item.name.startsWith(prefix) || item.name.slice(1).startsWith(prefix));
    const items = [...names].flatMap(([kind, counts]) => {
      const kept = counts.filter((count) => filterMatches(filter, { kind, name: count.name }, passes)).slice(0, limit);
      return kept.length > 0 ? [{ kind, names: kept.map((c) => ({ name: c.name, weight: c.weight, ...(c.redacted ? { redacted: true } : {}) })) }] : [];
    });
    return { items };
  });
}
