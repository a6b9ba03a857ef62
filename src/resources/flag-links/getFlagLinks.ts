// GET /api/v2/flag-links/projects/{projectKey}/flags/{featureFlagKey} (beta) — the flag's links, most recent first.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { findFlag } from '../flags/model.js';
import { findMembers } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { linkDoc, linksOfFlag } from './model.js';
import { linksPath, representFlagLink } from './represent.js';

export function getFlagLinks(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; featureFlagKey: string } }>('/api/v2/flag-links/projects/:projectKey/flags/:featureFlagKey', { config: { beta: true } }, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const flag = await findFlag(db, project, request.params.featureFlagKey);
    const rows = await linksOfFlag(db, flag.row.id);
    const members = await findMembers(db, rows.map((row) => linkDoc(row).memberId).filter((id): id is string => id !== undefined));
    return {
      items: rows.map((row) => representFlagLink(row, project.key, flag.row.key, members.get(linkDoc(row).memberId ?? ''))),
      _links: { self: link(linksPath(project.key, flag.row.key)) },
    };
  });
}
