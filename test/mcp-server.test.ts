// LaunchDarkly's own MCP server (@launchdarkly/mcp-server), started as an AI client would start it, pointed at iterlab
// with --server-url, and driven through an MCP client over stdio: its feature-flag tools work unchanged.
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startServer, type TestServer } from './support/server.js';

const require = createRequire(import.meta.url);
const MCP_BIN = path.join(path.dirname(require.resolve('@launchdarkly/mcp-server/package.json')), 'bin/mcp-server.js');

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
}

describe('@launchdarkly/mcp-server against iterlab', () => {
  let s: TestServer;
  let client: Client;
  const stderr: string[] = [];

  beforeAll(async () => {
    s = await startServer({ listen: true });
    expect((await s.post('/api/v2/projects', { name: 'Agents', key: 'agents' })).status).toBe(201);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP_BIN, 'start', '--api-key', s.tokens.writer, '--server-url', s.url, '--log-level', 'error'],
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    client = new Client({ name: 'iterlab-test', version: '1.0.0' });
    await client.connect(transport);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await s.close();
  });

  async function call(name: string, request: Record<string, unknown>): Promise<any> {
    const result = (await client.callTool({ name, arguments: { request } })) as ToolResult;
    const text = result.content.map((c) => c.text ?? '').join('');
    expect(result.isError, `${name}: ${text}\n${stderr.join('')}`).toBeFalsy();
    return text === '' ? undefined : JSON.parse(text);
  }

  it('offers the flag tools', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const tool of ['list-feature-flags', 'create-feature-flag', 'get-feature-flag', 'update-feature-flag', 'delete-feature-flag']) expect(names).toContain(tool);
  });

  it('creates, lists, reads, updates and deletes a flag through the MCP tools', async () => {
    const created = await call('create-feature-flag', {
      projectKey: 'agents',
      FeatureFlagBody: { name: 'Agent checkout', key: 'agent-checkout', description: 'made by an agent', tags: ['mcp'] },
    });
    expect(created).toMatchObject({ key: 'agent-checkout', name: 'Agent checkout', kind: 'boolean', tags: ['mcp'] });

    const listed = await call('list-feature-flags', { projectKey: 'agents', filter: 'tags:mcp' });
    expect(listed.items.map((f: { key: string }) => f.key)).toEqual(['agent-checkout']);
    expect(listed.totalCount).toBe(1);

    const read = await call('get-feature-flag', { projectKey: 'agents', featureFlagKey: 'agent-checkout', env: 'production' });
    expect(read.environments.production.on).toBe(false);

    const updated = await call('update-feature-flag', {
      projectKey: 'agents',
      featureFlagKey: 'agent-checkout',
      PatchWithComment: { comment: 'turned on by an agent', patch: [{ op: 'replace', path: '/environments/production/on', value: true }] },
    });
    expect(updated.environments.production.on).toBe(true);
    expect(updated.environments.production.version).toBe(2);
    // iterlab saw exactly that change, with the agent's comment
    const audit = (await s.get('/api/v2/auditlog?q=turned%20on%20by%20an%20agent')).body.items;
    expect(audit).toHaveLength(1);
    expect(audit[0].token.name).toBe('test writer');

    await call('delete-feature-flag', { projectKey: 'agents', featureFlagKey: 'agent-checkout' });
    expect((await s.get('/api/v2/flags/agents/agent-checkout')).status).toBe(404);
  });

  it('reports iterlab\'s errors to the agent as tool errors', async () => {
    const result = (await client.callTool({ name: 'get-feature-flag', arguments: { request: { projectKey: 'agents', featureFlagKey: 'missing' } } })) as ToolResult;
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(/not found/i);
  });
});
