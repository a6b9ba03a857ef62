// Data Export destinations: an environment's export target (kind) and its configuration, as LaunchDarkly's
// postDestination documents each kind's `config`. iterlab keeps the configuration and exports nothing. Secrets in a
// configuration (keys, tokens, passwords) are never shown again once written: reads show them masked.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { Type, type Static } from '@sinclair/typebox';
import { notFound, type FieldError } from '../../http/errors.js';
import { isObject } from '../../http/patch/resourcePatch.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { DestinationKeyPairsTable, DestinationsTable } from '../../store/schema.js';
import { findProjectEnvironment } from '../environments/environments.js';

export type DestinationRow = DestinationsTable;

export const DESTINATION_KINDS = ['google-pubsub', 'kinesis', 'mparticle', 'segment', 'azure-event-hubs', 'snowflake-v2', 'databricks', 'bigquery', 'redshift'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

export interface DestinationDoc {
  name: string;
  config: Record<string, unknown>;
  on: boolean;
  version: number;
}

export const DestinationName = Type.String({ minLength: 1, maxLength: 256 });
const Config = Type.Unsafe<Record<string, unknown>>({ type: 'object' });

export const DestinationPost = Type.Object(
  {
    name: Type.Optional(DestinationName),
    kind: Type.Unsafe<DestinationKind>({ type: 'string', enum: [...DESTINATION_KINDS] }),
    config: Config,
    on: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DestinationPost = Static<typeof DestinationPost>;

/** What a patched destination must still be. */
export const PatchedDestination = Type.Object({ name: DestinationName, config: Config, on: Type.Boolean() });

/** The members a patch may change, each with its audit (and custom-role) action, LaunchDarkly's destination actions. */
export const DESTINATION_FIELD_ACTIONS = { name: 'updateName', config: 'updateConfiguration', on: 'updateOn' } as const;
export const DESTINATION_PATCH_RULES = { writable: Object.keys(DESTINATION_FIELD_ACTIONS), readOnly: ['_id', '_links', 'kind', 'version'] };

export const DESTINATIONS_URL = '/api/v2/destinations';
export const DESTINATION_URL = `${DESTINATIONS_URL}/:projectKey/:environmentKey`;

export interface DestinationParams {
  projectKey: string;
  environmentKey: string;
}

/** Where a destination is, by keys: its resource specifier and its links are built from them. */
export interface DestinationPlace {
  projectKey: string;
  environmentKey: string;
}

export function destinationDoc(row: Pick<DestinationRow, 'doc'>): DestinationDoc {
  return JSON.parse(row.doc) as DestinationDoc;
}

/** The environment a destination route addresses, with its keys; 404 names the project or environment missing. */
export async function destinationScope(db: Db | Trx, params: DestinationParams): Promise<{ environmentId: string; place: DestinationPlace }> {
  const { project, environment } = await findProjectEnvironment(db, params.projectKey, params.environmentKey);
  return { environmentId: environment.id, place: { projectKey: project.key, environmentKey: environment.key } };
}

/** A destination of the environment by id (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findDestination(db: Db | Trx, environmentId: string, id: string, lock?: Pick<Store, 'kind'>): Promise<DestinationRow> {
  let query = db.selectFrom('destinations').selectAll().where('id', '=', id).where('environment_id', '=', environmentId);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Destination "${id}"`);
  return row;
}

// ---- Configurations ----

/** The fields each kind's config needs (postDestination's description), as non-empty strings. */
const REQUIRED: Record<DestinationKind, readonly string[]> = {
  'google-pubsub': ['project', 'topic'],
  kinesis: ['region', 'roleArn', 'streamName'],
  // LaunchDarkly also lists userIdentity and anonymousUserIdentity; Terraform sends userIdentity or userIdentities
  // and no anonymousUserIdentity, so those are checked below as one-of and optional.
  mparticle: ['apiKey', 'secret'],
  segment: ['writeKey'],
  'azure-event-hubs': ['namespace', 'name', 'policyName', 'policyKey'],
  'snowflake-v2': ['publicKey', 'snowflakeHostAddress'],
  // LaunchDarkly documents no fields for these: any object is kept.
  databricks: [],
  bigquery: [],
  redshift: [],
};

/** Fields a kind documents as optional strings (Terraform's optional config keys). */
const OPTIONAL_STRINGS: Partial<Record<DestinationKind, readonly string[]>> = {
  mparticle: ['userIdentity', 'anonymousUserIdentity'],
  segment: ['userIDContextKind', 'anonymousIDContextKind'],
};

const MPARTICLE_ENVIRONMENTS = ['production', 'development'];

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

function mparticleProblems(config: Record<string, unknown>): FieldError[] {
  const problems: FieldError[] = [];
  const identities = config.userIdentities;
  if (identities !== undefined) {
    if (!Array.isArray(identities)) problems.push({ attribute: 'config.userIdentities', reason: 'must be an array of {"ldContextKind": ..., "mparticleUserIdentity": ...}' });
    else
      identities.forEach((identity, i) => {
        const fields = isObject(identity) ? identity : {};
        for (const field of ['ldContextKind', 'mparticleUserIdentity']) {
          if (!isNonEmptyString(fields[field])) problems.push({ attribute: `config.userIdentities[${i}].${field}`, reason: 'must be a non-empty string' });
        }
      });
  }
  const hasIdentities = Array.isArray(identities) && identities.length > 0;
  if (config.userIdentity === undefined && !hasIdentities) {
    problems.push({ attribute: 'config.userIdentity', reason: 'is required for mparticle destinations (or config.userIdentities): the mParticle identity your users are known by' });
  }
  if (config.environment !== undefined && !MPARTICLE_ENVIRONMENTS.includes(config.environment as string)) {
    problems.push({ attribute: 'config.environment', reason: 'must be "production" or "development"' });
  }
  return problems;
}

/** The base64 text of a PEM key, without its armour or line breaks: how Snowflake's RSA_PUBLIC_KEY takes it. */
export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
}

/**
 * Every problem with `config` for a destination of `kind`, each naming its field. A Snowflake destination's
 * publicKey must be the account's key pair's (`accountPublicKey`, undefined when none was generated): LaunchDarkly
 * signs in to Snowflake with that pair's private key.
 */
export function configProblems(kind: DestinationKind, config: Record<string, unknown>, accountPublicKey: string | undefined): FieldError[] {
  const problems: FieldError[] = [];
  for (const field of REQUIRED[kind]) {
    if (!isNonEmptyString(config[field])) problems.push({ attribute: `config.${field}`, reason: `is required for ${kind} destinations, as a non-empty string` });
  }
  for (const field of OPTIONAL_STRINGS[kind] ?? []) {
    if (config[field] !== undefined && typeof config[field] !== 'string') problems.push({ attribute: `config.${field}`, reason: 'must be a string' });
  }
  if (kind === 'mparticle') problems.push(...mparticleProblems(config));
  if (kind === 'snowflake-v2' && isNonEmptyString(config.publicKey)) {
    if (accountPublicKey === undefined) {
      problems.push({ attribute: 'config.publicKey', reason: 'no key pair was generated yet: POST /api/v2/destinations/generate-warehouse-destination-key-pair and use its public_key' });
    } else if (pemBody(config.publicKey as string) !== pemBody(accountPublicKey)) {
      problems.push({ attribute: 'config.publicKey', reason: "is not the account's key pair's public key (the public_key of generate-warehouse-destination-key-pair)" });
    }
  }
  return problems;
}

// ---- Secrets ----

/** Config fields that hold credentials: shown masked once written (mParticle's apiKey and secret, Segment's writeKey, Azure's policyKey...). */
const SECRET_FIELD = /(secret|password|token|apikey|writekey|policykey|privatekey|accesskey|accountkey|credentials?)$/i;
const MASK = '********';

function masked(value: unknown): string {
  return typeof value === 'string' && value.length >= 12 ? `${MASK}${value.slice(-4)}` : MASK;
}

/** The config as reads show it: each secret masked, its last four characters kept when it is long enough to spare them. */
export function maskConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([field, value]) => [field, SECRET_FIELD.test(field) ? masked(value) : value]));
}

/**
 * A config a client sent back: each secret it left as reads show it (masked) is the stored secret again, so that a
 * client that read a destination, changed one field and wrote the config back keeps its secrets.
 */
export function unmaskConfig(config: Record<string, unknown>, stored: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([field, value]) => [field, SECRET_FIELD.test(field) && Object.hasOwn(stored, field) && value === masked(stored[field]) ? stored[field] : value]),
  );
}

/**
 * A patch as the audit log keeps it (every token may read the log): the secrets it writes masked, whether it
 * replaces the whole config (`/config`, a merge's `config`) or one secret field (`/config/apiKey`).
 */
export function maskedDelta(delta: unknown): unknown {
  if (isObject(delta)) return isObject(delta.config) ? { ...delta, config: maskConfig(delta.config) } : delta;
  if (!Array.isArray(delta)) return delta;
  return delta.map((op: unknown) => {
    if (!isObject(op) || typeof op.path !== 'string' || !Object.hasOwn(op, 'value')) return op;
    if (op.path === '/config' && isObject(op.value)) return { ...op, value: maskConfig(op.value) };
    const field = /^\/config\/([^/]+)$/.exec(op.path)?.[1];
    return field !== undefined && SECRET_FIELD.test(field) ? { ...op, value: masked(op.value) } : op;
  });
}

// ---- The account's Snowflake key pair ----

export type KeyPairRow = DestinationKeyPairsTable;

/** The key pair's row id: the account has one. */
export const KEY_PAIR_ID = 'account';

export async function findKeyPair(db: Db | Trx): Promise<KeyPairRow | undefined> {
  return db.selectFrom('destination_key_pairs').selectAll().where('id', '=', KEY_PAIR_ID).executeTakeFirst();
}

const generateRsa = promisify(crypto.generateKeyPair);

/** A new 2048-bit RSA key pair as PEM (SPKI public, PKCS#8 private): what Snowflake's key-pair authentication takes. */
export async function newKeyPair(): Promise<{ publicKey: string; privateKey: string }> {
  return generateRsa('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}
