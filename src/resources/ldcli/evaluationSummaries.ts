// Pure: the evaluationSummaries answer from the evaluation counters (dims [flagKey, variation index or '']): each
// flag asked, each environment asked (none counted: 0), the total and the count per variation `_id` of the flag as
// it is now (an evaluation that served no variation, the SDK's default, counts in the total only).
import type { CountFact } from '../usage/series.js';

export interface SummaryFlag {
  key: string;
  variationIds: readonly string[];
}

export interface EnvironmentEvaluations {
  totalEvaluations: number;
  variationCounts: Record<string, number>;
}

export function summarizeEvaluations(flags: readonly SummaryFlag[], environments: readonly { id: string; key: string }[], facts: readonly CountFact[]) {
  const keyOf = new Map(environments.map((e) => [e.id, e.key]));
  return {
    data: flags.map((flag) => {
      const byEnvironment = new Map<string, EnvironmentEvaluations>(environments.map((e) => [e.key, { totalEvaluations: 0, variationCounts: {} }]));
      for (const fact of facts) {
        const environmentKey = keyOf.get(fact.environmentId);
        if (fact.dims[0] !== flag.key || environmentKey === undefined) continue;
        const summary = byEnvironment.get(environmentKey)!;
        summary.totalEvaluations += fact.count;
        const id = fact.dims[1] === '' ? undefined : flag.variationIds[Number(fact.dims[1])];
        if (id !== undefined) summary.variationCounts[id] = (summary.variationCounts[id] ?? 0) + fact.count;
      }
      return { flagKey: flag.key, environments: Object.fromEntries(byEnvironment) };
    }),
  };
}
