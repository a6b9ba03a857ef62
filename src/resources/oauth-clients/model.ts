// OAuth 2.0 clients as stored: the account's registered clients (OAuthClientDoc beside the id and name), the bodies that
// register and change one, the redirect URI rules LaunchDarkly documents, and the lookup that 404s naming the client.
import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { notFound, type FieldError } from '../../http/errors.js';
import { Description, Name } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { OAuthClientsTable } from '../../store/schema.js';
import { hashToken } from '../tokens/tokens.js';

export type OAuthClientRow = OAuthClientsTable;

export interface OAuthClientDoc {
  description?: string;
  redirectUri: string;
  /** sha256 of the client secret: LaunchDarkly "does not store client secrets in plain text", nor does iterlab. */
  secretHash: string;
}

export function oauthClientDoc(row: Pick<OAuthClientRow, 'doc'>): OAuthClientDoc {
  return JSON.parse(row.doc) as OAuthClientDoc;
}

const RedirectUri = Type.String({ minLength: 1, maxLength: 2048 });

/** oauthClientPost: the spec marks every member optional, but a Client always has a name and a redirect URI. */
export const OAuthClientPost = Type.Object(
  { name: Name, redirectUri: RedirectUri, description: Type.Optional(Description) },
  { additionalProperties: false },
);
export type OAuthClientPost = Static<typeof OAuthClientPost>;

/** What a patched client must still be. */
export const PatchedOAuthClient = Type.Object({ name: Name, redirectUri: RedirectUri, description: Type.Optional(Description) });

/** "Only name, description, and redirectUri may be patched"; the rest of the representation is read-only. */
export const OAUTH_CLIENT_PATCH_RULES = {
  writable: ['name', 'description', 'redirectUri'],
  readOnly: ['_links', '_accountId', '_clientId', '_creationDate'],
};

/**
 * LaunchDarkly: redirect URIs "must be absolute URIs that conform to the https URI scheme", one per client and
 * "without query parameters"; a fragment has no place in one either (RFC 6749 §3.1.2).
 */
export function redirectUriProblems(value: string): FieldError[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [{ attribute: 'redirectUri', reason: `"${value}" is not an absolute URI` }];
  }
  if (url.protocol !== 'https:') return [{ attribute: 'redirectUri', reason: `must use the https scheme, not "${url.protocol.slice(0, -1)}"` }];
  if (url.search !== '' || value.includes('?')) return [{ attribute: 'redirectUri', reason: 'must not have query parameters' }];
  if (url.hash !== '' || value.includes('#')) return [{ attribute: 'redirectUri', reason: 'must not have a fragment' }];
  return [];
}

/** A new client secret (shown once) and the hash kept of it. */
export function mintClientSecret(): { secret: string; hash: string } {
  const secret = crypto.randomBytes(32).toString('hex');
  return { secret, hash: hashToken(secret) };
}

/** The account's client by id (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findOAuthClient(db: Db | Trx, clientId: string, lock?: Pick<Store, 'kind'>): Promise<OAuthClientRow> {
  let query = db.selectFrom('oauth_clients').selectAll().where('id', '=', clientId);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`OAuth 2.0 client "${clientId}"`);
  return row;
}
