// The ReleasePipeline and ReleasePipelineCollection representations, the EnvironmentSummary an audience shows, and
// the audit entry of each change to a pipeline: the only code that builds their JSON.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import type { EnvironmentDoc, EnvironmentRow } from '../environments/environments.js';
import { pipelineDoc, type AudienceDoc, type PipelineRow } from './model.js';

export function pipelinesPath(projectKey: string): string {
  return `/api/v2/projects/${projectKey}/release-pipelines`;
}

/** An environment as an audience names it; undefined once the environment is deleted (LaunchDarkly omits it then). */
export function environmentSummary(projectKey: string, env: EnvironmentRow | undefined): Record<string, unknown> | undefined {
  if (!env) return undefined;
  return {
    _links: { self: link(`/api/v2/projects/${projectKey}/environments/${env.key}`) },
    key: env.key,
    name: env.name,
    color: (JSON.parse(env.doc) as EnvironmentDoc).color,
  };
}

/** An audience's members every representation shares: its environment, name, configuration and segments. */
export function audienceFields(projectKey: string, audience: AudienceDoc, environments: ReadonlyMap<string, EnvironmentRow>): Record<string, unknown> {
  const environment = environmentSummary(projectKey, environments.get(audience.environmentKey));
  return {
    ...(environment ? { environment } : {}),
    name: audience.name,
    ...(audience.configuration ? { configuration: audience.configuration } : {}),
    ...(audience.segmentKeys ? { segmentKeys: audience.segmentKeys } : {}),
  };
}

export function representPipeline(projectKey: string, row: PipelineRow, defaultKey: string | undefined, environments: ReadonlyMap<string, EnvironmentRow>): Record<string, unknown> {
  const doc = pipelineDoc(row);
  return {
    createdAt: new Date(Number(row.created_at)).toISOString(),
    ...(doc.description !== undefined ? { description: doc.description } : {}),
    key: row.key,
    name: doc.name,
    phases: doc.phases.map((phase) => ({
      id: phase.id,
      audiences: phase.audiences.map((audience) => audienceFields(projectKey, audience, environments)),
      name: phase.name,
      configuration: {},
    })),
    tags: doc.tags,
    _version: doc.version,
    isProjectDefault: row.key === defaultKey,
    _isLegacy: doc.isLegacy,
  };
}

/** The resource specifier LaunchDarkly's roles name a pipeline by: `proj/p:release-pipeline/key`. */
export function pipelineResource(projectKey: string, key: string): string {
  return `proj/${projectKey}:release-pipeline/${key}`;
}

export function pipelineAudit(projectKey: string, row: PipelineRow, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  const name = pipelineDoc(row).name;
  return {
    kind: 'releasePipeline',
    resource: pipelineResource(projectKey, row.key),
    action,
    name,
    description: `${verb} the release pipeline ${name}`,
    projectKey,
    ...extra,
  };
}
