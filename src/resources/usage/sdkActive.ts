// Pure: whether an environment's SDKs have been active in the last seven days (ldcli's `environments
// get-sdk-active`), from the traffic iterlab counted: an SDK starting (its diagnostic-init), a stream it opened or held
// open, an events payload it sent; with `purpose=ai`, a generation an AI SDK tracked. Polling is not counted.
import type { CountFact } from './series.js';
import { DAY_MS, METRIC } from './tally.js';

/** How far back an SDK counts as active: LaunchDarkly's "within the past seven days". */
export const ACTIVE_WINDOW_MS = 7 * DAY_MS;

export interface SdkActiveFilter {
  /** The SDK's name: the name its diagnostic events give (`node-server-sdk`) or its user agent's (`NodeJSClient`). */
  sdkName?: string;
  /** The wrapper the SDK runs under, as its diagnostic events name it. */
  sdkWrapperName?: string;
  /** `ai`: AI SDK activity only (LaunchDarkly: "any other value, or none, keeps the existing behavior"). */
  ai: boolean;
}

/** The counters each question reads, by metric. */
export function activeMetrics(filter: SdkActiveFilter): string[] {
  if (filter.ai) return [METRIC.aiRuns];
  // Only an SDK's start names its wrapper: streams and events do not tell.
  if (filter.sdkWrapperName !== undefined) return [METRIC.sdkInits];
  return [METRIC.sdkInits, METRIC.streams, METRIC.events];
}

/** The SDK name and wrapper name a counter of `metric` records (wrapper: undefined where the metric does not say). */
function namesOf(metric: string, dims: readonly string[]): { name: string; wrapper?: string } {
  switch (metric) {
    case METRIC.sdkInits:
      return { name: dims[0], wrapper: dims[2] };
    case METRIC.aiRuns:
      return { name: dims[0] };
    default:
      // streams: [source, sdkName, ...]; events: [kind, sdkName, ...]
      return { name: dims[1] };
  }
}

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/**
 * Whether a recorded SDK name is the one asked for: alike but for case, or alike without its npm scope (the Node SDK
 * names itself `@launchdarkly/node-server-sdk`; ldcli's help gives `node-server-sdk`).
 */
export const sdkNameMatches = (recorded: string, asked: string) => same(recorded, asked) || same(recorded.replace(/^@[^/]+\//, ''), asked);

/** Whether any counted fact of `metric` (one of activeMetrics; the environment's, within the window) shows such an SDK. */
export function showsSdk(metric: string, facts: readonly CountFact[], filter: SdkActiveFilter): boolean {
  return facts.some((fact) => {
    if (fact.count <= 0 && fact.minutes <= 0) return false;
    const { name, wrapper } = namesOf(metric, fact.dims);
    if (filter.sdkName !== undefined && !sdkNameMatches(name, filter.sdkName)) return false;
    return filter.sdkWrapperName === undefined || (wrapper !== undefined && same(wrapper, filter.sdkWrapperName));
  });
}

/** The answer, as ldcli reads it (`{"active": true}`). */
export const representSdkActive = (active: boolean) => ({ active });
