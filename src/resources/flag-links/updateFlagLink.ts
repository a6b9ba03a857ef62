// PATCH /api/v2/flag-links/projects/{projectKey}/flags/{featureFlagKey}/{id} (beta) — a JSON Patch on a flag link's
// title, description or URL (`_deepLink`): 200 with the FlagLinkRep.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { findFlag } from '../flags/model.js';
import { findMember } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { deepLinkProblem, findFlagLink, linkDoc, PatchedLink, READ_ONLY_LINK_FIELDS, WRITABLE_LINK_FIELDS, type FlagLinkDoc } from './model.js';
import { linkAudit, representFlagLink } from './represent.js';

const RULES = { writable: WRITABLE_LINK_FIELDS, readOnly: READ_ONLY_LINK_FIELDS };

export function updateFlagLink(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; featureFlagKey: string; id: string } }>(
    '/api/v2/flag-links/projects/:projectKey/flags/:featureFlagKey/:id',
    { config: { beta: true } },
    async (request) => {
      const { ops, comment } = readPatchBody(request.body);
      const now = deps.now();
      return deps.store.tx(async (trx) => {
        const project = await findProject(trx, request.params.projectKey);
        const flag = await findFlag(trx, project, request.params.featureFlagKey);
        const row = await findFlagLink(trx, flag.row.id, request.params.id, deps.store);
        const old = linkDoc(row);
        const memberId = old.memberId;
        const member = memberId ? await findMember(trx, memberId) : undefined;
        const before = representFlagLink(row, project.key, flag.row.key, member);
        const patched = applyResourcePatch(before, ops, RULES);
        const fields = Object.fromEntries(WRITABLE_LINK_FIELDS.filter((f) => patched[f] !== undefined).map((f) => [f, patched[f]]));
        const errors = check(PatchedLink, fields);
        const url = errors.length === 0 ? deepLinkProblem(fields._deepLink as string, '_deepLink') : undefined;
        if (url) errors.push(url);
        if (errors.length > 0) throw validationFailed(errors);
        const doc: FlagLinkDoc = {
          deepLink: fields._deepLink as string,
          ...(fields.title !== undefined ? { title: fields.title as string } : {}),
          ...(fields.description !== undefined ? { description: fields.description as string } : {}),
          timestamp: old.timestamp,
          memberId,
        };
        if (deepEqual(doc, old)) return before;
        const next = { ...row, doc: JSON.stringify(doc) };
        await trx.updateTable('flag_links').set({ doc: next.doc }).where('id', '=', row.id).execute();
        const after = representFlagLink(next, project.key, flag.row.key, member);
        const extra = { ...(comment !== undefined ? { comment } : {}), delta: ops, before, after };
        await recordAudit(trx, request.actor, now, linkAudit(project.key, flag.row.key, flag.doc.name, 'updateFlagLink', `updated a link of the flag ${flag.doc.name}`, extra));
        return after;
      });
    },
  );
}
