// The click and page-view goals the browser SDKs ask for (`GET /sdk/goals/{envId}`): the project's page-view and click
// metrics, each with the URLs it counts on (and a click's CSS selector). The SDK watches the page for them and sends a
// `pageview` or `click` event keyed by the goal's key, which experiment results count for the metric of that key.
import type { Db } from '../store/db.js';
import { statement } from '../store/statements.js';
import type { MetricDoc } from '../resources/metrics/model.js';

/** A URL matcher as the SDKs read it: `exact` and `canonical` take `url`, `substring` its `substring`, `regex` its `pattern`. */
export type GoalUrl = { kind: 'exact' | 'canonical'; url: string } | { kind: 'substring'; substring: string } | { kind: 'regex'; pattern: string };

export interface Goal {
  key: string;
  kind: 'pageview' | 'click';
  urls: GoalUrl[];
  selector?: string;
}

/** The matcher an SDK can use, or undefined for one missing what its kind needs (an SDK would never match it). */
function goalUrl(url: NonNullable<MetricDoc['urls']>[number]): GoalUrl | undefined {
  switch (url.kind) {
    case 'exact':
    case 'canonical':
      return typeof url.url === 'string' ? { kind: url.kind, url: url.url } : undefined;
    case 'substring':
      return typeof url.substring === 'string' ? { kind: 'substring', substring: url.substring } : undefined;
    case 'regex':
      return typeof url.pattern === 'string' ? { kind: 'regex', pattern: url.pattern } : undefined;
    default:
      return undefined;
  }
}

/** The goal of a metric, or undefined for a custom metric (the SDKs' `track` sends those). */
export function goalOf(key: string, doc: MetricDoc): Goal | undefined {
  if (doc.kind !== 'pageview' && doc.kind !== 'click') return undefined;
  const urls = (doc.urls ?? []).flatMap((url) => goalUrl(url) ?? []);
  return doc.kind === 'click' ? { key, kind: 'click', urls, selector: doc.selector ?? '' } : { key, kind: 'pageview', urls };
}

// Every metric of the project is a goal, whether or not an experiment uses it yet: the SDK reads the goals once per
// page, and an iteration started later counts only the events of its own window anyway.
const metricsOf = statement<{ key: string; doc: string }>('select "key", "doc" from "metrics" where "project_id" = ? order by "key"');

export async function goalsOf(db: Db, projectId: string): Promise<Goal[]> {
  return (await metricsOf.run(db, [projectId])).flatMap((row) => goalOf(row.key, JSON.parse(row.doc) as MetricDoc) ?? []);
}
