// A segment's expiring targets (the operations under /api/v2/segments/{p}/{key}/expiring-targets and
// expiring-user-targets): the segment as the resource the schedules are on; the schedules themselves are in
// resources/expiring-targets.
import type { Actor, Deps } from '../../http/context.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { patchExpiringOn, readExpiringOn, type ExpiringResource, type Form, type LocateResource } from '../expiring-targets/model.js';
import { findSegment, type LoadedSegment } from './model.js';

export interface SegmentExpiringParams {
  projectKey: string;
  segmentKey: string;
  environmentKey: string;
}

const selfOf = (p: SegmentExpiringParams, form: Form) => `/api/v2/segments/${p.projectKey}/${p.segmentKey}/expiring-${form === 'user' ? 'user-' : ''}targets/${p.environmentKey}`;

/** Whether a context is on one of the segment's lists: user keys on `included`/`excluded`, other kinds on `…Contexts` (the lists the removal edits). */
function listed(segment: LoadedSegment, side: 'included' | 'excluded', contextKind: string, contextKey: string): boolean {
  if (contextKind === 'user') return segment.doc[side].includes(contextKey);
  const contexts = side === 'included' ? segment.doc.includedContexts : segment.doc.excludedContexts;
  return contexts.some((t) => t.contextKind === contextKind && t.values.includes(contextKey));
}

/** The segment as the resource schedules are on: "the segment must already have the context as an individual target". */
function segmentResource(segment: LoadedSegment): ExpiringResource {
  return {
    kind: 'segment',
    id: segment.row.id,
    key: segment.row.key,
    name: segment.doc.name,
    notTargeted(ins) {
      if (ins.op === 'remove' || listed(segment, ins.targetType!, ins.contextKind, ins.contextKey)) return undefined;
      return `context "${ins.contextKey}" (${ins.contextKind}) is not ${ins.targetType} by segment "${segment.row.key}"`;
    },
  };
}

/** The segment of a request's path, with its project and environment. */
function locateSegment(deps: Deps, params: SegmentExpiringParams): LocateResource {
  return async (db, lockIn) => {
    const { project, environment } = await findProjectEnvironment(db, params.projectKey, params.environmentKey);
    const scope = { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id };
    const segment = await findSegment(db, scope, params.segmentKey, lockIn ? deps.store.kind : undefined);
    return {
      where: { projectKey: project.key, projectId: project.id, environmentId: environment.id, environmentKey: environment.key },
      resource: segmentResource(segment),
    };
  };
}

/** The segment's scheduled removals in the environment (the user form: those of user contexts). */
export function readSegmentExpiringTargets(deps: Deps, params: SegmentExpiringParams, form: Form): Promise<Record<string, unknown>> {
  return readExpiringOn(deps, locateSegment(deps, params), form, selfOf(params, form));
}

/** A PATCH of either form: every instruction tried on its own in one transaction, with the segment locked. */
export function patchSegmentExpiringTargets(deps: Deps, actor: Actor | undefined, params: SegmentExpiringParams, body: unknown, form: Form): Promise<Record<string, unknown>> {
  return patchExpiringOn(deps, actor, body, 'segment', form, locateSegment(deps, params), selfOf(params, form));
}
