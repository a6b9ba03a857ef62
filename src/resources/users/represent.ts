// The only code that renders the Users API's representations: UserRecord (its `user` in LaunchDarkly's legacy user
// format), the Users and UsersRep collections, and UserAttributeNamesRep.
import { link, siteLink, type Link } from '../../http/links.js';
import { compareText } from '../../store/reads.js';
import { isObject } from '../../http/patch/resourcePatch.js';
import type { ContextView, Where } from '../contexts/search.js';

/** The legacy user's built-in attributes and their types; any other attribute (or one of another type) is custom. */
const BUILT_IN: Record<string, 'string' | 'boolean'> = {
  key: 'string',
  secondary: 'string',
  ip: 'string',
  country: 'string',
  email: 'string',
  firstName: 'string',
  lastName: 'string',
  avatar: 'string',
  name: 'string',
  anonymous: 'boolean',
};
const STANDARD = Object.keys(BUILT_IN);

/**
 * A stored user context as LaunchDarkly's User: the built-in attributes at the top, every other attribute in
 * `custom` (a context in the SDKs' older user format keeps its own `custom`; a top-level attribute of the same name
 * wins, as the SDKs read them), and the attributes the SDK redacted as `privateAttrs`. `kind` and `_meta` go.
 */
export function userOf(context: Record<string, unknown>): Record<string, unknown> {
  const user: Record<string, unknown> = {};
  const custom: Record<string, unknown> = isObject(context.custom) ? { ...context.custom } : {};
  for (const [name, value] of Object.entries(context)) {
    if (name === 'kind' || name === '_meta' || (name === 'custom' && isObject(value))) continue;
    if (Object.hasOwn(BUILT_IN, name) && typeof value === BUILT_IN[name]) user[name] = value;
    else custom[name] = value;
  }
  if (Object.keys(custom).length > 0) user.custom = custom;
  const meta = context._meta;
  const redacted = isObject(meta) && Array.isArray(meta.redactedAttributes) ? meta.redactedAttributes.filter((a): a is string => typeof a === 'string') : [];
  if (redacted.length > 0) user.privateAttrs = redacted;
  return user;
}

/** A user attribute by name: a built-in one, else a custom one. */
export function userAttribute(user: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(user, name) && name !== 'custom' && name !== 'privateAttrs') return user[name];
  return isObject(user.custom) && Object.hasOwn(user.custom, name) ? user.custom[name] : undefined;
}

const usersPath = (w: Where) => `/api/v2/users/${w.projectKey}/${w.environmentKey}`;

/** UserRecord; `sortValue` only in a list sorted by `sort`. */
export function representUser(w: Where, ids: { environmentId: string; ownerId: string }, view: ContextView, sortValue?: string | number): Record<string, unknown> {
  const key = encodeURIComponent(view.key);
  return {
    lastPing: new Date(view.lastSeen).toISOString(),
    environmentId: ids.environmentId,
    ownerId: ids.ownerId,
    user: userOf(view.context),
    ...(sortValue !== undefined ? { sortValue } : {}),
    _links: {
      parent: link(usersPath(w)),
      self: link(`${usersPath(w)}/${key}`),
      // Typed text/html as LaunchDarkly's own example types it, though it is the JSON of getUserFlagSettings.
      settings: siteLink(`${usersPath(w)}/${key}/flags`),
      site: siteLink(`/${w.projectKey}/${w.environmentKey}/users/${key}`),
    },
  };
}

/** Users and UsersRep: `_links` (self, and next while there are more), `totalCount`, the page's records. */
export function representUsers(links: { self: string; next?: string }, totalCount: number, items: Record<string, unknown>[]): Record<string, unknown> {
  const _links: Record<string, Link> = { self: link(links.self) };
  if (links.next !== undefined) _links.next = link(links.next);
  return { _links, totalCount, items };
}

/** UserAttributeNamesRep: the built-in attributes in the User schema's order, the custom and private ones by name. */
export function representAttributeNames(users: readonly ContextView[]): Record<string, string[]> {
  const [standard, custom, redacted] = [new Set<string>(), new Set<string>(), new Set<string>()];
  for (const view of users) {
    const user = userOf(view.context);
    for (const name of Object.keys(user)) if (Object.hasOwn(BUILT_IN, name)) standard.add(name);
    if (isObject(user.custom)) for (const name of Object.keys(user.custom)) custom.add(name);
    if (Array.isArray(user.privateAttrs)) for (const name of user.privateAttrs as string[]) redacted.add(name);
  }
  const byName = (names: Set<string>) => [...names].sort(compareText);
  return { private: byName(redacted), custom: byName(custom), standard: STANDARD.filter((name) => standard.has(name)) };
}
