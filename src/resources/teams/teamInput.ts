// What a team's fields may hold, as postTeam, patchTeam, patchTeams and postMemberTeams take them, and how a
// team's change is written (one row update and its audit entry).
import type { Actor } from '../../http/context.js';
import type { FieldError } from '../../http/errors.js';
import type { Store, Trx } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { resolveRoleIds } from '../custom-roles/model.js';
import type { PermissionGrant, TeamDoc, TeamRow } from './model.js';
import { representTeam } from './represent.js';

/**
 * The ids no member has, each a problem under `attribute[i]`. Read FOR SHARE on PostgreSQL: held until commit, so a
 * member being removed (which locks its row) is not put on a team at the same moment.
 */
export async function unknownMembers(trx: Trx, store: Pick<Store, 'kind'>, ids: readonly string[], attribute: string): Promise<FieldError[]> {
  if (ids.length === 0) return [];
  let query = trx.selectFrom('members').select('id').where('id', 'in', [...ids]);
  if (store.kind === 'postgres') query = query.forShare();
  const found = new Set((await query.execute()).map((r) => r.id));
  return ids.flatMap((id, i) => (found.has(id) ? [] : [{ attribute: `${attribute}[${i}]`, reason: `no member has the ID "${id}"` }]));
}

/** Custom roles named by key (or id) as ids, and a problem for each name no role has. */
export function teamRoleIds(trx: Trx, store: Store, keys: readonly string[], attribute: string): Promise<{ ids: string[]; errors: FieldError[] }> {
  return resolveRoleIds(trx, store, keys, attribute);
}

/** A permission grant as the API takes it: `actionSet` (only `maintainTeam`) or `actions`, not both, and members. */
export function grantProblems(grant: { actionSet?: string; actions?: string[] }, attribute: string): FieldError[] {
  if ((grant.actionSet === undefined) === (grant.actions === undefined)) return [{ attribute, reason: 'must have either actionSet or actions, not both' }];
  if (grant.actionSet !== undefined && grant.actionSet !== 'maintainTeam') return [{ attribute: `${attribute}.actionSet`, reason: 'must be maintainTeam' }];
  if (grant.actions !== undefined && grant.actions.length === 0) return [{ attribute: `${attribute}.actions`, reason: 'must name at least one action' }];
  return [];
}

/** Whether two grants give the same thing (the same action set, or the same actions in any order). */
export function sameGrant(a: Pick<PermissionGrant, 'actionSet' | 'actions'>, b: Pick<PermissionGrant, 'actionSet' | 'actions'>): boolean {
  if (a.actionSet !== undefined || b.actionSet !== undefined) return a.actionSet === b.actionSet;
  return [...(a.actions ?? [])].sort().join('\u0000') === [...(b.actions ?? [])].sort().join('\u0000');
}

/** Writes a team's new doc (one more version) and its audit entry; returns the new row. */
export async function saveTeam(
  trx: Trx,
  actor: Actor | undefined,
  now: number,
  row: TeamRow,
  doc: TeamDoc,
  audit: { action: string; description: string; comment?: string; delta?: unknown; before: unknown; after: (next: TeamRow) => unknown },
): Promise<TeamRow> {
  const next: TeamRow = { ...row, doc: JSON.stringify({ ...doc, version: doc.version + 1 }), last_modified: now };
  await trx.updateTable('teams').set({ doc: next.doc, last_modified: now }).where('id', '=', row.id).execute();
  await recordAudit(trx, actor, now, {
    kind: 'team',
    resource: `team/${row.key}`,
    action: audit.action,
    name: doc.name,
    description: audit.description,
    comment: audit.comment,
    delta: audit.delta,
    before: audit.before,
    after: audit.after(next),
  });
  return next;
}

/** A change of a team's members made by another operation (postMembers, deleteMember, postMemberTeams, patchTeams). */
export function saveTeamMembers(trx: Trx, actor: Actor | undefined, now: number, row: TeamRow, doc: TeamDoc, audit: { description: string; comment?: string; delta?: unknown }): Promise<TeamRow> {
  const counts = new Set(['members']);
  const none = { roles: new Map(), members: new Map(), projects: [] };
  return saveTeam(trx, actor, now, row, doc, { action: 'updateTeamMembers', ...audit, before: representTeam(row, counts, none), after: (next) => representTeam(next, counts, none) });
}
