// GET /api/v2/engineering-insights/charts/flags/stale (beta) — the project's stale flags in the environment now:
// temporary flags launched or inactive there (ready for code removal), of the maintainers asked; one series, or one
// per maintainer (`groupBy=maintainer`: a member's id or a team's key, "none" for flags without one);
// `expand=metrics` grades flag health (the temporary flags not stale).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readKnownExpand } from '../../http/links.js';
import { representChart } from './charts.js';
import { chartMetric, flagHealth, flagHealthIn, type FlagHealthRow } from './indicators.js';
import { readKeys, readOption, readRequired, type Query } from './query.js';

const maintainerOf = (flag: FlagHealthRow) => flag.doc.maintainerId ?? flag.doc.maintainerTeamKey ?? 'none';

export function getStaleFlagsChart(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>('/api/v2/engineering-insights/charts/flags/stale', { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    const projectKey = readRequired(query, 'projectKey');
    const environmentKey = readRequired(query, 'environmentKey');
    const applications = readKeys(query, 'applicationKey');
    const groupBy = readOption(query, 'groupBy', ['maintainer'] as const);
    const members = readKeys(query, 'maintainerId');
    const teams = readKeys(query, 'maintainerTeamKey');
    const expand = readKnownExpand(query, ['metrics'] as const);
    const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    const now = deps.now();
    let flags = await flagHealthIn(deps.store.db, project.id, environment, now, applications);
    if (members || teams) flags = flags.filter((f) => (members?.includes(f.doc.maintainerId ?? '') ?? false) || (teams?.includes(f.doc.maintainerTeamKey ?? '') ?? false));
    const stale = flags.filter((f) => f.stale);
    const groups = groupBy ? [...new Set(stale.map(maintainerOf))].sort() : ['staleFlags'];
    const series = groups.map((name) => {
      const count = groupBy ? stale.filter((f) => maintainerOf(f) === name).length : stale.length;
      return { name, count, data: [{ x: now, y: count }] };
    });
    return representChart(
      'staleFlags',
      { x: 'timestamp', y: 'count' },
      { staleFlags: stale.length, temporaryFlags: flags.filter((f) => f.doc.temporary).length, totalFlags: flags.length, staleFlagKeys: stale.map((f) => f.key) },
      series,
      expand.has('metrics') ? { flagHealth: chartMetric('flagHealth', flagHealth(flags)) } : undefined,
    );
  });
}
