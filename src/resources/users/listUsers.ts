// What getUsers and getSearchUsers share: the environment's users, filtered, ordered and paged, as Users.
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../http/context.js';
import { listHref, pageUsers, readUserListParams, sortValueOf } from './list.js';
import { representUser, representUsers } from './represent.js';
import { allUsers } from './users.js';
import type { Where as EnvironmentParams } from '../contexts/search.js';

/** The path parameters of the Users API's environment-wide routes: the Contexts API's. */
export type { EnvironmentParams };

/** The list at `/api/v2/{prefix}/{p}/{e}` (`users`, or `user-search` with `search`). */
export async function listUsers(deps: Deps, request: FastifyRequest<{ Params: EnvironmentParams }>, prefix: string, search: boolean): Promise<Record<string, unknown>> {
  const params = readUserListParams(request.query as Record<string, unknown>, search);
  const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
  const where = { projectKey: project.key, environmentKey: environment.key };
  const { shown, total, next } = pageUsers(await allUsers(deps.store, environment.id), params);
  const path = `/api/v2/${prefix}/${project.key}/${environment.key}`;
  const ids = { environmentId: environment.id, ownerId: deps.accountId };
  return representUsers(
    { self: listHref(path, params, params.searchAfter, true), ...(next !== undefined ? { next: listHref(path, params, next, false) } : {}) },
    total,
    shown.map((view) => representUser(where, ids, view, sortValueOf(view, params))),
  );
}
