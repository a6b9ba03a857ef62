// Applications added as the SDKs name them (X-LaunchDarkly-Tags), at the cost of a set lookup per SDK request: this
// instance remembers which applications, versions and evaluated flags are stored, and writes only what it has not
// seen. Deleting an application or version (here or on another instance, through the change bus) makes it forget
// everything, so that the next request naming one writes it again.
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { ChangeBus } from '../../store/changes.js';
import type { Store, Trx } from '../../store/db.js';
import { recordApplicationFlags, recordSeenApplication, seenApplication, type ApplicationKind, type SeenApplication } from './model.js';

/** Beyond this many remembered keys the set starts again (each forgotten key costs one write that changes nothing). */
const MAX_REMEMBERED = 100_000;

/**
 * The kind of application an SDK request comes from: the mobile SDKs' routes (mobile key) are mobile, the client-side
 * ID's are the browser SDKs', and the SDK key's are server-side SDKs'.
 */
function kindOf(request: FastifyRequest): ApplicationKind {
  const client = request.clientEnvironment;
  if (!client) return 'server';
  return client.kind === 'mobile' ? 'mobile' : 'browser';
}

/** The flags an events payload reports an application evaluating, written in that payload's transaction. */
export interface ApplicationFlagsNote {
  /** Writes the pairs this instance does not know of. */
  record(trx: Trx, environmentId: string, flagKeys: Iterable<string>): Promise<void>;
  /** The transaction committed: remember what it wrote. */
  committed(): void;
}

export class ApplicationSightings {
  private readonly known = new Set<string>();
  /** Keys being written now: a burst of requests from a new application writes it once. */
  private readonly writing = new Set<string>();
  /** One more each time the set is forgotten: a write that began before does not remember what it wrote. */
  private generation = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly bus: ChangeBus,
    private readonly now: () => number,
    private readonly log: FastifyBaseLogger,
  ) {
    bus.subscribe((notice) => {
      if (notice === null || notice.kind === 'application') this.forget();
    });
  }

  /**
   * onRequest of the SDK routes, after their credential is checked: adds the application the request names, and its
   * version, if this instance has not seen them, after the answer (the request does not wait for the write).
   */
  readonly onRequest = async (request: FastifyRequest): Promise<void> => {
    if (request.headers['x-launchdarkly-tags'] === undefined) return;
    const seen = seenApplication(request.headers, kindOf(request));
    if (seen) this.see(seen);
  };

  /** The note through which an events payload from this request records the flags its application evaluated. */
  flagsNote(request: FastifyRequest): ApplicationFlagsNote | undefined {
    if (request.headers['x-launchdarkly-tags'] === undefined) return undefined;
    const application = seenApplication(request.headers, kindOf(request))?.key;
    if (!application) return undefined;
    const generation = this.generation;
    let written: string[] = [];
    return {
      record: async (trx, environmentId, flagKeys) => {
        const fresh = [...flagKeys].filter((flag) => !this.known.has(flagKey(application, environmentId, flag)));
        if (fresh.length === 0) return;
        await recordApplicationFlags(trx, application, environmentId, fresh);
        written = fresh.map((flag) => flagKey(application, environmentId, flag));
      },
      committed: () => this.remember(written, generation),
    };
  }

  /** Resolves once the writes begun so far have ended (before the store closes). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private see(seen: SeenApplication): void {
    const keys = [applicationKey(seen.key), ...(seen.version ? [versionKey(seen.key, seen.version.key)] : [])];
    if (keys.every((key) => this.known.has(key) || this.writing.has(key))) return;
    for (const key of keys) this.writing.add(key);
    const generation = this.generation;
    const write = this.store
      .tx((trx) => recordSeenApplication(trx, seen, this.now()))
      .then(
        () => this.remember(keys, generation),
        (err: unknown) => this.log.warn({ err, application: seen.key }, 'could not record an application an SDK named'),
      )
      .finally(() => {
        for (const key of keys) this.writing.delete(key);
        this.pending.delete(write);
      });
    this.pending.add(write);
  }

  private remember(keys: readonly string[], generation: number): void {
    // While the bus may miss another instance's deletion, nothing is remembered (it would not be forgotten).
    if (generation !== this.generation || !this.bus.live) return;
    if (this.known.size + keys.length > MAX_REMEMBERED) this.known.clear();
    for (const key of keys) this.known.add(key);
  }

  private forget(): void {
    this.known.clear();
    this.generation += 1;
  }
}

// NUL separates the parts: no tag value or flag key holds one.
const applicationKey = (application: string) => `a\u0000${application}`;
const versionKey = (application: string, version: string) => `v\u0000${application}\u0000${version}`;
const flagKey = (application: string, environmentId: string, flag: string) => `f\u0000${application}\u0000${environmentId}\u0000${flag}`;
