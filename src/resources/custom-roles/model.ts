// Custom roles: the request schemas, the checks on a policy's statements, the stored row, and lookups by key or id.
import { Type, type Static } from '@sinclair/typebox';
import { notFound, type FieldError } from '../../http/errors.js';
import { Key, Name, StringEnum } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import type { Db, Store, Trx } from '../../store/db.js';
import { parseSpecifier, RESOURCE_TYPES, unknownResourceType, type Policy, type Statement } from './policy.js';

export const StatementInput = Type.Object({
  effect: StringEnum(['allow', 'deny'] as const),
  resources: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 100 })),
  notResources: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 100 })),
  actions: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 500 })),
  notActions: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 500 })),
});

export const Statements = Type.Array(StatementInput, { maxItems: 200 });

export const BASE_PERMISSIONS = ['reader', 'no_access'] as const;
export const RESOURCE_CATEGORIES = ['organization', 'project', 'any'] as const;

export const CustomRolePost = Type.Object({
  name: Name,
  key: Key,
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  policy: Statements,
  basePermissions: Type.Optional(StringEnum(BASE_PERMISSIONS)),
  resourceCategory: Type.Optional(StringEnum(RESOURCE_CATEGORIES)),
});
export type CustomRolePost = Static<typeof CustomRolePost>;

/** The members of a role a patch may change, checked again after the patch. */
export const CustomRoleFields = Type.Object({
  name: Name,
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  policy: Statements,
  basePermissions: StringEnum(BASE_PERMISSIONS),
});

export const WRITABLE_ROLE_FIELDS = ['name', 'description', 'policy', 'basePermissions'];
export const READ_ONLY_ROLE_FIELDS = ['_id', '_links', '_access', 'key', 'resourceCategory', 'assignedTo'];

export interface CustomRoleDoc {
  name: string;
  description?: string;
  policy: Statement[];
  basePermissions: (typeof BASE_PERMISSIONS)[number];
  resourceCategory: (typeof RESOURCE_CATEGORIES)[number];
}

export interface CustomRoleRow {
  id: string;
  key: string;
  doc: string;
  created_at: number;
  last_modified: number;
}

/**
 * A statement names its resources by `resources` or `notResources` and its actions by `actions` or `notActions`:
 * exactly one of each pair, not empty; every specifier must parse and name only known resource types. Problems are named by `prefix[i].field[j]`.
 */
export function statementProblems(statements: readonly Statement[], prefix: string): FieldError[] {
  const errors = check(Statements, statements, prefix);
  if (errors.length > 0) return errors;
  statements.forEach((statement, i) => {
    const at = `${prefix}[${i}]`;
    for (const [positive, negative, what] of [
      ['resources', 'notResources', 'resource specifiers'],
      ['actions', 'notActions', 'actions'],
    ] as const) {
      const given = (statement[positive]?.length ?? 0) > 0;
      const negated = (statement[negative]?.length ?? 0) > 0;
      if (given && negated) errors.push({ attribute: `${at}.${negative}`, reason: `must be empty when ${positive} is given; a statement takes ${positive} or ${negative}, not both` });
      if (!given && !negated) errors.push({ attribute: `${at}.${positive}`, reason: `must list at least one of the ${what} the statement ${statement.effect === 'deny' ? 'denies' : 'allows'} (or use ${negative})` });
    }
    for (const field of ['resources', 'notResources'] as const) {
      statement[field]?.forEach((text, j) => {
        const parsed = parseSpecifier(text);
        if (typeof parsed === 'string') errors.push({ attribute: `${at}.${field}[${j}]`, reason: `"${text}" is not a resource specifier: it ${parsed}` });
        else {
          const unknown = unknownResourceType(parsed);
          if (unknown !== undefined) errors.push({ attribute: `${at}.${field}[${j}]`, reason: `"${text}" names the resource type "${unknown}", which is not one: use ${[...RESOURCE_TYPES].sort().join(', ')}` });
        }
      });
    }
    for (const field of ['actions', 'notActions'] as const) {
      statement[field]?.forEach((text, j) => {
        if (!/^[A-Za-z*?]+$/.test(text.trim())) errors.push({ attribute: `${at}.${field}[${j}]`, reason: `"${text}" is not an action; an action is a name such as updateOn, or a glob such as update*` });
      });
    }
  });
  return errors;
}

/** A statement as stored and shown: only the members it was given, in LaunchDarkly's order. */
export function normalStatement(input: Statement): Statement {
  const out: Statement = { effect: input.effect };
  for (const field of ['resources', 'notResources', 'actions', 'notActions'] as const) {
    if ((input[field]?.length ?? 0) > 0) out[field] = input[field]!.map((s) => s.trim());
  }
  return out;
}

export function roleDoc(row: CustomRoleRow): CustomRoleDoc {
  return JSON.parse(row.doc) as CustomRoleDoc;
}

/**
 * A role by key or by id, as getCustomRole documents ("by key or ID"); a key wins over an id, should a role's key
 * look like another role's id. Locked on PostgreSQL until commit when `lock` names the store.
 */
export async function findRole(db: Db | Trx, keyOrId: string, lock?: Store): Promise<CustomRoleRow> {
  let query = db.selectFrom('custom_roles').selectAll().where((eb) => eb.or([eb('key', '=', keyOrId), eb('id', '=', keyOrId)]));
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const rows = await query.execute();
  const row = rows.find((r) => r.key === keyOrId) ?? rows[0];
  if (!row) throw notFound(`Custom role "${keyOrId}"`);
  return row;
}

/** Like findRole, inside a write: the row is locked on PostgreSQL until commit. */
export async function lockRole(trx: Trx, store: Store, keyOrId: string): Promise<CustomRoleRow> {
  return findRole(trx, keyOrId, store);
}

/** The roles a token names, by id, in its order; ids that no longer name a role are left out. */
export async function rolesById(db: Db | Trx, ids: readonly string[]): Promise<CustomRoleRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('custom_roles').selectAll().where('id', 'in', [...ids]).execute();
  return ids.map((id) => rows.find((row) => row.id === id)).filter((row): row is CustomRoleRow => row !== undefined);
}

/**
 * A token's policy: each of its roles, then its inline role as one more (which grants no base permissions); each is
 * decided on its own, and the most permissive wins.
 */
export function policyOf(roles: readonly CustomRoleRow[], inline: readonly Statement[]): Policy {
  return {
    roles: [
      ...roles.map(roleDoc).map((doc) => ({ statements: doc.policy, baseReader: doc.basePermissions === 'reader' })),
      ...(inline.length > 0 ? [{ statements: [...inline], baseReader: false }] : []),
    ],
  };
}

/**
 * Custom roles named by id or key, as their ids in the order given (each once), and a problem for each name that is
 * no role's, under `attribute[i]`. Read FOR SHARE on PostgreSQL: held until commit, so a role being deleted (which
 * locks it) is not given to a token or a member at the same moment.
 */
export async function resolveRoleIds(db: Db | Trx, store: Pick<Store, 'kind'>, given: readonly string[], attribute: string): Promise<{ ids: string[]; errors: FieldError[] }> {
  if (given.length === 0) return { ids: [], errors: [] };
  let query = db.selectFrom('custom_roles').select(['id', 'key']).where((eb) => eb.or([eb('id', 'in', [...given]), eb('key', 'in', [...given])]));
  if (store.kind === 'postgres') query = query.forShare();
  const found = await query.execute();
  const ids: string[] = [];
  const errors: FieldError[] = [];
  given.forEach((name, i) => {
    const role = found.find((r) => r.id === name) ?? found.find((r) => r.key === name);
    if (!role) errors.push({ attribute: `${attribute}[${i}]`, reason: `no custom role has the id or key "${name}"` });
    else if (!ids.includes(role.id)) ids.push(role.id);
  });
  return { ids, errors };
}

/** The ids of the access tokens that hold the role (a token names its roles by id in its doc). */
export async function tokensHolding(db: Db | Trx, roleId: string): Promise<string[]> {
  const rows = await db.selectFrom('tokens').select(['id', 'doc']).where('doc', 'like', `%${roleId}%`).execute();
  return rows.filter((row) => ((JSON.parse(row.doc) as { customRoleIds?: string[] }).customRoleIds ?? []).includes(roleId)).map((row) => row.id);
}
