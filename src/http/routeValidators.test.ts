// Route validators are compiled by their first request (lazyValidator), so nothing at start-up compiles them: this
// suite compiles every route's schemas, so a schema Ajv refuses fails here and not on a client's first request.
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/support/server.js';
import { routeName } from '../../test/support/routes.js';
import { ajvFor, lazyValidator } from './validation.js';

describe('lazyValidator', () => {
  it('compiles on the first call, once, and reports the last call\'s findings', () => {
    const ajv = new Ajv({ allErrors: true });
    let compiles = 0;
    const compile = ajv.compile.bind(ajv);
    ajv.compile = ((schema: object) => (compiles++, compile(schema))) as typeof ajv.compile;
    const validate = lazyValidator(ajv, { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] });
    expect(compiles).toBe(0);

    expect(validate({ key: 1 })).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual(['/key must be string']);
    expect(validate({ key: 'a' })).toBe(true);
    expect(validate.errors).toBeNull();
    expect(compiles).toBe(1);
  });
});

describe('every route\'s schemas', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('compile with the Ajv the app validates that part with', () => {
    const refused: string[] = [];
    let compiled = 0;
    for (const route of s.routes) {
      for (const [part, schema] of Object.entries(route.schema ?? {})) {
        if (part === 'response' || schema === undefined) continue;
        try {
          ajvFor(part).compile(schema as object);
          compiled++;
        } catch (error) {
          refused.push(`${routeName(route)} ${part}: ${(error as Error).message}`);
        }
      }
    }
    expect(refused).toEqual([]);
    // The routes do declare schemas (55 parts when this was written; most bodies are checked in their handlers, by
    // `check`): a table that lost them would pass the check above vacuously.
    expect(compiled).toBeGreaterThanOrEqual(50);
  });

  it('still refuse a bad body with LaunchDarkly\'s 400 naming the field', async () => {
    const res = await s.post('/api/v2/projects', { key: 'p', name: 5 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toContain('name');
  });
});
