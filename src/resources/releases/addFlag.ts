// Adding a flag to a release pipeline, as createReleaseForFlag and patchFeatureFlag's `/releasePipelineKey` both do:
// in the caller's transaction, with the flag locked. Only boolean flags; the release variation defaults to `true`. A
// flag already released along the same pipeline with the same variation, not yet begun, keeps its release; another
// release of the flag is replaced unless it is under way (400 naming `attribute`).
import type { Actor } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import type { Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import type { LoadedFlag } from '../flags/model.js';
import { isBooleanFlag } from '../flags/validate.js';
import { environmentsByKey, findPipelineByBodyKey, pipelineDoc } from '../release-pipelines/model.js';
import { newRelease, releaseDoc, type ReleaseRow } from './model.js';
import { releaseAudit, representRelease } from './represent.js';

export interface FlagToAdd {
  project: { id: string; key: string };
  flag: LoadedFlag;
  pipelineKey: string;
  releaseVariationId?: string;
  /** The field the pipeline's key came in: `releasePipelineKey` (both operations name it so). */
  attribute: string;
  actor: Actor | undefined;
  now: number;
}

/** The flag's release along the pipeline (made, or the one it has), as the Release representation. */
export async function addFlagToPipeline(trx: Trx, add: FlagToAdd): Promise<Record<string, unknown>> {
  const { project, flag, now } = add;
  const variations = flag.doc.variations;
  if (!isBooleanFlag(variations.map((v) => v.value))) throw validationFailed([{ attribute: 'flagKey', reason: `flag "${flag.row.key}" is not a boolean flag; only boolean flags can be added to a release pipeline` }]);
  const pipeline = await findPipelineByBodyKey(trx, project, add.pipelineKey, add.attribute);
  const variationId = add.releaseVariationId ?? variations.find((v) => v.value === true)!._id;
  if (!variations.some((v) => v._id === variationId)) throw validationFailed([{ attribute: 'releaseVariationId', reason: `flag "${flag.row.key}" has no variation with _id "${variationId}"` }]);
  const environments = await environmentsByKey(trx, project.id);
  const existing = await trx.selectFrom('flag_releases').selectAll().where('flag_id', '=', flag.row.id).executeTakeFirst();
  if (existing) {
    const old = releaseDoc(existing);
    const begun = existing.active === 1 && old.phases.some((phase) => phase.startedAt !== undefined || phase.status === 'Complete');
    if (existing.pipeline_id === pipeline.id && old.releaseVariationId === variationId && !begun && existing.active === 1) {
      return representRelease(project.key, flag.row.key, existing, environments);
    }
    if (begun) throw validationFailed([{ attribute: add.attribute, reason: `flag "${flag.row.key}" is being released along "${old.pipelineKey}"; complete or delete that release first` }]);
    await trx.deleteFrom('flag_releases').where('id', '=', existing.id).execute();
  }
  const doc = newRelease(pipeline.key, pipelineDoc(pipeline), variationId, now);
  const row: ReleaseRow = { id: objectId(now), flag_id: flag.row.id, pipeline_id: pipeline.id, active: 1, doc: JSON.stringify(doc), created_at: now };
  await trx.insertInto('flag_releases').values(row).execute();
  const rep = representRelease(project.key, flag.row.key, row, environments);
  const description = `added the flag ${flag.doc.name} to the release pipeline ${doc.name}`;
  await recordAudit(trx, add.actor, now, releaseAudit(project.key, { key: flag.row.key, name: flag.doc.name }, 'createRelease', description, { after: rep }));
  return rep;
}

const PIPELINE_PATH = '/releasePipelineKey';

/**
 * A flag PATCH body with LaunchDarkly's way of adding the flag to a pipeline taken out of it: a JSON Patch (bare or
 * `{comment, patch}`) operation `{"op": "add", "path": "/releasePipelineKey", "value": "<key>"}` (or `replace`). The
 * rest of the body is the flag's own change. Other bodies are answered as they are. Pure.
 */
export function takeReleasePipelineKey(body: unknown): { body: unknown; pipelineKey?: string } {
  const wrapped = body !== null && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as { patch?: unknown }).patch);
  const ops: unknown = wrapped ? (body as { patch: unknown[] }).patch : body;
  if (!Array.isArray(ops)) return { body };
  const at = (op: unknown) => op !== null && typeof op === 'object' && (op as { path?: unknown }).path === PIPELINE_PATH;
  const index = ops.findIndex(at);
  if (index < 0) return { body };
  const field = `patch[${index}]`;
  const op = ops[index] as { op?: unknown; value?: unknown };
  if (op.op !== 'add' && op.op !== 'replace') throw validationFailed([{ attribute: field, reason: `${PIPELINE_PATH} takes only add (or replace): it adds the flag to a release pipeline` }]);
  if (typeof op.value !== 'string' || op.value === '') throw validationFailed([{ attribute: `${field}.value`, reason: 'must be the key of a release pipeline of the project' }]);
  if (ops.filter(at).length > 1) throw validationFailed([{ attribute: field, reason: `${PIPELINE_PATH} may be set once in a patch` }]);
  const rest = ops.filter((o) => !at(o));
  return { body: wrapped ? { ...(body as object), patch: rest } : rest, pipelineKey: op.value };
}
