// Role policies, evaluated as LaunchDarkly documents them: resource specifiers and action globs; within a role deny
// over allow, and what no statement mentions falls to the role's base permissions (reader: may view; no_access:
// nothing); across a token's roles the more permissive wins.

export interface Statement {
  effect: 'allow' | 'deny';
  resources?: string[];
  notResources?: string[];
  actions?: string[];
  notActions?: string[];
}

/** One role: its statements and the base they fall to. */
export interface RolePolicy {
  statements: Statement[];
  /** The role has `basePermissions: reader`: what no statement of it mentions may be viewed. */
  baseReader: boolean;
}

/**
 * Everything a token may do: each of its custom roles, and its inline role, decided on its own. LaunchDarkly: "If two
 * roles have conflicting permission levels, the more permissive level of access is applied".
 */
export interface Policy {
  roles: RolePolicy[];
}

/** A policy of one role, such as a Relay Proxy configuration's statements. */
export function singleRole(statements: Statement[], baseReader = false): Policy {
  return { roles: [{ statements, baseReader }] };
}

/** One level of a concrete resource: `proj/default`, `env/production`, `flag/new-checkout`, `acct`. */
export interface ResourceLevel {
  type: string;
  key?: string;
  tags?: readonly string[];
  /** Attributes a specifier may filter on, such as an environment's `critical`. */
  attributes?: Record<string, string | number | boolean>;
}

/** A concrete resource, outermost level first. */
export type ResourcePath = readonly ResourceLevel[];

/** What one request needs: an action on a resource. */
export interface Need {
  resource: ResourcePath;
  action: string;
}

interface SpecifierLevel {
  type: string;
  key: RegExp | undefined;
  /** The tags after `;`, each a glob: the resource must carry a tag matching every one of them. */
  tags: RegExp[];
  attributes: [string, string][];
}

/** A parsed resource specifier; `all` is the bare `*`, which matches every resource. */
export type Specifier = { all: true } | { all: false; levels: SpecifierLevel[] };

/** Splits on `separator` outside `{…}`, where attribute filters keep their own colons and commas. */
export function splitOutsideBraces(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** A glob (`*` any run of characters, `?` one character) as an anchored expression. */
export function globToRegExp(glob: string, flags = ''): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, flags);
}

const LEVEL = /^([A-Za-z][A-Za-z-]*)(?:\/([^;]*))?(?:;(.*))?$/;
const ATTRIBUTE = /^\{\s*([A-Za-z][A-Za-z0-9_]*)\s*:\s*([^{}]*?)\s*\}$/;

/** Parses a resource specifier such as `proj/*:env/production;critical-tag:flag/*`; the problem, when it is not one. */
export function parseSpecifier(text: string): Specifier | string {
  const trimmed = text.trim();
  if (trimmed === '*') return { all: true };
  if (trimmed === '') return 'is empty';
  const levels: SpecifierLevel[] = [];
  for (const part of splitOutsideBraces(trimmed, ':')) {
    const match = LEVEL.exec(part);
    if (!match) return `has a malformed part "${part}"; each part is type/key, optionally followed by ;tags`;
    const [, type, key, tagText] = match;
    if (key === '') return `has an empty key in "${part}"; use * for every key`;
    const tags: RegExp[] = [];
    const attributes: [string, string][] = [];
    for (const item of tagText === undefined ? [] : splitOutsideBraces(tagText, ',')) {
      const tag = item.trim();
      if (tag === '') return `has an empty tag in "${part}"`;
      const attribute = ATTRIBUTE.exec(tag);
      if (tag.startsWith('{') && !attribute) return `has a malformed attribute filter "${tag}"; write {name:value}`;
      if (attribute) attributes.push([attribute[1], attribute[2]]);
      // LaunchDarkly: "Tags are not case-sensitive".
      else tags.push(globToRegExp(tag, 'i'));
    }
    levels.push({ type, key: key === undefined ? undefined : globToRegExp(key), tags, attributes });
  }
  return { all: false, levels };
}

const ROLE_ATTRIBUTE = /\$\{roleAttribute\/([^}]*)\}/;

/**
 * A specifier with each `${roleAttribute/name}` replaced by the values a member or team was given for that attribute
 * (LaunchDarkly's role scope): one specifier per value, none when the attribute has no value.
 */
export function withRoleAttributes(text: string, attributes: Readonly<Record<string, readonly string[]>>): string[] {
  const match = ROLE_ATTRIBUTE.exec(text);
  if (!match) return [text];
  const values = Object.hasOwn(attributes, match[1]) ? attributes[match[1]] : [];
  return values.flatMap((value) => withRoleAttributes(text.slice(0, match.index) + value + text.slice(match.index + match[0].length), attributes));
}

/**
 * The resource types a specifier may name: those LaunchDarkly's role documentation names (role-resources,
 * role-actions), and those of iterlab's own resources that its routes and audit entries name. A statement naming any
 * other type would match nothing, silently: a typo in a `deny` denies nothing.
 */
export const RESOURCE_TYPES: ReadonlySet<string> = new Set([
  // The account's own resources.
  'acct', 'announcement', 'application', 'code-reference-repository', 'domain-verification', 'integration', 'ip-allowlist',
  'member', 'token', 'oauth-client', 'pending-request', 'relay-proxy-config', 'role', 'service-token', 'team', 'template', 'webhook',
  // A project's.
  'proj', 'agent-graph', 'agent-optimization', 'ai-model-config', 'ai-tool', 'aiconfig', 'alert', 'context-kind', 'dashboard',
  'error', 'layer', 'log', 'metric', 'metric-group', 'prompt-snippet', 'release-pipeline', 'release-policy', 'session', 'trace', 'view',
  // An environment's.
  'env', 'deployment', 'destination', 'experiment', 'flag', 'holdout', 'insight-group', 'notification-subscription', 'sdk-key', 'segment',
]);

/** The first resource type a parsed specifier names that is not one of RESOURCE_TYPES, if any. */
export function unknownResourceType(spec: Specifier): string | undefined {
  return spec.all ? undefined : spec.levels.find((level) => !RESOURCE_TYPES.has(level.type))?.type;
}

function levelMatches(spec: SpecifierLevel, level: ResourceLevel): boolean {
  if (spec.type !== level.type) return false;
  if (spec.key === undefined) return level.key === undefined;
  if (level.key === undefined || !spec.key.test(level.key)) return false;
  // `flag/*;tag1,tag2` names the flags tagged tag1 and tag2 (LaunchDarkly's page on tags in roles: separate statements
  // make an "or"); a tag may be a glob, as in LaunchDarkly's example `env/*;qa_*` (tags beginning with qa_).
  if (!spec.tags.every((tag) => level.tags?.some((t) => tag.test(t)))) return false;
  return spec.attributes.every(([name, value]) => level.attributes !== undefined && String(level.attributes[name]) === value);
}

export function specifierMatches(spec: Specifier, resource: ResourcePath): boolean {
  if (spec.all) return true;
  return spec.levels.length === resource.length && spec.levels.every((level, i) => levelMatches(level, resource[i]));
}

/** The resource as a specifier that names exactly it, as messages and audit entries show it. */
export function resourceName(resource: ResourcePath): string {
  return resource.map((level) => (level.key === undefined ? level.type : `${level.type}/${level.key}`)).join(':');
}

// Statements are evaluated many times against few distinct texts: parse each text once.
const SPECIFIERS = new Map<string, Specifier | undefined>();
const ACTIONS = new Map<string, RegExp>();

function specifier(text: string): Specifier | undefined {
  let parsed = SPECIFIERS.get(text);
  if (parsed === undefined && !SPECIFIERS.has(text)) {
    const result = parseSpecifier(text);
    parsed = typeof result === 'string' ? undefined : result;
    if (SPECIFIERS.size > 10_000) SPECIFIERS.clear();
    SPECIFIERS.set(text, parsed);
  }
  return parsed;
}

function actionGlob(text: string): RegExp {
  let glob = ACTIONS.get(text);
  if (!glob) {
    glob = globToRegExp(text);
    if (ACTIONS.size > 10_000) ACTIONS.clear();
    ACTIONS.set(text, glob);
  }
  return glob;
}

function anyResource(texts: readonly string[], resource: ResourcePath): boolean {
  return texts.some((text) => {
    const spec = specifier(text);
    return spec !== undefined && specifierMatches(spec, resource);
  });
}

function anyAction(texts: readonly string[], action: string): boolean {
  return texts.some((text) => actionGlob(text.trim()).test(action));
}

export function statementApplies(statement: Statement, need: Need): boolean {
  const resourceIn = statement.resources?.length ? anyResource(statement.resources, need.resource) : !anyResource(statement.notResources ?? [], need.resource);
  if (!resourceIn) return false;
  return statement.actions?.length ? anyAction(statement.actions, need.action) : !anyAction(statement.notActions ?? [], need.action);
}

export type Decision = 'allow' | 'deny';

/** The view action: what the roles' base permissions grant when no statement says otherwise. */
export const VIEW_ACTION = 'viewProject';

/** Within one role a deny that applies wins; else an allow; else the role's base permissions, which only ever grant viewing. */
function decideRole(role: RolePolicy, need: Need): Decision {
  let allowed = false;
  for (const statement of role.statements) {
    if (!statementApplies(statement, need)) continue;
    if (statement.effect === 'deny') return 'deny';
    allowed = true;
  }
  if (allowed) return 'allow';
  return role.baseReader && need.action === VIEW_ACTION ? 'allow' : 'deny';
}

/** Allowed when some role allows it: across roles the more permissive wins, as LaunchDarkly documents. */
export function decide(policy: Policy, need: Need): Decision {
  return policy.roles.some((role) => decideRole(role, need) === 'allow') ? 'allow' : 'deny';
}

/**
 * Whether the policy denies the need by a deny statement, not merely by leaving it out: some role's deny names it and
 * no role allows it.
 */
export function explicitlyDenies(policy: Policy, need: Need): boolean {
  return decide(policy, need) === 'deny' && policy.roles.some((role) => role.statements.some((statement) => statement.effect === 'deny' && statementApplies(statement, need)));
}

/** Whether any specifier of the policy filters on tags or attributes, so that resources' tags must be looked up. */
export function policyUsesTags(policy: Policy): boolean {
  return policy.roles.some((role) => role.statements.some((statement) =>
    [...(statement.resources ?? []), ...(statement.notResources ?? [])].some((text) => {
      const spec = specifier(text);
      return spec !== undefined && !spec.all && spec.levels.some((level) => level.tags.length > 0 || level.attributes.length > 0);
    }),
  ));
}
