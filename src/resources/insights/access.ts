// Custom roles on what an Insights route names only by id (a deployment, an insight group): the token must view the
// project it belongs to (viewProject), else 403 as for any route of that project.
import type { Actor, Deps } from '../../http/context.js';
import { forbidden } from '../../http/errors.js';
import type { Db, Trx } from '../../store/db.js';
import { viewsProject } from '../custom-roles/access.js';

export async function requireProjectView(deps: Pick<Deps, 'store'>, actor: Actor | undefined, projectId: string, what: string, db: Db | Trx = deps.store.db): Promise<void> {
  if (!actor?.policy) return;
  const project = await db.selectFrom('projects').select(['key', 'doc']).where('id', '=', projectId).executeTakeFirst();
  if (project && !viewsProject(actor, project)) throw forbidden(`Forbidden. The token's custom roles do not allow viewProject on proj/${project.key}, which ${what} belongs to`);
}

/**
 * Before looking up by id: a custom-role token that may view no project at all is refused (403) whether or not the id
 * exists, as a route of a project it cannot see would refuse it.
 */
export async function requireSomeProjectView(deps: Pick<Deps, 'store'>, actor: Actor | undefined): Promise<void> {
  if (!actor?.policy) return;
  const projects = await deps.store.db.selectFrom('projects').select(['key', 'doc']).execute();
  if (!projects.some((project) => viewsProject(actor, project))) throw forbidden("Forbidden. The token's custom roles do not allow viewProject on any project");
}
