// A segment's expiring targets (the operations under /api/v2/segments/{p}/{key}/expiring-targets and
// expiring-user-targets): the segment as the resource the schedules are on; the schedules themselves are in
// resources/expiring-targets.
import type { Actor, Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { findProjectEnvironment } from '../environments/environments.js';
import {
  applyExpiringInstructions,
  auditExpiringChange,
  expiringPatchResponse,
  expiringTargetsOf,
  readExpiringPatch,
  representExpiringTarget,
  type ExpiringResource,
  type ExpiringTargetDoc,
  type Form,
} from '../expiring-targets/model.js';
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

async function scope(db: Parameters<typeof findProjectEnvironment>[0], params: SegmentExpiringParams) {
  const { project, environment } = await findProjectEnvironment(db, params.projectKey, params.environmentKey);
  return { project, environment, segmentScope: { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id } };
}

/** The segment's scheduled removals in the environment (the user form: those of user contexts). */
export async function readSegmentExpiringTargets(deps: Deps, params: SegmentExpiringParams, form: Form): Promise<Record<string, unknown>> {
  const db = deps.store.db;
  const { environment, segmentScope } = await scope(db, params);
  const segment = await findSegment(db, segmentScope, params.segmentKey);
  const rows = (await expiringTargetsOf(db, 'segment', segment.row.id, environment.id)).filter((row) => form === 'context' || (JSON.parse(row.doc) as ExpiringTargetDoc).contextKind === 'user');
  return { items: rows.map((row) => representExpiringTarget(row, form)), _links: { self: link(selfOf(params, form)) } };
}

/** A PATCH of either form: every instruction tried on its own in one transaction, with the segment locked. */
export async function patchSegmentExpiringTargets(deps: Deps, actor: Actor | undefined, params: SegmentExpiringParams, body: unknown, form: Form): Promise<Record<string, unknown>> {
  const patch = readExpiringPatch(body, 'segment', form);
  const now = deps.now();
  const outcome = await deps.store.tx(async (trx) => {
    const { project, environment, segmentScope } = await scope(trx, params);
    const resource = segmentResource(await findSegment(trx, segmentScope, params.segmentKey, deps.store.kind));
    const where = { projectKey: project.key, projectId: project.id, environmentId: environment.id, environmentKey: environment.key };
    const outcome = await applyExpiringInstructions(trx, resource, where, patch.instructions, now);
    if (outcome.items.length > 0) await auditExpiringChange(trx, actor, now, resource, where, body, patch.comment);
    return outcome;
  });
  return expiringPatchResponse(outcome, patch.instructions.length, form, selfOf(params, form));
}
