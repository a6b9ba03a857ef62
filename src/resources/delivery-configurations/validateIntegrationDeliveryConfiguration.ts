// POST /api/v2/integration-capabilities/featureStore/{projectKey}/{environmentKey}/{integrationKey}/{id}/validate
// (beta) — validate the saved configuration: 200 with IntegrationDeliveryConfigurationResponse. What iterlab can do
// it does: the stored config is checked against the integration's form again (required fields, types). What it cannot
// do it says: LaunchDarkly then sends the manifest's `validationRequest` to the integration's service, and iterlab makes
// no outbound calls, so for an integration that has one the answer's `error` says it was not sent
// (docs/compatibility.md). Nothing is written.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { refuseBody } from '../../http/validation.js';
import { ApiError } from '../../http/errors.js';
import { readConfig } from '../integrations/config.js';
import { FEATURE_STORE_VALIDATION, formOf } from '../integrations/manifests.js';
import { DELIVERY_ID_ROUTE, type DeliveryIdParams } from './getIntegrationDeliveryConfigurationById.js';
import { deliveryDoc, findDelivery, findDeliveryForm } from './model.js';

export function validateIntegrationDeliveryConfiguration(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: DeliveryIdParams }>(`${DELIVERY_ID_ROUTE}/validate`, { config: { beta: true, noBody: true } }, async (request) => {
    refuseBody(request.body);
    const { integrationKey, id } = request.params;
    const form = findDeliveryForm(integrationKey);
    const { environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const row = await findDelivery(deps.store.db, environment.id, integrationKey, id);
    const timestamp = deps.now();
    try {
      readConfig(integrationKey, form, deliveryDoc(row).config);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const problems = (err.errors ?? []).map((e) => `${e.attribute} ${e.reason}`).join('; ');
      return { statusCode: 400, error: `The saved config does not match the ${integrationKey} form: ${problems || err.message}`, timestamp };
    }
    const validation = formOf(FEATURE_STORE_VALIDATION, integrationKey);
    if (validation) {
      return {
        error: `The saved config matches the ${integrationKey} form, but its validation request (${validation.method} ${validation.url}) was not sent: iterlab makes no outbound network calls`,
        timestamp,
      };
    }
    return { statusCode: 200, timestamp, responseBody: `The saved config matches the ${integrationKey} form; the ${integrationKey} integration has no validation request` };
  });
}
