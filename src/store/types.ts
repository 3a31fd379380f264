import type {
  EngineClientApi,
  ExploreProgress,
  ExploreRunner,
  ScenarioListing,
  TraceData,
} from '../worker/protocol';
import type { ExploreReport } from '../scenarios/report';
import type { Comparison } from '../scenarios/compare';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface CatalogSlice {
  scenarios: ScenarioListing[];
}

export interface TraceSlice {
  scenario: string;
  variant: string;
  /** 'canonical', or the explicit schedule the user built. */
  schedule: string;
  /** Parameters of a parameterised scenario (empty for the others). */
  params: Record<string, number>;
  /** The kernel version whose code and lock rules the trace follows. */
  kernel: string;
  /** The editor's scenario text when the trace is of it; null for a built-in. */
  text: string | null;
  trace: TraceData | null;
  status: LoadStatus;
  /** Loads a scenario/variant/schedule and puts the cursor at `step`. */
  open(req: OpenRequest): Promise<void>;
  selectScenario(id: string): Promise<void>;
  selectVariant(id: string): Promise<void>;
  setParam(name: string, value: number): Promise<void>;
  /** Re-runs the current scenario, variant and schedule with another kernel's code and rules. */
  selectKernel(version: string): Promise<void>;
  /** The user picks the thread that moves next at the cursor (forks the schedule if it differs). */
  choose(thread: number): Promise<void>;
  /** Finishes the current schedule: remaining threads run in index order. */
  runToEnd(): Promise<void>;
}

export interface OpenRequest {
  scenario: string;
  variant?: string;
  schedule?: string;
  step?: number | 'end';
  params?: Record<string, number>;
  kernel?: string;
  /** Scenario text to run instead of the built-in `scenario` (null or absent: the built-in). */
  text?: string | null;
  /** Where the request came from, for the error message on failure. */
  from?: 'url' | 'user';
  /** The message this load shows (it replaces any earlier one, which belonged to an earlier load). */
  note?: string;
}

export interface CursorSlice {
  /** Steps executed: 0 = initial state, trace.steps.length = end. */
  cursor: number;
  playing: boolean;
  /** Steps per second while playing. */
  speed: number;
  setCursor(n: number): void;
  stepForward(): void;
  stepBack(): void;
  toStart(): void;
  toEnd(): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  setSpeed(stepsPerSecond: number): void;
}

export interface UiSlice {
  talk: boolean;
  /** A message for the user (a broken link, a failed request); plain text only. */
  message: string | null;
  setTalk(on: boolean): void;
  showMessage(text: string | null): void;
}

export type Exploration =
  | { status: 'idle' }
  | {
      status: 'running';
      key: string;
      progress: ExploreProgress | null;
      startedAt: number;
      statesPerSecond: number;
    }
  /** `wallMs`: wall time from the click to the report, as the user waited it. */
  | { status: 'done'; key: string; report: ExploreReport; wallMs: number }
  | { status: 'cancelled'; key: string; progress: ExploreProgress | null; wallMs: number }
  | { status: 'error'; key: string; message: string };

export interface ExploreSlice {
  exploration: Exploration;
  /** Explores every interleaving of the current scenario (built-in or text), off the main thread. */
  explore(options?: {
    budget?: number;
    maxBytes?: number;
    preemptions?: number;
    /** Search threads (the partitioned search: the same result); 1 or absent: one. */
    workers?: number;
  }): Promise<void>;
  cancelExplore(): void;
  /** Loads a schedule found by the exploration into the timeline (and so the URL). */
  replay(schedule: string, step?: number | 'end'): Promise<void>;
  /** Replays the witness of the outcome map's final state at position `p`, at its violation. */
  replayOutcome(p: number): Promise<void>;
}

export interface TextSlice {
  /** The editor's text has edits not saved as a .litmus file or copied as a link. */
  textUnsaved: boolean;
  setTextUnsaved(unsaved: boolean): void;
  /**
   * Whether the text scenario on screen may make way for `next` (another text,
   * or null: a built-in): asks the user when it has unsaved edits.
   */
  mayReplaceText(next: string | null): boolean;
}

/** The side-by-side view; `other` is B as a link writes it (`pinned@6.12`), `key` the A it is for. */
export type CompareView =
  | { status: 'off' }
  | { status: 'loading'; other: string; key: string }
  | { status: 'ready'; other: string; key: string; result: Comparison; line: number }
  | { status: 'error'; other: string; key: string; message: string };

export interface CompareSlice {
  comparison: CompareView;
  /** Compares the current run (A) with `other` (variant, variant@kernel or @kernel), at aligned line `line`. */
  compareWith(other: string, line?: number): Promise<void>;
  closeCompare(): void;
  /** Moves the comparison to `line` aligned lines done; the main cursor follows side A. */
  setCompareLine(line: number): void;
}

export type AppState = CatalogSlice &
  TraceSlice &
  CursorSlice &
  UiSlice &
  ExploreSlice &
  TextSlice &
  CompareSlice;

export interface StoreDeps {
  client: EngineClientApi;
  explorer: ExploreRunner;
  /** Asks the user a yes/no question (window.confirm in the page); absent: yes. */
  confirm?: (message: string) => boolean;
}
