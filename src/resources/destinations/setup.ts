// Warehouse destination setup (pure): the setup request's fields and their checks for each warehouse kind, the object
// names it defaults (from the project and environment keys), the SQL script that prepares the warehouse (Snowflake:
// a role, warehouse, database, schema and a service user signing in with the environment's public key; Redshift: a
// schema, a user and a role), the Redshift IAM policies, and the destination config a completed setup makes.
import { Type, type Static } from '@sinclair/typebox';
import type { FieldError } from '../../http/errors.js';
import { awsTrustPolicy, DestinationName, pemBody, type DestinationPlace } from './model.js';

/** The kinds a setup script is made for. LaunchDarkly lists clickhouse too, which no Destination kind is (see refusedKind). */
export const SETUP_KINDS = ['snowflake-v2', 'redshift'] as const;
export type SetupKind = (typeof SETUP_KINDS)[number];

/** The spec's warehouseSetupScriptPostBody: every member optional. */
export const SetupBody = Type.Object(
  {
    name: Type.Optional(DestinationName),
    snowflakeHostAddress: Type.Optional(Type.String()),
    databaseName: Type.Optional(Type.String()),
    warehouseName: Type.Optional(Type.String()),
    roleName: Type.Optional(Type.String()),
    schemaName: Type.Optional(Type.String()),
    userName: Type.Optional(Type.String()),
    includeNetworkPolicy: Type.Optional(Type.Boolean()),
    clusterIdentifier: Type.Optional(Type.String()),
    clusterRegion: Type.Optional(Type.String()),
    clusterAwsAccountId: Type.Optional(Type.String()),
    endpoint: Type.Optional(Type.String()),
    clickHouseDatabaseName: Type.Optional(Type.String()),
    clickHouseUserName: Type.Optional(Type.String()),
    clickHouseS3BucketName: Type.Optional(Type.String()),
    clickHouseIncludeHostRestriction: Type.Optional(Type.Boolean()),
    clickHouseServiceRoleArn: Type.Optional(Type.String()),
    clickHousePassword: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type SetupBody = Static<typeof SetupBody>;

/** The spec's completeSetupPostBody (publicKey), and the Snowflake host address its description says it provides. */
export const CompleteSetupBody = Type.Object({ publicKey: Type.Optional(Type.String()), snowflakeHostAddress: Type.Optional(Type.String()) }, { additionalProperties: false });
export type CompleteSetupBody = Static<typeof CompleteSetupBody>;

/** The members each kind's setup takes (besides name). */
const KIND_FIELDS: Record<SetupKind, readonly (keyof SetupBody)[]> = {
  'snowflake-v2': ['snowflakeHostAddress', 'databaseName', 'warehouseName', 'roleName', 'schemaName', 'userName', 'includeNetworkPolicy'],
  redshift: ['databaseName', 'roleName', 'schemaName', 'userName', 'clusterIdentifier', 'clusterRegion', 'clusterAwsAccountId', 'endpoint'],
};
const CLICKHOUSE_FIELDS = ['clickHouseDatabaseName', 'clickHouseUserName', 'clickHouseS3BucketName', 'clickHouseIncludeHostRestriction', 'clickHouseServiceRoleArn', 'clickHousePassword'];

/** The warehouse objects a script names. */
export type ObjectNames = Record<'databaseName' | 'schemaName' | 'roleName' | 'userName', string> & { warehouseName?: string };

/** What a setup keeps until it is completed: its name, object names and the kind's connection details. */
export interface SetupDoc {
  name: string;
  names: ObjectNames;
  snowflakeHostAddress?: string;
  includeNetworkPolicy?: boolean;
  clusterIdentifier?: string;
  clusterRegion?: string;
  clusterAwsAccountId?: string;
  endpoint?: string;
  s3BucketName?: string;
}

/** An unquoted identifier (Snowflake's and Redshift's rules, Redshift's length): safe in a script as it stands. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,126}$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:\d{1,5})?$/;
const CLUSTER = /^[a-z][a-z0-9-]{0,62}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** The path's kind: a 400 for one no setup is made for. */
export function setupKindProblem(kind: string, allowed: readonly string[]): FieldError | undefined {
  if (kind === 'clickhouse') return { attribute: 'kind', reason: 'clickhouse destinations are not kept by iterlab (no Data Export destination kind is clickhouse)' };
  if (!allowed.includes(kind)) return { attribute: 'kind', reason: `must be one of ${allowed.join(', ')}, not "${kind.slice(0, 40)}"` };
  return undefined;
}

/** Every problem with a setup body for `kind` beyond its schema: members of another kind, names that are not identifiers. */
export function setupProblems(kind: SetupKind, body: SetupBody): FieldError[] {
  const problems: FieldError[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (value === undefined || field === 'name') continue;
    if (CLICKHOUSE_FIELDS.includes(field)) problems.push({ attribute: field, reason: `applies to clickhouse destinations, not ${kind}` });
    else if (!(KIND_FIELDS[kind] as readonly string[]).includes(field)) problems.push({ attribute: field, reason: `applies to ${kind === 'redshift' ? 'snowflake-v2' : 'redshift'} destinations, not ${kind}` });
  }
  for (const field of ['databaseName', 'warehouseName', 'roleName', 'schemaName', 'userName'] as const) {
    const value = body[field];
    if (value !== undefined && !IDENTIFIER.test(value)) problems.push({ attribute: field, reason: 'must be an unquoted identifier: a letter or _, then letters, digits, _ or $ (at most 127)' });
  }
  const patterns: [keyof SetupBody, RegExp, string][] = [
    ['snowflakeHostAddress', HOST, 'must be a host name such as acme-xy12345.snowflakecomputing.com'],
    ['endpoint', HOST, 'must be a host name (and port) such as examplecluster.abc123.us-west-2.redshift.amazonaws.com:5439'],
    ['clusterIdentifier', CLUSTER, 'must be a Redshift cluster identifier: lower-case letters, digits and hyphens, starting with a letter'],
    ['clusterRegion', REGION, 'must be an AWS region such as us-west-2'],
    ['clusterAwsAccountId', ACCOUNT_ID, 'must be a 12-digit AWS account id'],
  ];
  for (const [field, pattern, reason] of patterns) {
    const value = body[field];
    if (typeof value === 'string' && !pattern.test(value)) problems.push({ attribute: field, reason });
  }
  return problems.filter((p, i) => problems.findIndex((q) => q.attribute === p.attribute) === i);
}

/** The project and environment keys as an identifier's part: `shop`, `production` -> `SHOP__PRODUCTION`. */
function placeSuffix(place: DestinationPlace, upper: boolean): string {
  const part = (key: string) => key.replace(/[^A-Za-z0-9_]/g, '_');
  const suffix = `${part(place.projectKey)}__${part(place.environmentKey)}`.slice(0, 90);
  return upper ? suffix.toUpperCase() : suffix.toLowerCase();
}

/** The object names a setup uses: those sent, the others defaulted per environment (so that two environments' setups never share a user). */
export function objectNames(kind: SetupKind, place: DestinationPlace, body: SetupBody): ObjectNames {
  if (kind === 'snowflake-v2') {
    const suffix = placeSuffix(place, true);
    return {
      databaseName: body.databaseName ?? 'LD_EXPORT',
      schemaName: body.schemaName ?? `EXPORT_${suffix}`,
      warehouseName: body.warehouseName ?? 'LD_EXPORT_WH',
      roleName: body.roleName ?? `LD_EXPORT_ROLE_${suffix}`,
      userName: body.userName ?? `LD_EXPORT_USER_${suffix}`,
    };
  }
  const suffix = placeSuffix(place, false);
  return {
    databaseName: body.databaseName ?? 'dev',
    schemaName: body.schemaName ?? `ld_export_${suffix}`,
    roleName: body.roleName ?? `ld_export_role_${suffix}`,
    userName: body.userName ?? `ld_export_user_${suffix}`,
  };
}

/** The staging bucket of an environment's Redshift export: named after the environment's id (3 to 63 lower-case characters). */
export function stagingBucket(environmentId: string): string {
  return `ld-export-${environmentId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`.slice(0, 63);
}

/**
 * No address is routed to 192.0.2.1 (TEST-NET-1, RFC 5737): iterlab connects to no warehouse, so the network rule it
 * writes admits no one until its address is replaced by the one the exports will come from.
 */
export const NETWORK_RULE_ADDRESS = '192.0.2.1';

function header(warehouse: string, place: DestinationPlace): string[] {
  return [`-- LaunchDarkly Data Export to ${warehouse}: project ${place.projectKey}, environment ${place.environmentKey}.`];
}

/** The Snowflake script: run as ACCOUNTADMIN, it makes the objects and a service user that signs in with `publicKeyPem`'s key. */
export function snowflakeScript(place: DestinationPlace, names: ObjectNames, publicKeyPem: string, includeNetworkPolicy: boolean): string {
  const { databaseName: db, schemaName, warehouseName: wh = 'LD_EXPORT_WH', roleName: role, userName: user } = names;
  const schema = `${db}.${schemaName}`;
  const lines = [
    ...header('Snowflake', place),
    '-- Run as a user with the ACCOUNTADMIN role.',
    'USE ROLE ACCOUNTADMIN;',
    `CREATE ROLE IF NOT EXISTS ${role};`,
    `CREATE WAREHOUSE IF NOT EXISTS ${wh} WAREHOUSE_SIZE = XSMALL AUTO_SUSPEND = 60 AUTO_RESUME = TRUE INITIALLY_SUSPENDED = TRUE;`,
    `CREATE DATABASE IF NOT EXISTS ${db};`,
    `CREATE SCHEMA IF NOT EXISTS ${schema};`,
    `GRANT USAGE ON WAREHOUSE ${wh} TO ROLE ${role};`,
    `GRANT USAGE ON DATABASE ${db} TO ROLE ${role};`,
    `GRANT USAGE, CREATE TABLE, CREATE STAGE ON SCHEMA ${schema} TO ROLE ${role};`,
    `CREATE USER IF NOT EXISTS ${user} TYPE = SERVICE DEFAULT_ROLE = ${role} DEFAULT_WAREHOUSE = ${wh} DEFAULT_NAMESPACE = ${schema};`,
    `ALTER USER ${user} SET RSA_PUBLIC_KEY = '${pemBody(publicKeyPem)}';`,
    `GRANT ROLE ${role} TO USER ${user};`,
  ];
  if (includeNetworkPolicy) {
    lines.push(
      `-- Admits ${NETWORK_RULE_ADDRESS} (a documentation address no one connects from): replace it with the address the exports come from.`,
      `CREATE NETWORK RULE IF NOT EXISTS ${schema}.LD_DATA_EXPORT_NETWORK_RULE TYPE = IPV4 MODE = INGRESS VALUE_LIST = ('${NETWORK_RULE_ADDRESS}');`,
      `CREATE NETWORK POLICY IF NOT EXISTS LD_DATA_EXPORT_NETWORK_POLICY_${schemaName} ALLOWED_NETWORK_RULE_LIST = ('${schema}.LD_DATA_EXPORT_NETWORK_RULE');`,
      `ALTER USER ${user} SET NETWORK_POLICY = LD_DATA_EXPORT_NETWORK_POLICY_${schemaName};`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The Redshift script: run as a superuser connected to the database, it makes the schema, a role with its privileges and a user (no password: IAM credentials). */
export function redshiftScript(place: DestinationPlace, names: ObjectNames): string {
  const { databaseName: db, schemaName: schema, roleName: role, userName: user } = names;
  const lines = [
    ...header('Amazon Redshift', place),
    `-- Run as a superuser connected to the database ${db}.`,
    `CREATE SCHEMA IF NOT EXISTS ${schema};`,
    `CREATE ROLE ${role};`,
    `GRANT USAGE, CREATE ON SCHEMA ${schema} TO ROLE ${role};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ROLE ${role};`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ROLE ${role};`,
    `CREATE USER ${user} PASSWORD DISABLE;`,
    `GRANT ROLE ${role} TO ${user};`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The Redshift script of a destination's config, when its names are still identifiers (a patch may have changed them). */
export function redshiftScriptOf(place: DestinationPlace, config: Record<string, unknown>): string | undefined {
  const names = ['databaseName', 'schemaName', 'roleName', 'userName'].map((field) => config[field]);
  if (!names.every((name) => typeof name === 'string' && IDENTIFIER.test(name))) return undefined;
  const [databaseName, schemaName, roleName, userName] = names as string[];
  return redshiftScript(place, { databaseName, schemaName, roleName, userName });
}

/**
 * The IAM policies of a Redshift export, as JSON text: what the exporting role may do (cluster credentials for the
 * user and database, the staging bucket), and who may assume it (the environment's trust policy: see awsTrustPolicy).
 */
export function redshiftPolicies(doc: SetupDoc, environmentId: string): { permissions: string; trust: string } | undefined {
  const { clusterIdentifier: cluster, clusterRegion: region, clusterAwsAccountId: account, s3BucketName: bucket } = doc;
  if (cluster === undefined || region === undefined || account === undefined || bucket === undefined) return undefined;
  const permissions = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['redshift:GetClusterCredentials'],
        Resource: [`arn:aws:redshift:${region}:${account}:dbuser:${cluster}/${doc.names.userName}`, `arn:aws:redshift:${region}:${account}:dbname:${cluster}/${doc.names.databaseName}`],
      },
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [`arn:aws:s3:::${bucket}/*`] },
    ],
  };
  return { permissions: JSON.stringify(permissions, null, 2), trust: JSON.stringify(awsTrustPolicy(environmentId), null, 2) };
}

/** The config of the destination a completed setup makes. */
export function completedConfig(kind: SetupKind, doc: SetupDoc, publicKey: string, snowflakeHostAddress: string | undefined): Record<string, unknown> {
  if (kind === 'snowflake-v2') return { publicKey, snowflakeHostAddress, ...doc.names };
  const optional = { endpoint: doc.endpoint, clusterIdentifier: doc.clusterIdentifier, clusterRegion: doc.clusterRegion, clusterAwsAccountId: doc.clusterAwsAccountId };
  return { ...doc.names, s3BucketName: doc.s3BucketName, ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
}
