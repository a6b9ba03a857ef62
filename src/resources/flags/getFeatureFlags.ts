// GET /api/v2/flags/{projectKey} — list a project's flags: filter, sort, paging; environments only when asked for.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseBooleanParam, parseFilter, parseSortList, type SortKey } from '../../http/filter.js';
import { pageLinks } from '../../http/links.js';
import { apiVersionOf, readVersionedPage, settlePage } from '../../http/apiVersion.js';
import type { MemberRow } from '../members/members.js';
import { codeRefStatistics, type FlagStatistic } from '../code-refs/statistics.js';
import { findProject } from '../projects/projects.js';
import { flagsReleasedAlong } from '../releases/model.js';
import { codeReferencesOf, evaluatedKindsOf, loadFlagExpansions, readFlagExpand } from './expansions.js';
import { FLAG_FACT_FILTER_FIELDS, flagFactsFilter } from './listFacts.js';
import { FLAG_FILTER_FIELDS, flagPredicates } from './listFilter.js';
import { checkLegacyFilter, FLAG_LEGACY_FILTER_FIELDS, legacyFilter } from './listLegacyFilters.js';
import { listFlagRows, loadConfigs, type FlagDoc, type FlagRow } from './model.js';
import { representFlag, type MaintainerTeam } from './represent.js';
import { environmentsFor, maintainerOf, maintainerTeamOf, readEnvironmentKeys, withConfigs } from './scope.js';

const SORT_FIELDS = ['creationDate', 'key', 'name', 'maintainerId', 'tags', 'type', 'targetingModifiedDate'] as const;
type SortField = (typeof SORT_FIELDS)[number];

interface Listed {
  row: FlagRow;
  doc: FlagDoc;
}

/** One field's order, ascending; `modified` holds the sorting environment's targeting times (targetingModifiedDate). */
function compareField(field: SortField, modified: Map<string, number>): (a: Listed, b: Listed) => number {
  switch (field) {
    case 'key':
      return (a, b) => a.row.key.localeCompare(b.row.key);
    case 'name':
      return (a, b) => a.row.name.localeCompare(b.row.name);
    case 'maintainerId':
      return (a, b) => (a.doc.maintainerId ?? '').localeCompare(b.doc.maintainerId ?? '');
    case 'tags': {
      // By the flag's tags in order, read as one list: untagged flags first.
      const text = (flag: Listed) => [...flag.doc.tags].sort().join('\u0000');
      return (a, b) => text(a).localeCompare(text(b));
    }
    case 'type':
      // By the type's name: permanent, then temporary.
      return (a, b) => Number(a.doc.temporary) - Number(b.doc.temporary);
    case 'targetingModifiedDate':
      return (a, b) => (modified.get(a.row.id) ?? 0) - (modified.get(b.row.id) ?? 0);
    default:
      return (a, b) => a.row.created_at - b.row.created_at;
  }
}

/** The sort list's order, then the key (in the last field's direction), so that equal flags keep one order. */
function compare(sort: readonly SortKey<SortField>[], modified: Map<string, number>): (a: Listed, b: Listed) => number {
  const fields = sort.map(({ field, descending }) => ({ order: compareField(field, modified), sign: descending ? -1 : 1 }));
  const tie = sort[sort.length - 1].descending ? -1 : 1;
  return (a, b) => {
    for (const { order, sign } of fields) {
      const found = order(a, b);
      if (found !== 0) return found * sign;
    }
    return a.row.key.localeCompare(b.row.key) * tie;
  };
}

export function getFeatureFlags(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/flags/:projectKey', async (request) => {
    const db = deps.store.db;
    const query = request.query as Record<string, unknown>;
    // API version 20240415 paginated this list (20 a page) and returns environments only when an environment is named.
    const current = apiVersionOf(request) >= 20240415;
    const requested = readVersionedPage(request, query, 20, 20240415);
    // releasePipeline, and what listFacts.ts reads, are the list's own filters, beside the ones the flags' filter applies.
    // Before API version 20240415 the list also took the filters of listLegacyFilters.ts.
    const filter = parseFilter(query.filter, [...FLAG_FILTER_FIELDS, 'releasePipeline', ...FLAG_FACT_FILTER_FIELDS, ...(current ? [] : FLAG_LEGACY_FILTER_FIELDS)]);
    checkLegacyFilter(filter);
    const sort = parseSortList(query.sort, SORT_FIELDS, 'creationDate');
    const byTargeting = sort.some((s) => s.field === 'targetingModifiedDate');
    if (byTargeting && sort.length > 1) throw validationFailed([{ attribute: 'sort', reason: 'targetingModifiedDate cannot be combined with another sort field' }]);
    const sortEnvKey = readEnvironmentKeys(query.env)?.[0];
    if (byTargeting && !sortEnvKey) throw validationFailed([{ attribute: 'sort', reason: 'targetingModifiedDate needs the env parameter: the environment whose targeting changes it sorts by' }]);
    // API version 20191212 made summaries the default ("equivalent to setting summary=true"); before it, full
    // targeting.
    const summary = parseBooleanParam(query.summary, 'summary') ?? apiVersionOf(request) >= 20191212;
    // `compare` (before API version 20240415: only flags that differ between environments) is checked, not acted on.
    parseBooleanParam(query.compare, 'compare');
    const expand = readFlagExpand(query);
    const now = deps.now();
    // The code references' statistics, read once for the filter and the expansion when both ask for them.
    let statistics: Promise<FlagStatistic[]> | undefined;
    const readStatistics = () => (statistics ??= codeRefStatistics(db));
    const keep = flagPredicates(query, filter);
    const project = await findProject(db, request.params.projectKey);
    const pipelineKey = filter.get('releasePipeline');
    const released = pipelineKey ? await flagsReleasedAlong(db, project.id, pipelineKey) : undefined;
    const envKeys = readEnvironmentKeys(query.env, filter.get('filterEnv'));
    const environments = envKeys || !current ? await environmentsFor(db, project, envKeys) : undefined;
    const readsFacts = FLAG_FACT_FILTER_FIELDS.some((field) => filter.has(field));
    const readsLegacy = FLAG_LEGACY_FILTER_FIELDS.some((field) => filter.has(field));
    // Every environment, read once: the list's own environments already are when none was named (API versions before 20240415).
    const allEnvironments = readsFacts || readsLegacy || byTargeting ? (environments && !envKeys ? environments : await environmentsFor(db, project)) : [];
    const filterEnvKey = filter.get('filterEnv');
    const filterEnvironment = filterEnvKey ? allEnvironments.find((env) => env.key === filterEnvKey) : undefined;
    const facts = readsFacts ? await flagFactsFilter(db, project, allEnvironments, filterEnvironment, filter, { now, statistics: readStatistics }) : undefined;

    const matching = (await listFlagRows(db, project.id))
      .map((row) => ({ row, doc: JSON.parse(row.doc) as FlagDoc }))
      .filter((flag) => keep.every((p) => p(flag)) && (!released || released.has(flag.row.id)) && (!facts || facts(flag.row.key)));
    const legacy = await legacyFilter(db, matching, filter, filterEnvironment, allEnvironments, now);
    const listed = legacy ? matching.filter((flag) => legacy.has(flag.row.id)) : matching;
    const modified = new Map<string, number>();
    if (byTargeting) {
      const sortEnv = allEnvironments.find((env) => env.key === sortEnvKey)!;
      const configs = await loadConfigs(db, listed.map((f) => f.row.id), [sortEnv.id]);
      for (const [flagId, byEnv] of configs) {
        const config = byEnv.get(sortEnv.id);
        if (config) modified.set(flagId, config.lastModified);
      }
    }
    const flags = listed.sort(compare(sort, modified));
    const page = settlePage(requested, flags.length);
    const shown = flags.slice(page.offset, page.offset + page.limit);
    const configs = environments ? await loadConfigs(db, shown.map((f) => f.row.id), environments.map((e) => e.id)) : undefined;
    const expansions = await loadFlagExpansions(db, expand, project, environments ?? [], shown.map((f) => f.row.key), now, readStatistics);
    const members = new Map<string, MemberRow | undefined>();
    const teams = new Map<string, MaintainerTeam | undefined>();
    const items = [];
    for (const { row, doc } of shown) {
      if (doc.maintainerId && !members.has(doc.maintainerId)) members.set(doc.maintainerId, await maintainerOf(db, doc));
      if (doc.maintainerTeamKey && !teams.has(doc.maintainerTeamKey)) teams.set(doc.maintainerTeamKey, await maintainerTeamOf(db, doc));
      items.push(
        representFlag(project.key, {
          key: row.key,
          doc,
          environments: environments && configs ? withConfigs(environments, configs.get(row.id) ?? new Map(), evaluatedKindsOf(expansions, row.key)) : undefined,
          maintainer: doc.maintainerId ? members.get(doc.maintainerId) : undefined,
          maintainerTeam: doc.maintainerTeamKey ? teams.get(doc.maintainerTeamKey) : undefined,
          summaryOnly: summary,
          codeReferences: codeReferencesOf(expansions, row.key),
          migrationSettings: expand.has('migrationSettings'),
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
        expand: carried('expand'),
      }),
    };
  });
}
