// DELETE /api/v2/announcements/{announcementId} — delete an announcement (admins): 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { announcementDoc, findAnnouncement, lockAnnouncements } from './model.js';
import { announcementAudit, representAnnouncement } from './represent.js';

export function deleteAnnouncementPublic(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { announcementId: string } }>('/api/v2/announcements/:announcementId', { config: { role: 'admin' } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      await lockAnnouncements(trx, deps.store);
      const row = await findAnnouncement(trx, request.params.announcementId);
      await trx.deleteFrom('announcements').where('id', '=', row.id).execute();
      const before = representAnnouncement(row, now);
      await recordAudit(trx, request.actor, now, announcementAudit(row, 'deleteAnnouncement', `deleted the announcement ${announcementDoc(row).title}`, { before }));
    });
    return reply.code(204).send();
  });
}
