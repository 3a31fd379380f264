import { useEffect, useRef, useState } from 'react';
import { useApp } from './storeContext';
import { exploreKey } from '../store/exploreSlice';
import { ExploreResults, fmt, seconds } from './ExploreResults';
import type { ExploreProgress } from '../worker/protocol';

export const BUDGET = 2_000_000;
/** A browser tab holds less than node: stop with a message well before it would die. */
export const MAX_BYTES = 512_000_000;

/** Re-renders every `ms` while `on`, for a clock that moves. */
function useTick(on: boolean, ms = 250): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!on) return;
    const id = setInterval(() => setNow(performance.now()), ms);
    return () => clearInterval(id);
  }, [on, ms]);
  return now;
}

/** Progress in words: phase, wall time, what was found so far. */
function Progress({
  progress,
  startedAt,
  budget,
}: {
  progress: ExploreProgress | null;
  startedAt: number;
  budget: number;
}) {
  const now = useTick(true);
  const building = progress?.phase === 'building-report';
  const stop = progress?.stopReason;
  return (
    <>
      {building ? (
        // The budget bar means nothing once the search has stopped: indeterminate.
        <progress aria-label="Building the report" />
      ) : (
        <progress
          max={budget}
          value={progress?.states ?? 0}
          aria-label="States explored of the budget"
        />
      )}
      <span data-testid="explore-progress" aria-live="polite">
        {building
          ? stop === 'states'
            ? `Budget of ${fmt(progress?.states ?? 0)} states reached: building the report of what was found`
            : stop === 'memory'
              ? `Memory budget reached: building the report of what was found`
              : 'Search complete: building the report'
          : 'Exploring'}
        {', '}
        {seconds(Math.max(0, now - startedAt))} elapsed; {fmt(progress?.states ?? 0)} states,{' '}
        {fmt(progress?.outcomes ?? 0)} final states ({fmt(progress?.violatingOutcomes ?? 0)}{' '}
        violating), {Math.round((progress?.bytes ?? 0) / 1e6)} MB
      </span>
    </>
  );
}

/** The machine's cores, at most 8: each search thread holds a part of the graph. */
const CORES = Math.max(1, Math.min(globalThis.navigator?.hardwareConcurrency ?? 1, 8));

/**
 * Search threads. One by default: measured on 2 cores, the partitioned search
 * is slower than one thread (README, "All cores"); it gives the same result,
 * so choosing more threads changes only the time.
 */
function ThreadsChoice({ value, onChange }: { value: number; onChange: (n: number) => void }) {
  if (CORES < 2) return null;
  return (
    <label className="explore-budget">
      Search threads{' '}
      <select
        value={value}
        data-testid="explore-threads"
        onChange={(e) => onChange(Number(e.target.value))}
      >
        {Array.from({ length: CORES }, (_, i) => i + 1).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Explore every interleaving in a worker: progress, Cancel, results. */
export function ExplorePanel() {
  const exploration = useApp((s) => s.exploration);
  const key = useApp(exploreKey);
  const explore = useApp((s) => s.explore);
  const cancel = useApp((s) => s.cancelExplore);
  const mine = exploration.status !== 'idle' && exploration.key === key;
  const running = exploration.status === 'running' && mine;
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [budget, setBudget] = useState(BUDGET);
  // Text, not a number: blank means unbounded, and anything else must be a whole number.
  const [bound, setBound] = useState('');
  const [threads, setThreads] = useState(1);
  const boundValue = bound.trim() === '' ? undefined : Number(bound.trim());
  const boundBad =
    boundValue !== undefined && !(Number.isSafeInteger(boundValue) && boundValue >= 0);
  // Focus goes to Cancel while exploring, so Space/Enter stops the search.
  useEffect(() => {
    if (running) cancelRef.current?.focus();
  }, [running]);
  return (
    <section className="explore" aria-label="Explore every interleaving" data-testid="explore">
      <div className="explore-bar">
        {exploration.status === 'running' && mine ? (
          <>
            <Progress
              progress={exploration.progress}
              startedAt={exploration.startedAt}
              budget={budget}
            />
            <button type="button" onClick={cancel} ref={cancelRef}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              disabled={boundBad}
              onClick={() =>
                void explore({
                  budget,
                  maxBytes: MAX_BYTES,
                  ...(boundValue !== undefined && { preemptions: boundValue }),
                  ...(threads > 1 && { workers: threads }),
                })
              }
            >
              Explore all interleavings
            </button>
            <label className="explore-budget">
              State budget{' '}
              <input
                type="number"
                min={1}
                step={1}
                value={budget}
                onChange={(e) => {
                  const n = Math.floor(Number(e.target.value));
                  if (Number.isSafeInteger(n) && n > 0) setBudget(n);
                }}
              />
            </label>
            <label className="explore-budget">
              Preemption bound{' '}
              <input
                type="text"
                inputMode="numeric"
                size={4}
                placeholder="none"
                value={bound}
                aria-invalid={boundBad}
                aria-describedby={boundBad ? 'explore-bound-error' : undefined}
                onChange={(e) => setBound(e.target.value)}
              />
            </label>
            <ThreadsChoice value={threads} onChange={setThreads} />
            {boundBad && (
              <span className="bad" id="explore-bound-error" data-testid="bound-error">
                The preemption bound is a whole number, 0 or more (blank: unbounded).
              </span>
            )}
          </>
        )}
        {exploration.status === 'cancelled' && mine && (
          <span data-testid="explore-cancelled">
            Cancelled after {seconds(exploration.wallMs)}
            {exploration.progress &&
              `, with ${fmt(exploration.progress.states)} states explored and ${fmt(
                exploration.progress.violatingOutcomes,
              )} violating final states found (the search is incomplete; rerun it to replay them)`}
            .
          </span>
        )}
        {exploration.status === 'error' && mine && (
          <span className="bad">{exploration.message}</span>
        )}
      </div>
      {exploration.status === 'done' && mine && (
        <ExploreResults report={exploration.report} wallMs={exploration.wallMs} />
      )}
    </section>
  );
}
