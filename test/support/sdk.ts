// The official server-side SDK (@launchdarkly/node-server-sdk) pointed at a test server, and its environment's key.
import { init, type LDClient, type LDOptions } from '@launchdarkly/node-server-sdk';
import type { ApiClient } from './fixtures.js';

/** The environment's SDK key, as a user copies it from the REST API. */
export async function sdkKeyOf(s: ApiClient, project: string, env = 'production'): Promise<string> {
  const res = await s.get(`/api/v2/projects/${project}/environments/${env}`);
  return res.body.apiKey as string;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A client on url for sdkKey; the caller closes it. Events off unless options turn them on. */
export function sdkClient(url: string, sdkKey: string, options: LDOptions = {}): LDClient {
  return init(sdkKey, {
    baseUri: url,
    streamUri: url,
    eventsUri: url,
    sendEvents: false,
    diagnosticOptOut: true,
    logger: quiet,
    streamInitialReconnectDelay: 0.05,
    ...options,
  });
}
