// Relay Proxy configurations: a name, a policy that chooses environments, and a key (`rel-<uuid>`) that a Relay Proxy
// in automatic configuration mode presents on /relay_auto_config. The key is stored only as its SHA-256 and shown
// once, when made or reset; a reset with a future `expiry` keeps the old key working until then.
import crypto from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { notFound } from '../../http/errors.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { RelayAutoConfigsTable } from '../../store/schema.js';
import { Statements } from '../custom-roles/model.js';
import type { Statement } from '../custom-roles/policy.js';
import { hashToken } from '../tokens/tokens.js';

export type RelayAutoConfigRow = RelayAutoConfigsTable;

export interface RelayAutoConfigDoc {
  name: string;
  policy: Statement[];
  /** The key's last four characters. */
  displayKey: string;
  /** The member whose token made it. */
  creatorId: string | undefined;
}

export const RelayName = Type.String({ minLength: 1, maxLength: 256 });

export const RelayAutoConfigPost = Type.Object({ name: RelayName, policy: Statements }, { additionalProperties: false });
export type RelayAutoConfigPost = Static<typeof RelayAutoConfigPost>;

/** The members a patch may change, each with its audit (and custom-role) action. */
export const RELAY_FIELD_ACTIONS = { name: 'updateRelayAutoConfigurationName', policy: 'updateRelayAutoConfigurationPolicy' } as const;
export const WRITABLE_RELAY_FIELDS = Object.keys(RELAY_FIELD_ACTIONS);
export const READ_ONLY_RELAY_FIELDS = ['_id', '_creator', 'displayKey', 'creationDate', 'lastModified'];

export function mintRelayKey(): string {
  return `rel-${crypto.randomUUID()}`;
}

export function relayDoc(row: Pick<RelayAutoConfigRow, 'doc'>): RelayAutoConfigDoc {
  return JSON.parse(row.doc) as RelayAutoConfigDoc;
}

/** A configuration by id (404 naming it when there is none); locked until commit on PostgreSQL when `lock` names the store. */
export async function findRelayAutoConfig(db: Db | Trx, id: string, lock?: Pick<Store, 'kind'>): Promise<RelayAutoConfigRow> {
  let query = db.selectFrom('relay_auto_configs').selectAll().where('id', '=', id);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Relay Proxy configuration "${id}"`);
  return row;
}

/** The configuration whose key (current, or reset and not yet expired) `key` is, if any. */
export async function relayAutoConfigByKey(db: Db, key: string, now: number): Promise<RelayAutoConfigRow | undefined> {
  const hash = hashToken(key);
  const rows = await db
    .selectFrom('relay_auto_configs')
    .selectAll()
    .where((eb) => eb.or([eb('key_hash', '=', hash), eb.and([eb('old_key_hash', '=', hash), eb('old_key_expires_at', '>', now)])]))
    .execute();
  return rows[0];
}

/** Whether `key` still opens `row`: its current key, or the old one before its expiry. */
export function keyOpens(row: RelayAutoConfigRow, key: string, now: number): boolean {
  const hash = hashToken(key);
  return row.key_hash === hash || (row.old_key_hash === hash && row.old_key_expires_at !== null && Number(row.old_key_expires_at) > now);
}
