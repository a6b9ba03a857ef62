// Prompt snippets as stored: reusable text a project's AI Config prompts include (`{{snippet.key#version}}`), each
// with a name and description. The request body and the rules.
import { Type, type Static } from '@sinclair/typebox';
import { Description, Key, Name } from '../../http/schemas.js';
import type { PromptSnippetsTable } from '../../store/schema.js';

export type PromptSnippetRow = PromptSnippetsTable;

export interface PromptSnippetDoc {
  name: string;
  description?: string;
  text: string;
}

export const PromptSnippetPost = Type.Object({
  key: Key,
  name: Name,
  description: Type.Optional(Description),
  /** The request body's own limit bounds it. */
  text: Type.String({ minLength: 1 }),
});
export type PromptSnippetPost = Static<typeof PromptSnippetPost>;

export const SNIPPET_ACTIONS = { create: 'createPromptSnippet' } as const;

export function snippetDoc(row: Pick<PromptSnippetRow, 'doc'>): PromptSnippetDoc {
  return JSON.parse(row.doc) as PromptSnippetDoc;
}
