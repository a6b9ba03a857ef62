// Every lifecycle refusal, as the official `launchdarkly-api-typescript` client meets it over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AxiosError } from 'axios';
import { Configuration, ExperimentsApi, FeatureFlagsApi, LayersApi, type IterationInput } from 'launchdarkly-api-typescript';
import { startServer, type TestServer } from './support/server.js';
import { createWorld, flagVersion, iterationBody, type World } from './support/fixtures.js';

async function failure(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    const response = (err as AxiosError<{ code: string; message: string }>).response;
    if (response) return { status: response.status, code: response.data.code, message: response.data.message };
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('official client: lifecycle refusals', () => {
  let s: TestServer;
  let w: World;
  let experiments: ExperimentsApi;
  let flags: FeatureFlagsApi;
  const E = 'production';
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    const config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    experiments = new ExperimentsApi(config);
    flags = new FeatureFlagsApi(config);
  });
  afterAll(() => s.close());

  async function fresh(key: string, overrides: Record<string, unknown> = {}): Promise<void> {
    const version = await flagVersion(s, w.project, w.flag);
    const iteration = iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: version } }, ...overrides }) as unknown as IterationInput;
    await experiments.createExperiment(w.project, E, { name: key, key, iteration });
  }
  const start = (key: string, changeJustification?: string) =>
    experiments.patchExperiment(w.project, E, key, { instructions: [{ kind: 'startIteration', ...(changeJustification ? { changeJustification } : {}) }] });
  const stop = (key: string, winningTreatmentId?: string) =>
    experiments.patchExperiment(w.project, E, key, { instructions: [{ kind: 'stopIteration', ...(winningTreatmentId ? { winningTreatmentId } : {}) }] });

  it('no draft to start (a stopped iteration is not restarted)', async () => {
    await fresh('once');
    await start('once');
    await stop('once', w.variations[0]);
    expect(await failure(start('once'))).toMatchObject({ status: 400, code: 'invalid_request', message: expect.stringMatching(/no draft iteration/) });
  });

  it('archived experiments cannot start', async () => {
    await fresh('archived');
    await experiments.patchExperiment(w.project, E, 'archived', { instructions: [{ kind: 'archiveExperiment' }] });
    expect(await failure(start('archived'))).toMatchObject({ status: 400, message: expect.stringMatching(/archived/) });
  });

  it('the flag must be on, and not archived', async () => {
    await fresh('off');
    await flags.patchFeatureFlag(w.project, w.flag, { patch: [{ op: 'replace', path: `/environments/${E}/on`, value: false }] });
    expect(await failure(start('off'))).toMatchObject({ status: 400, message: expect.stringMatching(/is off in environment "production"/) });
    await flags.patchFeatureFlag(w.project, w.flag, { patch: [{ op: 'replace', path: `/environments/${E}/on`, value: true }] });

    await flags.postFeatureFlag(w.project, { name: 'Old', key: 'old-flag' });
    const old = (await flags.getFeatureFlag(w.project, 'old-flag')).data;
    await flags.patchFeatureFlag(w.project, 'old-flag', { patch: [{ op: 'replace', path: `/environments/${E}/on`, value: true }] });
    const version = (await flags.getFeatureFlag(w.project, 'old-flag')).data.environments![E].version;
    const ids = old.variations.map((v) => v._id!);
    await experiments.createExperiment(w.project, E, {
      name: 'On old flag',
      key: 'old-flag-exp',
      iteration: iterationBody(w, {
        treatments: [
          { name: 'A', baseline: true, allocationPercent: '50', parameters: [{ flagKey: 'old-flag', variationId: ids[0] }] },
          { name: 'B', baseline: false, allocationPercent: '50', parameters: [{ flagKey: 'old-flag', variationId: ids[1] }] },
        ],
        flags: { 'old-flag': { ruleId: 'fallthrough', flagConfigVersion: version } },
      }) as unknown as IterationInput,
    });
    await flags.patchFeatureFlag(w.project, 'old-flag', { patch: [{ op: 'replace', path: '/archived', value: true }] });
    expect(await failure(start('old-flag-exp'))).toMatchObject({ status: 400, message: expect.stringMatching(/flag "old-flag" is archived/) });
  });

  it('the targeted rule must still exist', async () => {
    const flag = (await flags.patchFeatureFlag(w.project, w.flag, {
      patch: [{ op: 'add', path: `/environments/${E}/rules/-`, value: { description: 'temp', clauses: [{ attribute: 'country', op: 'in', values: ['NL'], negate: false }], variation: 1 } }],
    })).data;
    const rule = flag.environments![E].rules!.find((r) => r.description === 'temp')!;
    await experiments.createExperiment(w.project, E, {
      name: 'Rule',
      key: 'rule-gone',
      iteration: iterationBody(w, { flags: { [w.flag]: { ruleId: rule._id, flagConfigVersion: flag.environments![E].version } } }) as unknown as IterationInput,
    });
    const index = flag.environments![E].rules!.indexOf(rule);
    await flags.patchFeatureFlag(w.project, w.flag, { patch: [{ op: 'remove', path: `/environments/${E}/rules/${index}` }] });
    expect(await failure(start('rule-gone'))).toMatchObject({ status: 400, message: expect.stringMatching(/no longer exists/) });
  });

  it('at least one treatment with a non-zero allocation', async () => {
    const t = (name: string, baseline: boolean, v: number) => ({ name, baseline, allocationPercent: '0', parameters: [{ flagKey: w.flag, variationId: w.variations[v] }] });
    await fresh('zero', { treatments: [t('A', true, 0), t('B', false, 1)] });
    expect(await failure(start('zero'))).toMatchObject({ status: 400, message: expect.stringMatching(/non-zero allocationPercent/) });
  });

  it('a running experiment: restarting needs a justification; another experiment on its rule gets 409; the rule is locked', async () => {
    await fresh('runner');
    await fresh('rival');
    await start('runner');
    expect(await failure(start('rival'))).toMatchObject({ status: 409, code: 'optimistic_locking_error', message: expect.stringMatching(/running experiment "runner"/) });
    const version = await flagVersion(s, w.project, w.flag);
    await experiments.createIteration(w.project, E, 'runner', iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: version } } }) as unknown as IterationInput);
    expect(await failure(start('runner'))).toMatchObject({ status: 400, message: expect.stringMatching(/changeJustification is required/) });
    expect(await failure(flags.patchFeatureFlag(w.project, w.flag, { patch: [{ op: 'replace', path: `/environments/${E}/fallthrough`, value: { variation: 1 } }] }))).toMatchObject({
      status: 409,
    });
    expect(await failure(flags.deleteFeatureFlag(w.project, w.flag))).toMatchObject({ status: 409 });
    expect(await failure(stop('runner'))).toMatchObject({ status: 400, message: expect.stringMatching(/winningTreatmentId/) });
    expect(await failure(stop('runner', 'not-a-treatment'))).toMatchObject({ status: 400, message: expect.stringMatching(/not a treatment/) });
    expect(await failure(experiments.patchExperiment(w.project, E, 'runner', { instructions: [{ kind: 'archiveExperiment' }] }))).toMatchObject({ status: 400 });
    await stop('runner', w.variations[1]);
  });

  it('an experiment in a layer starts only with a reservation', async () => {
    await fresh('layered');
    const layers = new LayersApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    await layers.createLayer(w.project, { key: 'checkout', name: 'Checkout', description: 'Mutually exclusive checkout tests' });
    await layers.updateLayer(w.project, 'checkout', {
      environmentKey: E,
      instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'layered', reservationPercent: 0 }],
    });
    expect(await failure(start('layered'))).toMatchObject({ status: 400, message: expect.stringMatching(/0% reservation/) });
    await layers.updateLayer(w.project, 'checkout', {
      environmentKey: E,
      instructions: [{ kind: 'updateExperimentReservation', experimentKey: 'layered', reservationPercent: 30 }],
    });
    await start('layered');
    const stopped = (await stop('layered', w.variations[0])).data;
    expect(stopped.currentIteration!.layerSnapshot).toEqual({ key: 'checkout', name: 'Checkout', reservationPercent: 30, otherReservationPercent: 0 });
  });
});
