// The ModelConfig and RestrictedModelsResponse representations, and the audit entries of model config changes: the
// only code that builds their JSON.
import type { AuditEntry } from '../audit-log/record.js';
import type { ModelConfig } from './model.js';

export function representModelConfig(config: ModelConfig, restricted: boolean): Record<string, unknown> {
  return {
    key: config.key,
    name: config.name,
    id: config.id,
    ...(config.icon !== undefined ? { icon: config.icon } : {}),
    ...(config.provider !== undefined ? { provider: config.provider } : {}),
    global: config.global,
    ...(config.params !== undefined ? { params: config.params } : {}),
    ...(config.customParams !== undefined ? { customParams: config.customParams } : {}),
    tags: config.tags,
    version: config.version,
    ...(config.costPerInputToken !== undefined ? { costPerInputToken: config.costPerInputToken } : {}),
    ...(config.costPerOutputToken !== undefined ? { costPerOutputToken: config.costPerOutputToken } : {}),
    ...(config.costPerCachedInputToken !== undefined ? { costPerCachedInputToken: config.costPerCachedInputToken } : {}),
    isRestricted: restricted,
  };
}

export function representRestrictedModels(successes: string[], errors: { key: string; message: string; code: number }[]): Record<string, unknown> {
  return { successes, errors };
}

/** The resource specifier custom roles name a model config by: `proj/p:ai-model-config/key`. */
export function modelConfigResource(projectKey: string, key: string): string {
  return `proj/${projectKey}:ai-model-config/${key}`;
}

export function modelConfigAudit(projectKey: string, config: ModelConfig, action: string, description: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { kind: 'ai-model-config', resource: modelConfigResource(projectKey, config.key), action, name: config.name, description, projectKey, ...extra };
}
