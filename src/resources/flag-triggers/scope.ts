// The flag and environment a trigger route names, each a 404 naming it when it is not there.
import type { Deps } from '../../http/context.js';
import type { Db, Trx } from '../../store/db.js';
import { findFlag, type LoadedFlag } from '../flags/model.js';
import type { TriggerPlace } from './represent.js';

export interface TriggerParams {
  projectKey: string;
  featureFlagKey: string;
  environmentKey: string;
}

export const TRIGGERS_URL = '/api/v2/flags/:projectKey/:featureFlagKey/triggers/:environmentKey';

export interface TriggerScope {
  project: { id: string; key: string };
  environment: { id: string; key: string };
  flag: LoadedFlag;
  place: TriggerPlace;
}

export async function triggerScope(deps: Deps, db: Db | Trx, params: TriggerParams): Promise<TriggerScope> {
  const { project, environment } = await deps.catalog.projectEnvironment(params.projectKey, params.environmentKey);
  const flag = await findFlag(db, project, params.featureFlagKey);
  return { project, environment, flag, place: { projectKey: project.key, flagKey: flag.row.key, environmentKey: environment.key } };
}
