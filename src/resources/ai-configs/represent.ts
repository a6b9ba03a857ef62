// The AIConfig, AIConfigs, AIConfigVariation, AIConfigVariationsResponse and AIConfigTargeting representations, and
// the audit entries of AI Config changes: the only code that builds their JSON.
import { link, pageLinks, type Page } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { compact, type FlagConfigDoc, type FlagDoc, type Rule, type Target, type VariationOrRollout } from '../flags/model.js';
import { memberDoc } from '../members/members.js';
import { teamDoc } from '../teams/model.js';
import type { AIMetrics } from './metrics.js';
import type { VariationReference } from './references.js';
import type { AIConfigDoc, AIConfigRow, LoadedAIConfig, MaintainerRef, Variation } from './model.js';

export function configsPath(projectKey: string): string {
  return `/api/v2/projects/${projectKey}/ai-configs`;
}

export function configPath(projectKey: string, configKey: string): string {
  return `${configsPath(projectKey)}/${configKey}`;
}

function representMaintainer(maintainer: MaintainerRef): Record<string, unknown> | undefined {
  if (!maintainer) return undefined;
  if ('team' in maintainer) return { kind: 'team', key: maintainer.team.key, name: teamDoc(maintainer.team).name };
  const doc = memberDoc(maintainer.member);
  return { kind: 'member', _id: maintainer.member.id, email: maintainer.member.email, role: doc.role, firstName: doc.firstName, lastName: doc.lastName };
}

export function representVariation(projectKey: string, configKey: string, variation: Variation): Record<string, unknown> {
  const d = variation.doc;
  return {
    _links: { parent: link(configPath(projectKey, configKey)) },
    key: variation.key,
    _id: variation.id,
    name: d.name,
    model: d.model,
    ...(d.modelConfigKey !== undefined ? { modelConfigKey: d.modelConfigKey } : {}),
    ...(d.messages !== undefined ? { messages: d.messages } : {}),
    ...(d.instructions !== undefined ? { instructions: d.instructions } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    ...(d.comment !== undefined ? { comment: d.comment } : {}),
    ...(d.tools !== undefined ? { tools: d.tools } : {}),
    ...(d.judgeConfiguration !== undefined ? { judgeConfiguration: d.judgeConfiguration } : {}),
    ...(d.outputFormat !== undefined ? { outputFormat: d.outputFormat } : {}),
    createdAt: variation.createdAt,
    version: variation.version,
    state: d.state,
    ...(d.publishedAt !== undefined ? { _publishedAt: d.publishedAt } : {}),
    ...(d.archivedAt !== undefined ? { _archivedAt: d.archivedAt } : {}),
  };
}

export function representVariationVersions(projectKey: string, configKey: string, versions: readonly Variation[]): Record<string, unknown> {
  return { items: versions.map((v) => representVariation(projectKey, configKey, v)), totalCount: versions.length };
}

export function representAIConfig(projectKey: string, config: LoadedAIConfig, maintainer: MaintainerRef): Record<string, unknown> {
  const d = config.doc;
  const shownMaintainer = representMaintainer(maintainer);
  return {
    _links: { parent: link(configsPath(projectKey)), self: link(configPath(projectKey, config.row.key)) },
    key: config.row.key,
    name: d.name,
    description: d.description,
    tags: d.tags,
    mode: d.mode,
    ...(shownMaintainer ? { _maintainer: shownMaintainer } : {}),
    version: d.version,
    variations: config.variations.map((v) => representVariation(projectKey, config.row.key, v)),
    createdAt: config.row.created_at,
    updatedAt: d.updatedAt,
    ...(d.evaluationMetricKey !== undefined ? { evaluationMetricKey: d.evaluationMetricKey } : {}),
    ...(d.isInverted !== undefined ? { isInverted: d.isInverted } : {}),
  };
}

export function representAIConfigs(items: Record<string, unknown>[], totalCount: number, links: Record<string, unknown>): Record<string, unknown> {
  return { _links: links, items, totalCount };
}

function clauses(rule: Rule): Record<string, unknown>[] {
  return rule.clauses.map((c) => ({ id: c._id, ...(c.contextKind !== undefined ? { contextKind: c.contextKind } : {}), attribute: c.attribute, op: c.op, values: c.values, negate: c.negate }));
}

function serves(target: VariationOrRollout): Record<string, unknown> {
  return { ...(target.variation !== undefined ? { variation: target.variation } : {}), ...(target.rollout ? { rollout: target.rollout } : {}) };
}

function targets(list: Target[]): Record<string, unknown>[] {
  return list.map((t) => ({ contextKind: t.contextKind ?? 'user', values: t.values, variation: t.variation }));
}

function representTargetingEnvironment(env: EnvironmentRow, config: FlagConfigDoc): Record<string, unknown> {
  return {
    _environmentName: env.name,
    _version: config.version,
    enabled: config.on,
    lastModified: config.lastModified,
    targets: targets(config.targets),
    contextTargets: targets(config.contextTargets),
    rules: config.rules.map((rule) => ({
      _id: rule._id,
      ...(rule.description !== undefined ? { description: rule.description } : {}),
      clauses: clauses(rule),
      ...serves(rule),
      trackEvents: rule.trackEvents,
    })),
    fallthrough: serves(config.fallthrough),
    ...(config.offVariation !== undefined ? { offVariation: config.offVariation } : {}),
    trackEvents: config.trackEvents,
    trackEventsFallthrough: config.trackEventsFallthrough,
  };
}

/** The config's targeting: its flag's variations (the disabled one first) and the flag's targeting in each environment. */
export function representTargeting(row: AIConfigRow, doc: AIConfigDoc, flag: FlagDoc, environments: readonly { env: EnvironmentRow; config: FlagConfigDoc }[]): Record<string, unknown> {
  return {
    key: row.key,
    name: doc.name,
    tags: doc.tags,
    createdAt: row.created_at,
    _version: flag._version,
    defaults: flag.defaults,
    variations: flag.variations.map((v) => ({ _id: v._id, name: v.name ?? '', description: v.description ?? '', value: v.value })),
    environments: Object.fromEntries(environments.map(({ env, config }) => [env.key, representTargetingEnvironment(env, config)])),
    experiments: { baselineIdx: 0, items: [] },
  };
}

/** The resource specifier LaunchDarkly's roles name an AI Config by: `proj/p:aiconfig/key`, or in an environment `proj/p:env/e:aiconfig/key`. */
export function configResource(projectKey: string, configKey: string, environmentKey?: string): string {
  return environmentKey === undefined ? `proj/${projectKey}:aiconfig/${configKey}` : `proj/${projectKey}:env/${environmentKey}:aiconfig/${configKey}`;
}

export function configAudit(projectKey: string, configKey: string, name: string, action: string, description: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'aiconfig', resource: configResource(projectKey, configKey), action, name, description, projectKey, ...extra };
}

/** The Metrics representation: what no event measured is left out. */
export function representMetrics(metrics: AIMetrics): Record<string, unknown> {
  return compact({ ...metrics });
}

export function representMetricsByVariation(split: readonly [string, AIMetrics][]): Record<string, unknown>[] {
  return split.map(([variationKey, metrics]) => ({ variationKey, metrics: representMetrics(metrics) }));
}

/** The project's AI Configs at a glance in one environment (getAIConfigQuickStats). */
export interface QuickStats {
  activeConfigs: number;
  activeExperiments: number;
  averageSatisfaction7D: number | null;
  spendMonthToDate: number | null;
}

/** QuickStats: the two counts, and the satisfaction and spend, null when no event measured them. */
export function representQuickStats(stats: QuickStats): Record<string, unknown> {
  return { ...stats };
}

/**
 * A page of the variations that use an AI library resource (ToolReferences, SnippetReferences): `path` is the
 * references' own, `versionField` the member each item's pinned version goes in (`toolVersion`, `resourceVersion`).
 */
export function representVariationReferences(path: string, resourceKey: string, resourceType: string, versionField: string, page: Page, references: readonly VariationReference[]): Record<string, unknown> {
  return {
    _links: pageLinks(path, page, references.length),
    resourceKey,
    resourceType,
    items: references.slice(page.offset, page.offset + page.limit).map((ref) => ({
      aiConfigKey: ref.configKey,
      aiConfigName: ref.configName,
      variationId: ref.variationId,
      variationKey: ref.variationKey,
      variationName: ref.variationName,
      [versionField]: ref.version,
    })),
    totalCount: references.length,
  };
}
