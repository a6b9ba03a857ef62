// JSON Schema validation with Ajv, and the translation of Ajv's findings into LaunchDarkly's {attribute, reason}.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { ApiError } from './errors.js';
import type { FieldError } from './errors.js';
import { KEY_PATTERN, TAG_PATTERN, TAG_REASON } from './schemas.js';

/** Bodies are checked strictly: "50" is not a number. */
export const bodyAjv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, useDefaults: false });
/** Query strings and path params arrive as text; numbers in them are coerced. */
export const queryAjv = new Ajv({ allErrors: true, strict: false, coerceTypes: true, useDefaults: true });

/** The Ajv a route's schema for one part of the request is compiled with (Fastify's `httpPart`). */
export function ajvFor(httpPart: string | undefined): Ajv {
  return httpPart === 'body' ? bodyAjv : queryAjv;
}

/** A validator as Fastify calls it: true or false, and the findings of the last call in `errors`. */
export interface RouteValidator {
  (data: unknown): boolean;
  errors: ValidateFunction['errors'];
}

/**
 * A route's validator, compiled by its first request instead of when the route is registered: compiling the 55
 * schemas routes declare was ~300 ms of a server's ~2 s start (`npx tsx bench/startup.ts`), and a server started
 * for a CI job or a test calls few of those routes. Ajv keeps each compiled schema, so it is compiled once per
 * process whatever the number of apps. `src/http/routeValidators.test.ts` compiles every route's schemas, so a
 * schema Ajv refuses fails a test, not a request.
 */
export function lazyValidator(ajv: Ajv, schema: object): RouteValidator {
  let validate: ValidateFunction | undefined;
  const lazy: RouteValidator = Object.assign(
    (data: unknown) => {
      validate ??= ajv.compile(schema);
      const valid = validate(data) as boolean;
      lazy.errors = validate.errors;
      return valid;
    },
    { errors: null as ValidateFunction['errors'] },
  );
  return lazy;
}

/** `/treatments/0/name` -> `treatments[0].name`; `/flags/my-flag` -> `flags.my-flag`. */
export function attributePath(pointer: string, prefix = ''): string {
  let out = prefix;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

function describeType(type: string): string {
  switch (type) {
    case 'integer':
      return 'an integer';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    default:
      return `a ${type}`;
  }
}

function reasonFor(err: ErrorObject): { path: string; reason: string } {
  const base = err.instancePath;
  switch (err.keyword) {
    case 'required':
      return { path: `${base}/${(err.params as { missingProperty: string }).missingProperty}`, reason: 'must be present' };
    case 'type':
      return { path: base, reason: `must be ${describeType(String((err.params as { type: string }).type))}` };
    case 'enum':
      return {
        path: base,
        reason: `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'minLength':
      return (err.params as { limit: number }).limit === 1
        ? { path: base, reason: 'must not be empty' }
        : { path: base, reason: err.message ?? 'is too short' };
    case 'minItems':
      return { path: base, reason: `must have at least ${(err.params as { limit: number }).limit} item(s)` };
    case 'pattern': {
      const pattern = (err.params as { pattern: string }).pattern;
      return {
        path: base,
        reason:
          pattern === KEY_PATTERN
            ? "must start with a letter or digit and contain only letters, digits, '.', '_' or '-'"
            : pattern === TAG_PATTERN
              ? TAG_REASON
              : `must match ${pattern}`,
      };
    }
    case 'maxLength':
      return { path: base, reason: `must be at most ${(err.params as { limit: number }).limit} characters` };
    case 'maxItems':
      return { path: base, reason: `must have at most ${(err.params as { limit: number }).limit} items` };
    case 'additionalProperties':
      return { path: `${base}/${(err.params as { additionalProperty: string }).additionalProperty}`, reason: 'is not allowed' };
    default:
      return { path: base, reason: err.message ?? 'is invalid' };
  }
}

/**
 * A union of literals (TypeBox's Union of Literal) fails with one `const` error per branch, each saying only "must
 * be equal to constant": gathered by place into the values that would have done.
 */
function constantsByPath(errors: ErrorObject[]): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const err of errors) {
    if (err.keyword !== 'const') continue;
    const values = out.get(err.instancePath) ?? [];
    const value = (err.params as { allowedValue: unknown }).allowedValue;
    if (!values.includes(value)) values.push(value);
    out.set(err.instancePath, values);
  }
  return out;
}

export function toFieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  const constants = constantsByPath(errors ?? []);
  for (const err of errors ?? []) {
    // anyOf/oneOf repeat their branches' findings; the branch errors already say what is wrong.
    if (err.keyword === 'anyOf' || err.keyword === 'oneOf' || err.keyword === 'if' || err.keyword === 'propertyNames') continue;
    let { path, reason } = reasonFor(err);
    if (err.keyword === 'const') {
      const values = (constants.get(err.instancePath) ?? []).map((v) => JSON.stringify(v));
      reason = values.length === 1 ? `must be ${values[0]}` : `must be one of ${values.join(', ')}`;
    }
    // A member name that fails `propertyNames`: the object is at fault, because of that name.
    const name = (err as ErrorObject & { propertyName?: string }).propertyName;
    if (name !== undefined) {
      path = err.instancePath;
      reason = `member name ${JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name)} ${reason}`;
    }
    const attribute = attributePath(path, prefix) || prefix || 'body';
    const id = `${attribute}\u0000${reason}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ attribute, reason });
  }
  return out;
}

const compiled = new WeakMap<object, ValidateFunction>();

/** Validates value against schema (compiled once per schema object) and returns every problem found. */
export function check(schema: object, value: unknown, prefix = ''): FieldError[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = bodyAjv.compile(schema) as ValidateFunction;
    compiled.set(schema, validate);
  }
  return validate(value) ? [] : toFieldErrors(validate.errors, prefix);
}

/** Deeper JSON would parse, but the recursive code that later copies or serializes it would overflow the stack. */
export const MAX_JSON_DEPTH = 100;

/**
 * One pass over the raw JSON text (before parsing): the nesting depth, and whether a string holds an escaped
 * NUL (`\u0000`), which PostgreSQL text cannot store. A raw NUL is not valid JSON and fails parsing anyway.
 */
function scanJson(text: string): { tooDeep: boolean; nul: boolean } {
  let depth = 0;
  let inString = false;
  let nul = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        if (text.charCodeAt(i + 1) === 0x75 /* u */ && text.startsWith('0000', i + 2)) nul = true;
        i++;
      } else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > MAX_JSON_DEPTH) return { tooDeep: true, nul };
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return { tooDeep: false, nul };
}

/** Whether text holds at most `limit` opening brackets, `{` and `[` together (indexOf jumps natively to each). */
function bracketsAtMost(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) if (++count > limit) return false;
  }
  return true;
}

/**
 * Text that plain JSON.parse may take as it is, without scanJson's pass over every character (a JS loop: ~4 µs for a
 * create-iteration body, more than the parse) nor secure-json-parse's patterns: no escape at all (so no escaped NUL,
 * and no key spelled with escapes), no `"__proto__"` or `"constructor"` (without escapes such a key can only be
 * spelled out, quotes and all: a quote inside a string is an escape), no BOM (secure-json-parse strips it), and no
 * more opening brackets than MAX_JSON_DEPTH (so no deeper nesting). Anything else takes the full path.
 */
function plainJson(text: string): boolean {
  return (
    !text.includes('\\') &&
    text.charCodeAt(0) !== 0xfeff &&
    !text.includes('"__proto__"') &&
    !text.includes('"constructor"') &&
    bracketsAtMost(text, MAX_JSON_DEPTH)
  );
}

/** A 400 about the body as a whole; `attribute` names the part of it at fault (`body` when it is the whole). */
export function invalidBody(reason: string, attribute = 'body'): ApiError {
  const named = attribute === 'body' || reason.includes(attribute) ? reason : `${attribute}: ${reason}`;
  return new ApiError(400, 'invalid_request', `Invalid request body: ${named}`, [{ attribute, reason }]);
}

/** The JSON Pointer of member `key` of the value at `pointer`. */
function childPointer(pointer: string, key: string): string {
  return `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Where in an already-parsed value a key that could reach a prototype sits (`__proto__`, or `constructor.prototype`). */
function forbiddenKeyPath(value: unknown, pointer = ''): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const here = childPointer(pointer, key);
    if (key === '__proto__') return here;
    if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) return `${here}/prototype`;
    const found = forbiddenKeyPath(child, here);
    if (found) return found;
  }
  return undefined;
}

/** The JSON Pointer of the first value beneath `value` that `bad` picks out, if any. */
function pathWhere(value: unknown, bad: (leaf: unknown) => boolean, pointer = ''): string | undefined {
  if (bad(value)) return pointer;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = pathWhere(child, bad, childPointer(pointer, key));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Text in which a number could be too large for a double (an exponent of three digits or more, or 309 digits in a
 * row), which JSON.parse reads as Infinity and a store writes as null: a check of the text before the walk it needs.
 */
const MAYBE_OUT_OF_RANGE = /[eE][+]?\d{3}|\d{309}/;

/** The attribute to name for the value at `pointer` beneath `attribute`. */
function attributeAt(pointer: string, attribute: string): string {
  return attributePath(pointer, attribute === 'body' ? '' : attribute) || attribute;
}

/** Refuses a parsed body holding a number JSON cannot carry back (Infinity: stored, it would read as null). */
function refuseOutOfRange(text: string, value: unknown, attribute: string): unknown {
  if (!MAYBE_OUT_OF_RANGE.test(text)) return value;
  const at = pathWhere(value, (leaf) => typeof leaf === 'number' && !Number.isFinite(leaf));
  if (at !== undefined) throw invalidBody('is a number out of range (larger than a double holds)', attributeAt(at, attribute));
  return value;
}

/**
 * Parses JSON text the way request bodies are parsed, wherever it comes from (a body, or a JSON document a client
 * sends inside a string field): refuses text nested deeper than MAX_JSON_DEPTH, strings holding NUL, and
 * `__proto__` / `constructor.prototype` keys (prototype pollution is refused, not stripped). Errors are 400s naming
 * `attribute`, or the offending key beneath it.
 */
export function parseJsonText(text: string, attribute = 'body'): unknown {
  if (plainJson(text)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // not JSON: the full path below says why
    }
    if (value !== undefined) return refuseOutOfRange(text, value, attribute);
  }
  const scan = scanJson(text);
  if (scan.tooDeep) throw invalidBody(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, attribute);
  if (scan.nul) throw invalidBody('strings must not contain the NUL character (\\u0000)', nulAttribute(text, attribute));
  try {
    return refuseOutOfRange(text, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }), attribute);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // Only on failure: a plain parse tells bad JSON from a forbidden key, and makes `__proto__` an ordinary own
    // key that can be found and named.
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw invalidBody(`not valid JSON (${(err as Error).message})`, attribute);
    }
    const at = attributePath(forbiddenKeyPath(value) ?? '', attribute === 'body' ? '' : attribute) || attribute;
    throw invalidBody('forbidden key __proto__ or constructor.prototype (it could reach an object prototype)', at);
  }
}

/** Where the string holding NUL is (its key, when it is a key), or `attribute` when the text does not parse. */
function nulAttribute(text: string, attribute: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return attribute;
  }
  const hasNul = (s: unknown) => typeof s === 'string' && s.includes('\0');
  const at = pathWhere(value, (leaf) => hasNul(leaf) || (leaf !== null && typeof leaf === 'object' && Object.keys(leaf).some(hasNul)));
  return at === undefined ? attribute : attributeAt(at, attribute);
}

/**
 * The JSON body parser: an empty body is a 400, and so is a body that is not JSON, that carries
 * `__proto__` / `constructor.prototype` keys, that nests deeper than MAX_JSON_DEPTH, or whose strings hold NUL.
 */
export function parseJsonBody(request: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void): void {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (request.routeOptions?.config?.rawBody) {
    done(null, text);
    return;
  }
  if (text.trim() === '') {
    // Clients label every request JSON, bodyless ones too (the Python client's DELETEs and resets): nothing is sent.
    if (request.method === 'DELETE' || request.routeOptions?.config?.noBody || request.routeOptions?.config?.optionalBody) done(null, undefined);
    else done(invalidBody('the body is empty but Content-Type is application/json'));
    return;
  }
  try {
    done(null, parseJsonText(text));
  } catch (err) {
    done(err as Error);
  }
}

/**
 * Bodies of any other content type are refused, except an empty one on an operation that takes no body: the official
 * TypeScript client (axios) labels the empty body of such POSTs (key and token resets) application/x-www-form-urlencoded.
 */
export function parseOtherBody(request: FastifyRequest, body: string | Buffer, done: (err: Error | null, value?: unknown) => void): void {
  if (body.length === 0 && request.routeOptions?.config?.noBody) {
    done(null, undefined);
    return;
  }
  if (request.routeOptions?.config?.rawBody) {
    done(null, typeof body === 'string' ? body : body.toString('utf8'));
    return;
  }
  // A file upload (postTeamMembers' CSV): the route reads the parts itself.
  if (request.routeOptions?.config?.multipart && /^multipart\/form-data\s*;/i.test(request.headers['content-type'] ?? '')) {
    done(null, typeof body === 'string' ? body : body.toString('utf8'));
    return;
  }
  done(new ApiError(400, 'invalid_request', 'Invalid request body: Content-Type must be application/json'));
}

/** For operations that take no body (`config.noBody`): anything sent as one is a 400, but ldcli's `null`. */
export function refuseBody(body: unknown): void {
  if (body !== undefined && body !== null) throw new ApiError(400, 'invalid_request', 'Invalid request body: this operation takes no body', [{ attribute: 'body', reason: 'must be empty' }]);
}
