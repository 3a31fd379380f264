/**
 * `lockstep compare <scenario> --variant A --with B [--kernel K] [--kernel-b K2]
 * [--param k=v]... [--schedule S] [--json]`: its own parser and printer, so
 * the shared args.ts only routes to it. `compare FILE --with @K2` compares
 * scenario text (FILE as in files.ts) with itself on another kernel.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isFileArg, readFileArg } from './files';
import {
  compareReport,
  sideOrError,
  type CompareReport,
  type CompareSide,
  type CompareStep,
} from '../scenarios/compareReport';
import { quoteArg } from '../scenarios/quote';
import { UsageError, type Params } from '../scenarios/report';

export interface CompareCommand {
  /** A built-in's id, or with `file` the text's display name. */
  scenario: string;
  /** A FILE argument (.litmus, a path with /, or - for stdin): scenario text. */
  file?: string;
  a: CompareSide;
  b: CompareSide;
  params: Params;
  schedule?: string;
  json: boolean;
}

export const COMPARE_USAGE =
  'npm run cli -- compare <scenario> [--variant A] --with B|B@K2|@K2 [--kernel K] [--kernel-b K2] [--param k=v]... [--schedule S] [--json], or compare FILE --with @K2 [--kernel K] [--schedule S] [--json]';

const options = {
  variant: { type: 'string' },
  with: { type: 'string' },
  kernel: { type: 'string' },
  'kernel-b': { type: 'string' },
  param: { type: 'string', multiple: true },
  schedule: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** argv after `compare`: the command, or a one-line error. */
export function parseCompare(argv: readonly string[]): CompareCommand | string {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /^Unknown option '([\s\S]*?)'\./.exec(message);
    if (unknown?.[1] !== undefined)
      return `unknown option ${quoteArg(unknown[1])} for compare (usage: ${COMPARE_USAGE})`;
    return (message.split(/\.(?:\s|$)/)[0] ?? message).replace(/^./, (c) => c.toLowerCase());
  }
  const { values, positionals } = parsed;
  const [scenario, extra] = positionals;
  if (scenario === undefined) return 'compare needs a scenario id (see: npm run cli -- list)';
  if (extra !== undefined) return `unexpected argument ${quoteArg(extra)}`;
  const file = isFileArg(scenario) ? scenario : undefined;
  // Scenario text has one build per kernel, so --kernel-b alone names B.
  if (values.with === undefined && (file === undefined || values['kernel-b'] === undefined))
    return file === undefined
      ? 'compare needs --with: the other variant (pinned), kernel (@7.2) or both (pinned@7.2)'
      : 'compare FILE needs the other kernel: --with @7.2 or --kernel-b 7.2';
  const b = values.with === undefined ? {} : sideOrError(values.with, '--with');
  if (typeof b === 'string') return b;
  if (values['kernel-b'] !== undefined) {
    if (b.kernel !== undefined)
      return `B's kernel is given twice: --with ${quoteArg(values.with ?? '')} and --kernel-b ${quoteArg(values['kernel-b'])}`;
    b.kernel = values['kernel-b'];
  }
  if (file !== undefined && values.variant !== undefined)
    return `scenario text has no variants: drop --variant and compare ${quoteArg(file)} on another kernel (--with @7.2)`;
  if (file !== undefined && b.variant !== undefined)
    return `scenario text has no variants: --with ${quoteArg(values.with ?? '')} must name only a kernel (e.g. @7.2)`;
  if (file !== undefined && values.param !== undefined)
    return '--param does not apply to scenario text (its values are in the text)';
  const params: Params = {};
  for (const pair of values.param ?? []) {
    const m = /^([A-Za-z][\w-]*)=(.+)$/.exec(pair);
    if (!m?.[1] || m[2] === undefined) return `--param expects key=value, got ${quoteArg(pair)}`;
    if (Object.hasOwn(params, m[1])) return `--param ${m[1]} given twice`;
    params[m[1]] = m[2];
  }
  if (values.schedule === '') return '--schedule needs a value: canonical or a schedule';
  const a: CompareSide = {
    ...(values.variant !== undefined && { variant: values.variant }),
    ...(values.kernel !== undefined && { kernel: values.kernel }),
  };
  // Unnamed, B's kernel is A's (compareTraces), so --kernel 7.2 --with pinned compares on 7.2.
  return {
    scenario: file === '-' ? '<stdin>' : scenario,
    ...(file !== undefined && { file }),
    a,
    b,
    params,
    json: values.json ?? false,
    ...(values.schedule !== undefined && { schedule: values.schedule }),
  };
}

/** Width of each of the two columns, like locking.rst's CPU 0 | CPU 1 tables. */
const COLUMN = 58;

function cell(s: CompareStep | null): string {
  if (s === null) return '';
  const text = `${s.step + 1} ${s.thread}: ${s.text.replace(/\s+/g, ' ')}${s.outcome ? ` → ${s.outcome}` : ''}`;
  return text.length > COLUMN ? `${text.slice(0, COLUMN - 1)}…` : text;
}

/** Text counts steps and lines from 1, as the app does; the JSON keeps 0-based indices. */
export function formatCompare(r: CompareReport): string {
  const name = (s: CompareReport['a']) => `${r.scenario} ${s.variant} (${s.kernel})`;
  const out = [
    `A: ${name(r.a)}, ${r.a.steps} steps  |  B: ${name(r.b)}, ${r.b.steps} steps`,
    r.rowsFrom === 'story'
      ? `rows: A's story, ${r.rows.length} rows; B ${r.bFollows === 'own-story' ? 'runs its own story (same rows)' : "stops each thread where A's stopped"}`
      : `rows: A's schedule, ${r.rows.length} rows (the story's while it follows the story, then one per thread run); B stops each thread where A's stopped`,
    '',
    `      ${'A'.padEnd(COLUMN)} | B`,
  ];
  let row = -1;
  r.lines.forEach((l, i) => {
    if (l.row !== row) {
      row = l.row;
      const text = r.rows[row]?.text;
      out.push(`-- row ${row + 1}${text ? `: ${text}` : ''}`);
    }
    const mark =
      r.divergence?.line === i ? '>>' : r.onlyA?.line === i || r.onlyB?.line === i ? '!!' : '  ';
    out.push(`${mark}${String(i + 1).padStart(4)} ${cell(l.a).padEnd(COLUMN)} | ${cell(l.b)}`);
  });
  out.push('');
  const d = r.divergence;
  out.push(
    d
      ? `>> first divergence: line ${d.line + 1} (A ${d.a === null ? '-' : `step ${d.a + 1}`}, B ${d.b === null ? '-' : `step ${d.b + 1}`}): ${d.detail}`
      : 'no divergence: every aligned step runs the same op with the same effect',
  );
  for (const loss of [r.onlyA, r.onlyB]) {
    if (!loss) continue;
    const side = loss.side.toUpperCase();
    out.push(
      `!! only ${side} ${loss.kind} at ${side} step ${loss.step + 1} (line ${loss.line + 1}): ${loss.message}`,
    );
  }
  if (!r.onlyA && !r.onlyB) {
    const kinds = [...new Set(r.a.violations.map((v) => v.kind))];
    out.push(
      kinds.length > 0
        ? `both sides end in the same violation kinds: ${kinds.join(', ')}`
        : 'neither side has a violation',
    );
  }
  return out.join('\n');
}

export function runCompare(
  command: CompareCommand,
  readStdin: () => string = () => readFileSync(0, 'utf8'),
): string {
  const file = command.file;
  const text =
    file === undefined
      ? undefined
      : readFileArg(file, command.scenario, readStdin, (m) => new UsageError(m));
  let report;
  try {
    report = compareReport(command.scenario, command.a, command.b, {
      params: command.params,
      ...(command.schedule !== undefined && { schedule: command.schedule }),
      ...(text !== undefined && { text }),
    });
  } catch (e) {
    // A parse error names the file, as `run FILE` does: `t.litmus: line 3:5: ...`.
    if (text !== undefined && e instanceof UsageError)
      throw new UsageError(`${command.scenario}: ${e.message}`);
    throw e;
  }
  return command.json ? JSON.stringify(report, null, 2) : formatCompare(report);
}
