// Where the trigger routes are: under a flag in one environment (flags/inEnvironment.ts resolves it).
export const TRIGGERS_URL = '/api/v2/flags/:projectKey/:featureFlagKey/triggers/:environmentKey';
