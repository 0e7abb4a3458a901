import { isMap, isNode, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { BerthFile } from '../../../shared/api/berth-file';

export interface BerthFileProblem {
  line: number;
  /** Dotted path of the field, empty for the file itself. */
  field: string;
  message: string;
}

export type BerthFileParse = { ok: true; file: BerthFile } | { ok: false; problems: BerthFileProblem[] };

/**
 * Reads a berth file: YAML syntax first, then the contract's schemas, each problem with the line it is on (the
 * closest enclosing line when a field is missing). Pure: the caller reads the file and prints the problems.
 */
export function parseBerthFile(text: string): BerthFileParse {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    return { ok: false, problems: doc.errors.map((e) => ({ line: lines.linePos(e.pos[0]).line, field: '', message: firstLine(e.message) })) };
  }
  const parsed = BerthFile.safeParse(doc.toJS() ?? {});
  if (parsed.success) return { ok: true, file: parsed.data };
  const problems = parsed.error.issues.flatMap((issue) => problemsOf(issue, doc, lines));
  return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
}

/** `berth.yaml:12: app.runtime.httpPort: expected a number`: the lines a CLI prints. */
export function formatProblems(fileName: string, problems: BerthFileProblem[]): string {
  return problems.map((p) => `${fileName}:${p.line}: ${p.field === '' ? '' : `${p.field}: `}${p.message}`).join('\n');
}

function problemsOf(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter): BerthFileProblem[] {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      line: lineOf(keyNode(doc, path, key) ?? nearest(doc, path), lines),
      field: [...path, key].join('.'),
      message: `is not a setting Berth knows; check its spelling (see the berth file section of the README)`,
    }));
  }
  return [{ line: lineOf(nearest(doc, path), lines), field: path.join('.'), message: messageOf(issue) }];
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const received = /received (\w+)/.exec(issue.message)?.[1];
    if (received === 'undefined') return `is missing (expected ${article(issue.expected)})`;
    return `expected ${article(issue.expected)}${received ? `, got ${article(received)}` : ''}`;
  }
  return issue.message;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The node at the path, or the deepest one above it that exists (a missing field points at its parent). */
function nearest(doc: Document, path: Array<string | number>): Node | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const found = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(found)) return found;
  }
  return null;
}

function keyNode(doc: Document, path: Array<string | number>, key: string): Node | null {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(parent)) return null;
  const pair = parent.items.find((item) => isNode(item.key) && (item.key as { value?: unknown }).value === key);
  return pair && isNode(pair.key) ? pair.key : null;
}

function lineOf(node: Node | null, lines: LineCounter): number {
  const offset = node?.range?.[0];
  return offset === undefined ? 1 : lines.linePos(offset).line;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}
