// LaunchDarkly's error bodies {code, message[, errors]} and the exceptions that produce them.
import { isForeignKeyViolation, isUniqueViolation, missingParentTable } from '../store/db.js';

export interface FieldError {
  attribute: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    /** Fields an operation documents beside code and message (postMembers' `invalid_emails`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(requestId?: string): Record<string, unknown> {
    const body: Record<string, unknown> = { code: this.code, message: this.message, ...this.extra };
    if (this.errors && this.errors.length > 0) body.errors = this.errors;
    if (requestId) body.id = requestId;
    return body;
  }
}

/** One 400 listing every problem: the message names each field and its problem. */
export function validationFailed(errors: FieldError[]): ApiError {
  const message = errors.map((e) => `${e.attribute}: ${e.reason}`).join('; ');
  return new ApiError(400, 'invalid_request', message, errors);
}

/** The body as an object, or a 400 on `body` saying what it must be (`example`). */
export function objectBody(body: unknown, example: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationFailed([{ attribute: 'body', reason: `must be an object ${example}` }]);
  return body as Record<string, unknown>;
}

/** A 400 with one reason; with an attribute, the message names it too (clients show only the message). */
export function invalidRequest(message: string, attribute?: string): ApiError {
  if (!attribute) return new ApiError(400, 'invalid_request', message);
  return new ApiError(400, 'invalid_request', message.includes(attribute) ? message : `${attribute}: ${message}`, [{ attribute, reason: message }]);
}

export function unauthorized(): ApiError {
  return new ApiError(401, 'unauthorized', 'Invalid access token');
}

export function forbidden(message = 'Forbidden. Access to the requested resource was denied.'): ApiError {
  return new ApiError(403, 'forbidden', message);
}

export function notFound(what?: string): ApiError {
  return new ApiError(404, 'not_found', what ? `${what} not found` : 'Invalid resource identifier');
}

export function methodNotAllowed(): ApiError {
  return new ApiError(405, 'method_not_allowed', 'Method not allowed');
}

export function conflict(message: string): ApiError {
  return new ApiError(409, 'conflict', message);
}

export function optimisticLock(message = 'Conflict. Optimistic lock error. Try again later.'): ApiError {
  return new ApiError(409, 'optimistic_locking_error', message);
}

export function patchFailed(message: string): ApiError {
  return new ApiError(422, 'patch_failed', message);
}

export function rateLimited(): ApiError {
  return new ApiError(429, 'rate_limited', "You've exceeded the API rate limit. Try again later.");
}

/** Runs a write; a unique-key violation from the database becomes a 409 with the given message. */
export async function conflictOnDuplicate<T>(work: () => Promise<T>, message: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(message);
    throw err;
  }
}

/**
 * The 404 of a write refused by a foreign key: what it adds to (a project, an environment) was deleted while it ran,
 * after the handler had found it. Named by its table where the database says which (PostgreSQL).
 */
export function parentGone(err: unknown): ApiError | undefined {
  if (!isForeignKeyViolation(err)) return undefined;
  const table = missingParentTable(err);
  const what = table ? `The ${table.replace(/_/g, ' ').replace(/ies$/, 'y').replace(/s$/, '')}` : 'A resource';
  return new ApiError(404, 'not_found', `${what} this request refers to no longer exists: it was deleted while the request ran`);
}
