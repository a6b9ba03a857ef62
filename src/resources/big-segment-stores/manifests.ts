// The persistent stores an environment's big segments may be synced into, and the `config` fields each takes: the
// formVariables of the redis and dynamodb manifests (launchdarkly/integration-framework), with the fields LaunchDarkly's
// createBigSegmentStoreIntegration names beyond them (Redis username and TLS, DynamoDB external ID) and the key prefix
// the SDKs' stores read under (their default, `launchdarkly`).
import type { IntegrationForm } from '../audit-log-subscriptions/manifests.js';

export const STORE_FORMS: Readonly<Record<string, IntegrationForm>> = {
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
