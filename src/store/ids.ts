// Identifier formats LaunchDarkly uses: 24-hex ObjectIds for most resources, UUIDs for variations, rules, clauses.
import crypto from 'node:crypto';

let counter = crypto.randomInt(0, 0xffffff);
const processPart = crypto.randomBytes(5).toString('hex');

/** A MongoDB-style ObjectId: 4 bytes of seconds, 5 random bytes per process, a 3-byte counter. */
export function objectId(now = Date.now()): string {
  counter = (counter + 1) & 0xffffff;
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, '0');
  return seconds + processPart + counter.toString(16).padStart(6, '0');
}

export function uuid(): string {
  return crypto.randomUUID();
}

/** 32 hex characters, as LaunchDarkly's flag salts and `sel` values. */
export function hex32(): string {
  return crypto.randomBytes(16).toString('hex');
}
