// Flag followers: who follows a flag in an environment, as FollowFlagMember; reads, and the two writes' route.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { forbidden, notFound } from '../../http/errors.js';
import { refuseBody } from '../../http/validation.js';
import type { Db, Trx } from '../../store/db.js';
import { flagInEnvironment } from '../flags/inEnvironment.js';
import { compareText } from '../../store/reads.js';
import { findMember, memberSummary, type MemberRow } from '../members/members.js';

/** FollowFlagMember: a follower, in the shape of MemberSummary (the same fields). */
export const representFollower = memberSummary;

/** The environment's followers, by flag key (flags without followers are absent), each list by email. */
export async function followersByFlag(db: Db, environmentId: string, flagId?: string): Promise<Map<string, MemberRow[]>> {
  let query = db
    .selectFrom('flag_followers')
    .innerJoin('flags', 'flags.id', 'flag_followers.flag_id')
    .innerJoin('members', 'members.id', 'flag_followers.member_id')
    .select(['flags.key as flag_key', 'members.id as id', 'members.email as email', 'members.doc as doc', 'members.created_at as created_at'])
    .where('flag_followers.environment_id', '=', environmentId);
  if (flagId !== undefined) query = query.where('flag_followers.flag_id', '=', flagId);
  const out = new Map<string, MemberRow[]>();
  for (const row of await query.execute()) {
    const { flag_key, ...member } = row;
    out.set(flag_key, [...(out.get(flag_key) ?? []), member]);
  }
  for (const members of out.values()) members.sort((a, b) => compareText(a.email, b.email));
  return new Map([...out].sort(([a], [b]) => compareText(a, b)));
}

export interface FollowKey {
  flagId: string;
  environmentId: string;
  memberId: string;
}

/** Adds the follower unless it already follows. */
export async function follow(trx: Trx, key: FollowKey, now: number): Promise<void> {
  await trx
    .insertInto('flag_followers')
    .values({ flag_id: key.flagId, environment_id: key.environmentId, member_id: key.memberId, created_at: now })
    .onConflict((oc) => oc.columns(['flag_id', 'environment_id', 'member_id']).doNothing())
    .execute();
}

/** Removes the follower, if it follows. */
export async function unfollow(trx: Trx, key: FollowKey): Promise<void> {
  await trx.deleteFrom('flag_followers').where('flag_id', '=', key.flagId).where('environment_id', '=', key.environmentId).where('member_id', '=', key.memberId).execute();
}

interface FollowerParams {
  projectKey: string;
  featureFlagKey: string;
  environmentKey: string;
  memberId: string;
}

/**
 * PUT or DELETE …/followers/{memberId}: the project, environment, flag and member must exist (404 naming the one
 * that does not), then the write, 204 whether or not it changed anything. Following changes no flag, so any role
 * may; but "reader roles can only add [remove] themselves" (the spec). A custom-role token may act for anyone once it
 * may view the project: LaunchDarkly names no role action for following.
 */
export function followerWrite(app: FastifyInstance, deps: Deps, method: 'PUT' | 'DELETE', write: (trx: Trx, key: FollowKey, now: number) => Promise<void>): void {
  app.route<{ Params: FollowerParams }>({
    method,
    url: '/api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/followers/:memberId',
    // No body: the official client labels its empty body application/x-www-form-urlencoded.
    config: { role: 'reader', noBody: true },
    handler: async (request, reply) => {
      refuseBody(request.body);
      await deps.store.tx(async (trx) => {
        const { flag, environment } = await flagInEnvironment(deps, trx, request.params);
        const member = await findMember(trx, request.params.memberId);
        if (!member) throw notFound(`Member "${request.params.memberId}"`);
        const actor = request.actor;
        if (actor && !actor.policy && actor.role === 'reader' && member.id !== actor.memberId) {
          throw forbidden(`Forbidden. A reader token can only ${method === 'PUT' ? 'add' : 'remove'} its own member (${actor.memberId}) as a follower`);
        }
        await write(trx, { flagId: flag.row.id, environmentId: environment.id, memberId: member.id }, deps.now());
      });
      return reply.code(204).send();
    },
  });
}
