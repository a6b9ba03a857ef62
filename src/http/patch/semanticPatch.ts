// Reads a LaunchDarkly semantic patch {comment?, environmentKey?, instructions: [{kind, ...}]} against a table of
// instruction schemas: every problem in every instruction is reported at once, named `instructions[i].field`.
// Shared by every resource that takes semantic patches (layers, flags).
import { Type, type Static, type TObject } from '@sinclair/typebox';
import { validationFailed, type FieldError } from '../errors.js';
import { check } from '../validation.js';

/** The Content-Type of a semantic patch, for updates iterlab makes itself through the paths clients' patches take. */
export const SEMANTIC_PATCH_TYPE = 'application/json; domain-model=launchdarkly.semanticpatch';

const Envelope = Type.Object({
  comment: Type.Optional(Type.String({ maxLength: 65536 })),
  environmentKey: Type.Optional(Type.String({ minLength: 1 })),
  instructions: Type.Array(Type.Object({}), { minItems: 1, maxItems: 1000 }),
});

export type InstructionSchemas = Record<string, TObject>;

/** One instruction, typed by its kind's schema. */
export type InstructionOf<S extends InstructionSchemas> = { [K in keyof S & string]: Static<S[K]> & { kind: K; index: number } }[keyof S & string];

export interface SemanticPatch<S extends InstructionSchemas> {
  comment?: string;
  environmentKey?: string;
  instructions: InstructionOf<S>[];
}

/** Validates the body; throws one 400 listing every problem, or returns the typed instructions. */
export function readSemanticPatch<S extends InstructionSchemas>(body: unknown, schemas: S): SemanticPatch<S> {
  if (Array.isArray(body)) {
    throw validationFailed([
      { attribute: 'body', reason: 'this resource takes a semantic patch {"instructions": [{"kind": ...}]}, not a JSON Patch array' },
    ]);
  }
  const errors: FieldError[] = check(Envelope, body);
  if (errors.length > 0) throw validationFailed(errors);
  const envelope = body as Static<typeof Envelope>;
  const kinds = Object.keys(schemas);
  const instructions: InstructionOf<S>[] = [];
  envelope.instructions.forEach((raw, index) => {
    const instruction = raw as Record<string, unknown>;
    const at = `instructions[${index}]`;
    if (typeof instruction.kind !== 'string') {
      errors.push({ attribute: `${at}.kind`, reason: instruction.kind === undefined ? 'must be present' : 'must be a string' });
      return;
    }
    const schema = Object.hasOwn(schemas, instruction.kind) ? schemas[instruction.kind] : undefined;
    if (!schema) {
      errors.push({ attribute: `${at}.kind`, reason: `unknown instruction kind "${instruction.kind}"; use one of ${kinds.join(', ')}` });
      return;
    }
    const problems = check(schema, instruction, at);
    if (problems.length > 0) errors.push(...problems);
    else instructions.push({ ...instruction, index } as InstructionOf<S>);
  });
  if (errors.length > 0) throw validationFailed(errors);
  return { comment: envelope.comment, environmentKey: envelope.environmentKey, instructions };
}

/**
 * Whether a PATCH body is a semantic patch: its content type says so, or (as generated clients send it, as plain
 * JSON) it is an object with `instructions`.
 */
export function isSemanticPatch(body: unknown, contentType: string | undefined): boolean {
  return (
    /domain-model\s*=\s*"?launchdarkly\.semanticpatch/i.test(contentType ?? '') ||
    (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.hasOwn(body, 'instructions'))
  );
}
