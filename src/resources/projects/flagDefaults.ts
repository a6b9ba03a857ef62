// A project's flag defaults: what a new flag gets for what its create omits; kept in the project's doc, represented, saved.
import { Type, type Static } from '@sinclair/typebox';
import type { Actor, Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject, type ProjectDoc, type ProjectRow } from './projects.js';

/** A boolean flag has two variations: its defaults can only name index 0 (true) or 1 (false). */
const BooleanIndex = Type.Integer({ minimum: 0, maximum: 1 });
const DisplayName = Type.String({ maxLength: 1024 });
const Description = Type.String({ maxLength: 8192 });

export const BooleanFlagDefaults = Type.Object({
  trueDisplayName: DisplayName,
  falseDisplayName: DisplayName,
  trueDescription: Description,
  falseDescription: Description,
  onVariation: BooleanIndex,
  offVariation: BooleanIndex,
});
export type BooleanFlagDefaults = Static<typeof BooleanFlagDefaults>;

/** LaunchDarkly's UpsertFlagDefaultsPayload: every member required, as PUT replaces the whole. */
export const UpsertFlagDefaultsPayload = Type.Object({
  tags: Tags,
  temporary: Type.Boolean(),
  booleanDefaults: BooleanFlagDefaults,
  defaultClientSideAvailability: Type.Object({ usingMobileKey: Type.Boolean(), usingEnvironmentId: Type.Boolean() }),
});
export type FlagDefaults = Static<typeof UpsertFlagDefaultsPayload>;

/** What the project doc keeps; the client-side availability is the project's own `defaultClientSideAvailability`. */
export type StoredFlagDefaults = Omit<FlagDefaults, 'defaultClientSideAvailability'>;

/** A project whose flag defaults were never set has LaunchDarkly's: no tags, temporary, True/False serving true when on. */
const UNSET: StoredFlagDefaults = {
  tags: [],
  temporary: true,
  booleanDefaults: { trueDisplayName: 'True', falseDisplayName: 'False', trueDescription: '', falseDescription: '', onVariation: 0, offVariation: 1 },
};

export function flagDefaultsOf(doc: ProjectDoc): FlagDefaults {
  const stored = doc.flagDefaults ?? UNSET;
  return {
    tags: stored.tags,
    temporary: stored.temporary,
    booleanDefaults: stored.booleanDefaults,
    defaultClientSideAvailability: { usingMobileKey: doc.defaultClientSideAvailability.usingMobileKey, usingEnvironmentId: doc.defaultClientSideAvailability.usingEnvironmentId },
  };
}

/** LaunchDarkly's flagDefaultsRep (GET) and upsertPayloadRep (PUT, PATCH): the same members. */
export function representFlagDefaults(projectKey: string, defaults: FlagDefaults): Record<string, unknown> {
  return {
    _links: { parent: link(`/api/v2/projects/${projectKey}`), self: link(`/api/v2/projects/${projectKey}/flag-defaults`) },
    tags: defaults.tags,
    temporary: defaults.temporary,
    booleanDefaults: defaults.booleanDefaults,
    defaultClientSideAvailability: defaults.defaultClientSideAvailability,
  };
}

/** Only the members the payload names, in its order: a client's extra members are not kept. */
function normalized(defaults: FlagDefaults): FlagDefaults {
  const b = defaults.booleanDefaults;
  return {
    tags: defaults.tags,
    temporary: defaults.temporary,
    booleanDefaults: {
      trueDisplayName: b.trueDisplayName,
      falseDisplayName: b.falseDisplayName,
      trueDescription: b.trueDescription,
      falseDescription: b.falseDescription,
      onVariation: b.onVariation,
      offVariation: b.offVariation,
    },
    defaultClientSideAvailability: { usingMobileKey: defaults.defaultClientSideAvailability.usingMobileKey, usingEnvironmentId: defaults.defaultClientSideAvailability.usingEnvironmentId },
  };
}

export interface FlagDefaultsWrite {
  actor: Actor | undefined;
  projectKey: string;
  /** The defaults wanted, from the current ones (read inside the write, the project row locked). */
  next: (current: FlagDefaults) => unknown;
  comment?: string;
  delta?: unknown;
}

/**
 * Replaces the project's flag defaults with what `next` makes of the current ones, validated as an
 * UpsertFlagDefaultsPayload (a 400 naming the field, nothing written). One transaction with its audit entry; a
 * change notice drops the cached project. `includeInSnippetByDefault` follows `usingEnvironmentId`, as in patchProject.
 */
export async function saveFlagDefaults(deps: Deps, write: FlagDefaultsWrite): Promise<Record<string, unknown>> {
  const now = deps.now();
  const result = await deps.store.tx(async (trx) => {
    await lockProject(trx, deps.store, (await findProject(trx, write.projectKey)).id);
    const row = await findProject(trx, write.projectKey);
    const old = JSON.parse(row.doc) as ProjectDoc;
    const current = flagDefaultsOf(old);
    const wanted = write.next(current);
    const errors = check(UpsertFlagDefaultsPayload, wanted);
    if (errors.length > 0) throw validationFailed(errors);
    const defaults = normalized(wanted as FlagDefaults);
    const { defaultClientSideAvailability, ...stored } = defaults;
    const doc: ProjectDoc = { ...old, includeInSnippetByDefault: defaultClientSideAvailability.usingEnvironmentId, defaultClientSideAvailability, flagDefaults: stored };
    const before = representFlagDefaults(row.key, current);
    const after = representFlagDefaults(row.key, defaults);
    if (deepEqual(before, after)) return { row, after, changed: false };
    const next: ProjectRow = { ...row, doc: JSON.stringify(doc) };
    await trx.updateTable('projects').set({ doc: next.doc }).where('id', '=', row.id).execute();
    await recordAudit(trx, write.actor, now, {
      kind: 'project',
      resource: `proj/${row.key}`,
      action: 'updateProjectFlagDefaults',
      name: row.name,
      description: `updated the flag defaults of the project ${row.name}`,
      projectKey: row.key,
      ...(write.comment !== undefined ? { comment: write.comment } : {}),
      ...(write.delta !== undefined ? { delta: write.delta } : {}),
      before,
      after,
    });
    return { row: next, after, changed: true };
  });
  if (result.changed) deps.changed({ kind: 'project', projectId: result.row.id });
  return result.after;
}
