// An integration's `config` (audit log subscriptions, persistent and feature stores, flag imports) or `configValues`
// (integration configurations) checked against its integration's form (manifests.ts): each field named, typed and
// present as the form says; optional fields left out take the form's default, generated ones are made once; and the
// mask that stands for a secret wherever a configuration is shown.
import crypto from 'node:crypto';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { parsePointer } from '../../http/patch/jsonPatch.js';
import { isObject } from '../../http/patch/resourcePatch.js';
import { urlProblem } from '../webhooks/model.js';
import type { FormVariable, IntegrationForm } from './manifests.js';

/**
 * What a stored secret is shown as. Sent back unchanged (a read-modify-write of `config`), it keeps the stored secret;
 * any other value replaces it.
 */
export const SECRET_MASK = '********';

const MAX_VALUE_LENGTH = 4096;

function fieldProblem(field: FormVariable, value: unknown, attribute: string): FieldError | undefined {
  if (field.type === 'boolean') return typeof value === 'boolean' ? undefined : { attribute, reason: 'must be a boolean (true or false)' };
  if (typeof value !== 'string') return { attribute, reason: 'must be a string' };
  if (value.length > MAX_VALUE_LENGTH) return { attribute, reason: `must be at most ${MAX_VALUE_LENGTH} characters` };
  if (value === '' && !field.optional) return { attribute, reason: 'must not be empty' };
  if (field.type === 'uri') return urlProblem(value, attribute);
  if (field.type === 'enum' && !field.allowed!.includes(value)) return { attribute, reason: `must be one of ${field.allowed!.join(', ')}; got "${value}"` };
  return undefined;
}

/**
 * The config as stored, or a 400 naming every problem. `integrationKey` names the integration in messages;
 * `previous` (an update's stored config) keeps a generated field the new config leaves out; `member` is the body's
 * member that holds the config, which messages name.
 */
export function readConfig(integrationKey: string, form: IntegrationForm, value: unknown, previous: Record<string, unknown> = {}, member = 'config'): Record<string, unknown> {
  const names = Object.keys(form);
  if (!isObject(value)) throw validationFailed([{ attribute: member, reason: `must be an object of the ${integrationKey} integration's fields (${names.join(', ')})` }]);
  const errors: FieldError[] = Object.keys(value)
    .filter((key) => !Object.hasOwn(form, key))
    .map((key) => ({ attribute: `${member}.${key}`, reason: `is not a field of the ${integrationKey} integration; its fields are ${names.join(', ')}` }));
  const config: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(form)) {
    const given = value[key];
    if (given === undefined || given === null) {
      if (field.type === 'generated') config[key] = typeof previous[key] === 'string' ? previous[key] : crypto.randomUUID();
      else if (!field.optional) errors.push({ attribute: `${member}.${key}`, reason: `is required by the ${integrationKey} integration` });
      else if (field.default !== undefined) config[key] = field.default;
      continue;
    }
    const problem = fieldProblem(field, given, `${member}.${key}`);
    if (problem) errors.push(problem);
    else config[key] = given;
  }
  if (errors.length > 0) throw validationFailed(errors);
  return config;
}

/** The config as shown: each secret that is set as the mask. */
export function maskSecrets(form: IntegrationForm, config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, form[key]?.secret && value !== '' ? SECRET_MASK : value]));
}

/** A config patched over its masked view, with each secret still the mask given back its stored value. */
export function unmaskSecrets(form: IntegrationForm, patched: unknown, stored: Record<string, unknown>): unknown {
  if (!isObject(patched)) return patched;
  return Object.fromEntries(Object.entries(patched).map(([key, value]) => [key, form[key]?.secret && value === SECRET_MASK && stored[key] !== undefined ? stored[key] : value]));
}

/** The operations as the audit log keeps them: a secret's value, alone or in a whole config (at `member`), as the mask. */
export function maskedOperations(form: IntegrationForm, ops: unknown, member = 'config'): unknown {
  if (!Array.isArray(ops)) return ops;
  return ops.map((op: unknown) => {
    if (!isObject(op) || typeof op.path !== 'string' || !('value' in op)) return op;
    const [top, field] = parsePointer(op.path);
    if (top !== member) return op;
    if (field === undefined) return { ...op, value: isObject(op.value) ? maskSecrets(form, op.value) : op.value };
    return form[field]?.secret ? { ...op, value: SECRET_MASK } : op;
  });
}
