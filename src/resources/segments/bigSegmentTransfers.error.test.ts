// Big segment exports and imports: every error a caller can cause is a 4xx naming the field (the file's line where it
// is the file), and changes nothing: an import applies all of a file or none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { formUpload } from '../../../test/support/upload.js';

describe('big segment exports and imports: errors', () => {
  let s: TestServer;
  const segments = '/api/v2/segments/shop/production';
  const big = `${segments}/big`;
  const upload = (parts: { name: string; value: string; filename?: string }[], segment = big) => s.request('POST', `${segment}/imports`, formUpload(parts));
  const file = (value: string) => ({ name: 'file', value, filename: 'keys.csv' });
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post(segments, { key: 'big', name: 'Big', unbounded: true });
    await s.post(segments, { key: 'small', name: 'Small' });
    await s.post(`${big}/contexts`, { included: { add: ['kept'] } });
  });
  afterAll(() => s.close());

  it('a standard segment refuses both: 400 naming the segment and the operation', async () => {
    await expectRefused(s.store, () => s.post(`${segments}/small/exports`, undefined), 400, 'invalid_request', /segment "small" is a standard segment; createBigSegmentExport applies only to big segments/);
    await expectRefused(s.store, () => upload([file('a\n')], `${segments}/small`), 400, 'invalid_request', /segment "small" is a standard segment; createBigSegmentImport/);
  });

  it('a bad form: no file, a wrong mode or waitOnApprovals, JSON instead of a form', async () => {
    await expectRefused(s.store, () => upload([{ name: 'mode', value: 'merge' }]), 400, 'invalid_request', /file: is required/);
    await expectRefused(s.store, () => upload([file('a\n'), { name: 'mode', value: 'overwrite' }]), 400, 'invalid_request', /mode: must be merge or replace, not "overwrite"/);
    await expectRefused(s.store, () => upload([file('a\n'), { name: 'waitOnApprovals', value: 'maybe' }]), 400, 'invalid_request', /waitOnApprovals: must be true or false/);
    await expectRefused(s.store, () => s.post(`${big}/imports`, { file: 'a' }), 400, 'invalid_request', /multipart\/form-data/);
    await expectRefused(s.store, () => s.request('POST', `${big}/imports`, { raw: 'a\n', headers: { 'content-type': 'text/csv' } }), 400, 'invalid_request');
  });

  it('a bad file: empty, an empty first column, an unclosed quote, a key too long; nothing of it applied', async () => {
    await expectRefused(s.store, () => upload([file('')]), 400, 'invalid_request', /file: holds no context keys/);
    await expectRefused(s.store, () => upload([file('\n\n  \n')]), 400, 'invalid_request', /file: holds no context keys/);
    await expectRefused(s.store, () => upload([file('good\n,no key\nalso-good\n')]), 400, 'invalid_request', /file: line 2: the first column must hold a context key/);
    await expectRefused(s.store, () => upload([file('good\n"open\n')]), 400, 'invalid_request', /file: line 2: a quoted field is not closed/);
    await expectRefused(s.store, () => upload([file(`good\n${'k'.repeat(1025)}\n`), { name: 'mode', value: 'replace' }]), 400, 'invalid_request', /file: line 2: a context key may be at most 1024 characters/);
    expect((await s.get(`${big}/contexts/kept`)).body.included).toBe(true);
    expect((await s.get(`${big}/contexts/good`)).body.included).toBe(false);
  });

  it('unknown project, environment, segment, export or import: 404 naming it', async () => {
    await expectRefused(s.store, () => s.post('/api/v2/segments/nope/production/big/exports', undefined), 404, 'not_found', /nope/);
    await expectRefused(s.store, () => s.post('/api/v2/segments/shop/nope/big/exports', undefined), 404, 'not_found', /nope/);
    await expectRefused(s.store, () => s.post(`${segments}/ghost/exports`, undefined), 404, 'not_found', /Segment "ghost"/);
    await expectRefused(s.store, () => upload([file('a\n')], `${segments}/ghost`), 404, 'not_found', /Segment "ghost"/);
    await expectRefused(s.store, () => s.get(`${big}/exports/000000000000000000000000`), 404, 'not_found', 'Export "000000000000000000000000" of segment "big" not found');
    await expectRefused(s.store, () => s.get(`${big}/exports/000000000000000000000000/download`), 404, 'not_found', /Export "000000000000000000000000"/);
    await expectRefused(s.store, () => s.get(`${big}/imports/000000000000000000000000`), 404, 'not_found', 'Import "000000000000000000000000" of segment "big" not found');
  });

  it("an export or import of one segment is not found through another's path", async () => {
    await s.post(segments, { key: 'other', name: 'Other', unbounded: true });
    const exported = (await s.post(`${big}/exports`, undefined)).headers.location as string;
    const imported = (await upload([file('x\n')])).headers.location as string;
    const id = (path: string) => path.split('/').pop();
    await expectRefused(s.store, () => s.get(`${segments}/other/exports/${id(exported)}`), 404, 'not_found');
    await expectRefused(s.store, () => s.get(`${segments}/other/exports/${id(exported)}/download`), 404, 'not_found');
    await expectRefused(s.store, () => s.get(`${segments}/other/imports/${id(imported)}`), 404, 'not_found');
  });

  it('a body sent to createBigSegmentExport is a 400', async () => {
    await expectRefused(s.store, () => s.post(`${big}/exports`, { format: 'csv' }), 400, 'invalid_request', /body/);
  });
});
