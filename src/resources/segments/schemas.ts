// Segment shapes as clients send them: the SegmentBody of a create, and the editable part a patch may change.
import { Type, type Static } from '@sinclair/typebox';
import { Key, Name, Tags } from '../../http/schemas.js';
import { ClauseSchema } from '../flags/schemas.js';

const Description = Type.String({ maxLength: 8192 });
const ContextKind = Type.String({ minLength: 1, maxLength: 256 });
const TargetKeys = Type.Array(Type.String({ minLength: 1, maxLength: 1024 }));

export const SegmentBody = Type.Object({
  name: Name,
  key: Key,
  description: Type.Optional(Description),
  tags: Type.Optional(Tags),
  unbounded: Type.Optional(Type.Boolean()),
  // Terraform sends "" when unbounded_context_kind is not set (rules.ts reads it as the default, user).
  unboundedContextKind: Type.Optional(Type.String({ maxLength: 256 })),
  // Views to link the new segment to (LaunchDarkly's hidden `viewKeys`, which Terraform's `view_keys` sends).
  viewKeys: Type.Optional(Type.Array(Key, { maxItems: 100 })),
});
export type SegmentBody = Static<typeof SegmentBody>;

/**
 * A target list entry. Both members are optional here because Terraform's launchdarkly_segment sends an empty `{}`
 * entry before each one it means (its list is built with `make(n)` then appended to); rules.ts drops entries with no
 * keys and refuses keys without a context kind.
 */
export const SegmentTargetInput = Type.Object({ contextKind: Type.Optional(ContextKind), values: Type.Optional(TargetKeys) });
export type SegmentTargetInput = Static<typeof SegmentTargetInput>;

export const SegmentRuleInput = Type.Object({
  _id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  clauses: Type.Array(ClauseSchema),
  weight: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
  rolloutContextKind: Type.Optional(ContextKind),
  bucketBy: Type.Optional(Type.String({ minLength: 1 })),
  description: Type.Optional(Description),
});
export type SegmentRuleInput = Static<typeof SegmentRuleInput>;

/** The fields of a segment a patch may change, as they must be after the patch. */
export const EditableSegment = Type.Object({
  name: Name,
  description: Type.Optional(Description),
  tags: Tags,
  included: TargetKeys,
  excluded: TargetKeys,
  includedContexts: Type.Array(SegmentTargetInput),
  excludedContexts: Type.Array(SegmentTargetInput),
  rules: Type.Array(SegmentRuleInput, { maxItems: 5000 }),
});
export type EditableSegment = Static<typeof EditableSegment>;
