// What a record of an environment's integration shows, the same for a delivery configuration and a big segment store
// (IntegrationDeliveryConfiguration, BigSegmentStoreIntegration): its links, ids, scope, masked config and settings.
import { link } from '../../http/links.js';
import { maskSecrets } from './config.js';
import type { IntegrationForm } from './manifests.js';

export interface EnvironmentScope {
  projectKey: string;
  environmentKey: string;
}

export function environmentIntegrationRep(
  row: { id: string; integration_key: string; version: number },
  doc: { config: Record<string, unknown>; on: boolean; tags: string[]; name: string },
  scope: EnvironmentScope,
  form: IntegrationForm,
  paths: { self: string; parent: string },
): Record<string, unknown> {
  return {
    _links: {
      self: link(paths.self),
      parent: link(paths.parent),
      project: link(`/api/v2/projects/${encodeURIComponent(scope.projectKey)}`),
      environment: link(`/api/v2/projects/${encodeURIComponent(scope.projectKey)}/environments/${encodeURIComponent(scope.environmentKey)}`),
    },
    _id: row.id,
    integrationKey: row.integration_key,
    projectKey: scope.projectKey,
    environmentKey: scope.environmentKey,
    config: maskSecrets(form, doc.config),
    on: doc.on,
    tags: doc.tags,
    name: doc.name,
    version: row.version,
  };
}
