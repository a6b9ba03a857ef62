// GET /api/v2/announcements — the account's announcements, latest start first: `status` (active, inactive or
// scheduled, by the clock now) filters them, `limit` (20 by default) and `offset` page them. Every token may read them:
// the banner is shown to everyone in the organization.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { pageLinks, readPage } from '../../http/links.js';
import { announcementDoc, announcementStatus, STATUSES, type AnnouncementStatus } from './model.js';
import { ANNOUNCEMENTS_PATH, representAnnouncement } from './represent.js';

function readStatus(value: unknown): AnnouncementStatus | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(STATUSES as readonly string[]).includes(value)) {
    throw validationFailed([{ attribute: 'status', reason: `must be one of ${STATUSES.join(', ')}` }]);
  }
  return value as AnnouncementStatus;
}

export function getAnnouncementsPublic(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Record<string, unknown> }>('/api/v2/announcements', async (request) => {
    const status = readStatus(request.query.status);
    const page = readPage(request.query, 20);
    const now = deps.now();
    const rows = await deps.store.db.selectFrom('announcements').selectAll().orderBy('start_time', 'desc').orderBy('id').execute();
    const listed = status === undefined ? rows : rows.filter((row) => announcementStatus(announcementDoc(row), now) === status);
    return {
      items: listed.slice(page.offset, page.offset + page.limit).map((row) => representAnnouncement(row, now)),
      _links: pageLinks(ANNOUNCEMENTS_PATH, page, listed.length, { status }),
    };
  });
}
