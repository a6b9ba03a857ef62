// GET …/environments/{environmentKey}/holdouts (beta) — the environment's holdouts, oldest first, 20 a page.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { pageLinks, readPage } from '../../http/links.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { loadViews, representSimpleHoldout } from './represent.js';

interface Params {
  projectKey: string;
  environmentKey: string;
}

export function getAllHoldouts(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/holdouts', { config: { beta: true } }, async (request) => {
    const { projectKey, environmentKey } = request.params;
    const page = readPage(request.query as Record<string, unknown>, 20);
    const db = deps.store.db;
    const { environment } = await findProjectEnvironment(db, projectKey, environmentKey);
    const rows = await db
      .selectFrom('holdouts')
      .selectAll()
      .where('environment_id', '=', environment.id)
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    const { count } = await db.selectFrom('holdouts').select((eb) => eb.fn.countAll<number>().as('count')).where('environment_id', '=', environment.id).executeTakeFirstOrThrow();
    const total = Number(count);
    const views = await loadViews(db, rows);
    return {
      items: views.map((view) => representSimpleHoldout(environmentKey, view)),
      _links: pageLinks(`/api/v2/projects/${projectKey}/environments/${environmentKey}/holdouts`, page, total),
      total_count: total,
    };
  });
}
