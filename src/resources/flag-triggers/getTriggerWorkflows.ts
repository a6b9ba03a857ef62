// GET /api/v2/flags/{projectKey}/{featureFlagKey}/triggers/{environmentKey} — the flag's triggers in the
// environment, oldest first, their URLs obscured.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { TRIGGERS_URL } from './model.js';
import { representTrigger, serverBase, triggerContext, triggersPath } from './represent.js';

export function getTriggerWorkflows(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagInEnvironmentParams }>(TRIGGERS_URL, async (request) => {
    const db = deps.store.db;
    const { flag, environment, place } = await flagInEnvironment(deps, db, request.params);
    const rows = await db.selectFrom('flag_triggers').selectAll().where('flag_id', '=', flag.row.id).where('environment_id', '=', environment.id).orderBy('created_at').orderBy('id').execute();
    const context = await triggerContext(db, serverBase(request), rows);
    return { _links: { self: link(triggersPath(place)) }, items: rows.map((row) => representTrigger(row, place, context)) };
  });
}
