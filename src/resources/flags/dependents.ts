// A flag's dependent flags (those with it as a prerequisite): loaded per environment, and represented as LaunchDarkly's
// MultiEnvironmentDependentFlags and DependentFlagsByEnvironment; and the lock under which prerequisites are added and
// their flags deleted.
import type { Db } from '../../store/db.js';
import { link, siteLink, type Link } from '../../http/links.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { prerequisiteDependents, type FlagConfigDoc } from './model.js';

export interface DependentFlag {
  key: string;
  name: string;
  /** The environments in which it has the flag as a prerequisite, in the project's order. */
  environments: EnvironmentRow[];
}

/** The flags of the project that have `flagKey` as a prerequisite in one of `environments`, by key. */
export async function loadDependents(db: Db, projectId: string, flagKey: string, environments: EnvironmentRow[]): Promise<DependentFlag[]> {
  const dependents = await prerequisiteDependents(db, projectId, flagKey);
  const keys = [...new Set(dependents.map((d) => d.flagKey))].sort();
  if (keys.length === 0) return [];
  const names = new Map((await db.selectFrom('flags').select(['key', 'name']).where('project_id', '=', projectId).where('key', 'in', keys).execute()).map((r) => [r.key, r.name]));
  return keys.flatMap((key) => {
    const where = environments.filter((env) => dependents.some((d) => d.flagKey === key && d.environmentId === env.id));
    return where.length > 0 ? [{ key, name: names.get(key) ?? key, environments: where }] : [];
  });
}

/** The dependent flag in one environment: its API representation with that environment only, and its page there. */
function flagInEnvironment(projectKey: string, flagKey: string, environmentKey: string): { _links: Record<string, Link>; _site: Link } {
  return { _links: { self: link(`/api/v2/flags/${projectKey}/${flagKey}?env=${environmentKey}`) }, _site: siteLink(`/${projectKey}/${environmentKey}/features/${flagKey}`) };
}

/** `_links` and `_site` of the collection: the list itself, the prerequisite flag, and its page across environments. */
function collectionLinks(projectKey: string, flagKey: string, self: string): { _links: Record<string, Link>; _site: Link } {
  return { _links: { parent: link(`/api/v2/flags/${projectKey}/${flagKey}`), self: link(self) }, _site: siteLink(`/${projectKey}/~/features/${flagKey}`) };
}

export function representDependents(projectKey: string, flagKey: string, dependents: DependentFlag[]): Record<string, unknown> {
  return {
    items: dependents.map((flag) => ({
      key: flag.key,
      name: flag.name,
      environments: flag.environments.map((env) => ({ key: env.key, name: env.name, ...flagInEnvironment(projectKey, flag.key, env.key) })),
    })),
    ...collectionLinks(projectKey, flagKey, `/api/v2/flags/${projectKey}/${flagKey}/dependent-flags`),
  };
}

export function representDependentsInEnvironment(projectKey: string, environmentKey: string, flagKey: string, dependents: DependentFlag[]): Record<string, unknown> {
  return {
    items: dependents.map((flag) => ({ key: flag.key, name: flag.name, ...flagInEnvironment(projectKey, flag.key, environmentKey) })),
    ...collectionLinks(projectKey, flagKey, `/api/v2/flags/${projectKey}/${environmentKey}/${flagKey}/dependent-flags`),
  };
}

/**
 * The lock (lockNames) that a write adding or changing a prerequisite in the project, and one that deletes a flag there,
 * changes its variations or archives it, all take before they read what the others change: a flag deleted meanwhile is
 * then seen gone, or the prerequisite added meanwhile seen.
 */
export const prerequisitesLock = (projectId: string): string => `prerequisites in project ${projectId}`;

/** Whether `after` has a prerequisite (flag and variation) that `before` had not. */
export function addsPrerequisite(before: Pick<FlagConfigDoc, 'prerequisites'> | undefined, after: Pick<FlagConfigDoc, 'prerequisites'>): boolean {
  return after.prerequisites.some((p) => !before?.prerequisites.some((o) => o.key === p.key && o.variation === p.variation));
}
