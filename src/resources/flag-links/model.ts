// Flag links: a URL (`deepLink`) associated with a flag, with a title, a description, a time (`timestamp`, by default
// when it was made) and the member who made it. Only URL links: iterlab has no integrations to link through.
import { Type, type Static } from '@sinclair/typebox';
import { notFound, type FieldError } from '../../http/errors.js';
import { Key } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { FlagLinksTable } from '../../store/schema.js';
import { urlProblem } from '../webhooks/model.js';

export type FlagLinkRow = FlagLinksTable;

export interface FlagLinkDoc {
  deepLink: string;
  title?: string;
  description?: string;
  timestamp: number;
  memberId: string | undefined;
}

const Text = Type.String({ maxLength: 1024 });

export const FlagLinkPost = Type.Object(
  {
    key: Type.Optional(Key),
    integrationKey: Type.Optional(Type.String()),
    // Up to the end of year 9999, the last time RFC 3339 (one of _timestamp's forms) can write.
    timestamp: Type.Optional(Type.Integer({ minimum: 0, maximum: 253_402_300_799_999 })),
    deepLink: Type.String({ minLength: 1, maxLength: 2048 }),
    title: Type.Optional(Text),
    description: Type.Optional(Text),
    metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);
export type FlagLinkPost = Static<typeof FlagLinkPost>;

/** The members of a FlagLinkRep a JSON Patch may change, and those it may only test. */
export const WRITABLE_LINK_FIELDS = ['title', 'description', '_deepLink'];
export const READ_ONLY_LINK_FIELDS = ['_links', '_key', '_id', '_timestamp', '_createdAt', '_member'];
export const PatchedLink = Type.Object({ title: Type.Optional(Text), description: Type.Optional(Text), _deepLink: FlagLinkPost.properties.deepLink });

/** The problem with a link's URL, if any: an absolute http or https URL, without spaces around it. */
export function deepLinkProblem(url: string, attribute: string): FieldError | undefined {
  if (url.trim() !== url) return { attribute, reason: 'must not begin or end with spaces' };
  return urlProblem(url, attribute);
}

export function linkDoc(row: Pick<FlagLinkRow, 'doc'>): FlagLinkDoc {
  return JSON.parse(row.doc) as FlagLinkDoc;
}

/** The flag's links, most recent `timestamp` first. */
export async function linksOfFlag(db: Db | Trx, flagId: string): Promise<FlagLinkRow[]> {
  const rows = await db.selectFrom('flag_links').selectAll().where('flag_id', '=', flagId).execute();
  return rows.sort((a, b) => linkDoc(b).timestamp - linkDoc(a).timestamp || Number(b.created_at) - Number(a.created_at) || (a.id < b.id ? 1 : -1));
}

/**
 * A link of the flag by id or key (an id wins, as ids and keys look alike); 404 naming it when there is none. Locked
 * until commit on PostgreSQL when `lock` names the store.
 */
export async function findFlagLink(db: Db | Trx, flagId: string, idOrKey: string, lock?: Pick<Store, 'kind'>): Promise<FlagLinkRow> {
  let query = db
    .selectFrom('flag_links')
    .selectAll()
    .where('flag_id', '=', flagId)
    .where((eb) => eb.or([eb('id', '=', idOrKey), eb('key', '=', idOrKey)]));
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const rows = await query.execute();
  const row = rows.find((r) => r.id === idOrKey) ?? rows[0];
  if (!row) throw notFound(`Flag link "${idOrKey}"`);
  return row;
}
