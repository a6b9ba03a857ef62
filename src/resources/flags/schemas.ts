// Flag shapes as clients send them: the FeatureFlagBody of a create, and the editable part of a flag a patch may change.
import { Type, type Static } from '@sinclair/typebox';
import { Key, Name, StringRecord, Tags } from '../../http/schemas.js';

/** LaunchDarkly's clause operators (lower camel case, as the API takes them). */
export const OPERATORS = [
  'in',
  'endsWith',
  'startsWith',
  'matches',
  'contains',
  'lessThan',
  'lessThanOrEqual',
  'greaterThan',
  'greaterThanOrEqual',
  'before',
  'after',
  'segmentMatch',
  'semVerEqual',
  'semVerLessThan',
  'semVerGreaterThan',
] as const;

/** A variation index; whether it is in range is checked against the flag's variations. */
const Index = Type.Integer();
const Description = Type.String({ maxLength: 8192 });

export const VariationInput = Type.Object({
  _id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  value: Type.Unknown(),
  name: Type.Optional(Type.String({ maxLength: 1024 })),
  description: Type.Optional(Description),
});

export const ClientSideAvailability = Type.Object({ usingEnvironmentId: Type.Boolean(), usingMobileKey: Type.Boolean() });
export const Defaults = Type.Object({ onVariation: Index, offVariation: Index });
export const CustomProperties = StringRecord(
  Type.Object({ name: Type.String({ maxLength: 1024 }), value: Type.Array(Type.String(), { maxItems: 1000 }) }),
  Type.String({ minLength: 1, maxLength: 256 }),
);

export const FeatureFlagBody = Type.Object({
  name: Name,
  key: Key,
  description: Type.Optional(Description),
  includeInSnippet: Type.Optional(Type.Boolean()),
  clientSideAvailability: Type.Optional(ClientSideAvailability),
  variations: Type.Optional(Type.Array(VariationInput, { maxItems: 1000 })),
  temporary: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Tags),
  customProperties: Type.Optional(CustomProperties),
  defaults: Type.Optional(Defaults),
  purpose: Type.Optional(Type.Unsafe<'migration' | 'holdout'>({ type: 'string', enum: ['migration', 'holdout'] })),
  migrationSettings: Type.Optional(Type.Object({ contextKind: Type.Optional(Type.String()), stageCount: Type.Integer() })),
  maintainerId: Type.Optional(Type.String({ minLength: 1 })),
  maintainerTeamKey: Type.Optional(Type.String()),
  initialPrerequisites: Type.Optional(Type.Array(Type.Object({ key: Key, variationId: Type.String({ minLength: 1 }) }), { maxItems: 100 })),
  isFlagOn: Type.Optional(Type.Boolean()),
  /** Views to link the new flag to, as the Terraform provider sends them (LaunchDarkly's spec does not list it yet). */
  viewKeys: Type.Optional(Type.Array(Key, { maxItems: 100 })),
});
export type FeatureFlagBody = Static<typeof FeatureFlagBody>;

const Rollout = Type.Object({
  variations: Type.Array(
    Type.Object({ variation: Index, weight: Type.Integer({ minimum: 0, maximum: 100000 }), _untracked: Type.Optional(Type.Boolean()) }),
    { minItems: 1 },
  ),
  experimentAllocation: Type.Optional(Type.Object({ defaultVariation: Index, canReshuffle: Type.Boolean() })),
  // SDKs read a seed of 0 as none (experiments' seeds are positive 31-bit integers).
  seed: Type.Optional(Type.Integer({ minimum: 1, maximum: 0x7fffffff })),
  bucketBy: Type.Optional(Type.String({ minLength: 1 })),
  contextKind: Type.Optional(Type.String({ minLength: 1 })),
});

const VariationOrRollout = Type.Object({ variation: Type.Optional(Index), rollout: Type.Optional(Rollout) });

export const ClauseSchema = Type.Object({
  _id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  attribute: Type.String({ minLength: 1 }),
  op: Type.Unsafe<string>({ type: 'string', enum: [...OPERATORS] }),
  values: Type.Array(Type.Unknown()),
  contextKind: Type.Optional(Type.String({ minLength: 1 })),
  negate: Type.Optional(Type.Boolean()),
});

const Rule = Type.Object({
  _id: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  disabled: Type.Optional(Type.Boolean()),
  variation: Type.Optional(Index),
  rollout: Type.Optional(Rollout),
  // Optional: the Terraform provider leaves `clauses` out of a rule that has none (a rule that matches every context).
  clauses: Type.Optional(Type.Array(ClauseSchema)),
  trackEvents: Type.Optional(Type.Boolean()),
  description: Type.Optional(Description),
  ref: Type.Optional(Type.String()),
});

const Target = Type.Object({ values: Type.Array(Type.String()), variation: Index, contextKind: Type.Optional(Type.String({ minLength: 1 })) });

export const EditableConfig = Type.Object({
  on: Type.Boolean(),
  targets: Type.Array(Target),
  contextTargets: Type.Array(Target),
  rules: Type.Array(Rule),
  fallthrough: VariationOrRollout,
  offVariation: Type.Optional(Index),
  prerequisites: Type.Array(Type.Object({ key: Type.String({ minLength: 1 }), variation: Index })),
  trackEvents: Type.Boolean(),
  trackEventsFallthrough: Type.Boolean(),
  // A migration flag's only (1 in checkRatio migration ops check consistency; 0: none does).
  migrationSettings: Type.Optional(Type.Object({ checkRatio: Type.Optional(Type.Integer({ minimum: 0 })) })),
});
export type EditableConfig = Static<typeof EditableConfig>;

/** The fields of a flag representation that a patch may change; everything else in it is read-only. */
export const EditableFlag = Type.Object({
  name: Name,
  description: Description,
  tags: Tags,
  temporary: Type.Boolean(),
  variations: Type.Array(VariationInput, { maxItems: 1000 }),
  maintainerId: Type.Optional(Type.String({ minLength: 1 })),
  maintainerTeamKey: Type.Optional(Type.String()),
  archived: Type.Boolean(),
  deprecated: Type.Boolean(),
  customProperties: CustomProperties,
  clientSideAvailability: ClientSideAvailability,
  includeInSnippet: Type.Boolean(),
  defaults: Defaults,
  environments: StringRecord(EditableConfig),
});
export type EditableFlag = Static<typeof EditableFlag>;

export const EDITABLE_FLAG_FIELDS = Object.keys(EditableFlag.properties).filter((key) => key !== 'environments');
export const EDITABLE_CONFIG_FIELDS = Object.keys(EditableConfig.properties);
