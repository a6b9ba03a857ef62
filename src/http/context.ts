// What every handler may rely on: the authenticated actor, the API version asked for, and route declarations.
import type { Config } from '../config.js';
import type { ChangeBus } from '../store/changes.js';
import type { Store } from '../store/db.js';
import type { Catalog } from '../resources/catalog.js';
import type { TokenUsage } from '../resources/tokens/usage.js';
import type { ResponseCache } from './responseCache.js';
import type { Policy } from '../resources/custom-roles/policy.js';

export type Role = 'reader' | 'writer' | 'admin';
export const ROLES: Role[] = ['reader', 'writer', 'admin'];

export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}

export interface Actor {
  tokenId: string;
  memberId: string;
  role: Role;
  tokenName: string | undefined;
  serviceToken: boolean;
  defaultApiVersion: number;
  /** Present for a token governed by custom or inline roles: it decides instead of `role` (then `reader`). */
  policy?: Policy;
  /** The custom roles (ids) of such a token. */
  customRoleIds?: string[];
}

/** What a route file receives: the store, the configuration, and the clock (tests may fix it). */
export interface Deps {
  store: Store;
  config: Config;
  now: () => number;
  /** The account id (the owner member's id), LaunchDarkly's `ownerId`/`accountId`. */
  accountId: string;
  /** Called after a write commits, so caches elsewhere can drop what changed. */
  changed: (what: ChangeNotice) => void;
  /** Where a cache hears of changes on every instance: build caches as `new ChangeCache(deps.bus, {...})`. */
  bus: ChangeBus;
  /** Cached projects, environments, settings, metrics and metric groups. */
  catalog: Catalog;
  /** Serialized GET answers (experiments), dropped by `changed`. */
  responses: ResponseCache;
  /** When each access token was last used (Token.lastUsed). */
  tokenUsage: TokenUsage;
}

export interface ChangeNotice {
  kind: 'token' | 'custom-role' | 'project' | 'environment' | 'flag' | 'segment' | 'metric' | 'metric-group' | 'experiment' | 'settings' | 'layer' | 'relay-auto-config' | 'application' | 'ip-allowlist';
  projectId?: string;
  id?: string;
  /**
   * 'draft': only the experiment's draft iteration changed (create iteration), not the experiment itself. An
   * instance that does not know the field takes the notice for a change of the whole experiment, which is safe.
   */
  part?: 'draft';
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    apiVersion: string;
  }
  interface FastifyContextConfig {
    /** Minimum role; defaults to reader for GET/HEAD and writer otherwise. */
    role?: Role;
    /** Beta resources answer 403 unless `LD-API-Version: beta` is sent. */
    beta?: boolean;
    /**
     * The operation documents its 400 as ValidationFailedErrorRep (the Insights APIs): every 400 body carries `errors`,
     * one naming the field its message starts with when the error listed none (an unknown LD-API-Version, say).
     */
    validationErrors?: boolean;
    /** No token needed (health checks, metrics). */
    public?: boolean;
    /** The SDKs' protocol: authenticated by an environment's SDK key (src/sdk), not by an access token. */
    sdkKey?: boolean;
    /** The operation takes no body: an empty one is accepted whatever Content-Type a client labels it with. */
    noBody?: boolean;
    /** The operation's body is optional: none, an empty one labelled JSON, and `null` are `{}` (edge.ts), not a 400. */
    optionalBody?: boolean;
    /** The operation takes a `multipart/form-data` upload, handed to it as text. */
    multipart?: boolean;
    /** The body is handed over as text, whatever its Content-Type, and unparsed (a flag trigger's URL takes what alerting tools send). */
    rawBody?: boolean;
  }
}
