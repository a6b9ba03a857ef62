// RFC 6902 JSON Patch and RFC 7386 JSON Merge Patch, applied to a copy; the original is never touched.

export interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** A patch that cannot be applied; `index` is the failing operation, `path` its pointer. */
export class PatchError extends Error {
  constructor(
    readonly index: number,
    readonly path: string,
    message: string,
    /** True when a `test` operation failed (an optimistic-lock miss, not a malformed patch). */
    readonly testFailed = false,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`"${pointer}" is not a JSON pointer (it must start with /)`);
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

// Keys that would reach Object.prototype are refused outright.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a key names a member of every object (`__proto__`, `constructor`, `prototype`): refused as a map's key. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN.has(key);
}

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new Error(`"${token}" is not an array index`);
  const index = Number(token);
  if (index > length || (!allowEnd && index >= length)) throw new Error(`index ${index} is out of range (length ${length})`);
  return index;
}

function parentOf(doc: unknown, tokens: string[]): { parent: unknown; last: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    if (FORBIDDEN.has(token)) throw new Error(`"${token}" is not an allowed key`);
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else throw new Error(`path does not exist`);
  }
  const last = tokens[tokens.length - 1];
  if (FORBIDDEN.has(last)) throw new Error(`"${last}" is not an allowed key`);
  return { parent: node, last };
}

/**
 * The pointer a `test` operation reads. LaunchDarkly documents optimistic locking as `test /version`, but most of its
 * representations carry their version as `_version`: on an object that has `_version` and no `version` member, a test
 * of the top-level `/version` reads `_version` (else the documented precondition could never pass). Only `test` reads
 * through this alias; writes to `/version` stay what they are.
 */
export function testedPointer(doc: unknown, pointer: string): string {
  return pointer === '/version' && isObject(doc) && Object.hasOwn(doc, '_version') && !Object.hasOwn(doc, 'version') ? '/_version' : pointer;
}

export function getAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false)];
    else if (isObject(node) && Object.hasOwn(node, token)) node = node[token];
    else throw new Error('path does not exist');
  }
  return node;
}

function add(doc: unknown, tokens: string[], value: unknown): unknown {
  if (tokens.length === 0) return value;
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw new Error('parent is not an object or array');
  return doc;
}

function remove(doc: unknown, tokens: string[]): { doc: unknown; removed: unknown } {
  if (tokens.length === 0) throw new Error('cannot remove the whole document');
  const { parent, last } = parentOf(doc, tokens);
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(last, parent.length, false), 1);
    return { doc, removed };
  }
  if (isObject(parent) && Object.hasOwn(parent, last)) {
    const removed = parent[last];
    delete parent[last];
    return { doc, removed };
  }
  throw new Error('path does not exist');
}

/** Validates the shape of a patch document; returns a reason per bad operation. */
export function checkOperations(ops: unknown): { index: number; reason: string }[] {
  if (!Array.isArray(ops)) return [{ index: -1, reason: 'must be an array of operations' }];
  const problems: { index: number; reason: string }[] = [];
  ops.forEach((op, index) => {
    if (!isObject(op)) return problems.push({ index, reason: 'must be an object' });
    if (typeof op.op !== 'string' || !OPS.has(op.op)) return problems.push({ index, reason: `op must be one of ${[...OPS].join(', ')}` });
    if (typeof op.path !== 'string') return problems.push({ index, reason: 'path must be a string' });
    if (op.path !== '' && !op.path.startsWith('/')) return problems.push({ index, reason: `path "${op.path}" must start with /` });
    if ((op.op === 'add' || op.op === 'replace' || op.op === 'test') && !Object.hasOwn(op, 'value')) {
      return problems.push({ index, reason: `a ${op.op} operation needs a value` });
    }
    if ((op.op === 'move' || op.op === 'copy') && typeof op.from !== 'string') return problems.push({ index, reason: `a ${op.op} operation needs from` });
    return undefined;
  });
  return problems;
}

export interface ApplyOptions {
  /**
   * A `replace` of a member its object lacks adds it, as LaunchDarkly's flag PATCH does (RFC 6902 fails it). An array
   * index out of range, or a missing object on the way, still fails.
   */
  replaceAbsentMember?: boolean;
  /**
   * A run of consecutive `remove`s of one array's elements at ascending indexes that fails as RFC 6902 reads it (each
   * index in the array the previous removal left) is read against the array as it was before the run: the Terraform
   * provider shrinks a flag's variations from 4 to 2 with `remove /variations/2` then `remove /variations/3`. Only a
   * patch that fails otherwise is read so; one that applies as RFC 6902 says keeps that meaning.
   */
  removeRunsFromBefore?: boolean;
}

/** True when `tokens` names a member that its (existing) parent object does not have. */
function isAbsentMember(doc: unknown, tokens: string[]): boolean {
  if (tokens.length === 0) return false;
  const { parent, last } = parentOf(doc, tokens);
  return isObject(parent) && !Object.hasOwn(parent, last);
}

/** The array pointer and index a `remove` of an array element names (by its pointer's form), else undefined. */
function removedElement(op: PatchOperation | undefined): { array: string; index: number } | undefined {
  if (op?.op !== 'remove') return undefined;
  const slash = op.path.lastIndexOf('/');
  const last = op.path.slice(slash + 1);
  return slash > 0 && /^(0|[1-9]\d*)$/.test(last) ? { array: op.path.slice(0, slash), index: Number(last) } : undefined;
}

/**
 * The patch with each run of consecutive removals from one array at strictly ascending indexes put in descending
 * order, which removes the elements those indexes name before the run; undefined when the patch has no such run.
 */
export function removeRunsFromBefore(ops: readonly PatchOperation[]): PatchOperation[] | undefined {
  const out: PatchOperation[] = [];
  let changed = false;
  for (let i = 0; i < ops.length; ) {
    const first = removedElement(ops[i]);
    let end = i + 1;
    if (first) {
      let previous = first.index;
      for (let next = removedElement(ops[end]); next && next.array === first.array && next.index > previous; next = removedElement(ops[end])) {
        previous = next.index;
        end++;
      }
    }
    const run = ops.slice(i, end);
    if (run.length > 1) changed = true;
    out.push(...(run.length > 1 ? run.reverse() : run));
    i = end;
  }
  return changed ? out : undefined;
}

/** Applies ops in order to a deep copy of doc; throws PatchError naming the first operation that fails. */
export function applyJsonPatch<T>(doc: T, ops: PatchOperation[], options: ApplyOptions = {}): T {
  try {
    return applyInOrder(doc, ops, options);
  } catch (err) {
    const reordered = options.removeRunsFromBefore && err instanceof PatchError && !err.testFailed ? removeRunsFromBefore(ops) : undefined;
    if (!reordered) throw err;
    try {
      return applyInOrder(doc, reordered, options);
    } catch {
      // The patch fails either way: the error of the patch as sent names the operation the client wrote.
      throw err;
    }
  }
}

function applyInOrder<T>(doc: T, ops: PatchOperation[], options: ApplyOptions): T {
  let result: unknown = clone(doc);
  ops.forEach((op, index) => {
    try {
      const tokens = parsePointer(op.path);
      switch (op.op) {
        case 'add':
          result = add(result, tokens, clone(op.value));
          break;
        case 'remove':
          result = remove(result, tokens).doc;
          break;
        case 'replace':
          if (options.replaceAbsentMember && isAbsentMember(result, tokens)) {
            result = add(result, tokens, clone(op.value));
            break;
          }
          getAt(result, op.path);
          result = tokens.length === 0 ? clone(op.value) : add(remove(result, tokens).doc, tokens, clone(op.value));
          break;
        case 'move': {
          const from = parsePointer(op.from!);
          if (op.path.startsWith(`${op.from}/`)) throw new Error('cannot move a value into itself');
          const { doc: without, removed } = remove(result, from);
          result = add(without, tokens, removed);
          break;
        }
        case 'copy':
          result = add(result, tokens, clone(getAt(result, op.from!)));
          break;
        case 'test': {
          let actual: unknown;
          try {
            actual = getAt(result, testedPointer(result, op.path));
          } catch {
            throw new PatchError(index, op.path, `test failed: ${op.path} does not exist`, true);
          }
          if (!deepEqual(actual, op.value)) {
            throw new PatchError(index, op.path, `test failed: ${op.path} is ${JSON.stringify(actual)}, not ${JSON.stringify(op.value)}`, true);
          }
          break;
        }
        default:
          throw new Error(`unknown op "${op.op}"`);
      }
    } catch (err) {
      if (err instanceof PatchError) throw err;
      throw new PatchError(index, op.path, `${op.op} ${op.path}: ${(err as Error).message}`);
    }
  });
  return result as T;
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch<T>(doc: T, patch: unknown): T {
  if (!isObject(patch)) return clone(patch) as T;
  const target: Record<string, unknown> = isObject(doc) ? clone(doc) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (FORBIDDEN.has(key)) throw new PatchError(-1, `/${key}`, `"${key}" is not an allowed key`);
    if (value === null) delete target[key];
    else target[key] = applyMergePatch(target[key], value);
  }
  return target as T;
}
