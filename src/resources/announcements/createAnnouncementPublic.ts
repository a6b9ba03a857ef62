// POST /api/v2/announcements — a new announcement (admins): 201 with it. Its window may not overlap another's (409):
// one banner is shown at a time.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { checkWindow, CreateAnnouncementBody, lockAnnouncements, requireFreeWindow, type AnnouncementDoc, type AnnouncementRow } from './model.js';
import { announcementAudit, representAnnouncement } from './represent.js';

export function createAnnouncementPublic(app: FastifyInstance, deps: Deps): void {
  app.post<{ Body: CreateAnnouncementBody }>('/api/v2/announcements', { config: { role: 'admin' }, schema: { body: CreateAnnouncementBody } }, async (request, reply) => {
    const body = request.body;
    const doc: AnnouncementDoc = {
      title: body.title,
      message: body.message,
      isDismissible: body.isDismissible,
      severity: body.severity,
      startTime: body.startTime,
      ...(body.endTime !== undefined ? { endTime: body.endTime } : {}),
    };
    checkWindow(doc);
    const now = deps.now();
    const row: AnnouncementRow = { id: objectId(now), start_time: doc.startTime, end_time: doc.endTime ?? null, doc: JSON.stringify(doc), created_at: now };
    const shown = await deps.store.tx(async (trx) => {
      await lockAnnouncements(trx, deps.store);
      await requireFreeWindow(trx, doc);
      await trx.insertInto('announcements').values(row).execute();
      const after = representAnnouncement(row, now);
      await recordAudit(trx, request.actor, now, announcementAudit(row, 'createAnnouncement', `created the announcement ${doc.title}`, { after }));
      return after;
    });
    return reply.code(201).send(shown);
  });
}
