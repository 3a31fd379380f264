import type { CheckKind } from './model';
import type { LockRuleFinding } from './lockGraph';
import type { OutcomeTable } from './outcomeTable';

/** Why a search stopped before covering every interleaving. */
export type StopReason = 'states' | 'memory' | 'cancelled' | 'first-violation';

/** Bounds and hooks of an exploration, in one object (as loom's `Builder`). */
export interface ExploreOptions {
  /** Stop after this many distinct states (graph search) or executions (enumeration). */
  budget?: number;
  /**
   * Stop when the search's own estimate of the bytes it holds (state store,
   * per-state arrays) passes this; graph search only. Default 1 GB.
   */
  maxBytes?: number;
  /**
   * Polled with `shouldStop`; true stops the search for lack of memory. The
   * engine stays pure: a caller that can see the process's memory (node's
   * `process.memoryUsage`) passes the check in.
   */
  memoryShort?: () => boolean;
  /** Called at least every 100 ms of work (by `now`) with the work done so far. */
  onProgress?: (p: ExploreProgress) => void;
  /** A clock in milliseconds, for progress intervals; default `performance.now`. */
  now?: () => number;
  /** Polled now and then; returning true stops the search (result: incomplete). */
  shouldStop?: () => boolean;
  /** Partial-order reduction by stubborn sets (graph search only). Default true. */
  por?: boolean;
  /** Stop at the first final state with a violation (the result is then incomplete). */
  stopAtFirstViolation?: boolean;
  /** How many outcomes to list (violating ones first); the counts cover all. Default all. */
  maxOutcomes?: number;
  /** Keep every distinct final state compactly (`outcomeTable`), for the outcome map. */
  keepOutcomes?: boolean;
}

export interface ExploreProgress {
  /** `exploring` while the search runs; `building-report` once it has stopped. */
  phase: 'exploring' | 'building-report';
  states: number;
  /** Distinct final states found so far, and how many of them violate a check. */
  outcomes: number;
  violatingOutcomes: number;
  /** The search's estimate of the bytes it holds. */
  bytes: number;
  /** Set with `building-report` when the search stopped early. */
  stopReason?: StopReason;
}

export interface ExploreResult {
  /**
   * Complete interleavings covered: maximal paths of the explored graph
   * (under `por+hash`, of the reduced graph, far fewer than all
   * interleavings). Null when the search is incomplete: it did not count them.
   */
  executions: number | null;
  /** Distinct machine states visited. */
  states: number;
  /** Distinct final states reached (memory, ghost state and which threads finished). */
  distinctOutcomes: number;
  /** Of those, how many violate a check: over the whole search, never a truncated list. */
  violatingOutcomes: number;
  /** Distinct final states reached per violation kind. */
  outcomesByKind: Partial<Record<CheckKind, number>>;
  /** Of `executions`, how many end in a violation; null when incomplete. */
  violatingExecutions: number | null;
  /** Per kind, of `executions`; empty when incomplete. */
  violationsByKind: Partial<Record<CheckKind, number>>;
  /** True when every interleaving was covered within the budget. */
  complete: boolean;
  /** Why the search stopped early; null when complete. */
  stopReason: StopReason | null;
  /**
   * A shortest schedule that ends in a violation, or null. When incomplete,
   * the shortest found so far.
   */
  counterexample: number[] | null;
  /**
   * `none`: no reduction, every interleaving covered (one by one, or
   * counted through the state graph, which expands each state once).
   * `por+hash`: the state graph, exploring only a stubborn set of threads at
   * each state (see por.ts). Both take thread-local steps eagerly.
   */
  reduction: 'none' | 'por+hash';
  method: 'state-graph' | 'enumeration';
  /** Engine steps executed by the search. */
  steps: number;
  /** Bytes the search held at the end, by its own estimate (graph search). */
  bytes: number;
  /** Distinct final states (violating first; see maxOutcomes): violations and a schedule reaching each. */
  outcomes: Outcome[];
  /** Lock rules broken anywhere in the explored runs (lockdep-style; graph search only). */
  lockRules: LockRuleFinding[];
  /** Every distinct final state, compactly; only with `keepOutcomes` (graph search). */
  outcomeTable?: OutcomeTable;
}

export interface Outcome {
  /** The final state's identity (memory and finished threads), compared as a string. */
  key: string;
  violations: CheckKind[];
  /** A complete schedule that ends in this state. */
  witness: number[];
  /** Complete schedules (of the search that ran) ending in this state; null when incomplete. */
  executions: number | null;
  /** The final state itself. */
  state: Int32Array;
}

/** The kinds a final state can violate (lock rules are reported separately, in lockRules). */
export const KINDS: CheckKind[] = [
  'lost-dirty-log',
  'lost-dirty-bit',
  'stale-mapping',
  'stale-tlb-write',
  'deadlock',
];

/** The kinds set in `mask`, a bit mask over KINDS. */
export const kindsOf = (mask: number): CheckKind[] => KINDS.filter((_, i) => mask & (1 << i));

/** Per-kind counts from `count(i)` for KINDS[i], keeping only the kinds that occur. */
export function countByKind(count: (i: number) => number): Partial<Record<CheckKind, number>> {
  const r: Partial<Record<CheckKind, number>> = {};
  KINDS.forEach((k, i) => count(i) && (r[k] = count(i)));
  return r;
}
