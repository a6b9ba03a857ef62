// The shared conformance hook: every response iterlab sends in a test is validated against LaunchDarkly's spec.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyReply, FastifyRequest } from 'fastify';

const here = path.dirname(fileURLToPath(import.meta.url));
const SPEC_FILE = path.join(here, '../../spec/launchdarkly-openapi.json');
/**
 * Operations SPEC_FILE lacks are checked against the first of these that has them: the last spec with the experiment
 * results operations, and the newest spec (2026-07, converted from its YAML), whose operations came after SPEC_FILE's.
 */
const OTHER_SPECS = [
  { id: 'spec2025', file: path.join(here, '../../spec/launchdarkly-openapi-2025-07-28.json') },
  { id: 'spec202607', file: path.join(here, '../../spec/launchdarkly-openapi-2026-07.json') },
];

type Json = Record<string, unknown>;

/** getBigSegmentExportFile's route: the export's CSV file. */
const EXPORT_FILE_ROUTE = '/api/v2/segments/:projectKey/:environmentKey/:segmentKey/exports/:exportID/download';

interface Operation {
  operationId: string;
  parameters?: { in?: string; name?: string; schema?: { enum?: unknown[] } }[];
  requestBody?: { content?: Record<string, { schema?: Json; example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

/** OpenAPI 3.0 `nullable` is not JSON Schema; rewrite it as a type union. */
function normalize(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalize);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) out[key] = normalize(value);
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

export const routeKey = (method: string, url: string) => `${method.toUpperCase()} ${url.replace(/\{[^}]+\}/g, '{}').replace(/:[^/]+/g, '{}').replace(/\/$/, '')}`;

class Conformance {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  private readonly operations = new Map<string, Operation>();
  /** The other specs' versions of operations SPEC_FILE has too (see pathEnumsAllow). */
  private readonly later = new Map<string, Operation[]>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    const spec = normalize(JSON.parse(fs.readFileSync(SPEC_FILE, 'utf8'))) as Json & { paths: Record<string, Record<string, Operation>> };
    this.ajv.addSchema({ $id: 'spec', components: spec.components }, 'spec');
    for (const [p, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) this.operations.set(routeKey(method, p), op);
      }
    }
    for (const other of OTHER_SPECS) {
      const doc = normalize(JSON.parse(fs.readFileSync(other.file, 'utf8'))) as Json & { paths: Record<string, Record<string, Operation>> };
      this.ajv.addSchema({ $id: other.id, components: doc.components }, other.id);
      for (const [p, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const key = routeKey(method, p);
          if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
          const rewritten = JSON.parse(JSON.stringify(op).replace(/"#\/components\//g, `"${other.id}#/components/`)) as Operation;
          if (this.operations.has(key)) this.later.set(key, [...(this.later.get(key) ?? []), rewritten]);
          else this.operations.set(key, rewritten);
        }
      }
    }
  }

  /**
   * The operation a request is checked against: SPEC_FILE's, unless a path parameter has a value its enum lacks and a
   * later spec's enum has (a resource type added since, such as the views' `aiConfigs` in 2026-07): then that spec's.
   */
  operation(method: string, url: string, params?: Record<string, unknown>): Operation | undefined {
    const key = routeKey(method, url);
    const op = this.operations.get(key);
    if (!op || !params || pathEnumsAllow(op, params)) return op;
    return this.later.get(key)?.find((later) => pathEnumsAllow(later, params)) ?? op;
  }

  private validator(schema: Json): ValidateFunction {
    const ref = schema.$ref as string | undefined;
    const id = ref ?? JSON.stringify(schema);
    let validate = this.validators.get(id);
    if (!validate) {
      const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"spec#/components/')) as Json;
      validate = this.ajv.compile(rewritten);
      this.validators.set(id, validate);
    }
    return validate;
  }

  /**
   * Each way the response departs from the spec (empty when it conforms). A documented status is validated against
   * its schema, errors included; an error status the operation does not document is validated as LaunchDarkly's
   * generic error body and counted in `undocumented` (observeResponse fails every 5xx, documented or not).
   */
  check(method: string, url: string, status: number, body: unknown, params?: Record<string, unknown>): string[] {
    const op = this.operation(method, url, params);
    if (!op) return [];
    const problems: string[] = [];
    const documented = op.responses[String(status)] ?? (status >= 400 ? op.responses.default : undefined);
    if (!documented && status >= 400) {
      undocumented.set(`${op.operationId} ${status}`, (undocumented.get(`${op.operationId} ${status}`) ?? 0) + 1);
      return [...problems, ...this.validate(op, status, GENERIC_ERROR, body)];
    }
    const schema = documented?.content?.['application/json']?.schema;
    if (!schema) {
      if (status >= 200 && status < 300 && status !== 204) problems.push(`${op.operationId}: status ${status} is not a documented response`);
      if (status >= 400) problems.push(...this.validate(op, status, GENERIC_ERROR, body));
      return problems;
    }
    return [...problems, ...this.validate(op, status, schema, body)];
  }

  private validate(op: Operation, status: number, schema: Json, body: unknown): string[] {
    const validate = this.validator(schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${op.operationId} ${status}: ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}

/** Whether every path parameter of `op` with an enum has one of its values in `params`. */
function pathEnumsAllow(op: Operation, params: Record<string, unknown>): boolean {
  return (op.parameters ?? []).every((p) => p.in !== 'path' || !p.schema?.enum || !p.name || !(p.name in params) || p.schema.enum.includes(params[p.name]));
}

/** LaunchDarkly's error body, for error statuses an operation does not document: {code, message} with text in both. */
const GENERIC_ERROR: Json = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string', minLength: 1 }, message: { type: 'string', minLength: 1 } },
};

/** `operationId status` -> how often an operation answered with an error status its spec entry does not list. */
export const undocumented = new Map<string, number>();

let instance: Conformance | undefined;
export function conformance(): Conformance {
  instance ??= new Conformance();
  return instance;
}

export const violations: string[] = [];

/** The observeResponse hook the test server installs. */
export function observeResponse(request: FastifyRequest, reply: FastifyReply, payload: unknown): void {
  const url = request.routeOptions.url;
  const status = reply.statusCode;
  if (typeof payload !== 'string' || payload === '') return;
  // Only /metrics (Prometheus text) and a big segment export's file (CSV) answer in another format; everything else must be JSON.
  if ((url === '/metrics' || url === EXPORT_FILE_ROUTE) && status === 200) return;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    violations.push(`${request.method} ${request.url}: body is not JSON`);
    return;
  }
  if (status >= 400) {
    const b = (body !== null && typeof body === 'object' ? body : {}) as Json;
    // A 5xx is a fault of ours, except LaunchDarkly's 503 service_unavailable ("retry"), which iterlab answers on
    // purpose when its database is unreachable or not migrated.
    if (status >= 500 && !(status === 503 && b?.code === 'service_unavailable')) violations.push(`${request.method} ${request.url}: ${status} is a server fault: ${payload.slice(0, 200)}`);
    if (typeof b.code !== 'string' || typeof b.message !== 'string' || b.message === '') {
      violations.push(`${request.method} ${request.url} ${status}: error body is not {code, message}: ${payload.slice(0, 200)}`);
    }
  }
  if (!url) return;
  for (const problem of conformance().check(request.method, url, status, body, (request.params ?? {}) as Record<string, unknown>)) violations.push(`${request.method} ${request.url}: ${problem}`);
}

/**
 * Appends the undocumented error statuses seen so far to this worker's file in the run's directory (see
 * globalSetup.ts, which prints them all at the end of the run) and forgets them.
 */
export function flushUndocumented(dir: string | undefined, testFile: string | undefined): void {
  if (!dir || undocumented.size === 0) return;
  const line = JSON.stringify({ db: process.env.ITERLAB_TEST_DB ?? 'sqlite', file: testFile ? path.relative(path.join(here, '../..'), testFile) : undefined, seen: [...undocumented] });
  fs.appendFileSync(path.join(dir, `${process.pid}.jsonl`), `${line}\n`);
  undocumented.clear();
}
