// GET /api/v2/roles/{customRoleKey} — one custom role, by key or by _id.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { roleHolders } from '../members/members.js';
import { findRole } from './model.js';
import { representRole } from './represent.js';

export function getCustomRole(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { customRoleKey: string } }>('/api/v2/roles/:customRoleKey', async (request) => {
    const row = await findRole(deps.store.db, request.params.customRoleKey);
    return representRole(row, (await roleHolders(deps.store.db)).get(row.id));
  });
}
