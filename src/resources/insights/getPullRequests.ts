// GET /api/v2/engineering-insights/pull-requests (beta) — the pull requests the project's deployment events named (in
// an environment's deployments when environmentKey is given), once each per application and number, with the latest
// details reported; `deployed` once a deployment carrying one finished. Filtered by applicationKey, status and query
// (title or author), in the window by merge (else creation) time, newest first or by lead time (`sort`, which needs
// environmentKey); pages behind after/before; `expand` deployments, flagReferences, leadTime.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { readKnownExpand } from '../../http/links.js';
import { deploymentDoc, flagReferencesOf, pullRequestId, pullRequestStages, representDeployment, representPullRequest, type DeploymentRow, type PullRequestInput } from './deployments.js';
import { cursorLinks, cursorPage, readKeys, readLimit, readOption, readRequired, readText, readWindow, type Query } from './query.js';

const PATH = '/api/v2/engineering-insights/pull-requests';
const STATUSES = ['open', 'merged', 'closed', 'deployed'] as const;

interface Gathered {
  id: string;
  pr: PullRequestInput;
  applicationKey: string;
  deployments: DeploymentRow[];
}

const avg = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / values.length);

/** PullRequestLeadTimeRep over the finished deployments that carried it. */
function leadTimeOf(g: Gathered): Record<string, number> {
  const finished = g.deployments.filter((d) => d.status === 'finished');
  const stages = finished.map((d) => pullRequestStages(g.pr, d, deploymentDoc(d)));
  const coding = g.pr.firstCommitTime !== undefined ? Math.max(0, g.pr.createTime - g.pr.firstCommitTime) : 0;
  const out: Record<string, number> = { codingDurationMs: coding };
  if (g.pr.mergeTime !== undefined) out.reviewDurationMs = Math.max(0, g.pr.mergeTime - g.pr.createTime);
  const pairs = [['waitDurationMs', 'WaitDurationMs'], ['deployDurationMs', 'DeployDurationMs'], ['totalLeadTimeMs', 'TotalLeadTimeMs']] as const;
  for (const [stage, name] of pairs) {
    const values = stages.flatMap((s) => (s[stage] !== undefined ? [s[stage]!] : []));
    if (values.length === 0) continue;
    out[`max${name}`] = Math.max(...values);
    out[`avg${name}`] = avg(values);
  }
  return out;
}

export function getPullRequests(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Query }>(PATH, { config: { beta: true, validationErrors: true } }, async (request) => {
    const query = request.query;
    const projectKey = readRequired(query, 'projectKey');
    const environmentKey = readText(query, 'environmentKey');
    const applications = readKeys(query, 'applicationKey');
    const status = readOption(query, 'status', STATUSES);
    const text = readText(query, 'query')?.toLowerCase();
    const limit = readLimit(query);
    const expand = readKnownExpand(query, ['deployments', 'flagReferences', 'leadTime'] as const);
    const sort = readOption(query, 'sort', ['leadTime', '-leadTime'] as const);
    if (sort && !environmentKey) throw validationFailed([{ attribute: 'environmentKey', reason: 'is required to sort by lead time' }]);
    const window = readWindow(query, deps.now());
    const project = await deps.catalog.project(projectKey);
    const environment = environmentKey ? (await deps.catalog.projectEnvironment(projectKey, environmentKey)).environment : undefined;
    let rows = deps.store.db.selectFrom('insight_deployments').selectAll().where('project_id', '=', project.id);
    if (environment) rows = rows.where('environment_id', '=', environment.id);
    const deployments = (await rows.execute()).sort((a, b) => Number(a.started_at) - Number(b.started_at));
    const gathered = new Map<string, Gathered>();
    for (const row of deployments) {
      for (const pr of deploymentDoc(row).pullRequests) {
        const id = pullRequestId(project.key, row.application_key, pr.externalId);
        const known = gathered.get(id);
        gathered.set(id, { id, pr, applicationKey: row.application_key, deployments: [...(known?.deployments ?? []), row] });
      }
    }
    const deployed = (g: Gathered) => g.deployments.some((d) => d.status === 'finished');
    const when = (g: Gathered) => g.pr.mergeTime ?? g.pr.createTime;
    let listed = [...gathered.values()].filter(
      (g) =>
        when(g) >= window.from &&
        when(g) <= window.to &&
        (!applications || applications.includes(g.applicationKey)) &&
        (!status || (deployed(g) ? 'deployed' : g.pr.status) === status) &&
        (!text || g.pr.title.toLowerCase().includes(text) || g.pr.author.toLowerCase().includes(text)),
    );
    listed.sort((a, b) => when(b) - when(a) || (a.id < b.id ? -1 : 1));
    if (sort) {
      const total = (g: Gathered) => leadTimeOf(g).avgTotalLeadTimeMs;
      const direction = sort === 'leadTime' ? 1 : -1;
      // Pull requests not deployed yet have no lead time: they come last either way.
      listed = [...listed.filter((g) => total(g) !== undefined).sort((a, b) => direction * (total(a)! - total(b)!)), ...listed.filter((g) => total(g) === undefined)];
    }
    const { page, ...cursors } = cursorPage(listed, query, limit);
    const items = page.map((g) => {
      const rep = representPullRequest(g.pr, g.id, deployed(g));
      if (expand.has('deployments')) rep.deployments = { totalCount: g.deployments.length, items: g.deployments.map((d) => representDeployment(d)) };
      if (expand.has('flagReferences')) rep.flagReferences = flagReferencesOf([g.pr]);
      if (expand.has('leadTime')) rep.leadTime = leadTimeOf(g);
      return rep;
    });
    return { totalCount: listed.length, items, _links: cursorLinks(PATH, query, cursors) };
  });
}
