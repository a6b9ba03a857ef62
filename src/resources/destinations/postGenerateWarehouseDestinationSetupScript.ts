// POST /api/v2/destinations/projects/{projKey}/environments/{envKey}/kinds/{kind}/setup — the SQL script that prepares
// a warehouse for the environment's Data Export (kind snowflake-v2 or redshift): 201 with it. Snowflake's makes a
// service user signing in with the environment's key pair (made now if it has none: the same pair as
// generate-warehouse-destination-key-pair's, whose public key is answered too); Redshift's names a staging bucket and,
// given the cluster's identifier, region and account, the IAM policies. Custom object names may be sent, else defaults
// per environment are used. The setup is kept (one per environment and kind, replaced by a later one) until
// complete-setup turns it into a destination.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { destinationScope, ENVIRONMENT_DESTINATIONS_URL, pairToKeep, type EnvironmentParams } from './model.js';
import { keepEnvironmentKeyPair } from './postGenerateProjectEnvWarehouseDestinationKeyPair.js';
import { representSetupScript, setupAudit } from './represent.js';
import { objectNames, redshiftPolicies, redshiftScript, SETUP_KINDS, SetupBody, setupKindProblem, setupProblems, snowflakeScript, stagingBucket, type SetupDoc, type SetupKind } from './setup.js';

export function postGenerateWarehouseDestinationSetupScript(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: EnvironmentParams & { kind: string } }>(`${ENVIRONMENT_DESTINATIONS_URL}/kinds/:kind/setup`, { config: { noBody: true, optionalBody: true } }, async (request, reply) => {
    // The body is optional in LaunchDarkly's spec: none (or ldcli's `null`, made `{}` by the edge) takes every default.
    const body = request.body;
    const kindProblem = setupKindProblem(request.params.kind, SETUP_KINDS);
    const errors = [...(kindProblem ? [kindProblem] : []), ...check(SetupBody, body)];
    if (errors.length > 0) throw validationFailed(errors);
    const kind = request.params.kind as SetupKind;
    const setup = body as SetupBody;
    const problems = setupProblems(kind, setup);
    if (problems.length > 0) throw validationFailed(problems);

    const scope = { projectKey: request.params.projKey, environmentKey: request.params.envKey };
    const { environmentId } = await destinationScope(deps.store.db, scope);
    const pair = kind === 'snowflake-v2' ? await pairToKeep(deps.store.db, { environmentId }) : undefined;
    const now = deps.now();
    const rep = await deps.store.tx(async (trx) => {
      const { environmentId: envId, place } = await destinationScope(trx, scope);
      const doc: SetupDoc = { name: setup.name ?? kind, names: objectNames(kind, place, setup) };
      let rep: Record<string, unknown>;
      if (kind === 'snowflake-v2') {
        const publicKey = await keepEnvironmentKeyPair(trx, request.actor, request.params, pair, now);
        Object.assign(doc, { snowflakeHostAddress: setup.snowflakeHostAddress, includeNetworkPolicy: setup.includeNetworkPolicy ?? false });
        rep = representSetupScript(snowflakeScript(place, doc.names, publicKey, doc.includeNetworkPolicy!), { publicKeyPem: publicKey });
      } else {
        const { clusterIdentifier, clusterRegion, clusterAwsAccountId, endpoint } = setup;
        Object.assign(doc, { clusterIdentifier, clusterRegion, clusterAwsAccountId, endpoint, s3BucketName: stagingBucket(envId) });
        rep = representSetupScript(redshiftScript(place, doc.names), { s3BucketName: doc.s3BucketName, policies: redshiftPolicies(doc, envId) });
      }
      const stored = JSON.stringify(doc);
      await trx
        .insertInto('destination_setups')
        .values({ environment_id: envId, kind, doc: stored, created_at: now })
        .onConflict((oc) => oc.columns(['environment_id', 'kind']).doUpdateSet({ doc: stored, created_at: now }))
        .execute();
      await recordAudit(trx, request.actor, now, setupAudit(kind, doc.name, place));
      return rep;
    });
    return reply.code(201).send(rep);
  });
}
