// A flag in one environment, as the routes of what belongs to one (triggers, scheduled changes) name it: the
// project, environment and flag (each a 404 naming it when it is not there), and the audit entry of a change to
// something of the flag there.
import type { Deps } from '../../http/context.js';
import type { Db, Trx } from '../../store/db.js';
import type { AuditEntry } from '../audit-log/record.js';
import type { EnvironmentRow } from '../environments/environments.js';
import type { ProjectRow } from '../projects/projects.js';
import { findFlag, type LoadedFlag } from './model.js';

export interface FlagInEnvironmentParams {
  projectKey: string;
  featureFlagKey: string;
  environmentKey: string;
}

/** The flag and environment by key, as their links name them. */
export interface FlagPlace {
  projectKey: string;
  flagKey: string;
  environmentKey: string;
}

export interface FlagInEnvironment {
  project: ProjectRow;
  environment: EnvironmentRow;
  flag: LoadedFlag;
  place: FlagPlace;
}

export async function flagInEnvironment(deps: Deps, db: Db | Trx, params: FlagInEnvironmentParams): Promise<FlagInEnvironment> {
  const { project, environment } = await deps.catalog.projectEnvironment(params.projectKey, params.environmentKey);
  const flag = await findFlag(db, project, params.featureFlagKey);
  return { project, environment, flag, place: { projectKey: project.key, flagKey: flag.row.key, environmentKey: environment.key } };
}

/** The resource specifier of the flag in the environment, as audit entries and custom roles name it. */
export function flagResource(place: FlagPlace): string {
  return `proj/${place.projectKey}:env/${place.environmentKey}:flag/${place.flagKey}`;
}

/** The audit entry of a change to something of the flag in the environment: on the flag there, with that thing before and after. */
export function flagEnvironmentAudit(
  place: FlagPlace,
  flagName: string,
  action: string,
  description: string,
  versions: { before?: unknown; after?: unknown },
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  return {
    kind: 'flag',
    resource: flagResource(place),
    action,
    name: flagName,
    description,
    projectKey: place.projectKey,
    ...extra,
    ...(versions.before !== undefined ? { before: versions.before } : {}),
    ...(versions.after !== undefined ? { after: versions.after } : {}),
  };
}
