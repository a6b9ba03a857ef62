// Enforcing the IP allowlist at the edge: REST requests authenticated by an access token are refused (403) from an
// address outside every entry while apiTokenAllowlistEnabled is on. The allowlist is read once and cached until an
// allowlist write on any instance (the change bus, kind `ip-allowlist`); the SDK routes never ask.
import { forbidden, type ApiError } from '../../http/errors.js';
import { ChangeCache, type ChangeBus } from '../../store/changes.js';
import type { Db } from '../../store/db.js';
import { allowlistMatcher, listEntries, readConfig } from './model.js';

/**
 * The address a request came from, an IPv4-mapped IPv6 one (`::ffff:203.0.113.9`, a dual-stack listener's) as IPv4;
 * empty when the connection has none (a Unix socket), which no entry includes.
 */
export function clientAddress(address: string | undefined): string {
  if (!address) return '';
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}

export function outsideAllowlist(address: string): ApiError {
  const named = address === '' ? 'an unknown IP address' : `the IP address ${address}`;
  return forbidden(`Forbidden. Requests from ${named} are not allowed: it is outside every entry of the account's IP allowlist`);
}

/** undefined: not enforced; otherwise whether an address is allowed. */
type Enforced = ((address: string) => boolean) | undefined;

export class IpAllowlistGuard {
  private readonly cache: ChangeCache<Enforced>;

  constructor(
    private readonly db: Db,
    bus: ChangeBus,
  ) {
    this.cache = new ChangeCache(bus, { affectedBy: (notice) => notice.kind === 'ip-allowlist', maxEntries: 1 });
  }

  /**
   * Throws the 403 when the allowlist is enforced and `address` is outside it: at once while the allowlist is cached
   * (then it returns undefined, as on every request but the first after a change), else once it is read.
   */
  check(remoteAddress: string | undefined): Promise<void> | undefined {
    const cached = this.cache.peek('allowlist');
    if (cached) return refuseOutside(cached.value, remoteAddress);
    return this.cache
      .get('allowlist', async () => {
        const config = await readConfig(this.db);
        if (!config.apiTokenAllowlistEnabled) return undefined;
        return allowlistMatcher((await listEntries(this.db)).map((row) => row.ip_address));
      })
      .then((allows) => refuseOutside(allows, remoteAddress));
  }
}

function refuseOutside(allows: Enforced, remoteAddress: string | undefined): undefined {
  if (!allows) return undefined;
  const address = clientAddress(remoteAddress);
  if (!allows(address)) throw outsideAllowlist(address);
  return undefined;
}
