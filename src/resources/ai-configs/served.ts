// Pure: what SDKs are served for an AI Config — the variation values of its flag, read by LaunchDarkly's AI SDKs
// (`_ldMeta` {enabled, variationKey, version, mode}, `model` {name, parameters, custom}, `provider` {name}, and the
// prompt: `messages`, or an agent's `instructions`). The first value is the disabled variation, which a new config
// serves everywhere until targeting points at one of its variations.
import type { ModelConfig } from '../ai-model-configs/model.js';
import type { Variation as FlagVariation } from '../flags/model.js';
import type { AIConfigDoc, AIConfigMode, Variation } from './model.js';
import { isObject } from '../../http/patch/resourcePatch.js';

export const DISABLED_VARIATION_NAME = 'disabled';

export function disabledValue(mode: AIConfigMode): Record<string, unknown> {
  return { _ldMeta: { enabled: false, mode } };
}

/** The model as the AI SDKs read it: the variation's model over its model config's id and parameters. */
function servedModel(variation: Variation, modelConfig: ModelConfig | undefined): Record<string, unknown> | undefined {
  const model = variation.doc.model;
  const name = typeof model.modelName === 'string' ? model.modelName : typeof model.name === 'string' ? model.name : modelConfig?.id;
  if (name === undefined) return undefined;
  const parameters = { ...modelConfig?.params, ...(isObject(model.parameters) ? model.parameters : {}) };
  const custom = { ...modelConfig?.customParams, ...(isObject(model.custom) ? model.custom : {}) };
  return { name, parameters, ...(Object.keys(custom).length > 0 ? { custom } : {}) };
}

/** One variation's value: enabled, with its key and version, model, provider and prompt. */
export function servedValue(config: Pick<AIConfigDoc, 'mode' | 'evaluationMetricKey'>, variation: Variation, modelConfig: ModelConfig | undefined): Record<string, unknown> {
  const { doc } = variation;
  const model = servedModel(variation, modelConfig);
  const provider = modelConfig?.provider ?? (typeof doc.model.provider === 'string' ? doc.model.provider : undefined);
  const judges = doc.judgeConfiguration?.judges ?? [];
  return {
    _ldMeta: { enabled: true, variationKey: variation.key, version: variation.version, mode: config.mode },
    ...(model ? { model } : {}),
    ...(provider !== undefined ? { provider: { name: provider } } : {}),
    ...(config.mode === 'agent' ? { instructions: doc.instructions ?? '' } : { messages: doc.messages ?? [] }),
    ...(judges.length > 0 ? { judgeConfiguration: { judges: judges.map((j) => ({ key: j.judgeConfigKey, samplingRate: j.samplingRate })) } } : {}),
    ...(config.mode === 'judge' && config.evaluationMetricKey !== undefined ? { evaluationMetricKey: config.evaluationMetricKey } : {}),
  };
}

/**
 * The flag's variations for the config as it is: the disabled one (keeping its `_id`), then each variation of the
 * config in order, whose flag variation `_id` is the variation's own (targeting names it so).
 */
export function flagVariations(config: AIConfigDoc, variations: readonly Variation[], modelConfigs: ReadonlyMap<string, ModelConfig>, disabledId: string): FlagVariation[] {
  return [
    { _id: disabledId, name: DISABLED_VARIATION_NAME, value: disabledValue(config.mode) },
    ...variations.map((v) => ({
      _id: v.id,
      name: v.doc.name,
      value: servedValue(config, v, v.doc.modelConfigKey !== undefined ? modelConfigs.get(v.doc.modelConfigKey) : undefined),
    })),
  ];
}
