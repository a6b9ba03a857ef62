// The AuditLogEntryListingRep and AuditLogEntryRep representations: the only code that builds audit log JSON.
import { link, type Link } from '../../http/links.js';
import type { Db } from '../../store/db.js';
import type { AuditLogTable } from '../../store/schema.js';
import { findMembers, type MemberDoc, type MemberRow } from '../members/members.js';
import type { TokenDoc, TokenRow } from '../tokens/tokens.js';
import { AI_CONFIG_PURPOSE } from '../flags/model.js';
import type { IterationDoc } from '../experiments/model.js';
import { FULL_ITERATION, representIteration } from '../experiments/represent.js';
import type { AuditEntry } from './record.js';
import { accessesOf } from './statements.js';
import { isObject } from '../../http/patch/resourcePatch.js';

export type AuditRow = AuditLogTable;

type StoredEntry = AuditEntry & { tokenName?: string };

/** A resource specifier's parts: `proj/p:env/e:flag/f` -> proj=p, env=e, flag=f (tags after `;` left out). */
function specifierParts(resource: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const segment of resource.split(':')) {
    const slash = segment.indexOf('/');
    if (slash > 0) parts.set(segment.slice(0, slash), segment.slice(slash + 1).split(';')[0]);
  }
  return parts;
}

/** The API address of the resource a specifier names, where iterlab serves one. */
export function resourceHref(resource: string): string | undefined {
  const parts = specifierParts(resource);
  const project = parts.get('proj');
  const env = parts.get('env');
  if (parts.has('token')) return `/api/v2/tokens/${parts.get('token')}`;
  if (parts.has('service-token')) return `/api/v2/tokens/${parts.get('service-token')}`;
  if (parts.has('role')) return `/api/v2/roles/${parts.get('role')}`;
  if (!project) {
    // Account resources with an address of their own.
    if (parts.has('webhook')) return `/api/v2/webhooks/${parts.get('webhook')}`;
    if (parts.has('team')) return `/api/v2/teams/${parts.get('team')}`;
    if (parts.has('member')) return `/api/v2/members/${parts.get('member')}`;
    return undefined;
  }
  if (parts.has('deployment')) return `/api/v2/engineering-insights/deployments/${parts.get('deployment')}`;
  if (parts.has('insight-group')) return `/api/v2/engineering-insights/insights/groups/${parts.get('insight-group')}`;
  if (parts.has('flag')) return `/api/v2/flags/${project}/${parts.get('flag')}`;
  if (parts.has('metric')) return `/api/v2/metrics/${project}/${parts.get('metric')}`;
  if (parts.has('metric-group')) return `/api/v2/projects/${project}/metric-groups/${parts.get('metric-group')}`;
  if (parts.has('view')) return `/api/v2/projects/${project}/views/${parts.get('view')}`;
  if (parts.has('experiment') && env && env !== '*') return `/api/v2/projects/${project}/environments/${env}/experiments/${parts.get('experiment')}`;
  if (parts.has('segment') && env && env !== '*') return `/api/v2/segments/${project}/${env}/${parts.get('segment')}`;
  if (parts.has('destination') && env && env !== '*') return `/api/v2/destinations/${project}/${env}/${parts.get('destination')}`;
  if (parts.has('holdout') && env && env !== '*') return `/api/v2/projects/${project}/environments/${env}/holdouts/${parts.get('holdout')}`;
  if (parts.has('experiment') || parts.has('holdout') || parts.has('layer') || parts.has('context-kind') || parts.has('experimentation-settings')) return undefined;
  if (env && env !== '*') return `/api/v2/projects/${project}/environments/${env}`;
  return `/api/v2/projects/${project}`;
}

/** The first flag key of an experiment entry's iteration (createExperiment stored it as `iteration`, now `currentIteration`; createIteration as itself). */
function iterationFlagKey(after: unknown): string | undefined {
  if (!isObject(after)) return undefined;
  const iteration = isObject(after.iteration) ? after.iteration : isObject(after.currentIteration) ? after.currentIteration : after;
  return isObject(iteration.flags) ? Object.keys(iteration.flags)[0] : undefined;
}

/**
 * The 2026-07 `relatedFlag`, `relatedExperiment` and `relatedAIConfig` of an entry, from what it stores: the resource
 * specifier's flag, experiment or aiconfig; an AI Config's backing flag (same key) both ways (a flag entry whose
 * flag has the AI Config purpose); an experiment's flag as recorded with the entry, or its iteration's first flag.
 */
function relatedOf(resource: string, entry: StoredEntry): Record<string, { key: string }> {
  const parts = specifierParts(resource);
  let flagKey = parts.get('flag');
  const experimentKey = parts.get('experiment');
  let aiConfigKey = parts.get('aiconfig');
  if (aiConfigKey !== undefined) flagKey ??= aiConfigKey;
  else if (flagKey !== undefined && [entry.before, entry.after].some((v) => isObject(v) && v._purpose === AI_CONFIG_PURPOSE)) aiConfigKey = flagKey;
  if (experimentKey !== undefined) flagKey ??= entry.relatedFlagKey ?? iterationFlagKey(entry.after);
  return {
    ...(flagKey !== undefined ? { relatedFlag: { key: flagKey } } : {}),
    ...(experimentKey !== undefined ? { relatedExperiment: { key: experimentKey } } : {}),
    ...(aiConfigKey !== undefined ? { relatedAIConfig: { key: aiConfigKey } } : {}),
  };
}

/** `created the flag` from `created the flag Checkout button`: the description up to the resource's name. */
function titleVerbOf(entry: StoredEntry): string {
  const at = entry.name ? entry.description.lastIndexOf(` ${entry.name}`) : -1;
  return at > 0 ? entry.description.slice(0, at) : entry.description;
}

/** Who made the change, as the audit log shows them: the member's name, or the token's. */
function subjectName(member: MemberRow | undefined, tokenName: string | undefined): string {
  if (member) {
    const doc = JSON.parse(member.doc) as MemberDoc;
    const name = `${doc.firstName} ${doc.lastName}`.trim();
    return name || member.email;
  }
  return tokenName ? `token ${tokenName}` : 'iterlab';
}

export interface AuditContext {
  accountId: string;
  members: Map<string, MemberRow>;
  tokens: Map<string, TokenRow>;
  /** The names of the projects the rows are in, by key (a deleted project's is missing). */
  projectNames: Map<string, string>;
  /** The names of those projects' environments, by `proj/{p}:env/{e}` (a deleted environment's is missing). */
  environmentNames: Map<string, string>;
}

/** Members, tokens, projects and environments the rows name, looked up once for a whole page. */
export async function auditContext(db: Db, accountId: string, rows: AuditRow[]): Promise<AuditContext> {
  const members = await findMembers(db, rows.flatMap((r) => (r.member_id ? [r.member_id] : [])));
  const tokenIds = [...new Set(rows.flatMap((r) => (r.token_id ? [r.token_id] : [])))];
  const tokenRows = tokenIds.length > 0 ? await db.selectFrom('tokens').selectAll().where('id', 'in', tokenIds).execute() : [];
  const projectKeys = [...new Set(rows.flatMap((r) => (r.project_key ? [r.project_key] : [])))];
  const projects = projectKeys.length > 0 ? await db.selectFrom('projects').select(['id', 'key', 'name']).where('key', 'in', projectKeys).execute() : [];
  const inEnvironment = rows.some((r) => r.project_key && environmentOf(r.resource) !== undefined);
  const environments =
    inEnvironment && projects.length > 0
      ? await db.selectFrom('environments').select(['project_id', 'key', 'name']).where('project_id', 'in', projects.map((p) => p.id)).execute()
      : [];
  const projectKey = new Map(projects.map((p) => [p.id, p.key]));
  return {
    accountId,
    members,
    tokens: new Map(tokenRows.map((t) => [t.id, t])),
    projectNames: new Map(projects.map((p) => [p.key, p.name])),
    environmentNames: new Map(environments.map((e) => [`proj/${projectKey.get(e.project_id)}:env/${e.key}`, e.name])),
  };
}

/**
 * The environment an entry's resource is in, when it is about something inside one environment (a segment, a flag's
 * targeting there): `proj/p:env/e` of `proj/p:env/e:flag/f`. Undefined for the environment itself and for `env/*`.
 */
function environmentOf(resource: string): string | undefined {
  const levels = resource.split(':');
  return levels.length > 2 && levels[0].startsWith('proj/') && levels[1].startsWith('env/') && levels[1] !== 'env/*' ? `${levels[0]}:${levels[1].split(';')[0]}` : undefined;
}

/**
 * What the entry's resource is in, as LaunchDarkly shows it: the environment for what is inside one (a flag's
 * targeting there, a segment), else the project for what is inside one; none for a project or an account resource.
 */
function parentOf(row: AuditRow, context: AuditContext): Record<string, unknown> | undefined {
  if (!row.project_key || row.resource === `proj/${row.project_key}`) return undefined;
  const environment = environmentOf(row.resource);
  if (environment !== undefined) {
    const envKey = environment.slice(environment.indexOf(':env/') + 5);
    const href = `/api/v2/projects/${row.project_key}/environments/${envKey}`;
    return { _links: { canonical: link(href) }, name: context.environmentNames.get(environment) ?? envKey, resource: environment };
  }
  // The project's name as it is now; a deleted project's entries name it by its key.
  const name = context.projectNames.get(row.project_key) ?? row.project_key;
  return { _links: { canonical: link(`/api/v2/projects/${row.project_key}`) }, name, resource: `proj/${row.project_key}` };
}

/**
 * A stored version as the API shows it. A new iteration's entry stores the iteration's document, the text its
 * draft row holds, so that createIteration serializes it once: it is shown as createIteration answered it.
 */
function versionOf(row: AuditRow, entry: StoredEntry, version: unknown): unknown {
  if (entry.action !== 'createIteration' || row.kind !== 'experiment' || !row.project_key || !isObject(version) || typeof version._id !== 'string') return version;
  const { _id, ...doc } = version;
  return representIteration(row.project_key, { id: _id, doc: doc as unknown as IterationDoc }, FULL_ITERATION);
}

/** AuditLogEntryListingRep, or AuditLogEntryRep (with delta and both versions) when `full`. */
export function representAuditEntry(row: AuditRow, context: AuditContext, full: boolean): Record<string, unknown> {
  const entry = JSON.parse(row.doc) as StoredEntry;
  const member = row.member_id ? context.members.get(row.member_id) : undefined;
  const token = row.token_id ? context.tokens.get(row.token_id) : undefined;
  const tokenDoc = token ? (JSON.parse(token.doc) as TokenDoc) : undefined;
  const href = resourceHref(row.resource);
  const links: Record<string, Link> = { self: link(`/api/v2/auditlog/${row.id}`), parent: link('/api/v2/auditlog') };
  if (href) links.canonical = link(href);
  const titleVerb = titleVerbOf(entry);
  const who = subjectName(member, tokenDoc?.name ?? entry.tokenName);
  const rep: Record<string, unknown> = {
    _links: links,
    _id: row.id,
    _accountId: context.accountId,
    date: row.date,
    accesses: accessesOf(row, entry),
    kind: row.kind,
    name: entry.name,
    description: entry.comment ? `${entry.description}\n\n${entry.comment}` : entry.description,
    shortDescription: entry.description,
    ...(entry.comment !== undefined ? { comment: entry.comment } : {}),
    subject: { _links: member ? { self: link(`/api/v2/members/${member.id}`) } : {}, name: who },
    titleVerb,
    title: `${who} ${entry.description}`,
    target: { _links: href ? { canonical: link(href) } : {}, name: entry.name, resources: [row.resource] },
    ...relatedOf(row.resource, entry),
  };
  if (member) {
    const doc = JSON.parse(member.doc) as MemberDoc;
    rep.member = { _links: { parent: link('/api/v2/members'), self: link(`/api/v2/members/${member.id}`) }, _id: member.id, email: member.email, firstName: doc.firstName, lastName: doc.lastName };
  }
  if (row.token_id) {
    rep.token = {
      _links: { self: link(`/api/v2/tokens/${row.token_id}`) },
      _id: row.token_id,
      ...((tokenDoc?.name ?? entry.tokenName) !== undefined ? { name: tokenDoc?.name ?? entry.tokenName } : {}),
      ...(tokenDoc ? { ending: tokenDoc.last4, serviceToken: tokenDoc.serviceToken } : {}),
    };
  }
  const parent = parentOf(row, context);
  if (parent) rep.parent = parent;
  if (full) {
    if (entry.delta !== undefined) rep.delta = entry.delta;
    if (entry.before !== undefined) rep.previousVersion = entry.before;
    if (entry.after !== undefined) rep.currentVersion = versionOf(row, entry, entry.after);
  }
  return rep;
}
