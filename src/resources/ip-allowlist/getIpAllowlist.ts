// GET /api/v2/account/ip-allowlist (beta) — the allowlist's settings and every entry, oldest first (admins only).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { listEntries, readConfig } from './model.js';
import { IP_ALLOWLIST_PATH, representAllowlist } from './represent.js';

export function getIpAllowlist(app: FastifyInstance, deps: Deps): void {
  app.get(IP_ALLOWLIST_PATH, { config: { role: 'admin', beta: true } }, async () => {
    const [config, rows] = await Promise.all([readConfig(deps.store.db), listEntries(deps.store.db)]);
    return representAllowlist(config, rows);
  });
}
