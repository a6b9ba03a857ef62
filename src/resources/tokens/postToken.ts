// POST /api/v2/tokens — mint an access token (admin) with a built-in role or custom and inline roles; the response is
// the only place its value appears.
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { readGrants, refuseEscalation } from './grants.js';
import { insertToken, makerOf, mintToken, TOKEN_API_VERSIONS, tokenResource } from './tokens.js';
import { representToken } from './represent.js';

export const AccessTokenPost = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 256 })),
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  role: Type.Optional(Type.Union([Type.Literal('reader'), Type.Literal('writer'), Type.Literal('admin')])),
  customRoleIds: Type.Optional(Type.Array(Type.String())),
  inlineRole: Type.Optional(Type.Array(Type.Unknown())),
  serviceToken: Type.Optional(Type.Boolean()),
  defaultApiVersion: Type.Optional(Type.Integer()),
});
type AccessTokenPost = Static<typeof AccessTokenPost>;

export function postToken(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: AccessTokenPost }>('/api/v2/tokens', { config: { role: 'admin' }, schema: { body: AccessTokenPost } }, async (request, reply) => {
    const body = request.body;
    if (body.defaultApiVersion !== undefined && !TOKEN_API_VERSIONS.includes(body.defaultApiVersion)) {
      throw validationFailed([{ attribute: 'defaultApiVersion', reason: `must be one of ${TOKEN_API_VERSIONS.join(', ')}` }]);
    }
    const now = deps.now();
    const value = mintToken();
    const row = await deps.store.tx(async (trx) => {
      const grants = await readGrants(trx, deps.store.kind, body);
      refuseEscalation(request.actor, grants);
      const created = await insertToken(trx, request.actor!.memberId, value, { ...body, ...grants }, now);
      await recordAudit(trx, request.actor, now, {
        kind: 'token',
        resource: tokenResource(created),
        action: 'createAccessToken',
        name: body.name ?? created.id,
        description: `created the access token ${body.name ?? created.id}`,
        after: representToken(created, deps.accountId),
      });
      return created;
    });
    deps.changed({ kind: 'token', id: row.id });
    return reply.code(201).send(representToken(row, deps.accountId, value, undefined, await makerOf(deps.store.db, row)));
  });
}
