// POST /api/v2/destinations/projects/{projKey}/environments/{envKey}/kinds/{kind}/complete-setup — completes the
// environment's warehouse setup of that kind (made by …/setup): 201 with the Data Export destination it becomes, which
// the destination reads then answer. A Snowflake setup takes the public key the setup answered (`publicKey`, PEM or
// bare) and the Snowflake host address (here or given to the setup); the object names are the setup's. A setup is
// completed once: 404 when none waits (bigquery's never does: no setup script is made for it).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import { check } from '../../http/validation.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { configProblems, destinationScope, ENVIRONMENT_DESTINATIONS_URL, findKeyPair, findSetup, pemBody, snowflakePublicKeys, type DestinationDoc, type DestinationRow, type EnvironmentParams } from './model.js';
import { destinationAudit, representDestination } from './represent.js';
import { completedConfig, CompleteSetupBody, setupKindProblem, type SetupDoc, type SetupKind } from './setup.js';

/** The kinds LaunchDarkly completes a setup of (clickhouse aside: see setupKindProblem). */
const COMPLETE_KINDS = ['snowflake-v2', 'bigquery', 'redshift'];

export function postCompleteWarehouseDestinationSetup(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: EnvironmentParams & { kind: string } }>(`${ENVIRONMENT_DESTINATIONS_URL}/kinds/:kind/complete-setup`, async (request, reply) => {
    const kind = request.params.kind;
    const kindProblem = setupKindProblem(kind, COMPLETE_KINDS);
    const errors = [...(kindProblem ? [kindProblem] : []), ...check(CompleteSetupBody, request.body)];
    if (errors.length > 0) throw validationFailed(errors);
    const body = request.body as CompleteSetupBody;
    if (kind !== 'snowflake-v2') {
      const misplaced = (['publicKey', 'snowflakeHostAddress'] as const).filter((field) => body[field] !== undefined);
      if (misplaced.length > 0) throw validationFailed(misplaced.map((attribute) => ({ attribute, reason: `applies to snowflake-v2 destinations, not ${kind}` })));
    }
    const now = deps.now();
    const rep = await deps.store.tx(async (trx) => {
      const { environmentId, place } = await destinationScope(trx, { projectKey: request.params.projKey, environmentKey: request.params.envKey });
      const setup = await findSetup(trx, environmentId, kind, deps.store);
      if (!setup) throw notFound(`Pending ${kind} destination setup of environment "${place.environmentKey}"`);
      const doc = JSON.parse(setup.doc) as SetupDoc;
      let publicKey = '';
      const snowflakeHostAddress = body.snowflakeHostAddress ?? doc.snowflakeHostAddress;
      if (kind === 'snowflake-v2') {
        const problems: FieldError[] = [];
        const pair = await findKeyPair(trx, { environmentId });
        publicKey = body.publicKey ?? '';
        if (publicKey.trim() === '') problems.push({ attribute: 'publicKey', reason: 'is required: the publicKey (or publicKeyPkcs8) the setup answered' });
        else if (!pair || pemBody(publicKey) !== pemBody(pair.public_key)) problems.push({ attribute: 'publicKey', reason: "is not the environment's key pair's public key (the publicKey the setup answered)" });
        if (snowflakeHostAddress === undefined || snowflakeHostAddress.trim() === '') problems.push({ attribute: 'snowflakeHostAddress', reason: 'is required: send it here or to the setup' });
        if (problems.length > 0) throw validationFailed(problems);
      }
      const config = completedConfig(kind as SetupKind, doc, publicKey, snowflakeHostAddress);
      const problems = configProblems(kind as SetupKind, config, kind === 'snowflake-v2' ? await snowflakePublicKeys(trx, environmentId) : []);
      if (problems.length > 0) throw validationFailed(problems);
      const destination: DestinationDoc = { name: doc.name, config, on: true, version: 1, ...(request.actor ? { maintainerId: request.actor.memberId } : {}) };
      const row: DestinationRow = { id: objectId(now), environment_id: environmentId, kind, doc: JSON.stringify(destination), created_at: now };
      await trx.insertInto('destinations').values(row).execute();
      await trx.deleteFrom('destination_setups').where('environment_id', '=', environmentId).where('kind', '=', kind).execute();
      const shown = representDestination(row, place);
      await recordAudit(trx, request.actor, now, destinationAudit(row, place, 'createDestination', 'completed the setup of', { after: shown }));
      return shown;
    });
    return reply.code(201).send(rep);
  });
}
