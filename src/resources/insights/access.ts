// Custom roles on what an Insights route names only by id (a deployment, an insight group): the token must view the
// project it belongs to, else it is as if it did not exist (404), as LaunchDarkly hides what a role cannot see.
import type { Actor, Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import type { Db, Trx } from '../../store/db.js';
import { viewsProject } from '../custom-roles/access.js';

export async function requireProjectView(deps: Pick<Deps, 'store'>, actor: Actor | undefined, projectId: string, what: string, db: Db | Trx = deps.store.db): Promise<void> {
  if (!actor?.policy) return;
  const project = await db.selectFrom('projects').select(['key', 'doc']).where('id', '=', projectId).executeTakeFirst();
  if (!project || !viewsProject(actor, project)) throw notFound(what);
}
