// The Destination, Destinations, GenerateWarehouseDestinationKeyPairPostRep, GenerateTrustPolicyPostRep and
// WarehouseDestinationSetupScriptRep representations, and the audit entry of each change to a destination: the only code that builds their JSON.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { awsTrustPolicy, destinationDoc, DESTINATIONS_URL, maskConfig, pemBody, type DestinationPlace, type DestinationRow } from './model.js';
import { redshiftScriptOf } from './setup.js';

export function destinationPath(place: DestinationPlace, id: string): string {
  return `${DESTINATIONS_URL}/${place.projectKey}/${place.environmentKey}/${id}`;
}

/** A destination as every read and write answers it: its secrets masked; when it was made and (2026-07) its maintainer, the member who made it. */
export function representDestination(row: DestinationRow, place: DestinationPlace): Record<string, unknown> {
  const doc = destinationDoc(row);
  return {
    _id: row.id,
    _links: { parent: link(DESTINATIONS_URL), self: link(destinationPath(place, row.id)) },
    name: doc.name,
    kind: row.kind,
    version: doc.version,
    config: maskConfig(doc.config),
    on: doc.on,
    createdAt: Number(row.created_at),
    ...(doc.maintainerId !== undefined ? { maintainerId: doc.maintainerId } : {}),
    ...completedArtifacts(row.kind, doc.config, place),
  };
}

/** A Redshift destination a setup made: its script again, from the names its config keeps, and its staging bucket. */
function completedArtifacts(kind: string, config: Record<string, unknown>, place: DestinationPlace): Record<string, unknown> {
  if (kind !== 'redshift' || typeof config.s3BucketName !== 'string') return {};
  const script = redshiftScriptOf(place, config);
  return { completedArtifacts: { ...(script !== undefined ? { sqlSetupScript: script } : {}), s3BucketName: config.s3BucketName } };
}

export function representDestinations(items: Record<string, unknown>[]): Record<string, unknown> {
  return { _links: { self: link(DESTINATIONS_URL) }, items };
}

/** The resource specifier LaunchDarkly's roles name a destination by: `proj/p:env/e:destination/id`. */
export function destinationResource(place: DestinationPlace, id: string): string {
  return `proj/${place.projectKey}:env/${place.environmentKey}:destination/${id}`;
}

/** The entry for `action` on the destination; before and after are representations, so secrets stay masked. */
export function destinationAudit(row: DestinationRow, place: DestinationPlace, action: string, verb: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  const name = destinationDoc(row).name;
  return {
    kind: 'destination',
    resource: destinationResource(place, row.id),
    action,
    name,
    description: `${verb} the ${row.kind} Data Export destination ${name} in ${place.environmentKey}`,
    projectKey: place.projectKey,
    ...extra,
  };
}

/** The public half of a key pair: as PEM, and as the bare base64 text Snowflake's `RSA_PUBLIC_KEY` takes. */
export function representKeyPair(publicKeyPem: string): Record<string, unknown> {
  return { public_key: publicKeyPem, public_key_pkcs8: pemBody(publicKeyPem) };
}

/**
 * The entry of a key pair's making, on the destinations the custom-role resource it asks for names: every
 * environment's for the account's pair, the environment's (`place`) for its own.
 */
export function keyPairAudit(publicKeyPem: string, place?: DestinationPlace): AuditEntry {
  return {
    kind: 'destination',
    resource: place ? destinationResource(place, '*') : 'proj/*:env/*:destination/*',
    action: 'createDestination',
    name: 'Snowflake key pair',
    description: place ? `generated the Snowflake destination key pair of ${place.environmentKey}` : "generated the account's Snowflake destination key pair",
    after: { public_key: publicKeyPem },
    ...(place ? { projectKey: place.projectKey } : {}),
  };
}

/** An AWS trust policy for a Kinesis destination's role: see awsTrustPolicy. */
export function representTrustPolicy(externalId: string): Record<string, unknown> {
  return { awsTrustPolicy: awsTrustPolicy(externalId) };
}

/** The answer of a setup: the script, and the kind's other parts (Snowflake's public key, Redshift's bucket and policies). */
export function representSetupScript(script: string, parts: { publicKeyPem?: string; s3BucketName?: string; policies?: { permissions: string; trust: string } }): Record<string, unknown> {
  return {
    script,
    ...(parts.publicKeyPem !== undefined ? { publicKey: parts.publicKeyPem, publicKeyPkcs8: pemBody(parts.publicKeyPem) } : {}),
    ...(parts.s3BucketName !== undefined ? { s3BucketName: parts.s3BucketName } : {}),
    ...(parts.policies ? { redshiftIAMPermissionsPolicy: parts.policies.permissions, redshiftIAMTrustPolicy: parts.policies.trust } : {}),
  };
}

/** The entry of a setup script's making: on the environment's destinations, the custom-role resource it asks for. */
export function setupAudit(kind: string, name: string, place: DestinationPlace): AuditEntry {
  return {
    kind: 'destination',
    resource: destinationResource(place, '*'),
    action: 'createDestination',
    name,
    description: `generated the ${kind} warehouse setup script of ${name} in ${place.environmentKey}`,
    projectKey: place.projectKey,
  };
}
