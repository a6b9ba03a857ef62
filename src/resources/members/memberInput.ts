// What a member's role fields may hold, as postMembers, patchMember and patchMembers take them.
import type { FieldError } from '../../http/errors.js';
import type { Store, Trx } from '../../store/db.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { resolveRoleIds } from '../custom-roles/model.js';
import type { Actor } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { representMember, type MemberDoc, type MemberRow } from './members.js';

/** The base roles a member may be given; `owner` belongs to the account's first member only. */
export const ASSIGNABLE_ROLES = ['reader', 'writer', 'admin', 'no_access'];

export function roleProblem(value: unknown, attribute: string): FieldError | undefined {
  if (typeof value === 'string' && ASSIGNABLE_ROLES.includes(value)) return undefined;
  return { attribute, reason: `must be one of ${ASSIGNABLE_ROLES.join(', ')}` };
}

/** Role attributes: each key a list of strings (`{"developerProjectKeys": ["default"]}`). */
export function roleAttributesProblem(value: unknown, attribute: string): FieldError | undefined {
  const ok =
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((values) => Array.isArray(values) && values.every((v) => typeof v === 'string'));
  return ok ? undefined : { attribute, reason: 'must be an object whose values are lists of strings' };
}

/** Custom roles named by key or id, as ids; a problem under `attribute[i]` for each that names no role. */
export async function customRoleIdsOf(trx: Trx, store: Store, value: unknown, attribute: string): Promise<{ ids: string[]; errors: FieldError[] }> {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return { ids: [], errors: [{ attribute, reason: 'must be a list of custom role keys or ids' }] };
  return resolveRoleIds(trx, store, value as string[], attribute);
}

/** The longest email address SMTP carries (RFC 5321's 256-octet path, less its angle brackets). */
export const EMAIL_MAX_LENGTH = 254;

/** An email address as invitations need one: something@domain, without spaces, at most EMAIL_MAX_LENGTH characters. */
export function emailProblem(value: unknown, attribute: string): FieldError | undefined {
  if (typeof value === 'string' && value.length > EMAIL_MAX_LENGTH) return { attribute, reason: `must be an email address of at most ${EMAIL_MAX_LENGTH} characters` };
  if (typeof value === 'string' && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return undefined;
  return { attribute, reason: 'must be an email address' };
}

/** The audit action of a change to a member, named by its first changed field; undefined when nothing changed. */
const ACTIONS: [keyof MemberDoc, string][] = [
  ['role', 'updateRole'],
  ['customRoleIds', 'updateCustomRole'],
  ['roleAttributes', 'updateMemberRoleAttributes'],
  ['firstName', 'updateName'],
  ['lastName', 'updateName'],
];

export function changeAction(before: MemberDoc, after: MemberDoc): string | undefined {
  // The owner's doc predates custom roles and attributes: absent is the same as none.
  const normal = (doc: MemberDoc): MemberDoc => ({ ...doc, customRoleIds: doc.customRoleIds ?? [], roleAttributes: doc.roleAttributes ?? {} });
  const [a, b] = [normal(before), normal(after)];
  return ACTIONS.find(([field]) => !deepEqual(a[field], b[field]))?.[1];
}

/** Writes a member's changed doc (one more version) and its audit entry; returns the new row. */
export async function saveMember(trx: Trx, actor: Actor | undefined, now: number, row: MemberRow, doc: MemberDoc, audit: { action: string; comment?: string; delta: unknown }): Promise<MemberRow> {
  const next: MemberRow = { ...row, doc: JSON.stringify({ ...doc, version: (doc.version ?? 1) + 1 }) };
  await trx.updateTable('members').set({ doc: next.doc }).where('id', '=', row.id).execute();
  await recordAudit(trx, actor, now, {
    kind: 'member',
    resource: `member/${row.id}`,
    action: audit.action,
    name: row.email,
    description: `updated the member ${row.email}`,
    comment: audit.comment,
    delta: audit.delta,
    before: representMember(row),
    after: representMember(next),
  });
  return next;
}
