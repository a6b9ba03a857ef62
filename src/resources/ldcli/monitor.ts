// What ldcli's flag monitor reads (`flags usage --exposures`) are about: a flag in one environment, and for the
// unique-context count one context kind, named by a `filter` as ldcli sends it: `env equals production` or
// `env equals production,contextKind equals user` (LaunchDarkly's expression filter).
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseFilterExpression } from '../../http/filter.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { findFlag } from '../flags/model.js';

export interface MonitorScope {
  environment: EnvironmentRow;
  flagKey: string;
  contextKind?: string;
}

/** The flag and environment (404 naming a missing one), and the context kind when `needsKind`; a 400 names `filter`. */
export async function monitorScope(deps: Deps, params: { projectKey: string; flagKey: string }, filter: unknown, needsKind: boolean): Promise<MonitorScope> {
  const clauses = parseFilterExpression(filter, { env: ['equals'], contextKind: ['equals'] });
  const value = (field: string) => clauses.find((clause) => clause.field === field)?.values[0];
  const [envKey, contextKind] = [value('env'), value('contextKind')];
  if (envKey === undefined || (needsKind && contextKind === undefined)) {
    const form = needsKind ? 'env equals <environment key>,contextKind equals <context kind>' : 'env equals <environment key>';
    throw validationFailed([{ attribute: 'filter', reason: `must name ${needsKind ? 'the environment and the context kind' : 'the environment'}: "${form}"` }]);
  }
  const { project, environment } = await deps.catalog.projectEnvironment(params.projectKey, envKey);
  const flag = await findFlag(deps.store.db, project, params.flagKey);
  return { environment, flagKey: flag.row.key, ...(contextKind !== undefined ? { contextKind } : {}) };
}
