// GET …/context-attributes/{attributeName} — the values an attribute (a name, or a JSON pointer such as
// `/address/city`) takes in the environment's contexts, by kind, each with how many contexts have it. `filter`:
// `kind equals …`, `value startsWith …`; `limit` (default 50, most 100) values per kind.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { filterMatches, parseFilterTree, type FilterClause } from '../../http/filter.js';
import { readPage } from '../../http/links.js';
import { attributeValues } from './attributes.js';
import { allInstances } from './records.js';
import { contextsOf } from './search.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  attributeName: string;
}

const FILTER_FIELDS = { kind: ['equals'], value: ['startsWith'] } as const;

export function getContextAttributeValues(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/context-attributes/:attributeName', async (request) => {
    const query = request.query as Record<string, unknown>;
    const filter = parseFilterTree(query.filter, FILTER_FIELDS, { colonForm: true });
    const { limit } = readPage({ limit: query.limit }, 50, 100);
    const { environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const values = attributeValues(contextsOf(await allInstances(deps.store, environment.id)), request.params.attributeName);
    const passes = (clause: FilterClause, item: { kind: string; value: unknown }) =>
      clause.field === 'kind' ? clause.values.includes(item.kind) : typeof item.value === 'string' && clause.values.some((prefix) => (item.value as string).startsWith(prefix));
    const items = [...values].flatMap(([kind, counts]) => {
      const kept = counts.filter((count) => filterMatches(filter, { kind, value: count.name }, passes)).slice(0, limit);
      return kept.length > 0 ? [{ kind, values: kept.map((c) => ({ name: c.name, weight: c.weight })) }] : [];
    });
    return { items };
  });
}
