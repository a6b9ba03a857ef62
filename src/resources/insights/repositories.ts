// Repositories as engineering insights shows them: the code references repositories (ld-find-code-refs' reports) with
// the LaunchDarkly projects each is associated with here (InsightsRepository, ProjectSummary): the only code that
// builds that JSON.
import { link } from '../../http/links.js';
import type { Db, Trx } from '../../store/db.js';
import type { RepositoryDoc } from '../code-refs/model.js';
import { derivedUuid } from './query.js';

export interface ProjectSummaryRow {
  id: string;
  key: string;
  name: string;
}

export function representProjectSummary(project: ProjectSummaryRow): Record<string, unknown> {
  return {
    _id: project.id,
    _links: { environments: link(`/api/v2/projects/${project.key}/environments`), self: link(`/api/v2/projects/${project.key}`) },
    key: project.key,
    name: project.name,
  };
}

/** Each repository's associated projects, by repository key, ordered by project key. */
export async function repositoryProjects(db: Db | Trx, repositoryKeys?: readonly string[]): Promise<Map<string, ProjectSummaryRow[]>> {
  let query = db
    .selectFrom('insight_repository_projects as a')
    .innerJoin('projects as p', 'p.id', 'a.project_id')
    .select(['a.repository_key as repositoryKey', 'p.id as id', 'p.key as key', 'p.name as name']);
  if (repositoryKeys) query = query.where('a.repository_key', 'in', repositoryKeys.length > 0 ? [...repositoryKeys] : ['']);
  const rows = await query.execute();
  const out = new Map<string, ProjectSummaryRow[]>();
  for (const row of rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) out.set(row.repositoryKey, [...(out.get(row.repositoryKey) ?? []), { id: row.id, key: row.key, name: row.name }]);
  return out;
}

export function representRepository(row: { name: string; doc: string; version: number }, projects?: readonly ProjectSummaryRow[]): Record<string, unknown> {
  const doc = JSON.parse(row.doc) as RepositoryDoc;
  return {
    _id: derivedUuid('repository', row.name),
    version: Number(row.version),
    key: row.name,
    type: doc.type,
    url: doc.sourceLink ?? '',
    mainBranch: doc.defaultBranch,
    ...(projects ? { projects: { totalCount: projects.length, items: projects.map(representProjectSummary) } } : {}),
  };
}

export function repositoryProjectAudit(repositoryKey: string, projectKey: string, action: 'associateRepositoryProject' | 'removeRepositoryProject'): { kind: string; resource: string; action: string; name: string; description: string; projectKey: string } {
  const verb = action === 'associateRepositoryProject' ? 'associated the code references repository' : 'removed the association of the code references repository';
  return { kind: 'code-reference-repository', resource: `code-reference-repository/${repositoryKey}`, action, name: repositoryKey, description: `${verb} ${repositoryKey} with the project ${projectKey}`, projectKey };
}
