// The Client and ClientCollection representations, and the audit entry of each change to a client: the only code that
// builds their JSON. The secret appears only in the answer to the client's creation.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { oauthClientDoc, type OAuthClientRow } from './model.js';

export const OAUTH_CLIENTS_PATH = '/api/v2/oauth/clients';
const clientPath = (id: string) => `${OAUTH_CLIENTS_PATH}/${id}`;

export function representOAuthClient(row: OAuthClientRow, accountId: string, secret?: string): Record<string, unknown> {
  const doc = oauthClientDoc(row);
  return {
    _links: { parent: link(OAUTH_CLIENTS_PATH), self: link(clientPath(row.id)) },
    name: row.name,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    _accountId: accountId,
    _clientId: row.id,
    ...(secret !== undefined ? { _clientSecret: secret } : {}),
    redirectUri: doc.redirectUri,
    _creationDate: row.created_at,
  };
}

export function representOAuthClients(rows: readonly OAuthClientRow[], accountId: string): Record<string, unknown> {
  return { _links: { self: link(OAUTH_CLIENTS_PATH) }, items: rows.map((row) => representOAuthClient(row, accountId)) };
}

/** An audit entry about the client: `oauth-client/<id>` on the account, never with its secret. */
export function oauthClientAudit(row: OAuthClientRow, action: string, description: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'oauth-client', resource: `oauth-client/${row.id}`, action, name: row.name, description, ...extra };
}
