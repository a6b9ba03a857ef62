// The fields of a webhook as clients give them (postWebhook's body, patchWebhook's result), checked once and made a doc.
import { Type, type Static, type TObject } from '@sinclair/typebox';
import { validationFailed } from '../../http/errors.js';
import { Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { readStatements } from '../audit-log/statements.js';
import { generateSecret, urlProblem, WebhookName, WebhookSecret, WebhookUrl, type WebhookDoc } from './model.js';

const WebhookFields = Type.Object({
  name: Type.Optional(WebhookName),
  url: WebhookUrl,
  secret: Type.Optional(WebhookSecret),
  statements: Type.Optional(Type.Unknown()),
  on: Type.Boolean(),
  tags: Type.Optional(Tags),
});
type WebhookFields = Static<typeof WebhookFields>;

const WebhookPost = Type.Object({ ...WebhookFields.properties, sign: Type.Boolean() });

/**
 * The webhook's doc and whether it is on, or a 400 naming every problem. A signed webhook keeps the secret given,
 * else a generated one; an unsigned one keeps no secret (the representation has no `sign`, so a secret is what says
 * a webhook is signed).
 */
function webhookFrom<S extends TObject>(input: unknown, schema: S, signed: (input: Static<S>) => boolean): { doc: WebhookDoc; on: boolean } {
  const errors = check(schema, input);
  if (errors.length > 0) throw validationFailed(errors);
  const fields = input as WebhookFields;
  const problem = urlProblem(fields.url);
  if (problem) throw validationFailed([problem]);
  const statements = fields.statements === undefined || fields.statements === null ? undefined : readStatements(fields.statements, false, 'statements');
  const doc: WebhookDoc = {
    ...(fields.name !== undefined && fields.name !== '' ? { name: fields.name } : {}),
    url: fields.url,
    ...(signed(input as Static<S>) ? { secret: fields.secret !== undefined && fields.secret !== '' ? fields.secret : generateSecret() } : {}),
    ...(statements !== undefined && statements.length > 0 ? { statements } : {}),
    tags: [...new Set(fields.tags ?? [])],
  };
  return { doc, on: fields.on };
}

/** postWebhook's body: signed as `sign` says, with the secret given or a generated one. */
export function webhookFromPost(body: unknown): { doc: WebhookDoc; on: boolean } {
  return webhookFrom(body, WebhookPost, (post) => post.sign);
}

/** A patched webhook's fields: signed when a secret is left ("" or none: unsigned, as Terraform sends it). */
export function webhookFromPatched(fields: Record<string, unknown>): { doc: WebhookDoc; on: boolean } {
  return webhookFrom(fields, WebhookFields, (patched) => typeof patched.secret === 'string' && patched.secret !== '');
}
