// Access tokens: minted as `api-<uuid>`, stored only as a sha256 hash, looked up by hash on every request.
import crypto from 'node:crypto';
import type { Db, Store, Trx } from '../../store/db.js';
import { ChangeCache, LocalChangeBus, type ChangeBus } from '../../store/changes.js';
import { objectId } from '../../store/ids.js';
import type { Actor, Role } from '../../http/context.js';
import { CURRENT_API_VERSION } from '../../http/edge.js';
import { notFound } from '../../http/errors.js';
import { policyOf, rolesById } from '../custom-roles/model.js';
import { findMembers, type MemberRow } from '../members/members.js';
import type { Statement } from '../custom-roles/policy.js';
import { CUSTOM } from './grants.js';

export interface TokenDoc {
  name?: string;
  description?: string;
  serviceToken: boolean;
  defaultApiVersion: number;
  last4: string;
  lastUsed?: number;
  /** Custom roles by id and inline statements; when either is present the row's role is `custom`. */
  customRoleIds?: string[];
  inlineRole?: Statement[];
}

export interface TokenRow {
  id: string;
  hash: string;
  member_id: string;
  role: string;
  doc: string;
  created_at: number;
  last_modified: number;
}

/** The API versions a token may default to. */
export const TOKEN_API_VERSIONS = [20240415, 20220603, 20210729, 20191212, 20160426];

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

export function mintToken(): string {
  return `api-${crypto.randomUUID()}`;
}

export interface NewToken {
  name?: string;
  description?: string;
  role: Role | typeof CUSTOM;
  customRoleIds?: string[];
  inlineRole?: Statement[];
  serviceToken?: boolean;
  defaultApiVersion?: number;
}

export async function insertToken(trx: Db | Trx, memberId: string, value: string, input: NewToken, now: number): Promise<TokenRow> {
  const doc: TokenDoc = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    serviceToken: input.serviceToken ?? false,
    defaultApiVersion: input.defaultApiVersion ?? CURRENT_API_VERSION,
    last4: value.slice(-4),
    ...(input.customRoleIds?.length ? { customRoleIds: input.customRoleIds } : {}),
    ...(input.inlineRole?.length ? { inlineRole: input.inlineRole } : {}),
  };
  const row: TokenRow = {
    id: objectId(now),
    hash: hashToken(value),
    member_id: memberId,
    role: input.role,
    doc: JSON.stringify(doc),
    created_at: now,
    last_modified: now,
  };
  await trx.insertInto('tokens').values(row).execute();
  return row;
}

/** The actor a token row stands for; a custom-role token's policy is read from its roles as they are now. */
export async function actorOf(db: Db, row: TokenRow): Promise<Actor> {
  const doc = JSON.parse(row.doc) as TokenDoc;
  const actor: Actor = {
    tokenId: row.id,
    memberId: row.member_id,
    role: row.role === CUSTOM ? 'reader' : (row.role as Role),
    tokenName: doc.name,
    serviceToken: doc.serviceToken,
    defaultApiVersion: doc.defaultApiVersion,
  };
  if (row.role === CUSTOM) {
    actor.customRoleIds = doc.customRoleIds ?? [];
    actor.policy = policyOf(await rolesById(db, actor.customRoleIds), doc.inlineRole ?? []);
  }
  return actor;
}

/**
 * Resolves a presented token to its actor. The lookup is by hash (an index probe, so timing says nothing
 * about stored tokens) and the stored hash is then compared in constant time. Answers are cached, by presented
 * token, until a token changes on any instance (the change bus), and not at all while the bus cannot vouch for that.
 */
export class TokenAuthenticator {
  private readonly cache: ChangeCache<Actor | null>;

  constructor(
    private readonly db: Db,
    bus: ChangeBus = new LocalChangeBus(),
  ) {
    this.cache = new ChangeCache(bus, { affectedBy: (notice) => notice.kind === 'token' || notice.kind === 'custom-role', maxEntries: 10_000 });
  }

  async authenticate(token: string): Promise<Actor | undefined> {
    if (token.length > 512) return undefined;
    // Keyed by the token as presented: a request with a known token costs no hashing (the request itself holds the
    // token in this process's memory anyway). A miss is looked up by hash.
    const actor = await this.cache.get(token, async () => {
      const hash = hashToken(token);
      const row = await this.db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
      return row && crypto.timingSafeEqual(Buffer.from(row.hash, 'hex'), Buffer.from(hash, 'hex')) ? actorOf(this.db, row) : null;
    });
    return actor ?? undefined;
  }

  invalidate(): void {
    this.cache.clear();
  }
}

/**
 * Start-up: the ITERLAB_ADMIN_TOKEN value, if given, exists as an admin token; otherwise an empty store
 * gets a generated admin token, returned so it can be printed once.
 */
export async function ensureAdminToken(db: Db, memberId: string, configured: string | undefined, now: number): Promise<string | undefined> {
  if (configured !== undefined) {
    const existing = await db.selectFrom('tokens').select('id').where('hash', '=', hashToken(configured)).executeTakeFirst();
    if (!existing) {
      await insertToken(db, memberId, configured, { name: 'ITERLAB_ADMIN_TOKEN', role: 'admin', serviceToken: true }, now);
    }
    return undefined;
  }
  const any = await db.selectFrom('tokens').select('id').limit(1).executeTakeFirst();
  if (any) return undefined;
  const value = mintToken();
  await insertToken(db, memberId, value, { name: 'generated admin token', role: 'admin', serviceToken: true }, now);
  return value;
}

export async function findToken(db: Db | Trx, id: string): Promise<TokenRow> {
  const row = await db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Access token "${id}"`);
  return row;
}

/**
 * A token's resource specifier, as LaunchDarkly's roles and audit log name it: `service-token/{id}` for a service
 * token, `member/{its member's id}:token/{id}` for a personal one.
 */
export function tokenResource(row: Pick<TokenRow, 'id' | 'member_id' | 'doc'>): string {
  return (JSON.parse(row.doc) as TokenDoc).serviceToken === true ? `service-token/${row.id}` : `member/${row.member_id}:token/${row.id}`;
}

/** The member who made the token, shown as its `_member` while the member exists. */
export async function makerOf(db: Db | Trx, row: Pick<TokenRow, 'member_id'>): Promise<MemberRow | undefined> {
  return (await findMembers(db, [row.member_id])).get(row.member_id);
}

/** Like findToken, inside a write: the row is locked on PostgreSQL until commit. */
export async function lockToken(trx: Trx, store: Store, id: string): Promise<TokenRow> {
  let query = trx.selectFrom('tokens').selectAll().where('id', '=', id);
  if (store.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Access token "${id}"`);
  return row;
}
