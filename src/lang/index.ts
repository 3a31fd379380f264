/**
 * The scenario-text layer's public surface: parse a litmus test to an engine
 * instance (never throwing: errors are data with line and column), and the
 * pure functions that turn an exploration into herd7's verdict.
 */
import { ScenarioError, type KernelVersion, type ScenarioInstance } from '../engine';
import { LitmusError } from './ast';
import { compileLitmus, type LitmusTest } from './compiler';
import { parseLitmus } from './parser';

export interface ParseError {
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  message: string;
}

export type ParseResult =
  { ok: true; instance: ScenarioInstance; test: LitmusTest } | { ok: false; errors: ParseError[] };

export interface ParseOptions {
  kernel?: KernelVersion;
  /** Iterations after which a `while` loop is cut (default 4). */
  loopBound?: number;
}

/**
 * @example
 * const r = parseScenario('C t\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)');
 * if (r.ok) exploreStateGraph(r.instance);
 */
export function parseScenario(text: string, options: ParseOptions = {}): ParseResult {
  try {
    const ast = parseLitmus(text);
    const { instance, test } = compileLitmus(ast, options);
    return { ok: true, instance, test };
  } catch (error) {
    if (error instanceof LitmusError) {
      const e: ParseError = { line: error.pos.line, col: error.pos.col, message: error.message };
      if (error.endPos) {
        e.endLine = error.endPos.line;
        e.endCol = error.endPos.col;
      }
      return { ok: false, errors: [e] };
    }
    if (error instanceof ScenarioError || error instanceof RangeError)
      return { ok: false, errors: [{ line: 1, col: 1, message: error.message }] };
    throw error;
  }
}

export type { LitmusTest } from './compiler';
export { DEFAULT_LOOP_BOUND, MAX_LITMUS_THREADS } from './compiler';
export { MAX_TEXT, MAX_DEPTH } from './parser';
export {
  litmusResult,
  formatHerd,
  evalProp,
  showValue,
  type LitmusResult,
  type FinalState,
  type Observation,
} from './outcomes';
export { PRIMITIVES, nearest } from './primitives';
export { exploreLitmus } from './explore';
export { herdVerdict, type HerdVerdict } from './verdict';
export { printScenario, printOp, printExpr } from './printer';
