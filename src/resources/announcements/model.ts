// Announcements as stored: the account's banners (AnnouncementDoc, with their window also in columns), the bodies that
// create and change one, the status each has by the clock, and the rule that one banner shows at a time.
import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'kysely';
import { conflict, notFound, validationFailed } from '../../http/errors.js';
import { StringEnum } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { AnnouncementsTable } from '../../store/schema.js';

export type AnnouncementRow = AnnouncementsTable;

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const STATUSES = ['active', 'inactive', 'scheduled'] as const;
export type AnnouncementStatus = (typeof STATUSES)[number];

export interface AnnouncementDoc {
  title: string;
  message: string;
  isDismissible: boolean;
  severity: (typeof SEVERITIES)[number];
  /** Unix milliseconds, as LaunchDarkly documents both. */
  startTime: number;
  endTime?: number;
}

export function announcementDoc(row: Pick<AnnouncementRow, 'doc'>): AnnouncementDoc {
  return JSON.parse(row.doc) as AnnouncementDoc;
}

const Title = Type.String({ minLength: 1, maxLength: 1024 });
const Message = Type.String({ minLength: 1, maxLength: 8192 });
const Millis = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000 });

/** CreateAnnouncementBody: everything but endTime required (no endTime: shown until it is given one or deleted). */
export const CreateAnnouncementBody = Type.Object(
  { title: Title, message: Message, isDismissible: Type.Boolean(), severity: StringEnum(SEVERITIES), startTime: Millis, endTime: Type.Optional(Millis) },
  { additionalProperties: false },
);
export type CreateAnnouncementBody = Static<typeof CreateAnnouncementBody>;

/** What a patched announcement must still be. */
export const PatchedAnnouncement = CreateAnnouncementBody;

/** The members of the representation a JSON Patch may change; the rest may be tested or set to what it is. */
export const ANNOUNCEMENT_PATCH_RULES = {
  writable: ['title', 'message', 'isDismissible', 'severity', 'startTime', 'endTime'],
  readOnly: ['_id', '_status', '_links', '_access'],
};

/** Scheduled before its start, active from its start until its end (its end excluded), inactive after. */
export function announcementStatus(doc: Pick<AnnouncementDoc, 'startTime' | 'endTime'>, now: number): AnnouncementStatus {
  if (now < doc.startTime) return 'scheduled';
  return doc.endTime === undefined || now < doc.endTime ? 'active' : 'inactive';
}

/** An end not after the start would never show: a 400 naming endTime. */
export function checkWindow(doc: Pick<AnnouncementDoc, 'startTime' | 'endTime'>): void {
  if (doc.endTime !== undefined && doc.endTime <= doc.startTime) {
    throw validationFailed([{ attribute: 'endTime', reason: `must be after startTime (${doc.startTime})` }]);
  }
}

/**
 * Every write of announcements starts with this: on PostgreSQL the table is locked until commit, so that two writes
 * cannot both find a time free, and writes take their locks in one order (no deadlock of an update and a delete).
 * Announcements are few and seldom written. SQLite serializes writers itself.
 */
export async function lockAnnouncements(trx: Trx, store: Pick<Store, 'kind'>): Promise<void> {
  if (store.kind === 'postgres') await sql`lock table announcements in share row exclusive mode`.execute(trx);
}

/** LaunchDarkly shows one banner at a time: a window that overlaps another announcement's is a 409 naming it. */
export async function requireFreeWindow(trx: Trx, doc: Pick<AnnouncementDoc, 'startTime' | 'endTime'>, exceptId?: string): Promise<void> {
  let query = trx
    .selectFrom('announcements')
    .select(['id', 'start_time', 'end_time'])
    .where((eb) => eb.or([eb('end_time', 'is', null), eb('end_time', '>', doc.startTime)]));
  if (doc.endTime !== undefined) query = query.where('start_time', '<', doc.endTime);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  const clash = await query.orderBy('start_time').executeTakeFirst();
  if (clash) {
    const until = clash.end_time === null ? 'with no end' : `until ${clash.end_time}`;
    throw conflict(`Announcement "${clash.id}" is shown from ${clash.start_time} ${until}; one announcement is shown at a time, so their times may not overlap`);
  }
}

/** An announcement by id (404 naming it); a write finds it after lockAnnouncements. */
export async function findAnnouncement(db: Db | Trx, id: string): Promise<AnnouncementRow> {
  const row = await db.selectFrom('announcements').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`Announcement "${id}"`);
  return row;
}
