// A JSON Patch on an integration's configuration, as every integration area applies it (audit log subscriptions,
// persistent and feature stores, flag imports, integration configurations): to the resource as shown, secrets masked,
// so that a `test` cannot probe a secret and a `copy` copies the mask; the config then given back its stored secrets
// wherever the mask is left, so that a config read and sent back keeps them.
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, type PatchRules } from '../../http/patch/resourcePatch.js';
import { unmaskSecrets } from './config.js';
import type { IntegrationForm } from './manifests.js';

/**
 * The writable members of `shown` once `ops` apply, for the area to check as a creation's; `member` (the config, with
 * `form`) has its masked secrets given back from `stored`.
 */
export function patchShown(shown: Record<string, unknown>, ops: unknown, rules: PatchRules, form: IntegrationForm, stored: Record<string, unknown>, member = 'config'): Record<string, unknown> {
  const patched = applyResourcePatch(shown, ops, rules);
  return { ...Object.fromEntries(rules.writable.map((f) => [f, patched[f]])), [member]: unmaskSecrets(form, patched[member], stored) };
}

/** The first of `fields` that differs between the new doc and the stored one: what an update's audit entry is named by. */
export function firstChange<F extends string>(fields: readonly F[], next: Partial<Record<F, unknown>>, stored: Partial<Record<F, unknown>>): F | undefined {
  return fields.find((f) => !deepEqual(next[f], stored[f]));
}
