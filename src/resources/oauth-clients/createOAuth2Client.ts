// POST /api/v2/oauth/clients — register an OAuth 2.0 client (admins only): 201 with it and its `_clientSecret`, shown
// this once (only its hash is kept: a lost secret means registering a new client, as LaunchDarkly says).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { mintClientSecret, OAuthClientPost, redirectUriProblems, type OAuthClientDoc, type OAuthClientRow } from './model.js';
import { oauthClientAudit, representOAuthClient } from './represent.js';

export function createOAuth2Client(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: OAuthClientPost }>('/api/v2/oauth/clients', { config: { role: 'admin' }, schema: { body: OAuthClientPost } }, async (request, reply) => {
    const body = request.body;
    const problems = redirectUriProblems(body.redirectUri);
    if (problems.length > 0) throw validationFailed(problems);
    const now = deps.now();
    const { secret, hash } = mintClientSecret();
    const doc: OAuthClientDoc = { ...(body.description !== undefined ? { description: body.description } : {}), redirectUri: body.redirectUri, secretHash: hash };
    const row: OAuthClientRow = { id: uuid(), name: body.name, doc: JSON.stringify(doc), created_at: now };
    await deps.store.tx(async (trx) => {
      await trx.insertInto('oauth_clients').values(row).execute();
      await recordAudit(trx, request.actor, now, oauthClientAudit(row, 'createOAuthClient', `registered the OAuth 2.0 client ${row.name}`, { after: representOAuthClient(row, deps.accountId) }));
    });
    return reply.code(201).send(representOAuthClient(row, deps.accountId, secret));
  });
}
