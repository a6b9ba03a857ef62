// What the agent optimization suites share: a project with what an optimization names (an agent-mode AI Config with
// a variation to start from, a judge-mode AI Config, a metric), and an optimization body as LaunchDarkly's optimizer
// documentation describes one (acceptance statements and a judge, the models a run may try, the inputs it tries).

type Post = (path: string, body: unknown) => Promise<{ status: number; body: unknown }>;

/** The optimization body every suite starts from: each member of AgentOptimizationPost, with the spec's names. */
export const SUPPORT_OPTIMIZATION = {
  key: 'support-agent-tuning',
  aiConfigKey: 'support-agent',
  maxAttempts: 5,
  modelChoices: ['OpenAI.gpt-4o', 'Anthropic.claude-3-5-sonnet-latest'],
  judgeModel: 'OpenAI.gpt-4o-mini',
  variableChoices: [{ product: 'router' }, { product: 'modem' }],
  acceptanceStatements: [{ statement: 'The answer names the product and gives exactly one next step', threshold: 0.8 }],
  judges: [{ key: 'accuracy-judge', threshold: 0.9 }],
  userInputOptions: ['My router keeps dropping Wi-Fi', 'The modem light is blinking orange'],
  groundTruthResponses: ['Restart the router, then update its firmware', 'Call your provider: the line is down'],
  metricKey: 'resolution-rate',
  tokenLimit: 20000,
  variationKey: 'baseline',
  label: 'Support agent tuning',
  latencyOptimization: false,
  tokenOptimization: true,
  autoCommit: true,
};

/** Creates `projectKey` with the AI Configs and the metric SUPPORT_OPTIMIZATION names. */
export async function postOptimizationTargets(post: Post, projectKey: string): Promise<void> {
  const expect201 = async (path: string, body: unknown) => {
    const res = await post(path, body);
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await expect201('/api/v2/projects', { key: projectKey, name: projectKey });
  const configs = `/api/v2/projects/${projectKey}/ai-configs`;
  await expect201(configs, { key: 'support-agent', name: 'Support agent', mode: 'agent', defaultVariation: { key: 'baseline', name: 'Baseline', instructions: 'Help the customer with {{product}}', model: { modelName: 'gpt-4o' } } });
  await expect201(configs, { key: 'accuracy-judge', name: 'Accuracy judge', mode: 'judge', evaluationMetricKey: '$ld:ai:judge:accuracy', defaultVariation: { key: 'j', name: 'J', messages: [{ role: 'system', content: 'Rate {{response_to_evaluate}}' }] } });
  await expect201(configs, { key: 'chat-completion', name: 'Chat completion', mode: 'completion' });
  await expect201(`/api/v2/metrics/${projectKey}`, { key: 'resolution-rate', kind: 'custom', eventKey: 'resolved', isNumeric: false });
}
