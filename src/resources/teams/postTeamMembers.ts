// POST /api/v2/teams/{teamKey}/members — add members to a team from an uploaded CSV file of their emails (admin):
// the first column of each row, an optional header row. 201 when every row is a member to add (and they are added);
// 207 listing each row's problem otherwise, and nobody is added; 400 for a file with nothing usable.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { formParts } from '../../http/multipart.js';
import { emailProblem } from '../members/memberInput.js';
import { findTeam, teamDoc } from './model.js';
import { saveTeamMembers } from './teamInput.js';

const unprocessable = (message = 'Unable to process file') => new ApiError(400, 'invalid_request', message);

/** The text of the form's `file` part (the first part when none is named so). */
export function uploadedFile(body: unknown, contentType: string | undefined): string {
  const parts = formParts(body, contentType);
  return (parts.find((part) => part.name === 'file') ?? parts[0]).content;
}

/** Each row's first column, unquoted, with its line number; blank lines at the end are dropped; a first row with no `@` is a header. */
export function csvEmails(text: string): { line: number; value: string }[] {
  const lines = text.split(/\r\n|\r|\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const rows = lines.map((row, i) => ({ line: i + 1, value: (row.split(',')[0] ?? '').trim().replace(/^"(.*)"$/, '$1').trim() }));
  if (rows.length > 0 && rows[0].value !== '' && !rows[0].value.includes('@')) rows.shift();
  return rows;
}

export function postTeamMembers(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { teamKey: string } }>('/api/v2/teams/:teamKey/members', { config: { role: 'admin', multipart: true } }, async (request, reply) => {
    const rows = csvEmails(uploadedFile(request.body, request.headers['content-type']));
    if (rows.length === 0) throw unprocessable('File is empty');
    const now = deps.now();
    const result = await deps.store.tx(async (trx) => {
      const team = await findTeam(trx, request.params.teamKey, deps.store);
      const doc = teamDoc(team);
      let query = trx.selectFrom('members').select(['id', 'email']);
      if (deps.store.kind === 'postgres') query = query.forShare();
      const byEmail = new Map((await query.execute()).map((m) => [m.email.toLowerCase(), m.id]));
      const seen = new Set<string>();
      const items = rows.map(({ line, value }) => {
        const email = value.toLowerCase();
        const problem =
          value === '' ? 'empty row'
          : emailProblem(value, 'email') ? 'invalid email formatting'
          : seen.has(email) ? 'duplicate entry'
          : !byEmail.has(email) ? 'email does not belong to a LaunchDarkly member'
          : doc.memberIds.includes(byEmail.get(email)!) ? 'email already exists in the specified team'
          : undefined;
        seen.add(email);
        return problem ? { message: `Line ${line}: ${problem}`, status: 'error', value } : { status: 'success', value };
      });
      if (items.some((item) => item.status === 'error')) {
        const listed = items.filter((item) => item.value !== '');
        // The reference's 400s: the file holds nothing that could be added, for one reason.
        if (listed.length > 0 && listed.every((item) => item.message?.endsWith('invalid email formatting'))) throw unprocessable('All emails have invalid formatting');
        if (listed.length > 0 && listed.every((item) => item.message?.endsWith('already exists in the specified team'))) throw unprocessable('All emails belong to existing team members');
        if (listed.length > 0 && listed.every((item) => item.message?.endsWith('does not belong to a LaunchDarkly member'))) throw unprocessable('No emails belong to members of your LaunchDarkly organization');
        return { status: 207, items };
      }
      const added = items.map((item) => byEmail.get(item.value.toLowerCase())!);
      await saveTeamMembers(trx, request.actor, now, team, { ...doc, memberIds: [...doc.memberIds, ...added] }, { description: `added ${added.length} members to the team ${doc.name} from a file` });
      return { status: 201, items };
    });
    return reply.code(result.status).send({ items: result.items });
  });
}
