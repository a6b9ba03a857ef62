// The legacy Users API's users: the Contexts API's records (context instances from the SDKs' events) of kind `user`,
// each key once, as last seen by any application (the user representation has no application).
import type { Db, Store } from '../../store/db.js';
import { latestContexts } from '../contexts/attributes.js';
import type { KindKey } from '../contexts/instances.js';
import { allInstances, instancesOfContext } from '../contexts/records.js';
import { contextsOf, type ContextView } from '../contexts/search.js';

export const userContext = (key: string): KindKey => ({ kind: 'user', key });

/** Every user of the environment: searchContexts' contexts of kind user, alone or in multi-contexts. */
export async function allUsers(store: Pick<Store, 'db' | 'kind'>, environmentId: string): Promise<ContextView[]> {
  const instances = (await allInstances(store, environmentId)).filter((instance) => instance.kinds.some((part) => part.kind === 'user'));
  return latestContexts(contextsOf(instances).filter((view) => view.kind === 'user'));
}

/** One user as last seen, or undefined when no SDK has sent it (or it was deleted). */
export async function findUser(db: Db, environmentId: string, key: string): Promise<ContextView | undefined> {
  const user = userContext(key);
  return latestContexts(contextsOf(await instancesOfContext(db, environmentId, user), user))[0];
}
