// The legacy User settings (getUserFlagSettings, getUserFlagSetting): each flag's value for a user in an environment
// and the user's own setting of it. The user is evaluated with the attributes the SDKs' events last carried for it
// (the Contexts API's records), or by its key alone when iterlab has never seen it, as LaunchDarkly documents.
import type { Deps } from '../../http/context.js';
import { notFound, validationFailed } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { loadEvaluation, withBigSegmentMembership } from '../../sdk/environmentData.js';
import { evaluate, type SdkFlagModel } from '../../sdk/evaluation.js';
import { contextsByKind } from '../contexts/context.js';
import { findUser } from '../users/users.js';

export interface UserParams {
  projectKey: string;
  environmentKey: string;
  userKey: string;
}

/** A user needs a key: an empty one (`/users/p/e//flags`) is a 400 naming userKey, not an evaluation or a target of "". */
export function checkUserKey(userKey: string): void {
  if (userKey === '') throw validationFailed([{ attribute: 'userKey', reason: 'must not be empty' }]);
}

/** The user's attributes as last seen by any application, else the key alone. */
async function userContext(deps: Deps, environmentId: string, userKey: string): Promise<Record<string, unknown>> {
  const latest = await findUser(deps.store.db, environmentId, userKey);
  return latest ? { ...latest.context, kind: 'user', key: userKey } : { kind: 'user', key: userKey };
}

/** The value of the variation the user is individually targeted with, or null. */
function settingOf(flag: SdkFlagModel, userKey: string): unknown {
  const target = [...flag.targets, ...flag.contextTargets.filter((t) => t.contextKind === 'user')].find((t) => t.values.includes(userKey));
  return target === undefined ? null : (flag.variations[target.variation] ?? null);
}

/**
 * Every flag of the project served in the environment (archived flags are not), or the one `flagKey` names (404 when
 * there is none), as UserFlagSetting: `_value`, `setting` and `_links.self`.
 */
export async function userFlagSettings(deps: Deps, params: UserParams, flagKey?: string): Promise<{ base: string; items: Map<string, Record<string, unknown>> }> {
  const { project, environment } = await deps.catalog.projectEnvironment(params.projectKey, params.environmentKey);
  checkUserKey(params.userKey);
  const [loaded, context] = await Promise.all([loadEvaluation(deps.store.db, environment.id), userContext(deps, environment.id, params.userKey)]);
  const kinds = contextsByKind(context);
  const data = await withBigSegmentMembership(deps.store.db, loaded.data, kinds);
  const base = `/api/v2/users/${project.key}/${environment.key}/${encodeURIComponent(params.userKey)}/flags`;
  const keys = flagKey === undefined ? [...data.flags.keys()].sort() : [flagKey];
  const items = new Map<string, Record<string, unknown>>();
  for (const key of keys) {
    const flag = data.flags.get(key);
    if (!flag) throw notFound(`Feature flag "${key}"`);
    items.set(key, { _links: { self: link(`${base}/${encodeURIComponent(key)}`) }, _value: evaluate(flag, kinds, data).value, setting: settingOf(flag, params.userKey) });
  }
  return { base, items };
}
