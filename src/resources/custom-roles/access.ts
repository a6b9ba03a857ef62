// Authorizes a custom-role token's request: the route's requirements (routeActions.ts) decided by the token's policy,
// with the resources' tags looked up only when some specifier of the policy filters on tags or attributes.
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../http/context.js';
import { ApiError, forbidden } from '../../http/errors.js';
import type { Catalog } from '../catalog.js';
import type { Db } from '../../store/db.js';
import { findRole } from './model.js';
import { registeredUnits } from '../experimentation-settings/settings.js';
import { decide, explicitlyDenies, policyUsesTags, resourceName, VIEW_ACTION, type Need, type Policy, type ResourceLevel, type ResourcePath } from './policy.js';
import { proj, routeAccess, type Requirement, type TargetFacts } from './routeActions.js';
import { findToken, type TokenDoc } from '../tokens/tokens.js';

interface Tagged {
  tags?: string[];
  critical?: boolean;
}

/** Where each kind of resource inside a project lives, for its tags. */
const LEAF_TABLES = { flag: 'flags', metric: 'metrics', 'metric-group': 'metric_groups', segment: 'segments', experiment: 'experiments' } as const;

/**
 * The resource with each level's tags (and an environment's `critical`) as stored; levels that do not exist yet (a
 * create names them, with the body's tags) or cannot be found keep what they have.
 */
export async function withTags(db: Db, catalog: Catalog, resource: ResourcePath): Promise<ResourcePath> {
  const out: ResourceLevel[] = [...resource];
  const [projectLevel, second] = resource;
  if (projectLevel?.type !== 'proj' || projectLevel.key === undefined) return resource;
  const project = await catalog.project(projectLevel.key).catch(() => undefined);
  if (!project) return resource;
  out[0] = taggedLevel(projectLevel, project.doc);
  let environmentId: string | undefined;
  if (second?.type === 'env' && second.key !== undefined && second.key !== '*') {
    const found = await catalog.projectEnvironment(project.key, second.key).catch(() => undefined);
    environmentId = found?.environment.id;
    out[1] = taggedLevel(second, found?.environment.doc ?? '{}', true);
  }
  const leaf = out[out.length - 1];
  if (out.length > 1 && leaf.tags === undefined && leaf.key !== undefined && leaf.type in LEAF_TABLES) {
    const table = LEAF_TABLES[leaf.type as keyof typeof LEAF_TABLES];
    // Segments and experiments belong to an environment, the others to the project.
    const row =
      table === 'segments' || table === 'experiments'
        ? await db.selectFrom(table).select('doc').where('environment_id', '=', environmentId ?? '').where('key', '=', leaf.key).executeTakeFirst()
        : await db.selectFrom(table).select('doc').where('project_id', '=', project.id).where('key', '=', leaf.key).executeTakeFirst();
    out[out.length - 1] = { ...leaf, tags: row ? ((JSON.parse(row.doc) as Tagged).tags ?? []) : [] };
  }
  return out;
}

/** A project's or environment's level with the stored row's tags (tags the level names win) and an environment's `critical`. */
function taggedLevel(level: ResourceLevel, doc: string, environment = false): ResourceLevel {
  const stored = JSON.parse(doc) as Tagged;
  return { ...level, tags: level.tags ?? stored.tags ?? [], ...(environment ? { attributes: { critical: stored.critical ?? false } } : {}) };
}

/**
 * What names the resource the path addresses, where the path alone does not: whether a token is a service token and
 * whose it is, and the key of a role addressed by `_id` (found as the route finds it). Nothing when it does not exist:
 * the route then answers 404. Also what a write's requirements depend on beyond its body: the holdout a new
 * experiment's `holdoutId` names, and the randomization units a PUT of the settings replaces.
 */
async function targetOf(db: Db, method: string, url: string, params: Record<string, string>, body: unknown): Promise<TargetFacts | undefined> {
  if (url.startsWith('/api/v2/tokens/:id') && params.id !== undefined) {
    const row = await unlessMissing(findToken(db, params.id));
    return row ? { token: { serviceToken: (JSON.parse(row.doc) as TokenDoc).serviceToken === true, ownerId: row.member_id } } : undefined;
  }
  if (url === '/api/v2/roles/:customRoleKey' && (method === 'PATCH' || method === 'DELETE') && params.customRoleKey !== undefined) {
    const role = await unlessMissing(findRole(db, params.customRoleKey));
    return role ? { roleKey: role.key } : undefined;
  }
  if (method === 'PUT' && url === '/api/v2/projects/:projectKey/experimentation-settings' && params.projectKey !== undefined) {
    const project = await db.selectFrom('projects').select('id').where('key', '=', params.projectKey).executeTakeFirst();
    return project ? { randomizationUnits: await registeredUnits(db, project.id) } : undefined;
  }
  const holdoutId = (body as { holdoutId?: unknown } | undefined)?.holdoutId;
  if (method === 'POST' && url === '/api/v2/projects/:projectKey/environments/:environmentKey/experiments' && typeof holdoutId === 'string' && holdoutId !== '') {
    const row = await db.selectFrom('holdouts').select('key').where('id', '=', holdoutId).executeTakeFirst();
    return { holdoutKey: row?.key ?? holdoutId };
  }
  return undefined;
}

/** What a lookup found, or undefined for its 404 (the route answers that itself). */
function unlessMissing<T>(found: Promise<T>): Promise<T | undefined> {
  return found.catch((err: unknown) => {
    if (err instanceof ApiError && err.statusCode === 404) return undefined;
    throw err;
  });
}

function describe(need: Need): string {
  return `${need.action} on ${resourceName(need.resource)}`;
}

/** Throws 403 unless the policy allows one of the requirement's needs, naming them all. */
export function refuseUnlessAllowed(policy: Policy, requirement: Requirement): void {
  if (!requirement.some((need) => decide(policy, need) === 'allow')) throw forbidden(`Forbidden. The token's custom roles do not allow ${requirement.map(describe).join(', or ')}`);
}

/** Throws 403 unless the policy allows every requirement of the request (and viewing the project it reaches into). */
export async function authorizeCustomRole(db: Db, catalog: Catalog, actor: Actor & { policy: Policy }, request: FastifyRequest): Promise<void> {
  const url = request.routeOptions.url ?? '';
  const params = (request.params ?? {}) as Record<string, string>;
  const access = routeAccess({
    method: request.method,
    url,
    params,
    body: request.body,
    memberId: actor.memberId,
    query: (request.query ?? {}) as Record<string, unknown>,
    target: await targetOf(db, request.method, url, params, request.body),
  });
  if (!access) return;
  const requirements: Requirement[] = [...(access.project !== undefined ? [[{ resource: proj(access.project), action: VIEW_ACTION }]] : []), ...access.requirements];
  await refuseUnlessAllowedTagged(db, catalog, actor.policy, requirements);
}

/**
 * Throws 403 unless the policy allows every requirement, with the resources' tags (and an environment's `critical`)
 * looked up as the route's check looks them up: for handlers that learn the resource only once they have read what
 * the path names (an approval request by its id, say).
 */
export async function refuseUnlessAllowedTagged(db: Db, catalog: Catalog, policy: Policy, requirements: Requirement[]): Promise<void> {
  if (!policyUsesTags(policy)) {
    for (const requirement of requirements) refuseUnlessAllowed(policy, requirement);
    return;
  }
  // A flag patch asks several actions of one resource: its tags are looked up once.
  const tagged = new Map<string, Promise<ResourcePath>>();
  const tagsOf = (resource: ResourcePath) => {
    const key = JSON.stringify(resource);
    let found = tagged.get(key);
    if (!found) tagged.set(key, (found = withTags(db, catalog, resource)));
    return found;
  };
  for (const requirement of requirements) {
    refuseUnlessAllowed(policy, await Promise.all(requirement.map(async (need) => ({ ...need, resource: await tagsOf(need.resource) }))));
  }
}

/** The resource with its tags looked up (see withTags) when some specifier of the policy filters on them, else as it is. */
export async function taggedFor(db: Db, catalog: Catalog, policy: Policy, resource: ResourcePath): Promise<ResourcePath> {
  return policyUsesTags(policy) ? withTags(db, catalog, resource) : resource;
}

/**
 * The 403 of a change made on the caller's behalf without asking for `actions` (an experiment rewriting its flag's
 * targeting, a holdout making its flag), when a deny statement of the policy names one of them on the resource: such a
 * change needs no allow, but a deny wins unless another role allows it, as everywhere. `why` ends the message
 * ("which this experiment makes").
 */
export async function refuseExplicitDenial(db: Db, catalog: Catalog, policy: Policy, resource: ResourcePath, actions: readonly string[], why: string): Promise<void> {
  const tagged = await taggedFor(db, catalog, policy, resource);
  const denied = actions.find((action) => explicitlyDenies(policy, { resource: tagged, action }));
  if (denied) throw forbidden(`Forbidden. The token's custom roles deny ${denied} on ${resourceName(tagged)}, ${why}`);
}

/** Whether the token may view the project (`row`, with its tags in `doc`): always for a built-in role. */
export function viewsProject(actor: Actor | undefined, row: { key: string; doc: string }): boolean {
  const policy = actor?.policy;
  return !policy || decide(policy, { resource: proj(row.key, (JSON.parse(row.doc) as Tagged).tags ?? []), action: VIEW_ACTION }) === 'allow';
}

/**
 * Which projects a token may view, for the audit log, which a custom role thins out: `undefined` for a token with a
 * built-in role, which views them all; else a test of a project key.
 */
export async function projectViewer(db: Db, actor: Actor | undefined): Promise<((projectKey: string) => boolean) | undefined> {
  if (!actor?.policy) return undefined;
  const rows = await db.selectFrom('projects').select(['key', 'doc']).execute();
  const viewable = new Set(rows.filter((row) => viewsProject(actor, row)).map((row) => row.key));
  return (projectKey) => viewable.has(projectKey);
}
