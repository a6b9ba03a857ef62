// SDK keys (beta) as stored: an environment's named server-side (`sdk`) or mobile keys beside its own apiKey and
// mobileKey, each with its value (the credential the SDKs send, src/sdk/auth.ts and clientSide.ts), an optional expiry
// and a version; the bodies that create and change one, and the lookups that 404 naming it.
import { Type, type Static } from '@sinclair/typebox';
import { notFound, validationFailed } from '../../http/errors.js';
import { Description, Key, Name, StringEnum } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { SdkKeysTable } from '../../store/schema.js';
import { mobileKey, sdkKey } from '../environments/environments.js';

export type SdkKeyRow = SdkKeysTable;
export type SdkKeyKind = 'sdk' | 'mobile';

export interface SdkKeyDoc {
  name: string;
  description?: string;
  createdByMemberId?: string;
}

export function sdkKeyDoc(row: Pick<SdkKeyRow, 'doc'>): SdkKeyDoc {
  return JSON.parse(row.doc) as SdkKeyDoc;
}

const Expiry = Type.Integer({ minimum: 0 });

/**
 * SdkKeyPost. LaunchDarkly's example shows `viewKeys` (keys scoped to views), which its schema does not have and
 * iterlab does not do: unknown members are refused, so such a body is a 400 naming the member rather than a key
 * that silently serves more than was asked.
 */
export const SdkKeyPost = Type.Object(
  {
    key: Key,
    name: Name,
    kind: Type.Optional(StringEnum(['sdk', 'mobile'] as const)),
    description: Type.Optional(Description),
    expiry: Type.Optional(Expiry),
  },
  { additionalProperties: false },
);
export type SdkKeyPost = Static<typeof SdkKeyPost>;

/** SdkKeyPatch: the members to change ("the following fields are supported: name, description, expiry"). */
export const SdkKeyPatch = Type.Object(
  { name: Type.Optional(Name), description: Type.Optional(Description), expiry: Type.Optional(Expiry) },
  { additionalProperties: false },
);
export type SdkKeyPatch = Static<typeof SdkKeyPatch>;

/** A new key's value, in the form of the environment's own of that kind (`sdk-…`, `mob-…`). */
export function mintSdkKeyValue(kind: SdkKeyKind): string {
  return kind === 'sdk' ? sdkKey() : mobileKey();
}

/** An expiry must be in the future: a key that never works is a mistake (delete a key to stop it now). */
export function checkExpiry(expiry: number | undefined, now: number): void {
  if (expiry !== undefined && expiry <= now) {
    throw validationFailed([{ attribute: 'expiry', reason: `must be in the future (Unix milliseconds after ${now}); delete the key to stop it now` }]);
  }
}

/** The environment's key by its user-defined key (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findSdkKey(
  db: Db | Trx,
  environment: { id: string; key: string },
  projectKey: string,
  key: string,
  lock?: Pick<Store, 'kind'>,
): Promise<SdkKeyRow> {
  let query = db.selectFrom('sdk_keys').selectAll().where('environment_id', '=', environment.id).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`SDK key "${key}" in environment "${environment.key}" of project "${projectKey}"`);
  return row;
}
