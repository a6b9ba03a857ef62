// What the AI library's resources are used by: the AI Config variations (each as it is now, its latest version) that
// pin an AI tool (`tools: [{key, version}]`) or include a prompt snippet in their prompt (`{{snippet.key#version}}`
// in a message's content or an agent's instructions), each with the version it pins. Agent graphs use tools and
// snippets only through their nodes, which are AI Configs: their variations are the references.
import type { Db, Trx } from '../../store/db.js';
import { listAIConfigs, type Variation, type VariationDoc } from './model.js';

/** A variation that uses a resource, at `version` of it. */
export interface VariationReference {
  configKey: string;
  configName: string;
  variationId: string;
  variationKey: string;
  variationName: string;
  version: number;
}

/**
 * A snippet reference as LaunchDarkly writes one in a prompt: `{{snippet.key#version}}`, spaces allowed inside the
 * braces as in the AI SDKs' own `{{ variable }}`; a key is a LaunchDarkly key (letters, digits, `.`, `_`, `-`).
 */
const SNIPPET_REFERENCE = /\{\{\s*snippet\.([A-Za-z0-9][A-Za-z0-9._-]*)#(\d+)\s*\}\}/g;

/** Each snippet reference in a text, in order: the key and the version it pins. */
export function snippetReferencesIn(text: string): { key: string; version: number }[] {
  return [...text.matchAll(SNIPPET_REFERENCE)].map((match) => ({ key: match[1]!, version: Number(match[2]) }));
}

/** The prompt text of a variation: its messages' content and its instructions. */
function promptTexts(doc: VariationDoc): string[] {
  return [...(doc.messages ?? []).map((m) => m.content), ...(doc.instructions !== undefined ? [doc.instructions] : [])];
}

/** The versions of snippet `key` the variation includes, each once, in the order its prompt first names them. */
export function snippetVersionsUsed(variation: Variation, key: string): number[] {
  const versions = promptTexts(variation.doc).flatMap((text) => snippetReferencesIn(text).filter((ref) => ref.key === key).map((ref) => ref.version));
  return [...new Set(versions)];
}

/** The versions of tool `key` the variation pins (one, or none). */
export function toolVersionsUsed(variation: Variation, key: string): number[] {
  return [...new Set((variation.doc.tools ?? []).filter((tool) => tool.key === key).map((tool) => tool.version))];
}

/**
 * The project's variations that use a resource, as `versionsUsed` reads each: one reference per variation and
 * version, configs oldest first, each config's variations in the order they were made.
 */
export async function variationReferences(db: Db | Trx, projectId: string, versionsUsed: (variation: Variation) => number[]): Promise<VariationReference[]> {
  const out: VariationReference[] = [];
  for (const config of await listAIConfigs(db, projectId)) {
    for (const variation of config.variations) {
      for (const version of versionsUsed(variation)) {
        out.push({ configKey: config.row.key, configName: config.doc.name, variationId: variation.id, variationKey: variation.key, variationName: variation.doc.name, version });
      }
    }
  }
  return out;
}
