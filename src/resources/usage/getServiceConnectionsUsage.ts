// GET /api/v2/usage/service-connections (beta) — service connection minutes: the minutes server-side SDKs' streams
// were open (connectionType `streaming`; iterlab has no Relay Proxy connections, so relayVersion is always empty).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { registerCountUsage } from './counts.js';
import { METRIC } from './tally.js';

export function getServiceConnectionsUsage(app: FastifyInstance, deps: Deps): void {
  registerCountUsage(app, deps, '/api/v2/usage/service-connections', {
    metric: METRIC.streams,
    // Streams: [source, sdkName, sdkVersion, applicationId].
    labels: (f, places) =>
      f.dims[0] === 'server'
        ? {
            projectId: places.all.get(f.environmentId)?.projectId ?? '',
            environmentId: f.environmentId,
            connectionType: 'streaming',
            relayVersion: '',
            sdkName: f.dims[1],
            sdkVersion: f.dims[2],
            sdkType: 'server',
            sdkAppId: f.dims[3],
          }
        : undefined,
    groupable: ['projectId', 'environmentId', 'connectionType', 'relayVersion', 'sdkName', 'sdkVersion', 'sdkType', 'sdkAppId'],
    filters: { connectionType: 'connectionType', relayVersion: 'relayVersion', sdkName: 'sdkName', sdkVersion: 'sdkVersion', sdkType: 'sdkType', sdkAppId: 'sdkAppId' },
    value: (f) => f.minutes,
  });
}
