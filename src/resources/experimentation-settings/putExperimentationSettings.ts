// PUT /api/v2/projects/{projectKey}/experimentation-settings — replace the randomization units (one default).
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { Key } from '../../http/schemas.js';
import { recordAudit } from '../audit-log/record.js';
import { ensureContextKind, listContextKinds } from '../context-kinds/contextKinds.js';
import { findProject, lockProject } from '../projects/projects.js';
import { loadSettings, representSettings, unit, type SettingsDoc } from './settings.js';

export const RandomizationSettingsPut = Type.Object({
  randomizationUnits: Type.Array(
    Type.Object({
      randomizationUnit: Key,
      default: Type.Optional(Type.Boolean()),
      // Required by the 17.x TypeScript client, deprecated by LaunchDarkly: accepted and ignored.
      standardRandomizationUnit: Type.Optional(Type.String()),
    }),
    { minItems: 1, maxItems: 100 },
  ),
});
type RandomizationSettingsPut = Static<typeof RandomizationSettingsPut>;

export function putExperimentationSettings(app: FastifyInstance, deps: Deps): void {
  app.put<{ Params: { projectKey: string }; Body: RandomizationSettingsPut }>(
    '/api/v2/projects/:projectKey/experimentation-settings',
    { schema: { body: RandomizationSettingsPut } },
    async (request) => {
      const units = request.body.randomizationUnits;
      const errors: FieldError[] = [];
      units.forEach((u, i) => {
        // A unit names a context kind, and `kind` and `multi` can never be one (putContextKind refuses them).
        if (u.randomizationUnit === 'kind' || u.randomizationUnit === 'multi') {
          errors.push({ attribute: `randomizationUnits[${i}].randomizationUnit`, reason: `"${u.randomizationUnit}" is not a valid context kind key` });
        }
        if (units.findIndex((other) => other.randomizationUnit === u.randomizationUnit) !== i) {
          errors.push({ attribute: `randomizationUnits[${i}].randomizationUnit`, reason: `duplicate randomization unit "${u.randomizationUnit}"` });
        }
      });
      const defaults = units.filter((u) => u.default === true);
      if (defaults.length > 1) {
        errors.push({ attribute: 'randomizationUnits', reason: `only one randomization unit can be the default; ${defaults.map((u) => `"${u.randomizationUnit}"`).join(', ')} are marked default` });
      }
      if (errors.length > 0) throw validationFailed(errors);
      const project = await findProject(deps.store.db, request.params.projectKey);
      const now = deps.now();
      const result = await deps.store.tx(async (trx) => {
        await lockProject(trx, deps.store, project.id);
        const before = await loadSettings(trx, project.id);
        // Without an explicit default, the current default stays default when it is still listed; else the first unit.
        const previousDefault = before.doc.randomizationUnits.find((u) => u.default)?.randomizationUnit;
        const chosen = defaults[0]?.randomizationUnit ?? (units.some((u) => u.randomizationUnit === previousDefault) ? previousDefault : units[0].randomizationUnit);
        // In key order, as events payloads add kinds: two writers adding the same kinds then never wait on each other in a cycle.
        let added = false;
        for (const kind of units.map((u) => u.randomizationUnit).sort()) added = (await ensureContextKind(trx, project.id, kind, 'auto-add', now)) || added;
        const kinds = await listContextKinds(trx, project.id);
        // An archived context kind is unavailable for experiments (LaunchDarkly: "Archiving context kinds").
        const archived = units.flatMap((u, i) =>
          kinds.some((k) => k.key === u.randomizationUnit && k.doc.archived)
            ? [{ attribute: `randomizationUnits[${i}].randomizationUnit`, reason: `context kind "${u.randomizationUnit}" is archived, so it cannot be a randomization unit` }]
            : [],
        );
        if (archived.length > 0) throw validationFailed(archived);
        const names = new Map(kinds.map((k) => [k.key, k.doc.name]));
        const doc: SettingsDoc = { randomizationUnits: units.map((u) => ({ ...unit(u.randomizationUnit, u.randomizationUnit === chosen), _displayName: names.get(u.randomizationUnit)! })) };
        // The same units, the same default and no new context kind: nothing to write, nor to audit.
        const same = (a: SettingsDoc) => JSON.stringify(a.randomizationUnits.map((u) => [u.randomizationUnit, u.default]));
        if (before.createdAt !== 0 && !added && same(doc) === same(before.doc)) return { doc: before.doc, createdAt: before.createdAt, names, changed: false };
        const createdAt = before.createdAt || now;
        await trx
          .insertInto('experimentation_settings')
          .values({ project_id: project.id, doc: JSON.stringify(doc), created_at: createdAt })
          .onConflict((oc) => oc.column('project_id').doUpdateSet({ doc: JSON.stringify(doc) }))
          .execute();
        // The units are the context kinds available for experiments: one entry for the kinds, matched as
        // `proj/{p}:context-kind/*` is (the role action is updateAvailabilityForExperiments on each unit's kind).
        await recordAudit(trx, request.actor, now, {
          kind: 'context-kind',
          resource: `proj/${project.key}:context-kind/*`,
          action: 'updateAvailabilityForExperiments',
          name: project.name,
          description: `updated the context kinds available for experiments in ${project.name}`,
          projectKey: project.key,
          ...(before.createdAt !== 0 ? { before: representSettings(project.id, project.key, before.doc, before.createdAt, names) } : {}),
          after: representSettings(project.id, project.key, doc, createdAt, names),
        });
        return { doc, createdAt, names, changed: true };
      });
      if (result.changed) deps.changed({ kind: 'settings', projectId: project.id });
      return representSettings(project.id, project.key, result.doc, result.createdAt, result.names);
    },
  );
}
