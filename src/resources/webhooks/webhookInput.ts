// The fields of a webhook as clients give them (postWebhook's body, patchWebhook's result), checked and made a doc.
import { Type } from '@sinclair/typebox';
import { validationFailed } from '../../http/errors.js';
import { check } from '../../http/validation.js';
import { readStatements } from '../audit-log/statements.js';
import { generateSecret, urlProblem, WebhookName, WebhookSecret, WebhookTags, WebhookUrl, type WebhookDoc } from './model.js';

export const WebhookFields = Type.Object({
  name: Type.Optional(WebhookName),
  url: WebhookUrl,
  secret: Type.Optional(WebhookSecret),
  statements: Type.Optional(Type.Unknown()),
  on: Type.Boolean(),
  tags: Type.Optional(WebhookTags),
});

export interface WebhookInput {
  name?: string;
  url: string;
  /** The secret to sign with; '' or absent, with `sign`, has one generated. */
  secret?: string;
  statements?: unknown;
  on: boolean;
  tags?: string[];
}

/**
 * The webhook's doc and whether it is on, or a 400 naming every problem. A webhook is signed when `sign` says so:
 * with the secret given, else a generated one; unsigned, it keeps no secret (the representation has no `sign`, so a
 * secret is what says a webhook is signed).
 */
export function webhookFromInput(input: WebhookInput, sign: boolean): { doc: WebhookDoc; on: boolean } {
  const errors = check(WebhookFields, input);
  if (errors.length > 0) throw validationFailed(errors);
  const problem = urlProblem(input.url);
  if (problem) throw validationFailed([problem]);
  const statements = input.statements === undefined || input.statements === null ? undefined : readStatements(input.statements, false, 'statements');
  const doc: WebhookDoc = {
    ...(input.name !== undefined && input.name !== '' ? { name: input.name } : {}),
    url: input.url,
    ...(sign ? { secret: input.secret !== undefined && input.secret !== '' ? input.secret : generateSecret() } : {}),
    ...(statements !== undefined && statements.length > 0 ? { statements } : {}),
    tags: [...new Set(input.tags ?? [])],
  };
  return { doc, on: input.on };
}
