// POST /api/v2/flag-links/projects/{projectKey}/flags/{featureFlagKey} (beta) — link a URL to a flag: 201 with the
// FlagLinkRep. A `key` is unique within the flag (409). Links through an integration (`integrationKey`, `metadata`)
// are refused: iterlab has no integrations.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed, type FieldError } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findFlag } from '../flags/model.js';
import { findMember } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { deepLinkProblem, FlagLinkPost, type FlagLinkDoc, type FlagLinkRow } from './model.js';
import { linkAudit, representFlagLink } from './represent.js';

function postProblems(body: FlagLinkPost): FieldError[] {
  const problems: FieldError[] = [];
  if (body.integrationKey !== undefined) problems.push({ attribute: 'integrationKey', reason: 'iterlab has no integrations: make a URL flag link (deepLink, without integrationKey)' });
  else if (body.metadata !== undefined) problems.push({ attribute: 'metadata', reason: "is an integration's, and a URL flag link has no integration" });
  const url = deepLinkProblem(body.deepLink, 'deepLink');
  if (url) problems.push(url);
  return problems;
}

export function createFlagLink(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; featureFlagKey: string }; Body: FlagLinkPost }>(
    '/api/v2/flag-links/projects/:projectKey/flags/:featureFlagKey',
    { config: { beta: true }, schema: { body: FlagLinkPost } },
    async (request, reply) => {
      const body = request.body;
      const problems = postProblems(body);
      if (problems.length > 0) throw validationFailed(problems);
      const now = deps.now();
      const memberId = request.actor?.memberId;
      const doc: FlagLinkDoc = {
        deepLink: body.deepLink,
        ...(body.title !== undefined ? { title: body.title } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
        timestamp: body.timestamp ?? now,
        memberId,
      };
      const rep = await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            const project = await findProject(trx, request.params.projectKey);
            const flag = await findFlag(trx, project, request.params.featureFlagKey);
            // Held until commit: the flag is not deleted under the new link.
            if (deps.store.kind === 'postgres') await trx.selectFrom('flags').select('id').where('id', '=', flag.row.id).forShare().execute();
            const row: FlagLinkRow = { id: objectId(now), flag_id: flag.row.id, key: body.key ?? null, doc: JSON.stringify(doc), created_at: now };
            await trx.insertInto('flag_links').values(row).execute();
            const member = memberId ? await findMember(trx, memberId) : undefined;
            const shown = representFlagLink(row, project.key, flag.row.key, member);
            await recordAudit(trx, request.actor, now, linkAudit(project.key, flag.row.key, flag.doc.name, 'createFlagLink', `added a link to the flag ${flag.doc.name}`, { after: shown }));
            return shown;
          }),
        `The flag "${request.params.featureFlagKey}" already has a link with the key "${body.key}"`,
      );
      return reply.code(201).send(rep);
    },
  );
}
