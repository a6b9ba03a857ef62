// Which environments a flag request covers (all, or those `env` / `filterEnv` name), and the maintainer (member or
// team) to show.
import type { Db, Trx } from '../../store/db.js';
import { listEnvironments, type EnvironmentRow } from '../environments/environments.js';
import { findMember, type MemberRow } from '../members/members.js';
import { notFound } from '../../http/errors.js';
import type { FlagConfigDoc, FlagDoc } from './model.js';
import { teamByKey, teamDoc } from '../teams/model.js';
import type { FlagEnvironment, MaintainerTeam } from './represent.js';

/** `env=a&env=b` or `env=a,b` -> [a, b]; undefined when no environment is named. */
export function readEnvironmentKeys(...raw: unknown[]): string[] | undefined {
  const keys: string[] = [];
  for (const value of raw.flatMap((r) => (Array.isArray(r) ? r : r === undefined ? [] : [r]))) {
    for (const part of String(value).split(',')) if (part.trim() && !keys.includes(part.trim())) keys.push(part.trim());
  }
  return keys.length > 0 ? keys : undefined;
}

/** The project's environments in their order, or only those named (404 for a key the project lacks). */
export async function environmentsFor(db: Db | Trx, project: { id: string; key: string }, keys?: string[]): Promise<EnvironmentRow[]> {
  const all = await listEnvironments(db, project.id);
  if (!keys) return all;
  for (const key of keys) if (!all.some((env) => env.key === key)) throw notFound(`Environment "${key}" in project "${project.key}"`);
  return all.filter((env) => keys.includes(env.key));
}

/**
 * Pairs environments with the flag's targeting in them, skipping any the flag has no targeting in; `evaluatedKinds`
 * gives, by environment id, the kinds evaluated there (`expand=evaluation`).
 */
export function withConfigs(environments: EnvironmentRow[], configs: Map<string, FlagConfigDoc>, evaluatedKinds?: (environmentId: string) => string[]): FlagEnvironment[] {
  return environments.flatMap((env) => {
    const config = configs.get(env.id);
    return config ? [{ key: env.key, name: env.name, config, evaluatedKinds: evaluatedKinds?.(env.id) }] : [];
  });
}

export async function maintainerOf(db: Db | Trx, doc: FlagDoc): Promise<MemberRow | undefined> {
  return doc.maintainerId ? findMember(db, doc.maintainerId) : undefined;
}

/** The team a flag's maintainerTeamKey names, by key and name; undefined when none is named or it is gone. */
export async function maintainerTeamOf(db: Db | Trx, doc: FlagDoc): Promise<MaintainerTeam | undefined> {
  if (!doc.maintainerTeamKey) return undefined;
  const row = await teamByKey(db, doc.maintainerTeamKey);
  return row ? { key: row.key, name: teamDoc(row).name } : undefined;
}
