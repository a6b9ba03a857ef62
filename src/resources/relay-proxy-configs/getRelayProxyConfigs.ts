// GET /api/v2/account/relay-auto-configs — every Relay Proxy configuration, oldest first; keys are never shown.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findMembers } from '../members/members.js';
import { relayDoc } from './model.js';
import { representRelayAutoConfig } from './represent.js';

export function getRelayProxyConfigs(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/account/relay-auto-configs', { config: { role: 'reader' } }, async () => {
    const rows = await deps.store.db.selectFrom('relay_auto_configs').selectAll().orderBy('created_at').orderBy('id').execute();
    const creators = await findMembers(deps.store.db, rows.map((row) => relayDoc(row).creatorId).filter((id): id is string => id !== undefined));
    return { items: rows.map((row) => representRelayAutoConfig(row, creators.get(relayDoc(row).creatorId ?? ''))) };
  });
}
