// POST /api/v2/account/relay-auto-configs — create a Relay Proxy configuration (admin): 201 with its full key, shown
// this once.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { normalStatement, statementProblems } from '../custom-roles/model.js';
import { hashToken } from '../tokens/tokens.js';
import { mintRelayKey, RelayAutoConfigPost, type RelayAutoConfigDoc, type RelayAutoConfigRow } from './model.js';
import { relayAudit, representRelayAutoConfigOf } from './represent.js';

export function postRelayAutoConfig(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: RelayAutoConfigPost }>('/api/v2/account/relay-auto-configs', { config: { role: 'admin' }, schema: { body: RelayAutoConfigPost } }, async (request, reply) => {
    const problems = statementProblems(request.body.policy, 'policy');
    if (problems.length > 0) throw validationFailed(problems);
    const now = deps.now();
    const key = mintRelayKey();
    const doc: RelayAutoConfigDoc = {
      name: request.body.name,
      policy: request.body.policy.map(normalStatement),
      displayKey: key.slice(-4),
      creatorId: request.actor?.memberId,
    };
    const row: RelayAutoConfigRow = { id: objectId(now), key_hash: hashToken(key), old_key_hash: null, old_key_expires_at: null, doc: JSON.stringify(doc), created_at: now, last_modified: now };
    const rep = await deps.store.tx(async (trx) => {
      await trx.insertInto('relay_auto_configs').values(row).execute();
      const shown = await representRelayAutoConfigOf(trx, row, key);
      const { fullKey: _key, ...after } = shown;
      await recordAudit(trx, request.actor, now, relayAudit(row, 'createRelayAutoConfiguration', 'created', { after }));
      return shown;
    });
    return reply.code(201).send(rep);
  });
}
