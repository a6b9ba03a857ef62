// Pure: a segment as the server-side SDKs read it (the FDv1 data model: rule `id`s, clauses without `_id`s, the
// salt that buckets a rule's weight): the only code that builds it.
import type { SegmentDoc, SegmentRule } from '../resources/segments/model.js';
import { sdkClause } from './sdkFlag.js';

function sdkSegmentRule(rule: SegmentRule): Record<string, unknown> {
  return {
    id: rule._id,
    clauses: rule.clauses.map(sdkClause),
    ...(rule.weight !== undefined ? { weight: rule.weight } : {}),
    ...(rule.bucketBy !== undefined ? { bucketBy: rule.bucketBy } : {}),
    ...(rule.rolloutContextKind !== undefined ? { rolloutContextKind: rule.rolloutContextKind } : {}),
  };
}

/**
 * A big segment is served as LaunchDarkly serves one: no target lists (SDKs ask their big segment store for
 * `{key}.g{generation}`), but `unbounded`, its context kind and generation.
 */
export function sdkSegment(key: string, doc: SegmentDoc): Record<string, unknown> {
  return {
    key,
    version: doc.version,
    ...(doc.unbounded
      ? {}
      : { included: doc.included, excluded: doc.excluded, includedContexts: doc.includedContexts, excludedContexts: doc.excludedContexts }),
    rules: doc.rules.map(sdkSegmentRule),
    salt: doc.salt,
    ...(doc.unbounded ? { unbounded: true, unboundedContextKind: doc.unboundedContextKind, generation: doc.generation } : {}),
    deleted: false,
  };
}
