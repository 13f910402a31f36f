/**
 * Where things are in a fixture file's text, so every problem can name a line
 * and a column: the node a JSON pointer names (its key, or its value), the
 * first syntax error of a JSON file (JSON.parse often does not say where), and
 * YAML syntax errors placed on the line that holds the slip (the yaml parser
 * reports a line indented too deep on the line above it).
 */
import { type Document, LineCounter, type Node, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

export interface SyntaxProblem extends Position {
  message: string;
}

/** Line and column (1-based) of each offset in `text`. */
function positionsOf(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}

/** The parsed text, for `locate`; JSON is read as YAML here (it is YAML's flow style), for positions only. */
export function readPositions(text: string): { locate(pointer: string, at: 'key' | 'value'): Position | undefined } {
  const lines = new LineCounter();
  let doc: Document.Parsed | undefined;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  } catch {
    doc = undefined;
  }
  const toPosition = (offset: number): Position => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return {
    /** The node the pointer names; for a missing one, its nearest existing parent (where the property would go). */
    locate(pointer, at) {
      if (!doc?.contents) return undefined;
      let node: unknown = doc.contents;
      let found: Node | undefined = doc.contents as Node;
      const parts = pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      for (const [index, part] of parts.entries()) {
        const last = index === parts.length - 1;
        if (isMap(node)) {
          const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === part);
          if (!pair) break;
          if (last && at === 'key' && isScalar(pair.key)) {
            found = pair.key;
            break;
          }
          node = pair.value;
          if (node === null) {
            // `key:` with nothing after it: the key is where the value goes.
            found = isScalar(pair.key) ? pair.key : found;
            break;
          }
        } else if (isSeq(node)) {
          const item = node.items[Number(part)];
          if (item === undefined || !/^\d+$/.test(part)) break;
          node = item;
        } else {
          break;
        }
        found = node as Node;
      }
      const range = found?.range;
      return range ? toPosition(range[0]) : undefined;
    },
  };
}

const describeChar = (char: string | undefined): string => (char === undefined ? 'the end of the file' : char === '\n' ? 'a line break' : `'${char}'`);

/** The first syntax error of a JSON text, where it is; undefined when the text is valid JSON. */
export function findJsonSyntaxError(text: string): SyntaxProblem | undefined {
  let i = 0;
  const at = positionsOf(text);
  const fail = (message: string, offset = i): never => {
    throw Object.assign(new Error(message), { offset });
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): void => {
    const start = i;
    i++; // the opening quote
    for (;;) {
      const char = text[i];
      if (char === undefined || char === '\n') fail(`the string that starts here has no closing quote`, start);
      if (char === '"') {
        i++;
        return;
      }
      if (char! < ' ') fail('a control character inside a string must be escaped');
      if (char === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('\\u must be followed by 4 hexadecimal digits');
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail(`${describeChar(next)} cannot be escaped in JSON`, i + 1);
      } else i++;
    }
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{') {
      i++;
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${describeChar(text[i])}`);
        string();
        space();
        if (text[i] !== ':') fail(`expected ':' after the property name, found ${describeChar(text[i])}`);
        i++;
        value();
        space();
        if (text[i] === ',') {
          i++;
          space();
          if (text[i] === '}') fail("a trailing comma before '}' is not allowed in JSON", i);
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}' after a property value, found ${describeChar(text[i])}`);
      }
    }
    if (char === '[') {
      i++;
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text[i] === ',') {
          i++;
          space();
          if (text[i] === ']') fail("a trailing comma before ']' is not allowed in JSON", i);
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']' after an array item, found ${describeChar(text[i])}`);
      }
    }
    if (char === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (literal) {
      i += literal[0].length;
      return;
    }
    fail(char === "'" ? 'strings must be in double quotes in JSON' : `expected a value, found ${describeChar(char)}`);
  };
  try {
    value();
    space();
    if (i < text.length) fail(`unexpected ${describeChar(text[i])} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    const offset = (error as { offset?: number }).offset ?? i;
    return { ...at(offset), message: (error as Error).message };
  }
}

/** Indentation (spaces) of the line that holds `offset`, and where that line's text starts. */
function lineAt(text: string, offset: number): { start: number; indent: number; end: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  let indent = 0;
  while (text[start + indent] === ' ') indent++;
  return { start, indent, end };
}

/** The last quote before `offset` that opens a value (after `key: `, `- `, `[`, `{` or `,`). */
function findOpeningQuote(text: string, quote: string, offset: number): number | undefined {
  const opener = new RegExp(`(?:^|[:\\-\\[{,])[ \\t]*${quote}`, 'gm');
  let found: number | undefined;
  for (const match of text.slice(0, offset).matchAll(opener)) found = (match.index ?? 0) + match[0].length - 1;
  return found;
}

const INDENTATION_CODES = new Set(['BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY']);

/**
 * The YAML syntax errors of `text`, one per line, each where the slip is:
 * a line indented deeper than it may be is reported by the parser on the line
 * above (its value seems to run on); such an error is moved to that line. An
 * error placed at the start of an indented line points at its first character.
 */
export function findYamlSyntaxErrors(text: string): SyntaxProblem[] {
  const doc = parseDocument(text, { prettyErrors: false });
  const at = positionsOf(text);
  const seen = new Set<number>();
  const problems: SyntaxProblem[] = [];
  for (const error of doc.errors) {
    let offset = error.pos[0];
    let message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const line = lineAt(text, offset);
    if (INDENTATION_CODES.has(error.code) && line.end < text.length) {
      const next = lineAt(text, line.end + 1);
      if (next.indent > line.indent && text.slice(next.start + next.indent, next.end).trim() !== '') {
        offset = next.start + next.indent;
        message = `this line is indented deeper than the line above allows (${message})`;
      }
    }
    const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
    if (quote) {
      // Reported at the end of the file; the slip is the quote that opened the string.
      const opening = findOpeningQuote(text, quote, offset);
      if (opening !== undefined) {
        offset = opening;
        message = `the string that starts here has no closing ${quote}`;
      }
    }
    const where = lineAt(text, offset);
    if (offset === where.start) offset += where.indent;
    const position = at(offset);
    if (seen.has(position.line)) continue;
    seen.add(position.line);
    problems.push({ ...position, message });
  }
  return problems;
}
