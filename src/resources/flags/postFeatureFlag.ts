// POST /api/v2/flags/{projectKey} — create a flag (or `?clone=` one) with targeting in every environment of the project.
// `viewKeys` links it to those views in the same transaction (a view audit entry each; a key naming no view is a 400
// naming `viewKeys[i]`); a project that requires new flags to be linked to a view refuses a flag without one.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, notFound, validationFailed, type FieldError } from '../../http/errors.js';
import { objectId, uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { listEnvironments } from '../environments/environments.js';
import { findMember } from '../members/members.js';
import { teamByKey } from '../teams/model.js';
import { flagDefaultsOf, type BooleanFlagDefaults } from '../projects/flagDefaults.js';
import { findProject, namingConventionProblem, type ProjectDoc } from '../projects/projects.js';
import { compact, copyConfig, initialConfig, insertFlag, loadFlag, variationIndexById, type FlagConfigDoc, type FlagDoc, type LoadedFlag, type Prerequisite, type Variation } from './model.js';
import { prerequisitesLock } from './dependents.js';
import { lockNames } from '../../store/locks.js';
import { linkCreated, requiredViewProblem } from '../views/createInto.js';
import { namedViews } from '../views/model.js';
import { representFlag } from './represent.js';
import { FeatureFlagBody } from './schemas.js';
import { maintainerTeamOf, withConfigs } from './scope.js';
import { MIGRATION_PURPOSE, isMigrationFlag, migrationBodyProblems, migrationVariations } from './migration.js';
import { checkConfig, checkDefaults, checkVariations, isBooleanFlag, storedReferences } from './validate.js';

/** The variations of a flag created without any: true and false, named and described as the project's defaults say. */
function booleanVariations(defaults: BooleanFlagDefaults): Omit<Variation, '_id'>[] {
  // Empty names and descriptions are not set: LaunchDarkly omits a variation's unset name and description.
  return [
    compact({ value: true, name: defaults.trueDisplayName || undefined, description: defaults.trueDescription || undefined }),
    compact({ value: false, name: defaults.falseDisplayName || undefined, description: defaults.falseDescription || undefined }),
  ];
}

/** `initialPrerequisites` name flags and variations by key and id; stored prerequisites use variation indexes. */
async function resolvePrerequisites(deps: Deps, projectId: string, body: FeatureFlagBody, errors: FieldError[]): Promise<Prerequisite[]> {
  const out: Prerequisite[] = [];
  for (const [i, input] of (body.initialPrerequisites ?? []).entries()) {
    const flag = await loadFlag(deps.store.db, projectId, input.key);
    if (!flag) {
      errors.push({ attribute: `initialPrerequisites[${i}].key`, reason: `there is no flag "${input.key}" in this project` });
      continue;
    }
    const variation = variationIndexById(flag.doc, input.variationId);
    if (variation < 0) errors.push({ attribute: `initialPrerequisites[${i}].variationId`, reason: `flag "${input.key}" has no variation with _id "${input.variationId}"` });
    else out.push({ key: input.key, variation });
  }
  return out;
}

export function postFeatureFlag(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: FeatureFlagBody }>(
    '/api/v2/flags/:projectKey',
    { schema: { body: FeatureFlagBody } },
    async (request, reply) => {
      const body = request.body;
      const project = await findProject(deps.store.db, request.params.projectKey);
      const cloneParam = (request.query as Record<string, unknown>).clone;
      if (cloneParam !== undefined && (typeof cloneParam !== 'string' || cloneParam === '')) {
        throw validationFailed([{ attribute: 'clone', reason: 'must be the key of one flag to copy' }]);
      }
      const errors: FieldError[] = [];
      const projectDoc = JSON.parse(project.doc) as ProjectDoc;
      const convention = namingConventionProblem(projectDoc.namingConvention, body.key);
      if (convention) errors.push({ attribute: 'key', reason: convention });
      const unviewed = requiredViewProblem(projectDoc, 'flags', body.viewKeys);
      if (unviewed) errors.push(unviewed);
      let source: LoadedFlag | undefined;
      if (cloneParam !== undefined) {
        for (const field of ['variations', 'defaults', 'migrationSettings'] as const) {
          if (body[field] !== undefined) errors.push({ attribute: field, reason: `cannot be given with clone: the clone copies the ${field} of flag "${cloneParam}"` });
        }
        if (body.purpose === MIGRATION_PURPOSE) errors.push({ attribute: 'purpose', reason: `cannot be "migration" with clone: a clone is a migration flag when flag "${cloneParam}" is one` });
        source = await loadFlag(deps.store.db, project.id, cloneParam);
        if (!source) throw notFound(`Flag "${cloneParam}" (the clone source) in project "${project.key}"`);
      }
      const migrationProblems = source ? [] : migrationBodyProblems(body);
      errors.push(...migrationProblems);
      // A migration flag's stages, and so its variations, come from its settings; a clone of one is one, with its stages.
      const cloned = source && isMigrationFlag(source.doc) ? source.doc.migrationSettings : undefined;
      const migrationSettings = cloned ?? (migrationProblems.length === 0 && body.purpose === MIGRATION_PURPOSE ? body.migrationSettings : undefined);
      const purpose = cloned ? MIGRATION_PURPOSE : body.purpose;

      // What the body and the clone source leave out comes from the project's flag defaults (flag-defaults routes).
      const projectDefaults = flagDefaultsOf(projectDoc);
      const given = source?.doc.variations ?? body.variations;
      const generated = migrationSettings && !source ? migrationVariations(migrationSettings) : undefined;
      // Only the stored fields are kept: a `valueHash` (or anything else) sent with a variation is ignored, never stored.
      const variations = (given ?? generated ?? booleanVariations(projectDefaults.booleanDefaults)).map((v) => compact({ _id: uuid(), value: v.value, name: v.name, description: v.description }) as Variation);
      errors.push(...checkVariations(variations));
      // Given variations serve their first and last (FeatureFlagBody.defaults); the defaults' true and false, theirs; a
      // migration flag's on and off both serve its first stage, `off`, so that every migration starts there.
      const defaults =
        source?.doc.defaults ??
        body.defaults ??
        (generated
          ? { onVariation: 0, offVariation: 0 }
          : given
            ? { onVariation: 0, offVariation: Math.max(0, variations.length - 1) }
            : { onVariation: projectDefaults.booleanDefaults.onVariation, offVariation: projectDefaults.booleanDefaults.offVariation });
      errors.push(...checkDefaults(defaults, variations.length));
      if (body.maintainerId !== undefined && !(await findMember(deps.store.db, body.maintainerId))) {
        errors.push({ attribute: 'maintainerId', reason: `there is no member with _id "${body.maintainerId}"` });
      }
      if (body.maintainerTeamKey !== undefined && !(await teamByKey(deps.store.db, body.maintainerTeamKey))) {
        errors.push({ attribute: 'maintainerTeamKey', reason: `no team has the key "${body.maintainerTeamKey}"` });
      }
      const prerequisites = await resolvePrerequisites(deps, project.id, body, errors);
      if (errors.length > 0) throw validationFailed(errors);

      const clientSideAvailability =
        body.clientSideAvailability ??
        (body.includeInSnippet !== undefined
          ? { usingEnvironmentId: body.includeInSnippet, usingMobileKey: projectDefaults.defaultClientSideAvailability.usingMobileKey }
          : (source?.doc.clientSideAvailability ?? projectDefaults.defaultClientSideAvailability));
      const now = deps.now();
      // The caller maintains the flag unless the body names a maintainer, member or team.
      const maintainerId = body.maintainerId ?? (body.maintainerTeamKey === undefined ? request.actor?.memberId : undefined);
      const doc: FlagDoc = {
        name: body.name,
        kind: isBooleanFlag(variations.map((v) => v.value)) ? 'boolean' : 'multivariate',
        description: body.description ?? source?.doc.description ?? '',
        variations,
        // Migration flags are temporary unless the body says otherwise: a migration ends, and its flag with it.
        temporary: body.temporary ?? source?.doc.temporary ?? (generated ? true : projectDefaults.temporary),
        tags: body.tags ?? source?.doc.tags ?? projectDefaults.tags,
        customProperties: body.customProperties ?? source?.doc.customProperties ?? {},
        clientSideAvailability: { usingMobileKey: clientSideAvailability.usingMobileKey, usingEnvironmentId: clientSideAvailability.usingEnvironmentId },
        includeInSnippet: clientSideAvailability.usingEnvironmentId,
        defaults: { onVariation: defaults.onVariation, offVariation: defaults.offVariation },
        ...(maintainerId ? { maintainerId } : {}),
        ...(body.maintainerTeamKey !== undefined ? { maintainerTeamKey: body.maintainerTeamKey } : {}),
        archived: false,
        deprecated: false,
        ...(purpose ? { purpose } : {}),
        ...(migrationSettings ? { migrationSettings: compact({ contextKind: migrationSettings.contextKind, stageCount: migrationSettings.stageCount }) } : {}),
        _version: 1,
        creationDate: now,
      };

      const row = { id: objectId(now), project_id: project.id, key: body.key, name: body.name, doc: JSON.stringify(doc), archived: 0, created_at: now };
      const maintainer = maintainerId ? await findMember(deps.store.db, maintainerId) : undefined;
      const rep = await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            // postEnvironment's insert takes a key-share lock on the project row: holding the row here means an
            // environment created concurrently either exists now or is created after this flag, and gets its targeting.
            // The project was read before the transaction: a delete since leaves nothing to lock (nor to add to).
            let held = trx.selectFrom('projects').select('id').where('id', '=', project.id);
            if (deps.store.kind === 'postgres') held = held.forUpdate();
            if (!(await held.executeTakeFirst())) throw notFound(`Project "${project.key}"`);
            // Initial prerequisites were found before the transaction: read again under the lock a flag's delete takes,
            // one deleted since is refused as if it had never been there (on PostgreSQL both would otherwise be taken).
            if (prerequisites.length > 0) {
              await lockNames(trx, deps.store, [prerequisitesLock(project.id)]);
              for (const [i, prerequisite] of prerequisites.entries()) {
                if (!(await loadFlag(trx, project.id, prerequisite.key))) errors.push({ attribute: `initialPrerequisites[${i}].key`, reason: `there is no flag "${prerequisite.key}" in this project` });
              }
            }
            const named = await namedViews(trx, project.id, body.viewKeys ?? [], 'viewKeys');
            errors.push(...named.problems);
            const environments = await listEnvironments(trx, project.id);
            const configs = new Map<string, FlagConfigDoc>();
            for (const env of environments) {
              const sourceConfig = source?.configs.get(env.id);
              const config = sourceConfig ? copyConfig(sourceConfig, now, { archived: false, ...(body.isFlagOn !== undefined ? { on: body.isFlagOn } : {}) }) : initialConfig(doc, now, body.isFlagOn ?? false);
              for (const prerequisite of prerequisites) {
                config.prerequisites = [...config.prerequisites.filter((p) => p.key !== prerequisite.key), prerequisite];
              }
              errors.push(...checkConfig(`environments.${env.key}`, body.key, config, variations.length, sourceConfig ? storedReferences(sourceConfig.rules, sourceConfig.fallthrough) : undefined));
              configs.set(env.id, config);
            }
            if (errors.length > 0) throw validationFailed(errors);
            await insertFlag(trx, row, configs);
            const maintainerTeam = await maintainerTeamOf(trx, doc);
            const created = representFlag(project.key, { key: body.key, doc, environments: withConfigs(environments, configs), maintainer, maintainerTeam });
            await recordAudit(trx, request.actor, now, {
              kind: 'flag',
              resource: `proj/${project.key}:env/*:flag/${body.key}`,
              action: 'createFlag',
              name: body.name,
              description: source ? `cloned the flag ${source.doc.name} as ${body.name}` : `created the flag ${body.name}`,
              projectKey: project.key,
              after: created,
            });
            await linkCreated(trx, request.actor, now, project.key, named.views, { type: 'flags', resource: { id: row.id, key: body.key }, name: body.name, viewKeys: body.viewKeys });
            return created;
          }),
        `A flag with the key "${body.key}" already exists in project "${project.key}"`,
      );
      deps.changed({ kind: 'flag', projectId: project.id, id: row.id });
      return reply.code(201).send(rep);
    },
  );
}
