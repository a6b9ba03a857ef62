// PATCH /api/v2/announcements/{announcementId} — change an announcement with a JSON Patch (AnnouncementJSONPatch; also
// `{comment, patch}` or a merge patch) of title, message, isDismissible, severity, startTime or endTime (admins): 200
// with it. A window moved onto another announcement's is a 409. Nothing is recorded when nothing changed.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { ANNOUNCEMENT_PATCH_RULES, announcementDoc, checkWindow, findAnnouncement, lockAnnouncements, PatchedAnnouncement, requireFreeWindow, type AnnouncementDoc, type AnnouncementRow } from './model.js';
import { announcementAudit, representAnnouncement } from './represent.js';

export function updateAnnouncementPublic(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { announcementId: string } }>('/api/v2/announcements/:announcementId', { config: { role: 'admin' } }, async (request) => {
    const edit = readResourceEdit(request.body, ANNOUNCEMENT_PATCH_RULES, 'announcement');
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      await lockAnnouncements(trx, deps.store);
      const row = await findAnnouncement(trx, request.params.announcementId);
      const old = announcementDoc(row);
      const before = representAnnouncement(row, now);
      const patched = applyResourcePatch(before, edit.operations(before), ANNOUNCEMENT_PATCH_RULES);
      if (patched.endTime === null) delete patched.endTime;
      const { title, message, isDismissible, severity, startTime, endTime } = patched;
      const fields = { title, message, isDismissible, severity, startTime, ...(endTime !== undefined ? { endTime } : {}) };
      const errors = check(PatchedAnnouncement, fields);
      if (errors.length > 0) throw validationFailed(errors);
      const doc = fields as AnnouncementDoc;
      checkWindow(doc);
      if (deepEqual(doc, old)) return before;
      if (doc.startTime !== old.startTime || doc.endTime !== old.endTime) await requireFreeWindow(trx, doc, row.id);
      const next: AnnouncementRow = { ...row, start_time: doc.startTime, end_time: doc.endTime ?? null, doc: JSON.stringify(doc) };
      await trx.updateTable('announcements').set({ start_time: next.start_time, end_time: next.end_time, doc: next.doc }).where('id', '=', row.id).execute();
      const after = representAnnouncement(next, now);
      const extra = { ...(edit.comment !== undefined ? { comment: edit.comment } : {}), delta: edit.delta, before, after };
      await recordAudit(trx, request.actor, now, announcementAudit(next, 'updateAnnouncement', `updated the announcement ${doc.title}`, extra));
      return after;
    });
  });
}
