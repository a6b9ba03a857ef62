// The Destination, Destinations, GenerateWarehouseDestinationKeyPairPostRep and GenerateTrustPolicyPostRep
// representations, and the audit entry of each change to a destination: the only code that builds their JSON.
import { link } from '../../http/links.js';
import type { AuditEntry } from '../audit-log/record.js';
import { destinationDoc, DESTINATIONS_URL, maskConfig, pemBody, type DestinationPlace, type DestinationRow } from './model.js';

export function destinationPath(place: DestinationPlace, id: string): string {
  return `${DESTINATIONS_URL}/${place.projectKey}/${place.environmentKey}/${id}`;
}

/** A destination as every read and write answers it: its secrets masked. */
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
  };
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

/** The public half of the key pair: as PEM, and as the bare base64 text Snowflake's `RSA_PUBLIC_KEY` takes. */
export function representKeyPair(publicKeyPem: string): Record<string, unknown> {
  return { public_key: publicKeyPem, public_key_pkcs8: pemBody(publicKeyPem) };
}

/** The entry of the key pair's making: on every environment's destinations, the custom-role resource it asks for. */
export function keyPairAudit(publicKeyPem: string): AuditEntry {
  return {
    kind: 'destination',
    resource: 'proj/*:env/*:destination/*',
    action: 'createDestination',
    name: 'Snowflake key pair',
    description: "generated the account's Snowflake destination key pair",
    after: { public_key: publicKeyPem },
  };
}

/**
 * No AWS account has the id 000000000000: iterlab never assumes the role, so the policy it writes trusts no one
 * until its principal is replaced by the account that will write to the stream.
 */
export const TRUST_POLICY_PRINCIPAL = 'arn:aws:iam::000000000000:root';

/** An AWS trust policy letting the principal assume the role, only with the environment's external id. */
export function representTrustPolicy(externalId: string): Record<string, unknown> {
  return {
    awsTrustPolicy: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Principal: { AWS: TRUST_POLICY_PRINCIPAL },
          Condition: { StringEquals: { 'sts:ExternalId': externalId } },
        },
      ],
    },
  };
}
