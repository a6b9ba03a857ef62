// The body of postAuditLogEntries and postAuditLogEntryCounts: role-policy statements that pick entries. An entry
// is picked when some access of it (an action on a resource) is allowed by a statement and denied by none; no
// statements pick every entry. Resources match as the `spec` query parameter does (tags after `;` are ignored, and
// an entry recorded for several environments, `env/*`, matches any), actions as role policies' globs.
import { validationFailed } from '../../http/errors.js';
import type { Statement } from '../custom-roles/policy.js';
import { globToRegExp, splitOutsideBraces } from '../custom-roles/policy.js';
import { normalStatement, statementProblems } from '../custom-roles/model.js';
import { matchesSpecifier, parseSpecifier } from './getAuditLogEntries.js';
import type { AuditRow } from './represent.js';
import { isObject } from '../../http/patch/resourcePatch.js';
import { FLAG_ENVIRONMENT_MEMBERS, FLAG_MEMBERS } from '../flags/actions.js';
import {
  ENVIRONMENT_MEMBERS,
  EXPERIMENT_INSTRUCTIONS,
  HOLDOUT_INSTRUCTIONS,
  LAYER_INSTRUCTIONS,
  MEMBER_FIELDS,
  METRIC_GROUP_MEMBERS,
  METRIC_MEMBERS,
  PROJECT_MEMBERS,
  ROLE_MEMBERS,
  SEGMENT_MEMBERS,
  TOKEN_MEMBERS,
} from '../custom-roles/memberActions.js';
import { TEAM_INSTRUCTION_ACTIONS } from '../teams/model.js';

/** One entry's access: what was done, to what. */
export interface Access {
  action: string;
  resource: string;
}

/**
 * The statements of a body (an array, or no body at all), or of a resource's `statements` field (`field`); a 400
 * naming each problem otherwise (`null` too).
 */
export function readStatements(value: unknown, required: boolean, field = 'body'): Statement[] {
  const shape = '[{"effect": "allow", "resources": [...], "actions": [...]}]';
  if (value === undefined) {
    if (required) throw validationFailed([{ attribute: field, reason: `must be an array of statements ${shape} ([] for every entry)` }]);
    return [];
  }
  if (!Array.isArray(value)) throw validationFailed([{ attribute: field, reason: `must be an array of statements ${shape}` }]);
  const errors = statementProblems(value as Statement[], field);
  if (errors.length > 0) throw validationFailed(errors);
  // Role policies take a level without a key (`acct`); entries' resources always have one: checked as `spec` is.
  (value as Statement[]).forEach((statement, i) => {
    for (const key of ['resources', 'notResources'] as const) {
      statement[key]?.forEach((text, j) => {
        if (text.trim() !== '*') parseSpecifier(withoutFilters(text.trim()), `${field}[${i}].${key}[${j}]`);
      });
    }
  });
  return (value as Statement[]).map(normalStatement);
}

type Matcher = (access: Access) => boolean;

/** The specifier without its levels' tags and attribute filters (`;tag`, `;{critical:true}`, whose colons are not levels'). */
export function withoutFilters(specifier: string): string {
  return splitOutsideBraces(specifier, ':')
    .map((level) => splitOutsideBraces(level, ';')[0])
    .join(':');
}

function resourceMatcher(texts: readonly string[]): (resource: string) => boolean {
  const parsed = texts.map((text) => (text.trim() === '*' ? undefined : parseSpecifier(withoutFilters(text.trim()), 'body')));
  return (resource) => parsed.some((segments) => segments === undefined || matchesSpecifier(resource, segments));
}

function actionMatcher(texts: readonly string[]): (action: string) => boolean {
  const globs = texts.map((text) => globToRegExp(text.trim()));
  return (action) => globs.some((glob) => glob.test(action));
}

function applies(statement: Statement): Matcher {
  const resources = statement.resources?.length ? resourceMatcher(statement.resources) : undefined;
  const notResources = resourceMatcher(statement.notResources ?? []);
  const actions = statement.actions?.length ? actionMatcher(statement.actions) : undefined;
  const notActions = actionMatcher(statement.notActions ?? []);
  return ({ action, resource }) =>
    (resources ? resources(resource) : !notResources(resource)) && (actions ? actions(action) : !notActions(action));
}

/** Whether an access is picked: allowed by some statement and denied by none (every access, with no statements). */
export function accessPicker(statements: readonly Statement[]): Matcher {
  if (statements.length === 0) return () => true;
  const allows = statements.filter((s) => s.effect === 'allow').map(applies);
  const denies = statements.filter((s) => s.effect === 'deny').map(applies);
  return (access) => !denies.some((deny) => deny(access)) && allows.some((allow) => allow(access));
}

/**
 * The entry's accesses: its action (kept in its document) on its resource. An update of a flag, segment, project,
 * environment, metric, metric group, access token, custom role or member is named, as LaunchDarkly names it, by the
 * actions of what it changed, read from the resource before and after: `updateOn` on a flag in each environment whose `on` changed, `updateName` on the flag in every
 * environment (`env/*`), `updateIncluded` on a segment...
 */
export function accessesOf(row: Pick<AuditRow, 'doc' | 'resource' | 'kind'>, stored?: { action: string; before?: unknown; after?: unknown; delta?: unknown }): Access[] {
  const entry = stored ?? (JSON.parse(row.doc) as { action: string; before?: unknown; after?: unknown; delta?: unknown });
  const byInstruction = INSTRUCTION_ACTIONS[`${row.kind} ${entry.action}`];
  if (byInstruction) {
    // The semantic patch as sent (`{instructions}`), or its instructions alone (a team's).
    const instructions = Array.isArray(entry.delta) ? entry.delta : isObject(entry.delta) && Array.isArray(entry.delta.instructions) ? entry.delta.instructions : [];
    const kinds = instructions.map((i) => (isObject(i) && typeof i.kind === 'string' ? i.kind : ''));
    const fallback = byInstruction.fallback ?? entry.action;
    const actions = kinds.length === 0 ? [fallback] : kinds.map((kind) => byInstruction.table[kind] ?? fallback);
    return [...new Set(actions)].map((action) => ({ action, resource: row.resource }));
  }
  const own = [{ action: entry.action, resource: row.resource }];
  if (!isObject(entry.before) || !isObject(entry.after)) return own;
  const { before, after } = entry;
  const accesses = new Map<string, Access>();
  const add = (action: string, resource: string) => accesses.set(`${action} ${resource}`, { action, resource });
  const differ = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  const members = UPDATE_MEMBERS[`${row.kind} ${entry.action}`];
  if (members) {
    for (const [member, action] of Object.entries(members)) if (differ(before[member], after[member])) add(action, row.resource);
    return accesses.size > 0 ? [...accesses.values()] : own;
  }
  if (row.kind !== 'flag' || entry.action !== 'updateFlag') return own;
  const at = (env: string) => row.resource.replace(/:env\/[^:]*:/, `:env/${env}:`);
  for (const [member, action] of Object.entries(FLAG_MEMBERS)) if (differ(before[member], after[member])) add(action, at('*'));
  const environments = [before.environments, after.environments].map((e) => (isObject(e) ? e : {}));
  for (const env of new Set(environments.flatMap((e) => Object.keys(e)))) {
    const [was, now] = environments.map((e) => (isObject(e[env]) ? (e[env] as Record<string, unknown>) : {}));
    for (const [member, action] of Object.entries(FLAG_ENVIRONMENT_MEMBERS)) if (differ(was[member], now[member])) add(action, at(env));
  }
  return accesses.size > 0 ? [...accesses.values()] : own;
}

/** The updates named, as a flag's are, by the actions of the members they changed: `{kind} {action}` -> members. */
const UPDATE_MEMBERS: Record<string, Record<string, string>> = {
  'segment updateSegment': SEGMENT_MEMBERS,
  'project updateProject': PROJECT_MEMBERS,
  'environment updateEnvironment': ENVIRONMENT_MEMBERS,
  'metric updateMetric': METRIC_MEMBERS,
  'metric-group updateMetricGroup': METRIC_GROUP_MEMBERS,
  'token updateAccessToken': TOKEN_MEMBERS,
  // Roles and members store the action of their first changed field.
  ...Object.fromEntries([...new Set(Object.values(ROLE_MEMBERS))].map((action) => [`role ${action}`, ROLE_MEMBERS])),
  ...Object.fromEntries([...new Set(Object.values(MEMBER_FIELDS))].map((action) => [`member ${action}`, MEMBER_FIELDS])),
};

/**
 * The semantic patches named, as role checks name them, by the actions of their instructions (the same action once),
 * `fallback` (else the entry's own) for an instruction the table does not name: `{kind} {action}` -> table. A new
 * iteration is updateExperiment.
 */
const INSTRUCTION_ACTIONS: Record<string, { table: Record<string, string>; fallback?: string }> = {
  'experiment updateExperiment': { table: EXPERIMENT_INSTRUCTIONS, fallback: 'updateExperiment' },
  'experiment createIteration': { table: {}, fallback: 'updateExperiment' },
  'holdout updateHoldout': { table: HOLDOUT_INSTRUCTIONS, fallback: 'updateHoldoutStatus' },
  'layer updateLayer': { table: LAYER_INSTRUCTIONS, fallback: 'updateLayer' },
  // A team patch stores its first instruction's action; other team writes (adding a member to teams) keep theirs.
  ...Object.fromEntries([...new Set(Object.values(TEAM_INSTRUCTION_ACTIONS))].map((action) => [`team ${action}`, { table: TEAM_INSTRUCTION_ACTIONS }])),
};
