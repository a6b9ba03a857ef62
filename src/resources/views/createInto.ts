// A flag, segment or AI Config created into views (the `viewKeys` of postFeatureFlag, postSegment and postAIConfig):
// linked to each view in the creating transaction, each link audited on its view.
import type { Actor } from '../../http/context.js';
import type { Trx } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { link, LINK_ACTIONS, type NamedResource, type ResourceType } from './linked.js';
import type { ViewRow } from './model.js';
import { NOUNS, viewAudit } from './represent.js';

export async function linkCreated(
  trx: Trx,
  actor: Actor | undefined,
  now: number,
  projectKey: string,
  views: readonly ViewRow[],
  created: { type: ResourceType; resource: NamedResource; name: string; viewKeys: readonly string[] | undefined },
): Promise<void> {
  const { type, resource, name, viewKeys } = created;
  // As linkResource's entries name what they linked: a segment by its environment and key, the others by key.
  const linked = type === 'segments' ? { environmentId: resource.environmentId, segmentKey: resource.key } : resource.key;
  for (const view of views) {
    await link(trx, view, type, [resource], now);
    const description = `linked the ${NOUNS[type]} ${name} to the view ${view.name}`;
    await recordAudit(trx, actor, now, viewAudit(projectKey, view, LINK_ACTIONS[type].link, description, { delta: { viewKeys }, after: { linked: [linked] } }));
  }
}

/** A project that requires new flags (or segments) to be linked to a view refuses one created into none. */
export function requiredViewProblem(project: { requireViewAssociationForNewFlags?: boolean; requireViewAssociationForNewSegments?: boolean }, type: 'flags' | 'segments', viewKeys: readonly string[] | undefined) {
  const [required, setting] =
    type === 'flags'
      ? [project.requireViewAssociationForNewFlags, 'requireViewAssociationForNewFlags']
      : [project.requireViewAssociationForNewSegments, 'requireViewAssociationForNewSegments'];
  if (!required || (viewKeys ?? []).length > 0) return undefined;
  return { attribute: 'viewKeys', reason: `must name at least one view: the project requires new ${type} to be linked to a view (${setting})` };
}
