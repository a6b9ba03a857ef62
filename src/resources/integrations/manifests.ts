// What iterlab knows of LaunchDarkly's integration manifests (launchdarkly/integration-framework), in one place: for
// each capability an integration key may be configured under, the `formVariables` its `config` is checked against
// (which fields exist, which are required, which are secret and masked wherever shown). Descriptions are left out.
//
// - auditLogEventsHook: the integrations an audit log subscription (and an integration configuration) may be made
//   for, as Terraform's launchdarkly provider generates them into audit_log_subscription_configs_generated.go, with the
//   legacy Slack webhook (which has no manifest: the provider adds its `url` by hand) and the manifests that gained the
//   capability since (dynatrace-v2, kosli, last9, mattermost, pagerduty, vercel-native).
// - bigSegmentStore: the redis and dynamodb manifests, with the fields createBigSegmentStoreIntegration names beyond
//   them (Redis username and TLS, DynamoDB external ID) and the key prefix the SDKs' stores read under.
// - featureStore: the manifests with that capability (akamai-edgeworkers, cloudflare, fastly, generic-feature-store,
//   vercel), the integrations a delivery configuration is made for.
// - flagImport: split and unleash, the systems a flag import configuration imports from.
// - approval: custom-approvals, whose manifest allows integration configurations (`allowIntegrationConfigurations`).

/** How a field's value is checked: `uri` an absolute http(s) URL; `generated` made by the server when not given. */
export type FieldType = 'string' | 'uri' | 'boolean' | 'enum' | 'generated';

export interface FormVariable {
  type: FieldType;
  /** Absent means required. */
  optional?: true;
  /** Never shown again once stored (represent.ts masks it). */
  secret?: true;
  /** An enum's values. */
  allowed?: readonly string[];
  /** What an optional field left out is stored as, as LaunchDarkly fills it in. */
  default?: string | boolean;
}

export type IntegrationForm = Readonly<Record<string, FormVariable>>;

const DYNATRACE_ENTITIES = [
  'APPLICATION', 'APPLICATION_METHOD', 'APPLICATION_METHOD_GROUP', 'AUTO_SCALING_GROUP', 'AUXILIARY_SYNTHETIC_TEST',
  'AWS_APPLICATION_LOAD_BALANCER', 'AWS_AVAILABILITY_ZONE', 'AWS_CREDENTIALS', 'AWS_LAMBDA_FUNCTION', 'AWS_NETWORK_LOAD_BALANCER',
  'AZURE_API_MANAGEMENT_SERVICE', 'AZURE_APPLICATION_GATEWAY', 'AZURE_COSMOS_DB', 'AZURE_CREDENTIALS', 'AZURE_EVENT_HUB',
  'AZURE_EVENT_HUB_NAMESPACE', 'AZURE_FUNCTION_APP', 'AZURE_IOT_HUB', 'AZURE_LOAD_BALANCER', 'AZURE_MGMT_GROUP', 'AZURE_REDIS_CACHE',
  'AZURE_REGION', 'AZURE_SERVICE_BUS_NAMESPACE', 'AZURE_SERVICE_BUS_QUEUE', 'AZURE_SERVICE_BUS_TOPIC', 'AZURE_SQL_DATABASE',
  'AZURE_SQL_ELASTIC_POOL', 'AZURE_SQL_SERVER', 'AZURE_STORAGE_ACCOUNT', 'AZURE_SUBSCRIPTION', 'AZURE_TENANT', 'AZURE_VM',
  'AZURE_VM_SCALE_SET', 'AZURE_WEB_APP', 'CF_APPLICATION', 'CF_FOUNDATION', 'CINDER_VOLUME', 'CLOUD_APPLICATION',
  'CLOUD_APPLICATION_INSTANCE', 'CLOUD_APPLICATION_NAMESPACE', 'CONTAINER_GROUP', 'CONTAINER_GROUP_INSTANCE', 'CUSTOM_APPLICATION',
  'CUSTOM_DEVICE', 'CUSTOM_DEVICE_GROUP', 'DCRUM_APPLICATION', 'DCRUM_SERVICE', 'DCRUM_SERVICE_INSTANCE', 'DEVICE_APPLICATION_METHOD',
  'DISK', 'DOCKER_CONTAINER_GROUP_INSTANCE', 'DYNAMO_DB_TABLE', 'EBS_VOLUME', 'EC2_INSTANCE', 'ELASTIC_LOAD_BALANCER', 'ENVIRONMENT',
  'EXTERNAL_SYNTHETIC_TEST_STEP', 'GCP_ZONE', 'GEOLOCATION', 'GEOLOC_SITE', 'GOOGLE_COMPUTE_ENGINE', 'HOST', 'HOST_GROUP',
  'HTTP_CHECK', 'HTTP_CHECK_STEP', 'HYPERVISOR', 'KUBERNETES_CLUSTER', 'KUBERNETES_NODE', 'MOBILE_APPLICATION', 'NETWORK_INTERFACE',
  'NEUTRON_SUBNET', 'OPENSTACK_PROJECT', 'OPENSTACK_REGION', 'OPENSTACK_VM', 'OS', 'PROCESS_GROUP', 'PROCESS_GROUP_INSTANCE',
  'RELATIONAL_DATABASE_SERVICE', 'SERVICE', 'SERVICE_INSTANCE', 'SERVICE_METHOD', 'SERVICE_METHOD_GROUP', 'SWIFT_CONTAINER',
  'SYNTHETIC_LOCATION', 'SYNTHETIC_TEST', 'SYNTHETIC_TEST_STEP', 'VIRTUALMACHINE', 'VMWARE_DATACENTER',
] as const;

const DYNATRACE: IntegrationForm = {
  apiToken: { type: 'string', secret: true },
  url: { type: 'uri' },
  entity: { type: 'enum', optional: true, allowed: DYNATRACE_ENTITIES, default: 'APPLICATION' },
  tag: { type: 'string', optional: true, default: '' },
};

/** By integration key, in the order LaunchDarkly's provider lists them. */
export const AUDIT_LOG_HOOK_FORMS: Readonly<Record<string, IntegrationForm>> = {
  chronosphere: { receiverURL: { type: 'string' }, secretToken: { type: 'string', secret: true } },
  cloudtrail: {
    accountId: { type: 'string', optional: true, default: '' },
    externalId: { type: 'generated' },
    ingestionChannelArn: { type: 'string' },
  },
  datadog: {
    apiKey: { type: 'string', secret: true },
    hideMemberDetails: { type: 'boolean', optional: true, default: false },
    hostURL: {
      type: 'enum',
      optional: true,
      allowed: ['https://api.datadoghq.com', 'https://api.datadoghq.eu', 'https://us3.datadoghq.com', 'https://us5.datadoghq.com', 'https://app.ddog-gov.com'],
      default: 'https://api.datadoghq.com',
    },
  },
  dynatrace: DYNATRACE,
  'dynatrace-v2': DYNATRACE,
  elastic: { index: { type: 'string' }, token: { type: 'string', secret: true }, url: { type: 'uri' } },
  grafana: { apiKey: { type: 'string', secret: true }, endpointUrl: { type: 'uri' } },
  honeycomb: { apiKey: { type: 'string', secret: true }, datasetName: { type: 'string' } },
  kosli: { webhookUrl: { type: 'string' }, secret: { type: 'string', secret: true } },
  last9: { endpointUrl: { type: 'uri' }, apiToken: { type: 'string', secret: true }, last9: { type: 'string', optional: true, default: '' } },
  logdna: { ingestionKey: { type: 'string', secret: true }, level: { type: 'string', optional: true, default: 'INFO' } },
  mattermost: { url: { type: 'uri' } },
  msteams: { url: { type: 'uri' } },
  'new-relic-apm': {
    apiKey: { type: 'string', secret: true },
    applicationId: { type: 'string' },
    domain: { type: 'enum', optional: true, allowed: ['api.newrelic.com', 'api.eu.newrelic.com'], default: 'api.newrelic.com' },
  },
  pagerduty: { integrationKey: { type: 'string' } },
  signalfx: { accessToken: { type: 'string', secret: true }, realm: { type: 'string' } },
  slack: { url: { type: 'uri' } },
  splunk: { 'base-url': { type: 'string' }, 'skip-ca-verification': { type: 'boolean' }, token: { type: 'string', secret: true } },
  'vercel-native': { accessToken: { type: 'string', secret: true }, installationId: { type: 'string' } },
};

/** The persistent stores an environment's big segments may be synced into. */
export const BIG_SEGMENT_STORE_FORMS: Readonly<Record<string, IntegrationForm>> = {
  redis: {
    host: { type: 'string' },
    port: { type: 'string', optional: true, default: '6379' },
    username: { type: 'string', optional: true, default: '' },
    password: { type: 'string', optional: true, secret: true, default: '' },
    tls: { type: 'boolean', optional: true, default: false },
    prefix: { type: 'string', optional: true, default: 'launchdarkly' },
  },
  dynamodb: {
    tableName: { type: 'string' },
    region: { type: 'string' },
    roleArn: { type: 'string' },
    externalId: { type: 'string', optional: true, default: '' },
    prefix: { type: 'string', optional: true, default: '' },
  },
};

/** The edge stores LaunchDarkly writes an environment's flag data into (the featureStore capability). */
export const FEATURE_STORE_FORMS: Readonly<Record<string, IntegrationForm>> = {
  'akamai-edgeworkers': {
    hostname: { type: 'string' },
    network: { type: 'enum', optional: true, allowed: ['production', 'staging'], default: 'production' },
    namespaceId: { type: 'string' },
    groupId: { type: 'string' },
    clientSecret: { type: 'string', secret: true },
    clientToken: { type: 'string', secret: true },
    accessToken: { type: 'string', secret: true },
  },
  cloudflare: { accountId: { type: 'string' }, namespaceId: { type: 'string' }, apiToken: { type: 'string', secret: true } },
  fastly: { storeId: { type: 'string' }, apiToken: { type: 'string', secret: true } },
  'generic-feature-store': { validationReqUrl: { type: 'uri' }, featureStoreReqUrl: { type: 'uri' } },
  vercel: { edgeConfigId: { type: 'string' }, teamId: { type: 'string', optional: true, default: '' }, apiToken: { type: 'string', secret: true } },
};

/**
 * The feature store integrations whose manifest has a `validationRequest`: the request validateIntegrationDeliveryConfiguration
 * would send (method and URL template), which iterlab does not send (docs/compatibility.md).
 */
export const FEATURE_STORE_VALIDATION: Readonly<Record<string, { method: string; url: string }>> = {
  'akamai-edgeworkers': { method: 'GET', url: 'https://{{hostname}}/edgekv/v1/networks/{{network}}/namespaces/{{namespaceId}}' },
  'generic-feature-store': { method: 'GET', url: '{{validationReqUrl}}' },
};

/** The feature management systems flags are imported from (the flagImport capability). */
export const FLAG_IMPORT_FORMS: Readonly<Record<string, IntegrationForm>> = {
  split: {
    workspaceApiKey: { type: 'string', secret: true },
    workspaceId: { type: 'string' },
    environmentId: { type: 'string' },
    splitTag: { type: 'string', optional: true, default: '' },
    ldApiKey: { type: 'string', secret: true },
    ldTag: { type: 'string', optional: true, default: 'imported-from-split' },
    ldMaintainer: { type: 'string', optional: true, default: '' },
  },
  unleash: {
    sourceBaseUrl: { type: 'string' },
    sourceApiKey: { type: 'string', secret: true },
    sourceProjectId: { type: 'string' },
    sourceEnvironmentId: { type: 'string' },
    sourceTag: { type: 'string', optional: true, default: '' },
    ldApiKey: { type: 'string', secret: true },
    ldTag: { type: 'string', optional: true, default: 'imported-from-unleash' },
    ldMaintainer: { type: 'string', optional: true, default: '' },
  },
};

/** The approval services that take integration configurations. */
export const APPROVAL_FORMS: Readonly<Record<string, IntegrationForm>> = {
  'custom-approvals': { apiKey: { type: 'string', secret: true }, baseURL: { type: 'string' } },
};

/** The form of `key` among `forms`, if it has one (own keys only: `constructor` is no integration). */
export function formOf<T = IntegrationForm>(forms: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(forms, key) ? forms[key] : undefined;
}

/** The form of an integration key, if it is one that takes audit log subscriptions. */
export function integrationForm(integrationKey: string): IntegrationForm | undefined {
  return formOf(AUDIT_LOG_HOOK_FORMS, integrationKey);
}
