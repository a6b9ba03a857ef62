// POST /api/v2/members — invite up to 50 members at once (admin). One member that cannot be invited refuses the
// whole request: field problems are a 400 naming `[i].field`; an email already in the account, or twice in the
// request, a 400 with LaunchDarkly's `code` and `invalid_emails`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError, validationFailed, type FieldError } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { isUniqueViolation } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { teamDoc } from '../teams/model.js';
import { saveTeamMembers } from '../teams/teamInput.js';
import { teamsByMember } from '../teams/represent.js';
import { customRoleIdsOf, emailProblem, roleAttributesProblem, roleProblem } from './memberInput.js';
import { representMember, type MemberDoc, type MemberRow } from './members.js';

/** LaunchDarkly's limit per request. */
const MAX_MEMBERS = 50;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The problems of one NewMemberForm that need no store: under `[i].`. */
function formProblems(form: unknown, i: number): FieldError[] {
  const at = (field: string) => `[${i}].${field}`;
  if (!isObject(form)) return [{ attribute: `[${i}]`, reason: 'must be an object (NewMemberForm)' }];
  const problems: FieldError[] = [];
  const email = emailProblem(form.email, at('email'));
  if (email) problems.push(email);
  for (const field of ['firstName', 'lastName', 'password']) {
    if (form[field] !== undefined && typeof form[field] !== 'string') problems.push({ attribute: at(field), reason: 'must be a string' });
  }
  // Terraform's launchdarkly_team_member sends `role: ""` when only custom roles are configured: no role given.
  if (form.role !== undefined && form.role !== '') {
    const role = roleProblem(form.role, at('role'));
    if (role) problems.push(role);
  }
  if (form.roleAttributes !== undefined) {
    const attributes = roleAttributesProblem(form.roleAttributes, at('roleAttributes'));
    if (attributes) problems.push(attributes);
  }
  if (form.teamKeys !== undefined && (!Array.isArray(form.teamKeys) || !form.teamKeys.every((k) => typeof k === 'string'))) {
    problems.push({ attribute: at('teamKeys'), reason: 'must be a list of team keys' });
  }
  return problems;
}

export function postMembers(app: FastifyInstance, deps: Deps): void {
  app.post('/api/v2/members', { config: { role: 'admin' } }, async (request, reply) => {
    const forms = request.body;
    if (!Array.isArray(forms) || forms.length === 0 || forms.length > MAX_MEMBERS) {
      throw validationFailed([{ attribute: 'body', reason: `must be a list of 1 to ${MAX_MEMBERS} members to invite (NewMemberForm)` }]);
    }
    const problems = forms.flatMap(formProblems);
    if (problems.length > 0) throw validationFailed(problems);
    const inputs = forms as Record<string, unknown>[];
    const emails = inputs.map((form) => (form.email as string).toLowerCase());
    const twice = [...new Set(emails.filter((email, i) => emails.indexOf(email) !== i))];
    if (twice.length > 0) throw new ApiError(400, 'duplicate_email', `Each member must have a different email; given more than once: ${twice.join(', ')}`, undefined, { invalid_emails: twice });

    const now = deps.now();
    const alreadyThere = (taken: string[]) =>
      new ApiError(400, 'email_already_exists_in_account', `A member with this email already exists in the account: ${taken.join(', ')}`, undefined, { invalid_emails: taken });
    const created = await deps.store.tx(async (trx) => {
      const existing = await trx.selectFrom('members').select('email').execute();
      const taken = emails.filter((email) => existing.some((row) => row.email.toLowerCase() === email));
      if (taken.length > 0) throw alreadyThere(taken);
      const rows: MemberRow[] = [];
      const storeErrors: FieldError[] = [];
      let teamQuery = trx.selectFrom('teams').selectAll();
      if (deps.store.kind === 'postgres') teamQuery = teamQuery.forUpdate();
      const teams = new Map((await teamQuery.execute()).map((team) => [team.key, { row: team, doc: teamDoc(team) }]));
      for (const [i, form] of inputs.entries()) {
        const roles = form.customRoles === undefined ? { ids: [], errors: [] } : await customRoleIdsOf(trx, deps.store, form.customRoles, `[${i}].customRoles`);
        storeErrors.push(...roles.errors);
        ((form.teamKeys as string[] | undefined) ?? []).forEach((key, k) => {
          if (!teams.has(key)) storeErrors.push({ attribute: `[${i}].teamKeys[${k}]`, reason: `no team has the key "${key}"` });
        });
        const doc: MemberDoc = {
          firstName: (form.firstName as string | undefined) ?? '',
          lastName: (form.lastName as string | undefined) ?? '',
          // Neither a role nor custom roles: a reader, as Terraform's team member documents.
          role: (form.role as string | undefined) || 'reader',
          customRoleIds: roles.ids,
          ...(form.roleAttributes !== undefined ? { roleAttributes: form.roleAttributes as Record<string, string[]> } : {}),
          pendingInvite: true,
          version: 1,
        };
        // The email as given; it is compared without case.
        rows.push({ id: objectId(now), email: form.email as string, doc: JSON.stringify(doc), created_at: now });
      }
      if (storeErrors.length > 0) throw validationFailed(storeErrors);
      for (const row of rows) {
        await trx.insertInto('members').values(row).execute();
        const doc = JSON.parse(row.doc) as MemberDoc;
        await recordAudit(trx, request.actor, now, {
          kind: 'member',
          resource: `member/${row.id}`,
          action: 'createMember',
          name: row.email,
          description: `invited ${row.email} as ${doc.role}`,
          after: representMember(row),
        });
      }
      const joined = new Set<string>();
      for (const [i, form] of inputs.entries()) {
        for (const key of (form.teamKeys as string[] | undefined) ?? []) {
          const team = teams.get(key)!;
          team.doc.memberIds = [...new Set([...team.doc.memberIds, rows[i].id])];
          joined.add(key);
        }
      }
      for (const key of joined) {
        const { row, doc } = teams.get(key)!;
        await saveTeamMembers(trx, request.actor, now, row, doc, { description: `added invited members to the team ${doc.name}` });
      }
      return rows;
    }).catch((err: unknown) => {
      // A concurrent invitation of the same email committed first.
      throw isUniqueViolation(err) ? alreadyThere(emails) : err;
    });
    const teams = await teamsByMember(deps.store.db);
    return reply.code(201).send({ items: created.map((row) => representMember(row, teams.get(row.id))), _links: { self: link('/api/v2/members') }, totalCount: created.length });
  });
}
