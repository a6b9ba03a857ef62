// The account's IP allowlist (beta) as stored: its entries (an IPv4 or IPv6 address or CIDR block each, with a
// description and who created it) and its settings (an account setting, `ip-allowlist`); the rules an entry's address
// follows, and what an address is allowed by.
import net from 'node:net';
import { Type, type Static } from '@sinclair/typebox';
import { notFound, type FieldError } from '../../http/errors.js';
import { Description } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { IpAllowlistEntriesTable } from '../../store/schema.js';

export type IpAllowlistEntryRow = IpAllowlistEntriesTable;

export interface IpAllowlistEntryDoc {
  description?: string;
  createdByMemberId?: string;
}

/** The settings (patchIpAllowlistConfig). Only apiTokenAllowlistEnabled is enforced: iterlab has no browser sessions. */
export interface IpAllowlistConfig {
  sessionAllowlistEnabled: boolean;
  apiTokenAllowlistEnabled: boolean;
}

export const CONFIG_KEY = 'ip-allowlist';
const DEFAULT_CONFIG: IpAllowlistConfig = { sessionAllowlistEnabled: false, apiTokenAllowlistEnabled: false };

export function entryDoc(row: Pick<IpAllowlistEntryRow, 'doc'>): IpAllowlistEntryDoc {
  return JSON.parse(row.doc) as IpAllowlistEntryDoc;
}

export const CreateIpAllowlistEntryRequest = Type.Object(
  { ipAddress: Type.String({ minLength: 1, maxLength: 64 }), description: Type.Optional(Description) },
  { additionalProperties: false },
);
export type CreateIpAllowlistEntryRequest = Static<typeof CreateIpAllowlistEntryRequest>;

export const PatchIpAllowlistEntryRequest = Type.Object({ description: Description }, { additionalProperties: false });
export type PatchIpAllowlistEntryRequest = Static<typeof PatchIpAllowlistEntryRequest>;

export const PatchIpAllowlistConfigRequest = Type.Object(
  { sessionAllowlistEnabled: Type.Optional(Type.Boolean()), apiTokenAllowlistEnabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type PatchIpAllowlistConfigRequest = Static<typeof PatchIpAllowlistConfigRequest>;

/** An address or block as numbers: its family, its network (as a number) and its prefix length. */
interface Block {
  family: 'ipv4' | 'ipv6';
  network: string;
  prefix: number;
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(address: string): bigint {
  // An IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  let text = address;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = ipv4Value(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const groups = rest === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/**
 * The block `ipAddress` names (an address alone is a block of one), or why it names none: IPv4 or IPv6, an optional
 * `/prefix` within the family's width, and no bits set past the prefix (`10.1.2.3/8` is refused, naming `10.0.0.0/8`).
 */
export function parseBlock(ipAddress: string): Block | FieldError {
  const bad = (reason: string): FieldError => ({ attribute: 'ipAddress', reason });
  const [address, prefixText, extra] = ipAddress.split('/');
  if (extra !== undefined) return bad(`"${ipAddress}" is not an IP address or CIDR block (one "/" at most)`);
  const version = address.includes('%') ? 0 : net.isIP(address);
  if (version === 0) return bad(`"${ipAddress}" is not an IPv4 or IPv6 address or CIDR block (such as 203.0.113.0/24 or 2001:db8::/32)`);
  const width = version === 4 ? 32 : 128;
  let prefix = width;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > width) return bad(`"${ipAddress}": the prefix length must be a whole number from 0 to ${width}`);
    prefix = Number(prefixText);
  }
  const value = version === 4 ? ipv4Value(address) : ipv6Value(address);
  const hostBits = BigInt(width - prefix);
  const network = (value >> hostBits) << hostBits;
  if (network !== value) {
    return bad(`"${ipAddress}" has bits set past its /${prefix} prefix; the block is ${formatNetwork(version, network)}/${prefix}`);
  }
  return { family: version === 4 ? 'ipv4' : 'ipv6', network: network.toString(), prefix };
}

function formatNetwork(version: 4 | 6 | number, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const groups = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16));
  return new net.SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

/** What two entries that name the same block share (`2001:DB8::/32` and `2001:db8:0::/32`, say). */
export function blockKey(block: Block): string {
  return `${block.family}/${block.network}/${block.prefix}`;
}

function networkText(block: Block): string {
  return formatNetwork(block.family === 'ipv4' ? 4 : 6, BigInt(block.network));
}

/** The entries as one matcher: does an address (IPv4, IPv6, IPv4-mapped IPv6) fall in any of them? */
export function allowlistMatcher(ipAddresses: readonly string[]): (address: string) => boolean {
  const list = new net.BlockList();
  for (const ipAddress of ipAddresses) {
    const block = parseBlock(ipAddress);
    if ('attribute' in block) continue;
    list.addSubnet(networkText(block), block.prefix, block.family);
  }
  return (address) => {
    const version = net.isIP(address);
    return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
}

/** The settings as stored, or the defaults (nothing enabled) before any change. */
export async function readConfig(db: Db | Trx): Promise<IpAllowlistConfig> {
  const row = await db.selectFrom('account_settings').select('doc').where('key', '=', CONFIG_KEY).executeTakeFirst();
  return row ? { ...DEFAULT_CONFIG, ...(JSON.parse(row.doc) as Partial<IpAllowlistConfig>) } : { ...DEFAULT_CONFIG };
}

/**
 * The settings, locked until commit: every write to the allowlist takes this lock first (the row is made if missing),
 * so that two writes cannot each leave the other's caller outside (on SQLite writers are serialized anyway).
 */
export async function lockConfig(trx: Trx, store: Pick<Store, 'kind'>, now: number): Promise<IpAllowlistConfig> {
  await trx
    .insertInto('account_settings')
    .values({ key: CONFIG_KEY, doc: JSON.stringify(DEFAULT_CONFIG), updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  let query = trx.selectFrom('account_settings').select('doc').where('key', '=', CONFIG_KEY);
  if (store.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirstOrThrow();
  return { ...DEFAULT_CONFIG, ...(JSON.parse(row.doc) as Partial<IpAllowlistConfig>) };
}

export async function writeConfig(trx: Trx, config: IpAllowlistConfig, now: number): Promise<void> {
  await trx.updateTable('account_settings').set({ doc: JSON.stringify(config), updated_at: now }).where('key', '=', CONFIG_KEY).execute();
}

export async function listEntries(db: Db | Trx): Promise<IpAllowlistEntryRow[]> {
  return db.selectFrom('ip_allowlist_entries').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function findEntry(db: Db | Trx, id: string): Promise<IpAllowlistEntryRow> {
  const row = await db.selectFrom('ip_allowlist_entries').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`IP allowlist entry "${id}"`);
  return row;
}
