// The maintainer of the AI library's resources (AI tools, agent graphs): a member or a team, as `maintainerId` /
// `maintainerTeamKey` name it in a body and `_maintainer` shows it (LaunchDarkly's MaintainerMember or
// AiConfigsMaintainerTeam, with its `kind`).
import { validationFailed } from '../../http/errors.js';
import type { Db, Trx } from '../../store/db.js';
import { findMembers, memberDoc, requireMember } from '../members/members.js';
import { requireTeam, teamDoc } from '../teams/model.js';

/** As stored: a member or a team, never both. */
export interface Maintainer {
  memberId?: string;
  teamKey?: string;
}

/** The members of a body that name a maintainer. */
export interface MaintainerFields {
  maintainerId?: string;
  maintainerTeamKey?: string;
}

/**
 * The maintainer `fields` name, checked to exist (a 400 naming the field otherwise): a member or a team; none when the
 * one sent is `""` (LaunchDarkly: "Pass an empty string to remove maintainer"); `current` when neither is sent. Both
 * at once is a 400: a resource has one maintainer.
 */
export async function namedMaintainer(db: Db | Trx, fields: MaintainerFields, current: Maintainer | undefined): Promise<Maintainer | undefined> {
  const { maintainerId, maintainerTeamKey } = fields;
  if (maintainerId && maintainerTeamKey) {
    throw validationFailed([{ attribute: 'maintainerTeamKey', reason: 'give maintainerId or maintainerTeamKey, not both: a resource has one maintainer' }]);
  }
  if (maintainerId) return { memberId: (await requireMember(db, maintainerId, 'maintainerId')).id };
  if (maintainerTeamKey) return { teamKey: (await requireTeam(db, maintainerTeamKey, 'maintainerTeamKey')).key };
  if (maintainerId === '' || maintainerTeamKey === '') return undefined;
  return current;
}

/**
 * `_maintainer` for each of `maintainers`, read in two queries: a member as MaintainerMember, a team as
 * AiConfigsMaintainerTeam, each with its `kind`; undefined for none, or for a member or team deleted since.
 */
export async function maintainerViews(db: Db | Trx, maintainers: readonly (Maintainer | undefined)[]): Promise<(maintainer: Maintainer | undefined) => Record<string, unknown> | undefined> {
  const memberIds = maintainers.flatMap((m) => (m?.memberId ? [m.memberId] : []));
  const teamKeys = [...new Set(maintainers.flatMap((m) => (m?.teamKey ? [m.teamKey] : [])))];
  const members = await findMembers(db, memberIds);
  const teams = new Map((teamKeys.length > 0 ? await db.selectFrom('teams').selectAll().where('key', 'in', teamKeys).execute() : []).map((row) => [row.key, row]));
  return (maintainer) => {
    const member = maintainer?.memberId ? members.get(maintainer.memberId) : undefined;
    if (member) {
      const doc = memberDoc(member);
      return { kind: 'member', _id: member.id, email: member.email, firstName: doc.firstName, lastName: doc.lastName, role: doc.role };
    }
    const team = maintainer?.teamKey ? teams.get(maintainer.teamKey) : undefined;
    return team ? { kind: 'team', key: team.key, name: teamDoc(team).name } : undefined;
  };
}
