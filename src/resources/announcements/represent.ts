// The AnnouncementResponse representation and the audit entry of each change to an announcement: the only code that
// builds their JSON. `_status` is computed from the window against the clock when the answer is made.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { announcementDoc, announcementStatus, type AnnouncementRow } from './model.js';

export const ANNOUNCEMENTS_PATH = '/api/v2/announcements';

export function representAnnouncement(row: AnnouncementRow, now: number): Record<string, unknown> {
  const doc = announcementDoc(row);
  return {
    _id: row.id,
    title: doc.title,
    message: doc.message,
    isDismissible: doc.isDismissible,
    severity: doc.severity,
    startTime: doc.startTime,
    ...(doc.endTime !== undefined ? { endTime: doc.endTime } : {}),
    _status: announcementStatus(doc, now),
    _links: { parent: link(ANNOUNCEMENTS_PATH) },
  };
}

/** An audit entry about the announcement (`announcement/<id>` on the account). */
export function announcementAudit(row: AnnouncementRow, action: string, description: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'announcement', resource: `announcement/${row.id}`, action, name: announcementDoc(row).title, description, ...extra };
}
