// Data Export destinations: an environment's export target (kind) and its configuration, as LaunchDarkly's
// postDestination documents each kind's `config`. iterlab keeps the configuration and exports nothing. Secrets in a
// configuration (keys, tokens, passwords) are never shown again once written: reads show them masked.
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { Type, type Static } from '@sinclair/typebox';
import { notFound, type FieldError } from '../../http/errors.js';
import { isObject } from '../../http/patch/resourcePatch.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { DestinationKeyPairsTable, DestinationSetupsTable, DestinationsTable } from '../../store/schema.js';
import { findProjectEnvironment } from '../environments/environments.js';

export type DestinationRow = DestinationsTable;

export const DESTINATION_KINDS = ['google-pubsub', 'kinesis', 'mparticle', 'segment', 'azure-event-hubs', 'snowflake-v2', 'databricks', 'bigquery', 'redshift'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

export interface DestinationDoc {
  name: string;
  config: Record<string, unknown>;
  on: boolean;
  version: number;
  /** The member who maintains it (2026-07's `maintainerId`): the member who created it; absent on those made before. */
  maintainerId?: string;
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
export const DESTINATION_PATCH_RULES = { writable: Object.keys(DESTINATION_FIELD_ACTIONS), readOnly: ['_id', '_links', 'kind', 'version', 'createdAt', 'maintainerId'] };

export const DESTINATIONS_URL = '/api/v2/destinations';
export const DESTINATION_URL = `${DESTINATIONS_URL}/:projectKey/:environmentKey`;

/** The newer operations' place of an environment's destinations: `/api/v2/destinations/projects/{projKey}/environments/{envKey}`. */
export const ENVIRONMENT_DESTINATIONS_URL = `${DESTINATIONS_URL}/projects/:projKey/environments/:envKey`;

export interface EnvironmentParams {
  projKey: string;
  envKey: string;
}

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

/**
 * No AWS account has the id 000000000000: iterlab never assumes the role, so the policy it writes trusts no one
 * until its principal is replaced by the account that will write to the stream.
 */
export const TRUST_POLICY_PRINCIPAL = 'arn:aws:iam::000000000000:root';

/** An AWS trust policy letting the principal assume the role, only with the environment's external id. */
export function awsTrustPolicy(externalId: string): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole'],
        Principal: { AWS: TRUST_POLICY_PRINCIPAL },
        Condition: { StringEquals: { 'sts:ExternalId': externalId } },
      },
    ],
  };
}

/** The base64 text of a PEM key, without its armour or line breaks: how Snowflake's RSA_PUBLIC_KEY takes it. */
export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
}

/**
 * Every problem with `config` for a destination of `kind`, each naming its field. A Snowflake destination's
 * publicKey must be one of `publicKeys` (the account's key pair's and the environment's, those generated): LaunchDarkly
 * signs in to Snowflake with that pair's private key.
 */
export function configProblems(kind: DestinationKind, config: Record<string, unknown>, publicKeys: readonly string[]): FieldError[] {
  const problems: FieldError[] = [];
  for (const field of REQUIRED[kind]) {
    if (!isNonEmptyString(config[field])) problems.push({ attribute: `config.${field}`, reason: `is required for ${kind} destinations, as a non-empty string` });
  }
  for (const field of OPTIONAL_STRINGS[kind] ?? []) {
    if (config[field] !== undefined && typeof config[field] !== 'string') problems.push({ attribute: `config.${field}`, reason: 'must be a string' });
  }
  if (kind === 'mparticle') problems.push(...mparticleProblems(config));
  if (kind === 'snowflake-v2' && isNonEmptyString(config.publicKey)) {
    if (publicKeys.length === 0) {
      problems.push({ attribute: 'config.publicKey', reason: 'no key pair was generated yet: POST /api/v2/destinations/generate-warehouse-destination-key-pair and use its public_key' });
    } else if (!publicKeys.some((key) => pemBody(config.publicKey as string) === pemBody(key))) {
      problems.push({ attribute: 'config.publicKey', reason: "is not the account's key pair's public key (the public_key of generate-warehouse-destination-key-pair) nor the environment's" });
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

// ---- Snowflake key pairs: the account's, and each environment's ----

export type KeyPairRow = Pick<DestinationKeyPairsTable, 'public_key' | 'private_key'>;

/** The account's key pair's row id: the account has one. */
export const KEY_PAIR_ID = 'account';

/** Whose key pair: the account's (generate-warehouse-destination-key-pair) or an environment's (its own and its setups'). */
export type KeyPairOwner = { account: true } | { environmentId: string };
export const ACCOUNT: KeyPairOwner = { account: true };

export async function findKeyPair(db: Db | Trx, owner: KeyPairOwner = ACCOUNT): Promise<KeyPairRow | undefined> {
  if ('account' in owner) return db.selectFrom('destination_key_pairs').select(['public_key', 'private_key']).where('id', '=', KEY_PAIR_ID).executeTakeFirst();
  return db.selectFrom('destination_environment_key_pairs').select(['public_key', 'private_key']).where('environment_id', '=', owner.environmentId).executeTakeFirst();
}

/** The public keys a Snowflake destination of the environment may name: the account's pair's and the environment's. */
export async function snowflakePublicKeys(db: Db | Trx, environmentId: string): Promise<string[]> {
  const pairs = await Promise.all([findKeyPair(db), findKeyPair(db, { environmentId })]);
  return pairs.filter((pair) => pair !== undefined).map((pair) => pair.public_key);
}

const generateRsa = promisify(crypto.generateKeyPair);

/** A new 2048-bit RSA key pair as PEM (SPKI public, PKCS#8 private): what Snowflake's key-pair authentication takes. */
export async function newKeyPair(): Promise<{ publicKey: string; privateKey: string }> {
  return generateRsa('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

export type NewKeyPair = Awaited<ReturnType<typeof newKeyPair>>;

/** A pair for an owner that has none yet, made before the writing transaction (it takes a while); undefined when it has one. */
export async function pairToKeep(db: Db, owner: KeyPairOwner): Promise<NewKeyPair | undefined> {
  return (await findKeyPair(db, owner)) ? undefined : newKeyPair();
}

/**
 * The owner's public key, keeping `pair` as its pair when it has none: a pair is made once and kept, since a new one
 * would lock out the Snowflake users set up with the old. When two calls race, the first to write wins and both
 * answer its key; `created` says whether this call's pair was kept (and so is to be audited).
 */
export async function keepKeyPair(trx: Trx, owner: KeyPairOwner, pair: NewKeyPair | undefined, now: number): Promise<{ publicKey: string; created: boolean }> {
  const existing = await findKeyPair(trx, owner);
  if (existing) return { publicKey: existing.public_key, created: false };
  const made = pair ?? (await newKeyPair());
  const keys = { public_key: made.publicKey, private_key: made.privateKey, created_at: now };
  const inserted =
    'account' in owner
      ? await trx.insertInto('destination_key_pairs').values({ id: KEY_PAIR_ID, ...keys }).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst()
      : await trx.insertInto('destination_environment_key_pairs').values({ environment_id: owner.environmentId, ...keys }).onConflict((oc) => oc.column('environment_id').doNothing()).executeTakeFirst();
  const created = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  return { publicKey: created ? made.publicKey : (await findKeyPair(trx, owner))!.public_key, created };
}

// ---- Warehouse setups waiting to be completed ----

export type SetupRow = DestinationSetupsTable;

/** The environment's setup of `kind` waiting to be completed, locked until commit on PostgreSQL when `lock` names the store. */
export async function findSetup(db: Db | Trx, environmentId: string, kind: string, lock?: Pick<Store, 'kind'>): Promise<SetupRow | undefined> {
  let query = db.selectFrom('destination_setups').selectAll().where('environment_id', '=', environmentId).where('kind', '=', kind);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}
