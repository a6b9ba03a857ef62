// The Token representation: the full value only in the response that creates or resets it.
import { link } from '../../http/links.js';
import { memberSummary, type MemberRow } from '../members/members.js';
import { CUSTOM } from './grants.js';
import type { TokenDoc, TokenRow } from './tokens.js';

/**
 * `unwritten`: a later use this instance noted (TokenUsage) and has not written yet. `member`: the member who made the
 * token, shown as `_member` (a MemberSummary) while the member exists.
 */
export function representToken(row: TokenRow, accountId: string, fullValue?: string, unwritten?: number, member?: MemberRow): Record<string, unknown> {
  const doc = JSON.parse(row.doc) as TokenDoc;
  const rep: Record<string, unknown> = {
    _id: row.id,
    ownerId: accountId,
    memberId: row.member_id,
    ...(member ? { _member: memberSummary(member) } : {}),
    creationDate: row.created_at,
    lastModified: row.last_modified,
    customRoleIds: doc.customRoleIds ?? [],
    inlineRole: doc.inlineRole ?? [],
    // A token governed by custom or inline roles has no built-in role to show.
    ...(row.role === CUSTOM ? {} : { role: row.role }),
    token: fullValue ?? doc.last4,
    serviceToken: doc.serviceToken,
    _links: { parent: link('/api/v2/tokens'), self: link(`/api/v2/tokens/${row.id}`) },
    defaultApiVersion: doc.defaultApiVersion,
  };
  if (doc.name !== undefined) rep.name = doc.name;
  if (doc.description !== undefined) rep.description = doc.description;
  const lastUsed = Math.max(doc.lastUsed ?? 0, unwritten ?? 0);
  if (lastUsed > 0) rep.lastUsed = lastUsed;
  return rep;
}
