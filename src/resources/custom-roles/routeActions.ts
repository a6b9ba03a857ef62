// What each REST operation asks of a custom role: the actions, on which resources, that LaunchDarkly's role policies
// name (https://launchdarkly.com/docs/home/account/role-actions). Pure: a request's route, parameters and body in,
// requirements out. Updates are told apart by what the body changes (instruction kinds, JSON Patch paths).
import type { Need, ResourceLevel, ResourcePath } from './policy.js';
import { TEAM_INSTRUCTION_ACTIONS } from '../teams/model.js';
import { FLAG_ENVIRONMENT_MEMBERS, FLAG_MEMBERS } from '../flags/actions.js';
import { ENVIRONMENT_MEMBERS, EXPERIMENT_INSTRUCTIONS, MEMBER_FIELDS, ROLE_MEMBERS, HOLDOUT_INSTRUCTIONS, LAYER_INSTRUCTIONS, METRIC_GROUP_MEMBERS, METRIC_MEMBERS, PROJECT_MEMBERS, SEGMENT_MEMBERS, TOKEN_MEMBERS } from './memberActions.js';
import { WEBHOOK_FIELD_ACTIONS } from '../webhooks/model.js';
import { RELAY_FIELD_ACTIONS } from '../relay-proxy-configs/model.js';
import { DESTINATION_FIELD_ACTIONS } from '../destinations/model.js';
import { STORE_FIELD_ACTIONS } from '../big-segment-stores/model.js';
import { DELIVERY_FIELD_ACTIONS } from '../delivery-configurations/model.js';
import { IMPORT_FIELD_ACTIONS } from '../flag-imports/model.js';
import { SUBSCRIPTION_FIELD_ACTIONS } from '../audit-log-subscriptions/model.js';
import { APPLICATION_FIELD_ACTIONS } from '../applications/model.js';
import { PIPELINE_FIELD_ACTIONS } from '../release-pipelines/model.js';
import { LINK_ACTIONS, type ResourceType } from '../views/linked.js';

/** Met when any one of its needs is allowed. */
export type Requirement = readonly Need[];

export interface RouteRequest {
  method: string;
  /** The route's pattern as registered, e.g. `/api/v2/flags/:projectKey/:featureFlagKey`. */
  url: string;
  params: Record<string, string>;
  body: unknown;
  /** The calling token's member. */
  memberId: string;
  /** The query string, for routes that name their project there (the Insights APIs' `projectKey`). */
  query?: Record<string, unknown>;
  /** What the store says of the resource the path names, where its resource specifier depends on it (access.ts looks it up). */
  target?: TargetFacts;
}

export interface TargetFacts {
  /** The token `/api/v2/tokens/:id` names, when it exists. */
  token?: { serviceToken: boolean; ownerId: string };
  /** The key of the role `/api/v2/roles/:customRoleKey` names, when it names one (by key or `_id`). */
  roleKey?: string;
  /** The key of the holdout a new experiment's `holdoutId` names (the id itself when no holdout has it). */
  holdoutKey?: string;
  /** A project's randomization units as they stand, and its default: what a PUT of its settings changes. */
  randomizationUnits?: { units: string[]; defaultUnit: string };
}

export interface RouteAccess {
  /** The project the route reaches into: viewing it (`viewProject`) is needed as well, to read or to change. */
  project?: string;
  requirements: Requirement[];
}

// Resources, outermost level first; `*` stands for "every environment" in flag actions that are not per environment.
const level = (type: string, key?: string, tags?: unknown): ResourceLevel => ({
  type,
  ...(key !== undefined ? { key } : {}),
  ...(Array.isArray(tags) ? { tags: tags.filter((t): t is string => typeof t === 'string') } : {}),
});
export const proj = (p: string, tags?: unknown): ResourcePath => [level('proj', p, tags)];
export const env = (p: string, e: string, tags?: unknown): ResourcePath => [...proj(p), level('env', e, tags)];
const inEnv = (type: string) => (p: string, e: string, key: string, tags?: unknown): ResourcePath => [...env(p, e), level(type, key, tags)];
const inProject = (type: string) => (p: string, key: string, tags?: unknown): ResourcePath => [...proj(p), level(type, key, tags)];
export const flag = inEnv('flag');
export const segment = inEnv('segment');
const experiment = inEnv('experiment');
export const holdout = inEnv('holdout');
const destination = inEnv('destination');
const metric = inProject('metric');
const metricGroup = inProject('metric-group');
const layer = inProject('layer');
const contextKind = inProject('context-kind');
const releasePipeline = inProject('release-pipeline');
const releasePolicy = inProject('release-policy');
const view = inProject('view');
const aiTool = inProject('ai-tool');
const promptSnippet = inProject('prompt-snippet');
const agentGraph = inProject('agent-graph');
const agentOptimization = inProject('agent-optimization');
const role = (key: string): ResourcePath => [level('role', key)];
const member = (id: string): ResourcePath => [level('member', id)];
const team = (key: string): ResourcePath => [level('team', key)];
const webhook = (id: string): ResourcePath => [level('webhook', id)];
const relayConfig = (id: string): ResourcePath => [level('relay-proxy-config', id)];
// An audit log subscription's key names its integration too, so that `integration/datadog/*` picks Datadog's.
const integration = (integrationKey: string, id: string): ResourcePath => [level('integration', `${integrationKey}/${id}`)];
const codeRefsRepository = (name: string): ResourcePath => [level('code-reference-repository', name)];
const application = (key: string): ResourcePath => [level('application', key)];
const aiConfig = inProject('aiconfig');
const aiConfigInEnv = inEnv('aiconfig');
const aiModelConfig = inProject('ai-model-config');
const account: ResourcePath = [level('acct')];
const sdkKey = inEnv('sdk-key');
const ipAllowlist: ResourcePath = [level('ip-allowlist')];

/** The keys a flag's resource specifier in one environment names (`proj/p:env/e:flag/f`, as approval requests' `resourceId`). */
export function parseFlagResource(text: unknown): { projectKey: string; environmentKey: string; flagKey: string } | undefined {
  const match = typeof text === 'string' ? /^proj\/([^:/]+):env\/([^:/]+):flag\/([^:/]+)$/.exec(text) : null;
  return match ? { projectKey: match[1], environmentKey: match[2], flagKey: match[3] } : undefined;
}

/** The keys a segment's resource specifier names (`proj/p:env/e:segment/s`, as segment approval requests' `resourceId`). */
export function parseSegmentResource(text: unknown): { projectKey: string; environmentKey: string; segmentKey: string } | undefined {
  const match = typeof text === 'string' ? /^proj\/([^:/]+):env\/([^:/]+):segment\/([^:/]+)$/.exec(text) : null;
  return match ? { projectKey: match[1], environmentKey: match[2], segmentKey: match[3] } : undefined;
}

const each = (resource: ResourcePath, actions: Iterable<string>): Requirement[] => [...new Set(actions)].map((action) => [{ resource, action }]);

function record(body: unknown): Record<string, unknown> {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

function text(value: unknown, fallback = '*'): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** A semantic patch's instruction kinds, when the body is one. */
function instructionKinds(body: unknown): string[] | undefined {
  const instructions = record(body).instructions;
  if (!Array.isArray(instructions)) return undefined;
  return instructions.map((i) => text(record(i).kind, ''));
}

/** The members a JSON merge patch sets, as paths; a flag's `environments` are followed to each environment's members. */
function mergePaths(merge: Record<string, unknown>): string[][] {
  return Object.entries(merge).flatMap(([member, value]) => {
    const environments = member === 'environments' ? record(value) : undefined;
    if (!environments || Object.keys(environments).length === 0) return [[member]];
    return Object.entries(environments).flatMap(([key, env]) => {
      const members = Object.keys(record(env));
      return members.length === 0 ? [[member, key]] : members.map((m) => [member, key, m]);
    });
  });
}

/**
 * A patch's paths (and a move's `from`), split into tokens: a bare JSON Patch array, `{patch, comment}`, a merge patch `{merge, comment}`,
 * or the members of a plain object.
 */
function patchPaths(body: unknown): string[][] {
  const wrapper = record(body);
  const ops = Array.isArray(body) ? body : wrapper.patch;
  const paths: string[][] = [];
  if (Array.isArray(ops)) {
    const tokens = (pointer: unknown) =>
      text(pointer, '')
        .split('/')
        .slice(1)
        .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    // A move changes where it takes from as well as where it puts.
    paths.push(...ops.flatMap((op) => [tokens(record(op).path), ...(record(op).op === 'move' ? [tokens(record(op).from)] : [])]));
  }
  // Both forms at once are refused by the operations; asked about together, so that no form goes unchecked.
  if (wrapper.merge !== undefined) paths.push(...mergePaths(record(wrapper.merge)));
  if (Array.isArray(ops) || wrapper.merge !== undefined) return paths;
  const { comment: _comment, ...members } = wrapper;
  return mergePaths(members);
}

/**
 * The action for each changed member, from a table; members it does not name take `fallback`, and so does a body
 * that names none (an update always asks for something, though the operation will refuse the body).
 */
function byMember(paths: string[][], table: Record<string, string>, fallback: string): string[] {
  return paths.length === 0 ? [fallback] : paths.map((tokens) => table[tokens[0] ?? ''] ?? fallback);
}

function byKind(kinds: string[], table: Record<string, string>, fallback: string): string[] {
  return kinds.length === 0 ? [fallback] : kinds.map((kind) => table[kind] ?? fallback);
}

const FLAG_INSTRUCTIONS_PER_ENVIRONMENT: Record<string, string> = {
  turnFlagOn: 'updateOn',
  turnFlagOff: 'updateOn',
  updateOffVariation: 'updateOffVariation',
  updateFallthroughVariationOrRollout: 'updateFallthrough',
  updateTrackEvents: 'updateTrackEvents',
  updateTrackEventsFallthrough: 'updateTrackEvents',
  addPrerequisite: 'updatePrerequisites',
  removePrerequisite: 'updatePrerequisites',
  updatePrerequisite: 'updatePrerequisites',
  replacePrerequisites: 'updatePrerequisites',
  addTargets: 'updateTargets',
  removeTargets: 'updateTargets',
  replaceTargets: 'updateTargets',
  clearTargets: 'updateTargets',
  addUserTargets: 'updateTargets',
  removeUserTargets: 'updateTargets',
  replaceUserTargets: 'updateTargets',
  clearUserTargets: 'updateTargets',
  addRule: 'updateRules',
  removeRule: 'updateRules',
  replaceRules: 'updateRules',
  reorderRules: 'updateRules',
  addClauses: 'updateRules',
  removeClauses: 'updateRules',
  updateClause: 'updateRules',
  addValuesToClause: 'updateRules',
  removeValuesFromClause: 'updateRules',
  updateRuleVariationOrRollout: 'updateRules',
  updateRuleTrackEvents: 'updateRules',
  updateRuleDescription: 'updateFlagRuleDescription',
};

const FLAG_INSTRUCTIONS_GLOBAL: Record<string, string> = {
  updateName: 'updateName',
  updateDescription: 'updateDescription',
  addTags: 'updateTags',
  removeTags: 'updateTags',
  makeFlagPermanent: 'updateTemporary',
  makeFlagTemporary: 'updateTemporary',
  archiveFlag: 'updateGlobalArchived',
  restoreFlag: 'updateGlobalArchived',
  deleteFlag: 'deleteFlag',
  deprecateFlag: 'updateDeprecated',
  restoreDeprecatedFlag: 'updateDeprecated',
  addVariation: 'updateFlagVariations',
  removeVariation: 'updateFlagVariations',
  updateVariation: 'updateFlagVariations',
  updateDefaultVariation: 'updateFlagDefaultVariations',
  turnOnClientSideAvailability: 'updateClientSideFlagAvailability',
  turnOffClientSideAvailability: 'updateClientSideFlagAvailability',
  updateMaintainerMember: 'updateMaintainer',
  updateMaintainerTeam: 'updateMaintainer',
  removeMaintainer: 'updateMaintainer',
  addCustomProperties: 'updateFlagCustomProperties',
  removeCustomProperties: 'updateFlagCustomProperties',
  replaceCustomProperties: 'updateFlagCustomProperties',
};

/** A flag update: per-environment actions on that environment's flag, the others on the flag in every environment (`env/*`). */
function flagUpdate(p: string, key: string, body: unknown): Requirement[] {
  const kinds = instructionKinds(body);
  const needs: Need[] = [];
  if (kinds) {
    const e = text(record(body).environmentKey);
    for (const kind of kinds) {
      if (FLAG_INSTRUCTIONS_PER_ENVIRONMENT[kind]) needs.push({ resource: flag(p, e, key), action: FLAG_INSTRUCTIONS_PER_ENVIRONMENT[kind] });
      else needs.push({ resource: flag(p, '*', key), action: FLAG_INSTRUCTIONS_GLOBAL[kind] ?? 'updateFlag' });
    }
  } else {
    for (const tokens of patchPaths(body)) {
      if (tokens[0] === 'environments' && tokens[1] !== undefined) {
        const resource = flag(p, tokens[1], key);
        const member = tokens[2];
        // The whole environment replaced: every per-environment action.
        const actions = member === undefined ? [...new Set(Object.values(FLAG_ENVIRONMENT_MEMBERS))] : [FLAG_ENVIRONMENT_MEMBERS[member] ?? 'updateFlagEnvironment'];
        for (const action of actions) needs.push({ resource, action });
      } else {
        needs.push({ resource: flag(p, '*', key), action: FLAG_MEMBERS[tokens[0] ?? ''] ?? 'updateFlag' });
      }
    }
  }
  if (needs.length === 0) needs.push({ resource: flag(p, '*', key), action: 'updateFlag' });
  const unique = new Map(needs.map((need) => [`${need.action} ${need.resource.map((l) => l.key).join('/')}`, need]));
  return [...unique.values()].map((need) => [need]);
}

const SEGMENT_INSTRUCTIONS: Record<string, string> = {
  updateName: 'updateName',
  updateDescription: 'updateDescription',
  addTags: 'updateTags',
  removeTags: 'updateTags',
  addIncludedTargets: 'updateIncluded',
  removeIncludedTargets: 'updateIncluded',
  addIncludedUsers: 'updateIncluded',
  removeIncludedUsers: 'updateIncluded',
  addExcludedTargets: 'updateExcluded',
  removeExcludedTargets: 'updateExcluded',
  addExcludedUsers: 'updateExcluded',
  removeExcludedUsers: 'updateExcluded',
  addBigSegmentIncludedTargets: 'updateIncluded',
  removeBigSegmentIncludedTargets: 'updateIncluded',
  addBigSegmentExcludedTargets: 'updateExcluded',
  removeBigSegmentExcludedTargets: 'updateExcluded',
  processBigSegmentImport: 'updateIncluded',
};

/**
 * A big segment's target lists change with LaunchDarkly's segment actions for its lists: updateIncluded for
 * `included`, updateExcluded for `excluded` (either when the body names neither).
 */
function bigSegmentActions(body: unknown): string[] {
  const members = Object.keys(record(body)).filter((member) => member === 'included' || member === 'excluded');
  return members.length === 0 ? ['updateIncluded'] : members.map((member) => (member === 'included' ? 'updateIncluded' : 'updateExcluded'));
}

const MEMBERS_INSTRUCTIONS: Record<string, string> = {
  replaceMembersRoles: 'updateRole',
  replaceAllMembersRoles: 'updateRole',
  replaceMembersCustomRoles: 'updateCustomRole',
  replaceAllMembersCustomRoles: 'updateCustomRole',
  replaceMembersRoleAttributes: 'updateMemberRoleAttributes',
};

const TOKEN_ACTIONS = ['createAccessToken', 'deleteAccessToken', 'resetAccessToken', 'updateAccessTokenName', 'updateAccessTokenDescription', 'updateAccessTokenPolicy'];

/**
 * A service token is `service-token/{id}`, a personal token `member/{its owner}:token/{id}`: only that resource grants
 * the action, else a role allowing one kind of token would reach the other. Without `target` (the list, or a token the
 * store does not hold, whose route then answers 404) either kind may grant it, the member's being the caller's.
 */
function onToken(memberId: string, id: string, action: string, target?: TargetFacts['token']): Requirement {
  const service: Need = { resource: [level('service-token', id)], action };
  const personal = (ownerId: string): Need => ({ resource: [level('member', ownerId), level('token', id)], action });
  if (!target) return [service, personal(memberId)];
  return [target.serviceToken ? service : personal(target.ownerId)];
}

/**
 * The units whose availability for experiments a PUT of the settings changes, from what it asks and what stands; every
 * unit it names when what stands is unknown (no such project: the route's 404), and every unit (`*`) for a body
 * without a list.
 */
function unitsChanged(asked: unknown, current: TargetFacts['randomizationUnits']): string[] {
  if (!Array.isArray(asked)) return ['*'];
  const units = asked.map((unit) => text(record(unit).randomizationUnit));
  if (!current) return units;
  const askedDefault = text(record(asked.find((unit) => record(unit).default === true)).randomizationUnit, '') || units[0];
  const changed = new Set([...units.filter((u) => !current.units.includes(u)), ...current.units.filter((u) => !units.includes(u))]);
  if (askedDefault !== current.defaultUnit) for (const unit of [askedDefault, current.defaultUnit]) if (unit) changed.add(unit);
  return [...changed];
}

/** The flag keys a user's expiring-targets patch names; `*` when it names none. */
function flagKeysOf(body: unknown): string[] {
  const instructions = record(body).instructions;
  const keys = (Array.isArray(instructions) ? instructions : []).map((i) => record(i).flagKey).filter((k) => typeof k === 'string') as string[];
  return keys.length > 0 ? [...new Set(keys)] : ['*'];
}

/** The team keys a bulk team patch's instructions name; `*` when it names none. */
function teamKeysOf(body: unknown): string[] {
  const instructions = record(body).instructions;
  const keys = (Array.isArray(instructions) ? instructions : []).flatMap((i) => {
    const named = record(i).teamKeys;
    return Array.isArray(named) ? named.map((key) => text(key)) : [];
  });
  return keys.length > 0 ? [...new Set(keys)] : ['*'];
}

/** The model config keys a restricted-list body names; `*` when it names none. */
function modelConfigKeysOf(body: Record<string, unknown>): string[] {
  const keys = Array.isArray(body.keys) ? body.keys.map((key) => text(key)) : [];
  return keys.length > 0 ? [...new Set(keys)] : ['*'];
}

/** The view action of linking or unlinking a resource type; updateView for a type views do not link (the route refuses it). */
function linkAction(type: string, side: 'link' | 'unlink'): string {
  return Object.hasOwn(LINK_ACTIONS, type) ? LINK_ACTIONS[type as ResourceType][side] : 'updateView';
}

type Rule = (r: RouteRequest, p: Record<string, string>, body: Record<string, unknown>) => RouteAccess | undefined;

const viewOnly: Rule = (_r, p) => ({ project: p.projectKey, requirements: [] });
/** Account-wide reads every token may make (LaunchDarkly lets every member see members, roles and the audit log). */
const open: Rule = () => undefined;
/** Deleting a context instance, or a user (the user's own instance): the environment's deleteContextInstances. */
const deleteContextInstance: Rule = (_r, p) => ({ project: p.projectKey, requirements: each(env(p.projectKey, p.environmentKey), ['deleteContextInstances']) });

/** The project an Insights route names in its query (`projectKey`); every project when it names none. */
const queryProject = (r: RouteRequest): string => {
  const key = r.query?.projectKey;
  return typeof key === 'string' && key !== '' ? key : '*';
};
/** An Insights read of one project's data: seeing that project (the query's `projectKey`). */
const insightsRead: Rule = (r) => ({ project: queryProject(r), requirements: [] });
/** An insight group: `proj/p:env/e:insight-group/k` (every project and environment when the route names none). */
const insightGroup = (p: string, e: string, key: string): ResourcePath => [...env(p, e), level('insight-group', key)];

/** A resource created into views (a body's `viewKeys`): the link action on each view named. */
function viewLinks(projectKey: string, viewKeys: unknown, action: string): Requirement[] {
  const keys = Array.isArray(viewKeys) ? [...new Set(viewKeys.map((key) => text(key)))] : [];
  return keys.flatMap((key) => each(view(projectKey, key), [action]));
}

const RULES: Record<string, Rule> = {
  // Engineering insights (beta). LaunchDarkly documents no actions for them: reading asks viewProject of the project
  // the query names; writes ask iterlab's actions (docs/compatibility.md) on the environment, deployment, insight group
  // or code references repository; a repository's association needs viewProject of each project it names.
  'POST /api/v2/engineering-insights/deployment-events': (_r, _p, b) => ({ project: text(b.projectKey), requirements: each(env(text(b.projectKey), text(b.environmentKey)), ['createDeploymentEvent']) }),
  'GET /api/v2/engineering-insights/deployments': insightsRead,
  'GET /api/v2/engineering-insights/deployments/:deploymentID': open,
  'PATCH /api/v2/engineering-insights/deployments/:deploymentID': (_r, p) => ({ requirements: each([...env('*', '*'), level('deployment', p.deploymentID)], ['updateDeployment']) }),
  'GET /api/v2/engineering-insights/flag-events': insightsRead,
  'GET /api/v2/engineering-insights/pull-requests': insightsRead,
  'GET /api/v2/engineering-insights/repositories': open,
  'PUT /api/v2/engineering-insights/repositories/projects': (_r, _p, b) => ({
    requirements: (Array.isArray(b.mappings) ? b.mappings : [{}]).flatMap((m) => [
      [{ resource: proj(text(record(m).projectKey)), action: 'viewProject' }],
      ...each(codeRefsRepository(text(record(m).repositoryKey)), ['updateCodeRefsRepositoryConfiguration']),
    ]),
  }),
  'DELETE /api/v2/engineering-insights/repositories/:repositoryKey/projects/:projectKey': (_r, p) => ({ project: p.projectKey, requirements: each(codeRefsRepository(p.repositoryKey), ['updateCodeRefsRepositoryConfiguration']) }),
  'GET /api/v2/engineering-insights/charts/deployments/frequency': insightsRead,
  'GET /api/v2/engineering-insights/charts/flags/stale': insightsRead,
  'GET /api/v2/engineering-insights/charts/flags/status': insightsRead,
  'GET /api/v2/engineering-insights/charts/lead-time': insightsRead,
  'GET /api/v2/engineering-insights/charts/releases/frequency': insightsRead,
  'GET /api/v2/engineering-insights/insights/scores': insightsRead,
  'GET /api/v2/engineering-insights/insights/groups': open,
  'GET /api/v2/engineering-insights/insights/groups/:insightGroupKey': open,
  'POST /api/v2/engineering-insights/insights/group': (_r, _p, b) => ({ project: text(b.projectKey), requirements: each(insightGroup(text(b.projectKey), text(b.environmentKey), text(b.key)), ['createInsightGroup']) }),
  'PATCH /api/v2/engineering-insights/insights/groups/:insightGroupKey': (_r, p) => ({ requirements: each(insightGroup('*', '*', p.insightGroupKey), ['updateInsightGroup']) }),
  'DELETE /api/v2/engineering-insights/insights/groups/:insightGroupKey': (_r, p) => ({ requirements: each(insightGroup('*', '*', p.insightGroupKey), ['deleteInsightGroup']) }),
  'GET /api/v2': open,
  'GET /api/v2/versions': open,
  // The tags of the projects the token may view (getTags thins them out itself).
  'GET /api/v2/tags': open,
  'GET /api/v2/caller-identity': open,
  'GET /api/v2/account': open,
  // ldcli's own usage analytics, kept by no one (src/resources/ldcli/postTracking.ts).
  'POST /internal/tracking': open,
  'POST /api/v2/tracking': open,
  // ldcli's `flags usage`: a project's evaluation figures, read as getEvaluationsUsage's are.
  'POST /internal/projects/:projectKey/evaluationSummaries': viewOnly,
  // ldcli's `flags usage --exposures`: the kinds and unique contexts that evaluated a flag, read as the figures above.
  'GET /internal/projects/:projectKey/flags/:flagKey/monitor/contextKinds': viewOnly,
  'GET /internal/projects/:projectKey/flags/:flagKey/monitor/contextsCount': viewOnly,
  'GET /api/v2/members': open,
  'GET /api/v2/members/:id': open,
  // Invitations that put members on teams change those teams too.
  'POST /api/v2/members': (r) => ({
    requirements: [
      ...each(member('*'), ['createMember']),
      ...[...new Set((Array.isArray(r.body) ? r.body : []).flatMap((form) => (Array.isArray(record(form).teamKeys) ? (record(form).teamKeys as unknown[]) : [])).map((key) => text(key)))].flatMap((key) =>
        each(team(key), ['updateTeamMembers']),
      ),
    ],
  }),
  // A bulk patch names its members by id, or all of them: asked of every member.
  'PATCH /api/v2/members': (r) => ({ requirements: each(member('*'), byKind(instructionKinds(r.body) ?? [], MEMBERS_INSTRUCTIONS, 'updateRole')) }),
  'PATCH /api/v2/members/:id': (r, p) => ({ requirements: each(member(p.id), byMember(patchPaths(r.body), MEMBER_FIELDS, 'updateRole')) }),
  'DELETE /api/v2/members/:id': (_r, p) => ({ requirements: each(member(p.id), ['deleteMember']) }),
  'POST /api/v2/members/:id/teams': (_r, _p, b) => ({ requirements: (Array.isArray(b.teamKeys) && b.teamKeys.length > 0 ? b.teamKeys : ['*']).flatMap((key) => each(team(text(key)), ['updateTeamMembers'])) }),
  'GET /api/v2/teams': open,
  'GET /api/v2/teams/:teamKey': open,
  'GET /api/v2/teams/:teamKey/maintainers': open,
  'GET /api/v2/teams/:teamKey/roles': open,
  'POST /api/v2/teams': (_r, _p, b) => ({ requirements: each(team(text(b.key)), ['createTeam']) }),
  'PATCH /api/v2/teams/:teamKey': (r, p) => ({ requirements: each(team(p.teamKey), byKind(instructionKinds(r.body) ?? [], TEAM_INSTRUCTION_ACTIONS, 'updateTeamMembers')) }),
  // A bulk patch names its teams, or every team: asked of each team it names.
  'PATCH /api/v2/teams': (r) => ({ requirements: teamKeysOf(r.body).flatMap((key) => each(team(key), ['updateTeamMembers'])) }),
  'DELETE /api/v2/teams/:teamKey': (_r, p) => ({ requirements: each(team(p.teamKey), ['deleteTeam']) }),
  'POST /api/v2/teams/:teamKey/members': (_r, p) => ({ requirements: each(team(p.teamKey), ['updateTeamMembers']) }),
  'GET /api/v2/auditlog': open,
  'GET /api/v2/auditlog/:id': open,
  'POST /api/v2/auditlog': open,
  'POST /api/v2/auditlog/counts': open,
  // Account usage (beta): LaunchDarkly documents no action for it. The account's figures are read as the audit log
  // is, by every token; a flag's evaluations are the flag's project's, read with viewProject.
  'GET /api/v2/usage/clientside-contexts': open,
  'GET /api/v2/usage/clientside-mau': open,
  'GET /api/v2/usage/data-export-events': open,
  'GET /api/v2/usage/events/:type': open,
  'GET /api/v2/usage/experimentation-events': open,
  'GET /api/v2/usage/experimentation-keys': open,
  'GET /api/v2/usage/mau': open,
  'GET /api/v2/usage/mau/bycategory': open,
  'GET /api/v2/usage/mau/sdks': open,
  'GET /api/v2/usage/observability/errors': open,
  'GET /api/v2/usage/observability/logs': open,
  'GET /api/v2/usage/observability/metrics': open,
  'GET /api/v2/usage/observability/sessions': open,
  'GET /api/v2/usage/observability/traces': open,
  'GET /api/v2/usage/sdk-versions/details': open,
  'GET /api/v2/usage/serverside-contexts': open,
  'GET /api/v2/usage/service-connections': open,
  'GET /api/v2/usage/streams/:source': open,
  'GET /api/v2/usage/streams/:source/bysdkversion': open,
  'GET /api/v2/usage/streams/:source/sdkversions': open,
  'GET /api/v2/usage/total-contexts': open,
  'GET /api/v2/usage/total-mau': open,
  'GET /api/v2/usage/vega-ai': open,
  'GET /api/v2/usage/ai-runs': open,
  'GET /api/v2/usage/sdk-versions/all': open,
  'GET /api/v2/usage/warehouse-export': open,
  'GET /api/v2/usage/evaluations/:projectKey/:environmentKey/:featureFlagKey': viewOnly,
  'GET /api/v2/roles': open,
  'GET /api/v2/roles/:customRoleKey': open,
  'POST /api/v2/roles': (_r, _p, b) => ({ requirements: each(role(text(b.key)), ['createRole']) }),
  // The path takes a role's key or `_id`; the resource is always `role/{key}`, so that a deny on it holds either way.
  'PATCH /api/v2/roles/:customRoleKey': (r, p) => ({ requirements: each(role(r.target?.roleKey ?? p.customRoleKey), byMember(patchPaths(r.body), ROLE_MEMBERS, 'updatePolicy')) }),
  'DELETE /api/v2/roles/:customRoleKey': (r, p) => ({ requirements: each(role(r.target?.roleKey ?? p.customRoleKey), ['deleteRole']) }),
  // A schedule asks for what its instructions will do, as the flag PATCH that applies them does. Moving or cancelling
  // one asks updateScheduledChanges (LaunchDarkly names no action for it; iterlab's).
  'GET /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/scheduled-changes': viewOnly,
  'GET /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/scheduled-changes/:id': viewOnly,
  'POST /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/scheduled-changes': (_r, p, b) => ({
    project: p.projectKey,
    requirements: flagUpdate(p.projectKey, p.featureFlagKey, { environmentKey: p.environmentKey, instructions: b.instructions }),
  }),
  'PATCH /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/scheduled-changes/:id': (_r, p, b) => ({
    project: p.projectKey,
    requirements: (Array.isArray(b.instructions) ? b.instructions : [{}]).flatMap((i) =>
      record(i).kind === 'replaceScheduledChangesInstructions'
        ? flagUpdate(p.projectKey, p.featureFlagKey, { environmentKey: p.environmentKey, instructions: record(i).value })
        : each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateScheduledChanges']),
    ),
  }),
  'DELETE /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/scheduled-changes/:id': (_r, p) => ({
    project: p.projectKey,
    requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateScheduledChanges']),
  }),
  // Workflows are LaunchDarkly's flag action updateFeatureWorkflows on the flag in the environment: making one (its
  // stages' instructions are not asked for apart) and deleting one. Templates are the account's: making one from
  // stages asks it of the flag they are for; from a workflow (`workflowId`), of that workflow's flag, which only the
  // handler knows (workflows/createWorkflowTemplate.ts); deleting one, which every flag could start from, of every
  // flag. LaunchDarkly documents no action for templates.
  'GET /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/workflows': viewOnly,
  'GET /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/workflows/:workflowId': viewOnly,
  'POST /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/workflows': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateFeatureWorkflows']) }),
  'DELETE /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/workflows/:workflowId': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateFeatureWorkflows']) }),
  'GET /api/v2/templates': open,
  'POST /api/v2/templates': (_r, _p, b) =>
    typeof b.workflowId === 'string' && b.workflowId !== ''
      ? { requirements: [] }
      : { ...(typeof b.projectKey === 'string' ? { project: b.projectKey } : {}), requirements: each(flag(text(b.projectKey), text(b.environmentKey), text(b.flagKey)), ['updateFeatureWorkflows']) },
  'DELETE /api/v2/templates/:templateKey': () => ({ requirements: each(flag('*', '*', '*'), ['updateFeatureWorkflows']) }),
  // Approval requests are LaunchDarkly's flag actions createApprovalRequest, updateApprovalRequest, deleteApprovalRequest,
  // reviewApprovalRequest and applyApprovalRequest on the flag in the environment (on the segment, for a segment's
  // request). The account-wide routes that name a request by id alone learn its flag or segment in the handler, which
  // checks there (approvals/accountWide.ts).
  'GET /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/approval-requests': viewOnly,
  'GET /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/approval-requests/:id': viewOnly,
  'POST /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/approval-requests': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['createApprovalRequest']) }),
  // Asking to copy into the environment is asking for approval there; applying it is copying, which the apply
  // checks besides applyApprovalRequest (approvals/copy.ts), since only the request knows its source.
  'POST /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/approval-requests-flag-copy': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['createApprovalRequest']) }),
  'PATCH /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/approval-requests/:id': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateApprovalRequest']) }),
  'DELETE /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/approval-requests/:id': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['deleteApprovalRequest']) }),
  'POST /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/approval-requests/:id/reviews': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['reviewApprovalRequest']) }),
  'POST /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/approval-requests/:id/apply': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['applyApprovalRequest']) }),
  'GET /api/v2/approval-requests': open,
  // A segment's requests are the same actions on the segment (LaunchDarkly's segment actions include them).
  'POST /api/v2/approval-requests': (_r, _p, b) => {
    const ofSegment = parseSegmentResource(b.resourceId);
    if (ofSegment) return { project: ofSegment.projectKey, requirements: each(segment(ofSegment.projectKey, ofSegment.environmentKey, ofSegment.segmentKey), ['createApprovalRequest']) };
    const { projectKey = '*', environmentKey = '*', flagKey = '*' } = parseFlagResource(b.resourceId) ?? {};
    return { project: projectKey, requirements: each(flag(projectKey, environmentKey, flagKey), ['createApprovalRequest']) };
  },
  'GET /api/v2/approval-requests/:id': open,
  'PATCH /api/v2/approval-requests/:id': open,
  'DELETE /api/v2/approval-requests/:id': open,
  'POST /api/v2/approval-requests/:id/reviews': open,
  'POST /api/v2/approval-requests/:id/apply': open,
  // Approval request settings by project: flags' are their environment's approvalSettings, so reading them is viewing
  // the project, as reading an environment is, and changing them is updateApprovalSettings on the environment the
  // body names, as patchEnvironment asks of an `approvalSettings` change.
  'GET /api/v2/approval-requests/projects/:projectKey/settings': viewOnly,
  'PATCH /api/v2/approval-requests/projects/:projectKey/settings': (_r, p, b) => ({
    project: p.projectKey,
    requirements: each(env(p.projectKey, text(b.environmentKey)), ['updateApprovalSettings']),
  }),
  // Flag triggers act on one environment's targeting: LaunchDarkly's flag actions createTriggers, updateTriggers, deleteTriggers.
  'GET /api/v2/flags/:projectKey/:featureFlagKey/triggers/:environmentKey': viewOnly,
  'GET /api/v2/flags/:projectKey/:featureFlagKey/triggers/:environmentKey/:id': viewOnly,
  'POST /api/v2/flags/:projectKey/:featureFlagKey/triggers/:environmentKey': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['createTriggers']) }),
  'PATCH /api/v2/flags/:projectKey/:featureFlagKey/triggers/:environmentKey/:id': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateTriggers']) }),
  'DELETE /api/v2/flags/:projectKey/:featureFlagKey/triggers/:environmentKey/:id': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['deleteTriggers']) }),
  // Every token may list webhooks; their secrets are shown only to whoever may update them (webhooks/represent.ts).
  'GET /api/v2/webhooks': open,
  'GET /api/v2/webhooks/:id': open,
  'POST /api/v2/webhooks': () => ({ requirements: each(webhook('*'), ['createWebhook']) }),
  'PATCH /api/v2/webhooks/:id': (r, p) => ({ requirements: each(webhook(p.id), byMember(patchPaths(r.body), WEBHOOK_FIELD_ACTIONS, 'updateUrl')) }),
  'DELETE /api/v2/webhooks/:id': (_r, p) => ({ requirements: each(webhook(p.id), ['deleteWebhook']) }),

  // Relay Proxy configurations show no key once made, so every token may list them, as webhooks.
  'GET /api/v2/account/relay-auto-configs': open,
  'GET /api/v2/account/relay-auto-configs/:id': open,
  'POST /api/v2/account/relay-auto-configs': () => ({ requirements: each(relayConfig('*'), ['createRelayAutoConfiguration']) }),
  'PATCH /api/v2/account/relay-auto-configs/:id': (r, p) => ({
    requirements: each(relayConfig(p.id), byMember(patchPaths(r.body), RELAY_FIELD_ACTIONS, 'updateRelayAutoConfigurationPolicy')),
  }),
  'DELETE /api/v2/account/relay-auto-configs/:id': (_r, p) => ({ requirements: each(relayConfig(p.id), ['deleteRelayAutoConfiguration']) }),
  'POST /api/v2/account/relay-auto-configs/:id/reset': (_r, p) => ({ requirements: each(relayConfig(p.id), ['resetRelayAutoConfiguration']) }),
  // Data Export destinations: LaunchDarkly's destination actions on `proj/p:env/e:destination/id`. The list shows a
  // custom-role token the destinations of the projects it may view (getDestinations). LaunchDarkly names no action
  // for the key pair and the trust policy, steps of creating a Snowflake or Kinesis destination: createDestination.
  'GET /api/v2/destinations': open,
  'POST /api/v2/destinations/:projectKey/:environmentKey': (_r, p) => ({ project: p.projectKey, requirements: each(destination(p.projectKey, p.environmentKey, '*'), ['createDestination']) }),
  'GET /api/v2/destinations/:projectKey/:environmentKey/:id': viewOnly,
  'PATCH /api/v2/destinations/:projectKey/:environmentKey/:id': (r, p) => ({
    project: p.projectKey,
    requirements: each(destination(p.projectKey, p.environmentKey, p.id), byMember(patchPaths(r.body), DESTINATION_FIELD_ACTIONS, 'updateConfiguration')),
  }),
  'DELETE /api/v2/destinations/:projectKey/:environmentKey/:id': (_r, p) => ({ project: p.projectKey, requirements: each(destination(p.projectKey, p.environmentKey, p.id), ['deleteDestination']) }),
  'POST /api/v2/destinations/generate-warehouse-destination-key-pair': () => ({ requirements: each(destination('*', '*', '*'), ['createDestination']) }),
  'POST /api/v2/destinations/projects/:projKey/environments/:envKey/generate-trust-policy': (_r, p) => ({
    project: p.projKey,
    requirements: each(destination(p.projKey, p.envKey, '*'), ['createDestination']),
  }),
  // The environment's key pair, its warehouse setup script and the setup's completion (which creates the destination)
  // are steps of creating a destination there: createDestination, as the trust policy.
  'POST /api/v2/destinations/projects/:projKey/environments/:envKey/generate-warehouse-destination-key-pair': (_r, p) => ({
    project: p.projKey,
    requirements: each(destination(p.projKey, p.envKey, '*'), ['createDestination']),
  }),
  'POST /api/v2/destinations/projects/:projKey/environments/:envKey/kinds/:kind/setup': (_r, p) => ({
    project: p.projKey,
    requirements: each(destination(p.projKey, p.envKey, '*'), ['createDestination']),
  }),
  'POST /api/v2/destinations/projects/:projKey/environments/:envKey/kinds/:kind/complete-setup': (_r, p) => ({
    project: p.projKey,
    requirements: each(destination(p.projKey, p.envKey, '*'), ['createDestination']),
  }),

  // Audit log subscriptions show no secret (they are masked), so every token may list them, as webhooks.
  'GET /api/v2/integrations/:integrationKey': open,
  'GET /api/v2/integrations/:integrationKey/:id': open,
  'POST /api/v2/integrations/:integrationKey': (_r, p) => ({ requirements: each(integration(p.integrationKey, '*'), ['createIntegration']) }),
  'PATCH /api/v2/integrations/:integrationKey/:id': (r, p) => ({
    requirements: each(integration(p.integrationKey, p.id), byMember(patchPaths(r.body), SUBSCRIPTION_FIELD_ACTIONS, 'updateConfiguration')),
  }),
  'DELETE /api/v2/integrations/:integrationKey/:id': (_r, p) => ({ requirements: each(integration(p.integrationKey, p.id), ['deleteIntegration']) }),
  // Persistent store integrations (beta): LaunchDarkly's integration actions on `integration/<redis|dynamodb>/<id>`, as
  // audit log subscriptions'; secrets are masked, so the list is open to every token and one integration to whoever
  // may view its project.
  'GET /api/v2/integration-capabilities/big-segment-store': open,
  'GET /api/v2/integration-capabilities/big-segment-store/:projectKey/:environmentKey/:integrationKey/:integrationId': viewOnly,
  'POST /api/v2/integration-capabilities/big-segment-store/:projectKey/:environmentKey/:integrationKey': (_r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, '*'), ['createIntegration']),
  }),
  'PATCH /api/v2/integration-capabilities/big-segment-store/:projectKey/:environmentKey/:integrationKey/:integrationId': (r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, p.integrationId), byMember(patchPaths(r.body), STORE_FIELD_ACTIONS, 'updateConfiguration')),
  }),
  'DELETE /api/v2/integration-capabilities/big-segment-store/:projectKey/:environmentKey/:integrationKey/:integrationId': (_r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, p.integrationId), ['deleteIntegration']),
  }),
  // Integration configurations (beta): the integration actions on `integration/<key>/<id>`, as audit log
  // subscriptions'. Reads are open (secrets masked). The routes naming a configuration by id alone learn its
  // integration in the handler, which checks there (integration-configurations/model.ts, authorizedConfiguration).
  'GET /api/v2/integration-configurations/keys/:integrationKey': open,
  'POST /api/v2/integration-configurations/keys/:integrationKey': (_r, p) => ({ requirements: each(integration(p.integrationKey, '*'), ['createIntegration']) }),
  'GET /api/v2/integration-configurations/:integrationConfigurationId': open,
  'PATCH /api/v2/integration-configurations/:integrationConfigurationId': open,
  'DELETE /api/v2/integration-configurations/:integrationConfigurationId': open,
  // Delivery configurations (beta): as persistent store integrations. Validating changes nothing: seeing the project.
  'GET /api/v2/integration-capabilities/featureStore': open,
  'GET /api/v2/integration-capabilities/featureStore/:projectKey/:environmentKey': viewOnly,
  'POST /api/v2/integration-capabilities/featureStore/:projectKey/:environmentKey/:integrationKey': (_r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, '*'), ['createIntegration']),
  }),
  'GET /api/v2/integration-capabilities/featureStore/:projectKey/:environmentKey/:integrationKey/:id': viewOnly,
  'PATCH /api/v2/integration-capabilities/featureStore/:projectKey/:environmentKey/:integrationKey/:id': (r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, p.id), byMember(patchPaths(r.body), DELIVERY_FIELD_ACTIONS, 'updateConfiguration')),
  }),
  'DELETE /api/v2/integration-capabilities/featureStore/:projectKey/:environmentKey/:integrationKey/:id': (_r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, p.id), ['deleteIntegration']),
  }),
  'POST /api/v2/integration-capabilities/featureStore/:projectKey/:environmentKey/:integrationKey/:id/validate': viewOnly,
  // Flag import configurations (beta): as persistent store integrations; running an import job is updateConfiguration.
  'GET /api/v2/integration-capabilities/flag-import': open,
  'POST /api/v2/integration-capabilities/flag-import/:projectKey/:integrationKey': (_r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, '*'), ['createIntegration']),
  }),
  'GET /api/v2/integration-capabilities/flag-import/:projectKey/:integrationKey/:integrationId': viewOnly,
  'PATCH /api/v2/integration-capabilities/flag-import/:projectKey/:integrationKey/:integrationId': (r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, p.integrationId), byMember(patchPaths(r.body), IMPORT_FIELD_ACTIONS, 'updateConfiguration')),
  }),
  'DELETE /api/v2/integration-capabilities/flag-import/:projectKey/:integrationKey/:integrationId': (_r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, p.integrationId), ['deleteIntegration']),
  }),
  'POST /api/v2/integration-capabilities/flag-import/:projectKey/:integrationKey/:integrationId/trigger': (_r, p) => ({
    project: p.projectKey,
    requirements: each(integration(p.integrationKey, p.integrationId), ['updateConfiguration']),
  }),
  // Applications (beta): account-wide, as LaunchDarkly's `application/*` resource; every token may read them (the SDKs
  // add them, and their flags lists name only flags). A version's actions are on its application.
  'GET /api/v2/applications': open,
  'GET /api/v2/applications/:applicationKey': open,
  'GET /api/v2/applications/:applicationKey/versions': open,
  'PATCH /api/v2/applications/:applicationKey': (r, p) => ({
    requirements: each(application(p.applicationKey), byMember(patchPaths(r.body), APPLICATION_FIELD_ACTIONS, 'updateApplicationDescription')),
  }),
  'DELETE /api/v2/applications/:applicationKey': (_r, p) => ({ requirements: each(application(p.applicationKey), ['deleteApplication']) }),
  'PATCH /api/v2/applications/:applicationKey/versions/:versionKey': (_r, p) => ({ requirements: each(application(p.applicationKey), ['updateApplicationVersionSupport']) }),
  'DELETE /api/v2/applications/:applicationKey/versions/:versionKey': (_r, p) => ({ requirements: each(application(p.applicationKey), ['deleteApplicationVersion']) }),
  // Views (beta): LaunchDarkly's view actions on `proj/p:view/v`. Reading a view, its links or a resource's views is
  // seeing the project. Linking and unlinking ask the action of the resource type (an unknown type, updateView).
  'GET /api/v2/projects/:projectKey/views': viewOnly,
  'GET /api/v2/projects/:projectKey/views/:viewKey': viewOnly,
  'GET /api/v2/projects/:projectKey/views/:viewKey/linked/:resourceType': viewOnly,
  'GET /api/v2/projects/:projectKey/view-associations/:resourceType/:resourceKey': viewOnly,
  'POST /api/v2/projects/:projectKey/views': (_r, p, b) => ({ project: p.projectKey, requirements: each(view(p.projectKey, text(b.key), b.tags), ['createView']) }),
  'PATCH /api/v2/projects/:projectKey/views/:viewKey': (_r, p) => ({ project: p.projectKey, requirements: each(view(p.projectKey, p.viewKey), ['updateView']) }),
  'DELETE /api/v2/projects/:projectKey/views/:viewKey': (_r, p) => ({ project: p.projectKey, requirements: each(view(p.projectKey, p.viewKey), ['deleteView']) }),
  'POST /api/v2/projects/:projectKey/views/:viewKey/link/:resourceType': (_r, p) => ({
    project: p.projectKey,
    requirements: each(view(p.projectKey, p.viewKey), [linkAction(p.resourceType, 'link')]),
  }),
  'DELETE /api/v2/projects/:projectKey/views/:viewKey/link/:resourceType': (_r, p) => ({
    project: p.projectKey,
    requirements: each(view(p.projectKey, p.viewKey), [linkAction(p.resourceType, 'unlink')]),
  }),
  // Code references: account-wide reads, as ld-find-code-refs and the UI make them; writes are LaunchDarkly's
  // code-reference-repository actions (a branch pushed, pruned or its extinctions recorded: updateCodeRefsRepositoryBranches).
  'GET /api/v2/code-refs/repositories': open,
  'GET /api/v2/code-refs/repositories/:repo': open,
  'GET /api/v2/code-refs/repositories/:repo/branches': open,
  'GET /api/v2/code-refs/repositories/:repo/branches/:branch': open,
  'GET /api/v2/code-refs/extinctions': open,
  'GET /api/v2/code-refs/statistics': open,
  'GET /api/v2/code-refs/statistics/:projectKey': viewOnly,
  'POST /api/v2/code-refs/repositories': (_r, _p, b) => ({ requirements: each(codeRefsRepository(text(b.name)), ['createCodeRefsRepository']) }),
  'PATCH /api/v2/code-refs/repositories/:repo': (r, p) => ({
    requirements: each(codeRefsRepository(p.repo), byMember(patchPaths(r.body), { enabled: 'updateCodeRefsRepositoryOn' }, 'updateCodeRefsRepositoryConfiguration')),
  }),
  'DELETE /api/v2/code-refs/repositories/:repo': (_r, p) => ({ requirements: each(codeRefsRepository(p.repo), ['deleteCodeRefsRepository']) }),
  'PUT /api/v2/code-refs/repositories/:repo/branches/:branch': (_r, p) => ({ requirements: each(codeRefsRepository(p.repo), ['updateCodeRefsRepositoryBranches']) }),
  'POST /api/v2/code-refs/repositories/:repo/branch-delete-tasks': (_r, p) => ({ requirements: each(codeRefsRepository(p.repo), ['updateCodeRefsRepositoryBranches']) }),
  'POST /api/v2/code-refs/repositories/:repo/branches/:branch/extinction-events': (_r, p) => ({ requirements: each(codeRefsRepository(p.repo), ['updateCodeRefsRepositoryBranches']) }),
  // Reading tokens is for whoever may manage them.
  'GET /api/v2/tokens': (r) => ({ requirements: [TOKEN_ACTIONS.flatMap((action) => onToken(r.memberId, '*', action))] }),
  'GET /api/v2/tokens/:id': (r, p) => ({ requirements: [TOKEN_ACTIONS.flatMap((action) => onToken(r.memberId, p.id, action, r.target?.token))] }),
  'POST /api/v2/tokens': (r, _p, b) => ({
    requirements: [b.serviceToken === true ? [{ resource: [level('service-token', '*')], action: 'createAccessToken' }] : [{ resource: [level('member', r.memberId), level('token', '*')], action: 'createAccessToken' }]],
  }),
  'PATCH /api/v2/tokens/:id': (r, p) => ({
    requirements: [...new Set(byMember(patchPaths(r.body), TOKEN_MEMBERS, 'updateAccessTokenPolicy'))].map((action) => onToken(r.memberId, p.id, action, r.target?.token)),
  }),
  'DELETE /api/v2/tokens/:id': (r, p) => ({ requirements: [onToken(r.memberId, p.id, 'deleteAccessToken', r.target?.token)] }),
  'POST /api/v2/tokens/:id/reset': (r, p) => ({ requirements: [onToken(r.memberId, p.id, 'resetAccessToken', r.target?.token)] }),

  // OAuth 2.0 clients: LaunchDarkly asks Admin privileges, or a token "that grants you permission to the acct resource";
  // it names no actions, so iterlab asks these of `acct` (a policy allowing `*` on `acct` grants them all).
  'GET /api/v2/oauth/clients': () => ({ requirements: each(account, ['viewOAuthClients']) }),
  'GET /api/v2/oauth/clients/:clientId': () => ({ requirements: each(account, ['viewOAuthClients']) }),
  'POST /api/v2/oauth/clients': () => ({ requirements: each(account, ['createOAuthClient']) }),
  'PATCH /api/v2/oauth/clients/:clientId': () => ({ requirements: each(account, ['updateOAuthClient']) }),
  'DELETE /api/v2/oauth/clients/:clientId': () => ({ requirements: each(account, ['deleteOAuthClient']) }),
  // Announcements: the banner is everyone's to read; changing it asks these of `acct` (LaunchDarkly names none).
  'GET /api/v2/announcements': open,
  'POST /api/v2/announcements': () => ({ requirements: each(account, ['createAnnouncement']) }),
  'PATCH /api/v2/announcements/:announcementId': () => ({ requirements: each(account, ['updateAnnouncement']) }),
  'DELETE /api/v2/announcements/:announcementId': () => ({ requirements: each(account, ['deleteAnnouncement']) }),

  // The list shows a custom-role token the projects it may view (getProjects).
  'GET /api/v2/projects': open,
  'POST /api/v2/projects': (_r, _p, b) => ({ requirements: each(proj(text(b.key), b.tags), ['createProject']) }),
  'GET /api/v2/projects/:projectKey': viewOnly,
  'PATCH /api/v2/projects/:projectKey': (r, p) => ({ project: p.projectKey, requirements: each(proj(p.projectKey), byMember(patchPaths(r.body), PROJECT_MEMBERS, 'updateProjectFlagDefaults')) }),
  'DELETE /api/v2/projects/:projectKey': (_r, p) => ({ project: p.projectKey, requirements: each(proj(p.projectKey), ['deleteProject']) }),
  'GET /api/v2/projects/:projectKey/flag-defaults': viewOnly,
  'PUT /api/v2/projects/:projectKey/flag-defaults': (_r, p) => ({ project: p.projectKey, requirements: each(proj(p.projectKey), ['updateProjectFlagDefaults']) }),
  'PATCH /api/v2/projects/:projectKey/flag-defaults': (_r, p) => ({ project: p.projectKey, requirements: each(proj(p.projectKey), ['updateProjectFlagDefaults']) }),

  'POST /api/v2/projects/:projectKey/environments': (_r, p, b) => ({ project: p.projectKey, requirements: each(env(p.projectKey, text(b.key), b.tags), ['createEnvironment']) }),
  'GET /api/v2/projects/:projectKey/environments': viewOnly,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey': viewOnly,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/sdk-active': viewOnly,
  'PATCH /api/v2/projects/:projectKey/environments/:environmentKey': (r, p) => ({
    project: p.projectKey,
    requirements: each(env(p.projectKey, p.environmentKey), byMember(patchPaths(r.body), ENVIRONMENT_MEMBERS, 'updateEnvironment')),
  }),
  'DELETE /api/v2/projects/:projectKey/environments/:environmentKey': (_r, p) => ({ project: p.projectKey, requirements: each(env(p.projectKey, p.environmentKey), ['deleteEnvironment']) }),
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/apiKey': (_r, p) => ({ project: p.projectKey, requirements: each(env(p.projectKey, p.environmentKey), ['updateApiKey']) }),
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/mobileKey': (_r, p) => ({ project: p.projectKey, requirements: each(env(p.projectKey, p.environmentKey), ['updateMobileKey']) }),
  // SDK keys (beta): LaunchDarkly documents no actions for them; iterlab asks createSdkKey, updateSdkKey and
  // deleteSdkKey on `proj/p:env/e:sdk-key/k`, and reading one is viewing the project, as reading its environment is.
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/sdk-keys': (_r, p, b) => ({ project: p.projectKey, requirements: each(sdkKey(p.projectKey, p.environmentKey, text(b.key)), ['createSdkKey']) }),
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/sdk-keys/:sdkKeyKey': viewOnly,
  'PATCH /api/v2/projects/:projectKey/environments/:environmentKey/sdk-keys/:sdkKeyKey': (_r, p) => ({ project: p.projectKey, requirements: each(sdkKey(p.projectKey, p.environmentKey, p.sdkKeyKey), ['updateSdkKey']) }),
  'DELETE /api/v2/projects/:projectKey/environments/:environmentKey/sdk-keys/:sdkKeyKey': (_r, p) => ({ project: p.projectKey, requirements: each(sdkKey(p.projectKey, p.environmentKey, p.sdkKeyKey), ['deleteSdkKey']) }),
  // The IP allowlist (beta): LaunchDarkly's actions on the `ip-allowlist` resource.
  'GET /api/v2/account/ip-allowlist': () => ({ requirements: each(ipAllowlist, ['viewIpAllowlist']) }),
  'PATCH /api/v2/account/ip-allowlist': () => ({ requirements: each(ipAllowlist, ['updateIpAllowlistEnabled']) }),
  'POST /api/v2/account/ip-allowlist': () => ({ requirements: each(ipAllowlist, ['createIpAllowlistEntry']) }),
  'PATCH /api/v2/account/ip-allowlist/:id': () => ({ requirements: each(ipAllowlist, ['updateIpAllowlistEntry']) }),
  'DELETE /api/v2/account/ip-allowlist/:id': () => ({ requirements: each(ipAllowlist, ['deleteIpAllowlistEntry']) }),

  'GET /api/v2/projects/:projectKey/context-kinds': viewOnly,
  // Creating and updating a context kind are one PUT: either action will do.
  'PUT /api/v2/projects/:projectKey/context-kinds/:key': (_r, p) => ({
    project: p.projectKey,
    requirements: [['createContextKind', 'updateContextKind'].map((action) => ({ resource: contextKind(p.projectKey, p.key), action }))],
  }),
  'GET /api/v2/projects/:projectKey/experimentation-settings': viewOnly,
  // Randomization units are the context kinds available for experiments: updateAvailabilityForExperiments on each
  // whose availability the PUT changes (added, removed, made or unmade the default), not on those it leaves as they are.
  'PUT /api/v2/projects/:projectKey/experimentation-settings': (r, p, b) => ({
    project: p.projectKey,
    requirements: unitsChanged(b.randomizationUnits, r.target?.randomizationUnits).flatMap((unit) => each(contextKind(p.projectKey, unit), ['updateAvailabilityForExperiments'])),
  }),

  'POST /api/v2/flags/:projectKey': (_r, p, b) => ({
    project: p.projectKey,
    requirements: [
      ...each(flag(p.projectKey, '*', text(b.key), b.tags), ['createFlag']),
      // Created into views (`viewKeys`): linking it to each, as linkResource asks of a flag.
      ...viewLinks(p.projectKey, b.viewKeys, LINK_ACTIONS.flags.link),
    ],
  }),
  'GET /api/v2/flags/:projectKey': viewOnly,
  'GET /api/v2/flags/:projectKey/:featureFlagKey': viewOnly,
  'PATCH /api/v2/flags/:projectKey/:featureFlagKey': (r, p) => ({ project: p.projectKey, requirements: flagUpdate(p.projectKey, p.featureFlagKey, r.body) }),
  // Following a flag changes no flag: seeing its project is enough, as for reading its followers.
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/followers': viewOnly,
  'GET /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/followers': viewOnly,
  'PUT /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/followers/:memberId': viewOnly,
  'DELETE /api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/followers/:memberId': viewOnly,
  // A context's own setting is an individual target of the flag in that environment.
  'PUT /api/v2/projects/:projectKey/environments/:environmentKey/contexts/:contextKind/:contextKey/flags/:featureFlagKey': (_r, p) => ({
    project: p.projectKey,
    requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateTargets']),
  }),
  // The legacy user settings: reads of the project, and a user's own setting as a context's.
  'GET /api/v2/users/:projectKey/:environmentKey/:userKey/flags': viewOnly,
  'GET /api/v2/users/:projectKey/:environmentKey/:userKey/flags/:featureFlagKey': viewOnly,
  'PUT /api/v2/users/:projectKey/:environmentKey/:userKey/flags/:featureFlagKey': (_r, p) => ({
    project: p.projectKey,
    requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateTargets']),
  }),
  // Flag links belong to the flag in every environment: LaunchDarkly's flag actions createFlagLink, updateFlagLink, deleteFlagLink.
  'GET /api/v2/flag-links/projects/:projectKey/flags/:featureFlagKey': viewOnly,
  'POST /api/v2/flag-links/projects/:projectKey/flags/:featureFlagKey': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, '*', p.featureFlagKey), ['createFlagLink']) }),
  'PATCH /api/v2/flag-links/projects/:projectKey/flags/:featureFlagKey/:id': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, '*', p.featureFlagKey), ['updateFlagLink']) }),
  'DELETE /api/v2/flag-links/projects/:projectKey/flags/:featureFlagKey/:id': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, '*', p.featureFlagKey), ['deleteFlagLink']) }),
  'DELETE /api/v2/flags/:projectKey/:featureFlagKey': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, '*', p.featureFlagKey), ['deleteFlag']) }),
  // Asking which migration safety issues a patch would cause changes nothing: seeing the project is enough.
  'POST /api/v2/projects/:projectKey/flags/:flagKey/environments/:environmentKey/migration-safety-issues': viewOnly,
  'GET /api/v2/flag-statuses/:projectKey/:environmentKey': viewOnly,
  'GET /api/v2/flag-statuses/:projectKey/:environmentKey/:featureFlagKey': viewOnly,
  'GET /api/v2/flag-status/:projectKey/:featureFlagKey': viewOnly,
  // Reading the source environment's flag and writing the target's: each side its own action.
  'POST /api/v2/flags/:projectKey/:featureFlagKey/copy': (_r, p, b) => ({
    project: p.projectKey,
    requirements: [
      ...each(flag(p.projectKey, text(record(b.source).key), p.featureFlagKey), ['copyFlagConfigFrom']),
      ...each(flag(p.projectKey, text(record(b.target).key), p.featureFlagKey), ['copyFlagConfigTo']),
    ],
  }),
  'GET /api/v2/flags/:projectKey/:featureFlagKey/expiring-targets/:environmentKey': viewOnly,
  'GET /api/v2/flags/:projectKey/:featureFlagKey/expiring-user-targets/:environmentKey': viewOnly,
  'PATCH /api/v2/flags/:projectKey/:featureFlagKey/expiring-targets/:environmentKey': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateExpiringTargets']) }),
  'PATCH /api/v2/flags/:projectKey/:featureFlagKey/expiring-user-targets/:environmentKey': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, p.environmentKey, p.featureFlagKey), ['updateExpiringTargets']) }),
  'GET /api/v2/flags/:projectKey/:featureFlagKey/dependent-flags': viewOnly,
  'GET /api/v2/flags/:projectKey/:environmentKey/:featureFlagKey/dependent-flags': viewOnly,

  'GET /api/v2/users/:projectKey/:userKey/expiring-user-targets/:environmentKey': viewOnly,
  // Each instruction names its flag: the action is asked of every flag named (of every flag when none is).
  'PATCH /api/v2/users/:projectKey/:userKey/expiring-user-targets/:environmentKey': (r, p) => ({
    project: p.projectKey,
    requirements: flagKeysOf(r.body).flatMap((key) => each(flag(p.projectKey, p.environmentKey, key), ['updateExpiringTargets'])),
  }),
  'GET /api/v2/segments/:projectKey/:segmentKey/expiring-targets/:environmentKey': viewOnly,
  'GET /api/v2/segments/:projectKey/:segmentKey/expiring-user-targets/:environmentKey': viewOnly,
  'PATCH /api/v2/segments/:projectKey/:segmentKey/expiring-targets/:environmentKey': (_r, p) => ({ project: p.projectKey, requirements: each(segment(p.projectKey, p.environmentKey, p.segmentKey), ['updateExpiringTargets']) }),
  'PATCH /api/v2/segments/:projectKey/:segmentKey/expiring-user-targets/:environmentKey': (_r, p) => ({ project: p.projectKey, requirements: each(segment(p.projectKey, p.environmentKey, p.segmentKey), ['updateExpiringTargets']) }),
  'POST /api/v2/segments/:projectKey/:environmentKey': (_r, p, b) => ({
    project: p.projectKey,
    requirements: [
      ...each(segment(p.projectKey, p.environmentKey, text(b.key), b.tags), ['createSegment']),
      // Created into views (`viewKeys`): linking it to each, as linkResource asks of a segment.
      ...viewLinks(p.projectKey, b.viewKeys, LINK_ACTIONS.segments.link),
    ],
  }),
  'GET /api/v2/segments/:projectKey/:environmentKey': viewOnly,
  'GET /api/v2/segments/:projectKey/:environmentKey/:segmentKey': viewOnly,
  'PATCH /api/v2/segments/:projectKey/:environmentKey/:segmentKey': (r, p) => {
    const kinds = instructionKinds(r.body);
    const actions = kinds ? byKind(kinds, SEGMENT_INSTRUCTIONS, 'updateRules') : byMember(patchPaths(r.body), SEGMENT_MEMBERS, 'updateSegment');
    return { project: p.projectKey, requirements: each(segment(p.projectKey, p.environmentKey, p.segmentKey), actions) };
  },
  'DELETE /api/v2/segments/:projectKey/:environmentKey/:segmentKey': (_r, p) => ({ project: p.projectKey, requirements: each(segment(p.projectKey, p.environmentKey, p.segmentKey), ['deleteSegment']) }),
  'POST /api/v2/segments/:projectKey/:environmentKey/:segmentKey/contexts': (r, p) => ({ project: p.projectKey, requirements: each(segment(p.projectKey, p.environmentKey, p.segmentKey), bigSegmentActions(r.body)) }),
  'POST /api/v2/segments/:projectKey/:environmentKey/:segmentKey/users': (r, p) => ({ project: p.projectKey, requirements: each(segment(p.projectKey, p.environmentKey, p.segmentKey), bigSegmentActions(r.body)) }),
  'GET /api/v2/segments/:projectKey/:environmentKey/:segmentKey/contexts/:contextKey': viewOnly,
  'GET /api/v2/segments/:projectKey/:environmentKey/:segmentKey/users/:userKey': viewOnly,
  // Big segment exports and imports: an export (and its file) shows what viewing the project shows; an import changes the
  // included targets (a replace removes some): updateIncluded on the segment, as updateBigSegmentContextTargets asks.
  'POST /api/v2/segments/:projectKey/:environmentKey/:segmentKey/exports': viewOnly,
  'GET /api/v2/segments/:projectKey/:environmentKey/:segmentKey/exports/:exportID': viewOnly,
  'GET /api/v2/segments/:projectKey/:environmentKey/:segmentKey/exports/:exportID/download': viewOnly,
  'POST /api/v2/segments/:projectKey/:environmentKey/:segmentKey/imports': (_r, p) => ({ project: p.projectKey, requirements: each(segment(p.projectKey, p.environmentKey, p.segmentKey), ['updateIncluded']) }),
  'GET /api/v2/segments/:projectKey/:environmentKey/:segmentKey/imports/:importID': viewOnly,
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/segments/evaluate': viewOnly,
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/flags/evaluate': viewOnly,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/contexts/:kind/:key': viewOnly,
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/contexts/search': viewOnly,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/context-instances/:id': viewOnly,
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/context-instances/search': viewOnly,
  'DELETE /api/v2/projects/:projectKey/environments/:environmentKey/context-instances/:id': deleteContextInstance,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/context-attributes': viewOnly,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/context-attributes/:attributeName': viewOnly,
  // The legacy Users API reads and deletes the same records: a user's deletion is its context instance's.
  'GET /api/v2/users/:projectKey/:environmentKey': viewOnly,
  'GET /api/v2/user-search/:projectKey/:environmentKey': viewOnly,
  'GET /api/v2/users/:projectKey/:environmentKey/:userKey': viewOnly,
  'DELETE /api/v2/users/:projectKey/:environmentKey/:userKey': deleteContextInstance,
  'GET /api/v2/user-attributes/:projectKey/:environmentKey': viewOnly,

  // An experiment made in a holdout joins it: LaunchDarkly's addExperimentToHoldout on the holdout as well.
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/experiments': (r, p, b) => ({
    project: p.projectKey,
    requirements: [
      ...each(experiment(p.projectKey, p.environmentKey, text(b.key), b.tags), ['createExperiment']),
      ...(r.target?.holdoutKey !== undefined ? each(holdout(p.projectKey, p.environmentKey, r.target.holdoutKey), ['addExperimentToHoldout']) : []),
    ],
  }),
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/iterations': (_r, p) => ({
    project: p.projectKey,
    requirements: each(experiment(p.projectKey, p.environmentKey, p.experimentKey), ['updateExperiment']),
  }),
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey': viewOnly,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/experiments': viewOnly,
  'GET /api/v2/projects/:projectKey/experiments': viewOnly,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/metrics/:metricKey/results': viewOnly,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/metric-groups/:metricGroupKey/results': viewOnly,
  'PATCH /api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey': (r, p) => ({
    project: p.projectKey,
    requirements: each(
      experiment(p.projectKey, p.environmentKey, p.experimentKey),
      byKind(instructionKinds(r.body) ?? [], EXPERIMENT_INSTRUCTIONS, 'updateExperiment'),
    ),
  }),

  // AI Configs: LaunchDarkly's aiconfig actions on `proj/p:aiconfig/key` (a new variation is updateAIConfigVariation),
  // and updateAIConfigTargeting on the config in the patch's environment, `proj/p:env/e:aiconfig/key`. Model configs
  // take createAIModelConfig, deleteAIModelConfig and updateAIModelConfigRestricted on `proj/p:ai-model-config/key`
  // (names of iterlab's: LaunchDarkly documents none, see docs/compatibility.md).
  'GET /api/v2/projects/:projectKey/ai-configs': viewOnly,
  'POST /api/v2/projects/:projectKey/ai-configs': (_r, p, b) => ({
    project: p.projectKey,
    requirements: [
      ...each(aiConfig(p.projectKey, text(b.key), b.tags), ['createAIConfig']),
      // Created into views (2026-07 `viewKeys`): linking it to each, as linkResource asks of an AI Config.
      ...(Array.isArray(b.viewKeys) ? [...new Set(b.viewKeys.map((key) => text(key)))] : []).flatMap((key) => each(view(p.projectKey, key), [LINK_ACTIONS.aiConfigs.link])),
    ],
  }),
  'GET /api/v2/projects/:projectKey/ai-configs/:configKey': viewOnly,
  'PATCH /api/v2/projects/:projectKey/ai-configs/:configKey': (_r, p) => ({ project: p.projectKey, requirements: each(aiConfig(p.projectKey, p.configKey), ['updateAIConfig']) }),
  'DELETE /api/v2/projects/:projectKey/ai-configs/:configKey': (_r, p) => ({ project: p.projectKey, requirements: each(aiConfig(p.projectKey, p.configKey), ['deleteAIConfig']) }),
  'POST /api/v2/projects/:projectKey/ai-configs/:configKey/variations': (_r, p) => ({ project: p.projectKey, requirements: each(aiConfig(p.projectKey, p.configKey), ['updateAIConfigVariation']) }),
  'GET /api/v2/projects/:projectKey/ai-configs/:configKey/variations/:variationKey': viewOnly,
  'PATCH /api/v2/projects/:projectKey/ai-configs/:configKey/variations/:variationKey': (_r, p) => ({
    project: p.projectKey,
    requirements: each(aiConfig(p.projectKey, p.configKey), ['updateAIConfigVariation']),
  }),
  'DELETE /api/v2/projects/:projectKey/ai-configs/:configKey/variations/:variationKey': (_r, p) => ({
    project: p.projectKey,
    requirements: each(aiConfig(p.projectKey, p.configKey), ['deleteAIConfigVariation']),
  }),
  'GET /api/v2/projects/:projectKey/ai-configs/:configKey/targeting': viewOnly,
  'PATCH /api/v2/projects/:projectKey/ai-configs/:configKey/targeting': (_r, p, b) => ({
    project: p.projectKey,
    requirements: each(aiConfigInEnv(p.projectKey, text(b.environmentKey), p.configKey), ['updateAIConfigTargeting']),
  }),
  'GET /api/v2/projects/:projectKey/ai-configs/:configKey/metrics': viewOnly,
  'GET /api/v2/projects/:projectKey/ai-configs/:configKey/metrics-by-variation': viewOnly,
  'GET /api/v2/projects/:projectKey/ai-configs/quick-stats': viewOnly,
  'GET /api/v2/projects/:projectKey/ai-configs/model-configs': viewOnly,
  'POST /api/v2/projects/:projectKey/ai-configs/model-configs': (_r, p, b) => ({ project: p.projectKey, requirements: each(aiModelConfig(p.projectKey, text(b.key), b.tags), ['createAIModelConfig']) }),
  'GET /api/v2/projects/:projectKey/ai-configs/model-configs/:modelConfigKey': viewOnly,
  'DELETE /api/v2/projects/:projectKey/ai-configs/model-configs/:modelConfigKey': (_r, p) => ({
    project: p.projectKey,
    requirements: each(aiModelConfig(p.projectKey, p.modelConfigKey), ['deleteAIModelConfig']),
  }),
  'POST /api/v2/projects/:projectKey/ai-configs/model-configs/restricted': (_r, p, b) => ({ project: p.projectKey, requirements: modelConfigKeysOf(b).flatMap((key) => each(aiModelConfig(p.projectKey, key), ['updateAIModelConfigRestricted'])) }),
  'DELETE /api/v2/projects/:projectKey/ai-configs/model-configs/restricted': (_r, p, b) => ({
    project: p.projectKey,
    requirements: modelConfigKeysOf(b).flatMap((key) => each(aiModelConfig(p.projectKey, key), ['updateAIModelConfigRestricted'])),
  }),

  'POST /api/v2/projects/:projectKey/layers': (_r, p, b) => ({ project: p.projectKey, requirements: each(layer(p.projectKey, text(b.key)), ['createLayer']) }),
  'GET /api/v2/projects/:projectKey/layers': viewOnly,
  'PATCH /api/v2/projects/:projectKey/layers/:layerKey': (r, p) => ({
    project: p.projectKey,
    requirements: each(layer(p.projectKey, p.layerKey), byKind(instructionKinds(r.body) ?? [], LAYER_INSTRUCTIONS, 'updateLayer')),
  }),

  'GET /api/v2/projects/:projectKey/environments/:environmentKey/holdouts': viewOnly,
  'POST /api/v2/projects/:projectKey/environments/:environmentKey/holdouts': (_r, p, b) => ({
    project: p.projectKey,
    requirements: each(holdout(p.projectKey, p.environmentKey, text(b.key)), ['createHoldout']),
  }),
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/holdouts/id/:holdoutId': viewOnly,
  'GET /api/v2/projects/:projectKey/environments/:environmentKey/holdouts/:holdoutKey': viewOnly,
  'PATCH /api/v2/projects/:projectKey/environments/:environmentKey/holdouts/:holdoutKey': (r, p) => ({
    project: p.projectKey,
    requirements: each(holdout(p.projectKey, p.environmentKey, p.holdoutKey), byKind(instructionKinds(r.body) ?? [], HOLDOUT_INSTRUCTIONS, 'updateHoldoutStatus')),
  }),

  'POST /api/v2/metrics/:projectKey': (_r, p, b) => ({ project: p.projectKey, requirements: each(metric(p.projectKey, text(b.key), b.tags), ['createMetric']) }),
  'GET /api/v2/metrics/:projectKey': viewOnly,
  'GET /api/v2/metrics/:projectKey/:metricKey': viewOnly,
  'PATCH /api/v2/metrics/:projectKey/:metricKey': (r, p) => ({
    project: p.projectKey,
    requirements: each(metric(p.projectKey, p.metricKey), byMember(patchPaths(r.body), METRIC_MEMBERS, 'updateMetric')),
  }),
  'DELETE /api/v2/metrics/:projectKey/:metricKey': (_r, p) => ({ project: p.projectKey, requirements: each(metric(p.projectKey, p.metricKey), ['deleteMetric']) }),

  // The AI library: LaunchDarkly's AI tool actions on `proj/p:ai-tool/key` (the names iterlab could not confirm:
  // docs/compatibility.md), prompt snippet actions on `proj/p:prompt-snippet/key`, agent graph actions on
  // `proj/p:agent-graph/key`. Reading any of them needs only the project.
  'GET /api/v2/projects/:projectKey/ai-tools': viewOnly,
  'POST /api/v2/projects/:projectKey/ai-tools': (_r, p, b) => ({ project: p.projectKey, requirements: each(aiTool(p.projectKey, text(b.key)), ['createAITool']) }),
  'GET /api/v2/projects/:projectKey/ai-tools/:toolKey': viewOnly,
  'GET /api/v2/projects/:projectKey/ai-tools/:toolKey/versions': viewOnly,
  'GET /api/v2/projects/:projectKey/ai-tools/:toolKey/references': viewOnly,
  'PATCH /api/v2/projects/:projectKey/ai-tools/:toolKey': (_r, p) => ({ project: p.projectKey, requirements: each(aiTool(p.projectKey, p.toolKey), ['updateAITool']) }),
  'DELETE /api/v2/projects/:projectKey/ai-tools/:toolKey': (_r, p) => ({ project: p.projectKey, requirements: each(aiTool(p.projectKey, p.toolKey), ['deleteAITool']) }),
  'GET /api/v2/projects/:projectKey/ai-configs/prompt-snippets': viewOnly,
  'POST /api/v2/projects/:projectKey/ai-configs/prompt-snippets': (_r, p, b) => ({ project: p.projectKey, requirements: each(promptSnippet(p.projectKey, text(b.key), b.tags), ['createPromptSnippet']) }),
  'GET /api/v2/projects/:projectKey/ai-configs/prompt-snippets/:snippetKey': viewOnly,
  'GET /api/v2/projects/:projectKey/ai-configs/prompt-snippets/:snippetKey/references': viewOnly,
  'GET /api/v2/projects/:projectKey/ai-configs/prompt-snippets/:snippetKey/versions': viewOnly,
  'PATCH /api/v2/projects/:projectKey/ai-configs/prompt-snippets/:snippetKey': (_r, p) => ({ project: p.projectKey, requirements: each(promptSnippet(p.projectKey, p.snippetKey), ['updatePromptSnippet']) }),
  'DELETE /api/v2/projects/:projectKey/ai-configs/prompt-snippets/:snippetKey': (_r, p) => ({ project: p.projectKey, requirements: each(promptSnippet(p.projectKey, p.snippetKey), ['deletePromptSnippet']) }),
  'GET /api/v2/projects/:projectKey/agent-graphs': viewOnly,
  'POST /api/v2/projects/:projectKey/agent-graphs': (_r, p, b) => ({ project: p.projectKey, requirements: each(agentGraph(p.projectKey, text(b.key)), ['createAgentGraph']) }),
  'GET /api/v2/projects/:projectKey/agent-graphs/:graphKey': viewOnly,
  'PATCH /api/v2/projects/:projectKey/agent-graphs/:graphKey': (_r, p) => ({ project: p.projectKey, requirements: each(agentGraph(p.projectKey, p.graphKey), ['updateAgentGraph']) }),
  'DELETE /api/v2/projects/:projectKey/agent-graphs/:graphKey': (_r, p) => ({ project: p.projectKey, requirements: each(agentGraph(p.projectKey, p.graphKey), ['deleteAgentGraph']) }),
  // Agent optimizations on `proj/p:agent-optimization/key`: LaunchDarkly documents no actions for them; these are
  // iterlab's (docs/compatibility.md), results and runs apart from the optimization, so that an optimizer's token may
  // record runs without being able to change what is optimized.
  'GET /api/v2/projects/:projectKey/agent-optimizations': viewOnly,
  'POST /api/v2/projects/:projectKey/agent-optimizations': (_r, p, b) => ({ project: p.projectKey, requirements: each(agentOptimization(p.projectKey, text(b.key)), ['createAgentOptimization']) }),
  'GET /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey': viewOnly,
  'PATCH /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey': (_r, p) => ({ project: p.projectKey, requirements: each(agentOptimization(p.projectKey, p.optimizationKey), ['updateAgentOptimization']) }),
  'DELETE /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey': (_r, p) => ({ project: p.projectKey, requirements: each(agentOptimization(p.projectKey, p.optimizationKey), ['deleteAgentOptimization']) }),
  'GET /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey/results': viewOnly,
  'POST /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey/results': (_r, p) => ({ project: p.projectKey, requirements: each(agentOptimization(p.projectKey, p.optimizationKey), ['createAgentOptimizationResult']) }),
  'PATCH /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey/results/:resultId': (_r, p) => ({ project: p.projectKey, requirements: each(agentOptimization(p.projectKey, p.optimizationKey), ['updateAgentOptimizationResult']) }),
  'GET /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey/all-results': viewOnly,
  'GET /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey/runs': viewOnly,
  'DELETE /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey/runs/:runId': (_r, p) => ({ project: p.projectKey, requirements: each(agentOptimization(p.projectKey, p.optimizationKey), ['deleteAgentOptimizationRun']) }),
  'GET /api/v2/projects/:projectKey/agent-optimizations/:optimizationKey/runs/:runId/results': viewOnly,

  'POST /api/v2/projects/:projectKey/metric-groups': (_r, p, b) => ({ project: p.projectKey, requirements: each(metricGroup(p.projectKey, text(b.key), b.tags), ['createMetricGroup']) }),
  'GET /api/v2/projects/:projectKey/metric-groups': viewOnly,
  'GET /api/v2/projects/:projectKey/metric-groups/:metricGroupKey': viewOnly,
  'PATCH /api/v2/projects/:projectKey/metric-groups/:metricGroupKey': (r, p) => ({
    project: p.projectKey,
    requirements: each(metricGroup(p.projectKey, p.metricGroupKey), byMember(patchPaths(r.body), METRIC_GROUP_MEMBERS, 'updateMetricGroup')),
  }),
  'DELETE /api/v2/projects/:projectKey/metric-groups/:metricGroupKey': (_r, p) => ({
    project: p.projectKey,
    requirements: each(metricGroup(p.projectKey, p.metricGroupKey), ['deleteMetricGroup']),
  }),
  // Release pipelines: LaunchDarkly's release pipeline actions on `proj/p:release-pipeline/key`. A PUT sends every
  // member, and asks the action of each one it sends (name and phases always). A flag's release (adding the flag,
  // moving or marking its phases, removing it) is the flag's `updateReleasePhaseStatus` in every environment; a phase
  // that begins changes the flag's targeting on that action alone, as LaunchDarkly's automation does.
  'GET /api/v2/projects/:projectKey/release-pipelines': viewOnly,
  'POST /api/v2/projects/:projectKey/release-pipelines': (_r, p, b) => ({ project: p.projectKey, requirements: each(releasePipeline(p.projectKey, text(b.key)), ['createReleasePipeline']) }),
  'GET /api/v2/projects/:projectKey/release-pipelines/:pipelineKey': viewOnly,
  'PUT /api/v2/projects/:projectKey/release-pipelines/:pipelineKey': (r, p) => ({
    project: p.projectKey,
    requirements: each(releasePipeline(p.projectKey, p.pipelineKey), byMember(patchPaths(r.body), PIPELINE_FIELD_ACTIONS, 'updateReleasePipelinePhase')),
  }),
  'DELETE /api/v2/projects/:projectKey/release-pipelines/:pipelineKey': (_r, p) => ({ project: p.projectKey, requirements: each(releasePipeline(p.projectKey, p.pipelineKey), ['deleteReleasePipeline']) }),
  'GET /api/v2/projects/:projectKey/release-pipelines/:pipelineKey/releases': viewOnly,
  'PUT /api/v2/projects/:projectKey/flags/:flagKey/release': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, '*', p.flagKey), ['updateReleasePhaseStatus']) }),
  'GET /api/v2/flags/:projectKey/:flagKey/release': viewOnly,
  'PATCH /api/v2/flags/:projectKey/:flagKey/release': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, '*', p.flagKey), ['updateReleasePhaseStatus']) }),
  'DELETE /api/v2/flags/:projectKey/:flagKey/release': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, '*', p.flagKey), ['updateReleasePhaseStatus']) }),
  'PUT /api/v2/projects/:projectKey/flags/:flagKey/release/phases/:phaseId': (_r, p) => ({ project: p.projectKey, requirements: each(flag(p.projectKey, '*', p.flagKey), ['updateReleasePhaseStatus']) }),
  // Release policies: LaunchDarkly documents no actions for them; iterlab asks createReleasePolicy, updateReleasePolicy
  // and deleteReleasePolicy on `proj/p:release-policy/key` (reordering: updateReleasePolicy on every policy).
  'GET /api/v2/projects/:projectKey/release-policies': viewOnly,
  'POST /api/v2/projects/:projectKey/release-policies': (_r, p, b) => ({ project: p.projectKey, requirements: each(releasePolicy(p.projectKey, text(b.key)), ['createReleasePolicy']) }),
  'POST /api/v2/projects/:projectKey/release-policies/order': (_r, p) => ({ project: p.projectKey, requirements: each(releasePolicy(p.projectKey, '*'), ['updateReleasePolicy']) }),
  'GET /api/v2/projects/:projectKey/release-policies/:policyKey': viewOnly,
  'PUT /api/v2/projects/:projectKey/release-policies/:policyKey': (_r, p) => ({ project: p.projectKey, requirements: each(releasePolicy(p.projectKey, p.policyKey), ['updateReleasePolicy']) }),
  'DELETE /api/v2/projects/:projectKey/release-policies/:policyKey': (_r, p) => ({ project: p.projectKey, requirements: each(releasePolicy(p.projectKey, p.policyKey), ['deleteReleasePolicy']) }),
};

/** Whether the table names the route (a route it does not name is refused to custom-role tokens). */
export function knowsRoute(method: string, url: string): boolean {
  return `${method === 'HEAD' ? 'GET' : method} ${url}` in RULES;
}

/**
 * What a custom-role token needs for the request; `undefined` for the account-wide reads every token may make.
 * A route the table does not name needs an action no policy can grant by name (`*` still grants it).
 */
export function routeAccess(request: RouteRequest): RouteAccess | undefined {
  const rule = RULES[`${request.method === 'HEAD' ? 'GET' : request.method} ${request.url}`];
  if (!rule) return { requirements: [[{ resource: [level('acct')], action: 'unlistedOperation' }]] };
  return rule(request, request.params, record(request.body));
}

