// The Release representation (a flag's release and its phases), ReleaseProgression (a release as its pipeline lists
// it), CompletedBy, and the audit entry of each change to a release: the only code that builds their JSON.
import { link } from '../../http/links.js';
import type { Actor } from '../../http/context.js';
import type { AuditEntry } from '../audit-log/record.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { memberSummary, type MemberRow } from '../members/members.js';
import { audienceFields } from '../release-pipelines/represent.js';
import { activePhase, releaseDoc, type ReleaseRow } from './model.js';

export function releasePath(projectKey: string, flagKey: string): string {
  return `/api/v2/flags/${projectKey}/${flagKey}/release`;
}

export function representRelease(projectKey: string, flagKey: string, row: ReleaseRow, environments: ReadonlyMap<string, EnvironmentRow>): Record<string, unknown> {
  const doc = releaseDoc(row);
  return {
    _links: {
      self: link(releasePath(projectKey, flagKey)),
      flag: link(`/api/v2/flags/${projectKey}/${flagKey}`),
      releasePipeline: link(`/api/v2/projects/${projectKey}/release-pipelines/${doc.pipelineKey}`),
    },
    name: doc.name,
    releasePipelineKey: doc.pipelineKey,
    releasePipelineDescription: doc.description ?? '',
    phases: doc.phases.map((phase) => ({
      _id: phase.id,
      _name: phase.name,
      complete: phase.status === 'Complete',
      _creationDate: phase.createdAt,
      ...(phase.completedAt !== undefined ? { _completionDate: phase.completedAt } : {}),
      ...(phase.completedBy ? { _completedBy: phase.completedBy } : {}),
      _audiences: phase.audiences.map((audience) => ({
        _id: audience.id,
        ...audienceFields(projectKey, audience, environments),
        // An audience moves with its phase.
        status: phase.status,
        _ruleIds: audience.ruleIds,
      })),
      status: phase.status,
      started: phase.startedAt !== undefined,
      ...(phase.startedAt !== undefined ? { _startedDate: phase.startedAt } : {}),
      configuration: {},
    })),
    _version: doc.version,
    _releaseVariationId: doc.releaseVariationId,
  };
}

/** A release as its pipeline's progression lists it. */
export function representProgression(projectKey: string, flagKey: string, row: ReleaseRow): Record<string, unknown> {
  const doc = releaseDoc(row);
  const active = activePhase(doc);
  return {
    _createdAt: Number(row.created_at),
    ...(doc.completedAt !== undefined ? { _completedAt: doc.completedAt } : {}),
    flagKey,
    ...(active ? { activePhaseId: active.id } : {}),
    _links: { self: link(releasePath(projectKey, flagKey)) },
  };
}

/** Who completed a phase, as `_completedBy` shows it: the token for a service token, else the token's member. */
export function completedBy(actor: Actor | undefined, member: MemberRow | undefined): Record<string, unknown> | undefined {
  if (!actor) return undefined;
  if (actor.serviceToken) return { token: { _links: { self: link(`/api/v2/tokens/${actor.tokenId}`) }, _id: actor.tokenId, ...(actor.tokenName !== undefined ? { name: actor.tokenName } : {}), serviceToken: true } };
  return member ? { member: memberSummary(member) } : undefined;
}

/** The entry of a change to the flag's release, on the flag's resource in every environment. */
export function releaseAudit(projectKey: string, flag: { key: string; name: string }, action: string, description: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    kind: 'release',
    resource: `proj/${projectKey}:env/*:flag/${flag.key}`,
    action,
    name: flag.name,
    description,
    projectKey,
    ...extra,
  };
}
