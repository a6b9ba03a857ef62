// Nobody locks themselves out: a write that would leave the allowlist enforced without an entry that includes the
// caller's own address is refused (409), whether it turns enforcement on or deletes the entry that let the caller in.
import type { FastifyRequest } from 'fastify';
import { conflict } from '../../http/errors.js';
import { clientAddress } from './guard.js';
import { allowlistMatcher } from './model.js';

/** The caller's address as the edge checks it. */
export function callerAddress(request: FastifyRequest): string {
  return clientAddress(request.ip);
}

/** Throws the 409 (`why` says what was asked) when an enforced allowlist of `ipAddresses` would exclude `address`. */
export function refuseLockout(enforced: boolean, ipAddresses: readonly string[], address: string, why: string): void {
  if (!enforced || allowlistMatcher(ipAddresses)(address)) return;
  const own = address === '' ? 'your own connection (it has no IP address)' : `your own IP address ${address}`;
  throw conflict(`${why} would lock out ${own}: no entry of the allowlist would include it. Add an entry that includes it first`);
}
