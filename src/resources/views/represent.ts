// The View, ViewLinkedResource and LinkResourceSuccessResponse representations (with the summaries and expansions a
// view may carry), and the audit entry of each change to a view: the only code that builds their JSON.
import { link } from '../../http/links.js';
import { memberDoc, memberSummary } from '../members/members.js';
import type { AuditEntry } from '../audit-log/record.js';
import { configPath, configsPath } from '../ai-configs/represent.js';
import type { AIConfigDoc } from '../ai-configs/model.js';
import { segmentPath } from '../segments/represent.js';
import { LINK_ACTIONS, type FailedResource, type LinkedAIConfig, type LinkedFlag, type LinkedSegment, type LinkRequest, type NamedResource, type ResourceType } from './linked.js';
import { viewDoc, type Maintainers, type ViewRow } from './model.js';

export const viewsPath = (projectKey: string) => `/api/v2/projects/${projectKey}/views`;
export const viewPath = (projectKey: string, key: string) => `${viewsPath(projectKey)}/${key}`;
const flagsPath = (projectKey: string) => `/api/v2/flags/${projectKey}`;

/** What getViews may expand: counts and the flags, segments and AI Configs linked (metrics: iterlab links none). */
export const LIST_EXPANDS = ['flagsSummary', 'segmentsSummary', 'resourceSummary', 'metricsSummary', 'aiConfigsSummary'] as const;
/** What getView may expand besides: every linked flag's and segment's summary, and the maintainer (always shown). */
export const VIEW_EXPANDS = [...LIST_EXPANDS, 'allFlags', 'allSegments', 'allResources', 'allMetrics', 'allAIConfigs', 'maintainer'] as const;
/** What getLinkedResources may expand: each resource's summary, and its maintainer in it. */
export const LINKED_EXPANDS = ['resourceDetails', 'maintainer'] as const;

/** Whether an answer needs the views' linked flags (and their documents) or segments. */
export function linkedNeeded(expand: ReadonlySet<string>): { flags: boolean; flagDocs: boolean; segments: boolean; segmentDocs: boolean; aiConfigs: boolean; aiConfigRows: boolean } {
  const all = expand.has('allResources');
  const flagDocs = all || expand.has('allFlags');
  const segmentDocs = all || expand.has('allSegments');
  const counts = expand.has('resourceSummary');
  const aiConfigRows = expand.has('allAIConfigs');
  return { flags: flagDocs || counts || expand.has('flagsSummary'), flagDocs, segments: segmentDocs || counts || expand.has('segmentsSummary'), segmentDocs, aiConfigs: aiConfigRows || expand.has('aiConfigsSummary'), aiConfigRows };
}

/** How a view names its maintainer (Maintainer); none when it has none or it no longer exists. */
function viewMaintainer(doc: { maintainerId?: string; maintainerTeamKey?: string }, maintainers: Maintainers): Record<string, unknown> | undefined {
  if (doc.maintainerId) {
    const member = maintainers.members.get(doc.maintainerId);
    if (!member) return undefined;
    const { firstName, lastName, role } = memberDoc(member);
    return { id: member.id, kind: 'member', maintainerMember: { id: member.id, email: member.email, role, firstName, lastName } };
  }
  if (doc.maintainerTeamKey) {
    const team = maintainers.teams.get(doc.maintainerTeamKey);
    if (!team) return undefined;
    return { id: team.row.id, kind: 'team', maintainerTeam: { id: team.row.id, key: team.row.key, name: team.name } };
  }
  return undefined;
}

/**
 * How an expanded flag names its maintainer (ExpandedFlagMaintainer): its team when it names one (iterlab's flags
 * keep their creator as maintainerId beside a team given), else its member.
 */
function flagMaintainer(doc: { maintainerId?: string; maintainerTeamKey?: string }, maintainers: Maintainers): Record<string, unknown> | undefined {
  if (doc.maintainerTeamKey) {
    const team = maintainers.teams.get(doc.maintainerTeamKey);
    return {
      key: doc.maintainerTeamKey,
      kind: 'team',
      ...(team ? { _team: { key: team.row.key, name: team.name, customRoleKeys: team.customRoleKeys, _links: { self: link(`/api/v2/teams/${team.row.key}`) } } } : {}),
    };
  }
  if (doc.maintainerId) {
    const member = maintainers.members.get(doc.maintainerId);
    return { key: doc.maintainerId, kind: 'member', ...(member ? { _member: memberSummary(member) } : {}) };
  }
  return undefined;
}

/** ExpandedFlag: a linked flag's summary; its maintainer only when `maintainers` are given. */
export function representExpandedFlag(projectKey: string, flag: LinkedFlag, maintainers?: Maintainers): Record<string, unknown> {
  const doc = flag.doc!;
  const maintainer = maintainers ? flagMaintainer(doc, maintainers) : undefined;
  return {
    key: flag.key,
    name: flag.name,
    description: doc.description,
    creationDate: doc.creationDate,
    _version: doc._version,
    archived: doc.archived,
    tags: doc.tags,
    temporary: doc.temporary,
    includeInSnippet: doc.includeInSnippet,
    ...(maintainer ? { maintainer } : {}),
    _links: { parent: link(flagsPath(projectKey)), self: link(`${flagsPath(projectKey)}/${flag.key}`) },
  };
}

/** ExpandedSegment: a linked segment's summary, with its environment. */
export function representExpandedSegment(projectKey: string, segment: LinkedSegment): Record<string, unknown> {
  const doc = segment.doc!;
  return {
    key: segment.key,
    name: segment.name,
    environmentId: segment.environmentId,
    environmentKey: segment.environmentKey,
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    creationDate: doc.creationDate,
    lastModifiedDate: doc.lastModifiedDate,
    deleted: false,
    tags: doc.tags,
    unbounded: doc.unbounded === true,
    version: doc.version,
    generation: doc.generation ?? 1,
    _links: { parent: link(segmentPath(projectKey, segment.environmentKey)), self: link(segmentPath(projectKey, segment.environmentKey, segment.key)) },
  };
}

export interface ViewPlace {
  accountId: string;
  projectId: string;
  projectKey: string;
}

export function viewPlace(accountId: string, project: { id: string; key: string }): ViewPlace {
  return { accountId, projectId: project.id, projectKey: project.key };
}

/** What a view's representation may carry besides its own fields. */
interface ViewExtras {
  maintainers: Maintainers;
  expand?: ReadonlySet<string>;
  /** The view's linked flags and segments, when `expand` asks for them (see linkedNeeded). */
  flags?: readonly LinkedFlag[];
  segments?: readonly LinkedSegment[];
  aiConfigs?: readonly LinkedAIConfig[];
}

const list = <T>(items: T[]) => ({ items, totalCount: items.length });

export function representView(row: ViewRow, place: ViewPlace, extras: ViewExtras): Record<string, unknown> {
  const doc = viewDoc(row);
  const expand = extras.expand ?? new Set<string>();
  const flags = extras.flags ?? [];
  const segments = extras.segments ?? [];
  const aiConfigs = extras.aiConfigs ?? [];
  const maintainer = viewMaintainer(doc, extras.maintainers);
  const expandedFlags = () => list(flags.map((flag) => representExpandedFlag(place.projectKey, flag, extras.maintainers)));
  const expandedSegments = () => list(segments.map((segment) => representExpandedSegment(place.projectKey, segment)));
  return {
    _links: { parent: link(viewsPath(place.projectKey)), self: link(viewPath(place.projectKey, row.key)) },
    id: row.id,
    accountId: place.accountId,
    projectId: place.projectId,
    projectKey: place.projectKey,
    key: row.key,
    name: row.name,
    description: doc.description,
    generateSdkKeys: doc.generateSdkKeys,
    // 2026-07: whether the view filters SDK payloads. iterlab's SDK payloads (every SDK key's, the environment's own
    // and those postSdkKey makes) are never filtered by view, so no view does, whatever generateSdkKeys says.
    _affectsSdkPayload: false,
    version: doc.version,
    tags: doc.tags,
    createdAt: Number(row.created_at),
    updatedAt: doc.updatedAt,
    archived: doc.archived,
    ...(doc.archivedAt !== undefined ? { archivedAt: doc.archivedAt } : {}),
    deleted: false,
    ...(maintainer ? { maintainer } : {}),
    ...(expand.has('flagsSummary')
      ? { flagsSummary: { count: flags.length, linkedFlags: list(flags.map((flag) => ({ key: flag.key, name: flag.name, links: { self: link(`${flagsPath(place.projectKey)}/${flag.key}`) } }))) } }
      : {}),
    ...(expand.has('segmentsSummary')
      ? {
          segmentsSummary: {
            count: segments.length,
            linkedSegments: list(
              segments.map((segment) => ({ key: segment.key, name: segment.name, environmentId: segment.environmentId, links: { self: link(segmentPath(place.projectKey, segment.environmentKey, segment.key)) } })),
            ),
          },
        }
      : {}),
    ...(expand.has('metricsSummary') ? { metricsSummary: { count: 0 } } : {}),
    ...(expand.has('aiConfigsSummary') ? { aiConfigsSummary: { count: aiConfigs.length } } : {}),
    ...(expand.has('resourceSummary') ? { resourceSummary: { flagCount: flags.length, segmentCount: segments.length, totalCount: flags.length + segments.length } } : {}),
    ...(expand.has('allFlags') ? { flagsExpanded: expandedFlags() } : {}),
    ...(expand.has('allSegments') ? { segmentsExpanded: expandedSegments() } : {}),
    ...(expand.has('allMetrics') ? { metricsExpanded: list([]) } : {}),
    ...(expand.has('allAIConfigs') ? { aiConfigsExpanded: list(aiConfigs.map((config) => representExpandedAIConfig(place.projectKey, config))) } : {}),
    ...(expand.has('allResources') ? { resourcesExpanded: { items: { flags: expandedFlags(), segments: expandedSegments() }, totalCount: flags.length + segments.length } } : {}),
  };
}

/** ExpandedAIConfig: a linked AI Config's summary (`flagKey` its flag's key, which is its own). */
export function representExpandedAIConfig(projectKey: string, config: LinkedAIConfig): Record<string, unknown> {
  const doc = JSON.parse(config.config!.doc) as AIConfigDoc;
  return {
    key: config.key,
    name: doc.name,
    tags: doc.tags,
    description: doc.description,
    version: doc.version,
    createdAt: config.config!.createdAt,
    updatedAt: doc.updatedAt,
    flagKey: config.key,
    _links: { parent: link(configsPath(projectKey)), self: link(configPath(projectKey, config.key)) },
  };
}

/** An AI Config linked to a view (as its flag), as ViewLinkedResource of resourceType `aiConfig` (2026-07). */
export function representLinkedAIConfig(projectKey: string, viewKey: string, config: Pick<LinkedAIConfig, 'key' | 'linkedAt'>, details?: Record<string, unknown>): Record<string, unknown> {
  return {
    _links: { parent: link(viewPath(projectKey, viewKey)), self: link(configPath(projectKey, config.key)) },
    resourceKey: config.key,
    resourceType: 'aiConfig',
    linkedAt: config.linkedAt,
    ...(details ? { resourceDetails: { aiConfig: details } } : {}),
  };
}

/** A flag or segment linked to a view, as ViewLinkedResource; `details` is its summary (expand=resourceDetails). */
export function representLinkedFlag(projectKey: string, viewKey: string, flag: Pick<LinkedFlag, 'key' | 'linkedAt'>, details?: Record<string, unknown>): Record<string, unknown> {
  return {
    _links: { parent: link(viewPath(projectKey, viewKey)), self: link(`${flagsPath(projectKey)}/${flag.key}`) },
    resourceKey: flag.key,
    resourceType: 'flag',
    linkedAt: flag.linkedAt,
    ...(details ? { resourceDetails: { flag: details } } : {}),
  };
}

export function representLinkedSegment(
  projectKey: string,
  viewKey: string,
  segment: Pick<LinkedSegment, 'key' | 'environmentId' | 'environmentKey' | 'linkedAt'>,
  details?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    _links: { parent: link(viewPath(projectKey, viewKey)), self: link(segmentPath(projectKey, segment.environmentKey, segment.key)) },
    resourceKey: segment.key,
    environmentId: segment.environmentId,
    environmentKey: segment.environmentKey,
    resourceType: 'segment',
    linkedAt: segment.linkedAt,
    ...(details ? { resourceDetails: { segment: details } } : {}),
  };
}

/** linkResource's and unlinkResource's answer: how many succeeded, and each failure with its reason. */
export function representLinkResult(successCount: number, failed: readonly FailedResource[], linked?: readonly Record<string, unknown>[]): Record<string, unknown> {
  return {
    successCount,
    failureCount: failed.length,
    ...(linked ? { linkedResources: list([...linked]) } : {}),
    ...(failed.length > 0 ? { failedResources: failed } : {}),
  };
}

export function viewAudit(projectKey: string, row: Pick<ViewRow, 'key' | 'name'>, action: string, description: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'view', resource: `proj/${projectKey}:view/${row.key}`, action, name: row.name, description, projectKey, ...extra };
}

/** The audit entry of links made or removed: the request as sent (its comment apart) and the resources it changed. */
export const NOUNS: Record<ResourceType, string> = { flags: 'flag', segments: 'segment', aiConfigs: 'AI Config' };

export function linkAudit(projectKey: string, view: Pick<ViewRow, 'key' | 'name'>, type: ResourceType, linking: boolean, changed: readonly NamedResource[], request: LinkRequest): AuditEntry {
  const { comment, ...delta } = request;
  const what = `${changed.length} ${NOUNS[type]}${changed.length === 1 ? '' : 's'}`;
  const resources = changed.map((resource) => (type === 'segments' ? { environmentId: resource.environmentId, segmentKey: resource.key } : resource.key));
  const [action, description, side] = linking
    ? [LINK_ACTIONS[type].link, `linked ${what} to the view ${view.name}`, 'after']
    : [LINK_ACTIONS[type].unlink, `unlinked ${what} from the view ${view.name}`, 'before'];
  return viewAudit(projectKey, view, action, description, { ...(comment ? { comment } : {}), delta, [side]: { linked: resources } });
}
