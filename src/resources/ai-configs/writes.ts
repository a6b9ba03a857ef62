// The AI Config rows every write keeps: a variation version inserted, the config's document saved with its version moved on.
import type { Trx } from '../../store/db.js';
import type { AIConfigDoc, LoadedAIConfig, Variation } from './model.js';

export async function insertVersion(trx: Trx, configId: string, variation: Variation): Promise<void> {
  await trx
    .insertInto('ai_config_variations')
    .values({ config_id: configId, key: variation.key, version: variation.version, id: variation.id, doc: JSON.stringify(variation.doc), created_at: variation.createdAt })
    .execute();
}

/** The config as changed at `now`: one version more. Saved, and answered. */
export async function saveConfig(trx: Trx, config: LoadedAIConfig, doc: Omit<AIConfigDoc, 'version' | 'updatedAt'>, now: number): Promise<AIConfigDoc> {
  const next: AIConfigDoc = { ...doc, version: config.doc.version + 1, updatedAt: now };
  await trx.updateTable('ai_configs').set({ doc: JSON.stringify(next) }).where('id', '=', config.row.id).execute();
  return next;
}
