import { useEffect, useRef } from 'react';
import { useApp } from './storeContext';
import type { ExploreReport } from '../scenarios/report';
import { Counterexample } from './Counterexample';
import { BoundedResults } from './BoundedResults';
import { HerdVerdict } from './HerdVerdict';
import { MapSection } from './map/MapSection';
import { formatCount } from './formatCount';

const LOSES: Record<string, string> = {
  'lost-dirty-log': 'lose a gfn from the dirty log',
  'lost-dirty-bit': "lose a page's Dirty bit",
  'stale-mapping': 'map a pfn the host no longer uses for the gfn',
  'stale-tlb-write': 'write through a stale TLB entry',
  deadlock: 'deadlock',
};

export const fmt = formatCount;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What an execution count counts: under the reduction, paths of the reduced graph. */
const unit = (reduced: boolean, n: number) =>
  reduced
    ? `${n === 1 ? 'path' : 'paths'} of the reduced state graph`
    : n === 1
      ? 'interleaving'
      : 'interleavings';

/** Why an incomplete search stopped, for the banner. */
function stopped(report: ExploreReport): string {
  switch (report.stopReason) {
    case 'memory':
      return `it ran short of memory (${Math.round(report.bytes / 1e6)} MB held) after ${fmt(report.states)} states`;
    case 'cancelled':
      return `it was cancelled after ${fmt(report.states)} states`;
    default:
      return `it reached its budget of ${fmt(report.states)} states`;
  }
}

/**
 * The verdict in words, from the engine's own figures only: an incomplete
 * search names what it found (violating final states, the states explored)
 * and never an interleaving count it did not make.
 */
function Verdict({ report }: { report: ExploreReport }) {
  const reduced = report.reduction !== 'none';
  const kinds = Object.entries(report.complete ? report.violationsByKind : report.outcomesByKind);
  const finals = `${fmt(report.distinctOutcomes)} distinct final state${report.distinctOutcomes === 1 ? '' : 's'}, ${fmt(report.violatingOutcomes)} with a violation`;
  if (!report.complete || report.executions === null) {
    const found =
      report.violatingOutcomes === 0
        ? `No violation in the ${fmt(report.states)} states explored; the search is incomplete.`
        : `Violations in the ${fmt(report.states)} states explored (${kinds
            .map(([k, n]) => `${k}: ${fmt(n)} final state${n === 1 ? '' : 's'}`)
            .join(', ')}); the search is incomplete.`;
    return (
      <p className="explore-verdict" data-testid="explore-verdict">
        {found} {finals} reached.
      </p>
    );
  }
  const exec = report.executions;
  const main =
    kinds.length === 0
      ? `None of the ${fmt(exec)} ${unit(reduced, exec)} loses data.`
      : kinds
          .map(([k, n]) => `${fmt(n)} of ${fmt(exec)} ${unit(reduced, exec)} ${LOSES[k] ?? k}.`)
          .join(' ');
  return (
    <p className="explore-verdict" data-testid="explore-verdict">
      {main} {finals}; {fmt(report.states)} states in {fmt(report.ms)} ms ({report.reduction}).
      {reduced && (
        <span className="explore-note" data-testid="explore-counts-note">
          {' '}
          A path of the reduced graph stands for every interleaving that only reorders independent
          steps, so these counts are not shares of all interleavings; explore with the reduction off
          (CLI: <code>--naive</code>) for those.
        </span>
      )}
    </p>
  );
}

/** The verdict over every interleaving, the counterexample, and the final states (violating first). */
export function ExploreResults({ report, wallMs }: { report: ExploreReport; wallMs: number }) {
  const replay = useApp((s) => s.replay);
  const ref = useRef<HTMLDivElement>(null);
  // Focus moves to the results when they arrive (it was on Cancel while exploring).
  useEffect(() => ref.current?.focus(), [report]);
  const shown = report.outcomes.slice(0, 50);
  return (
    <div
      className="explore-results"
      data-testid="explore-results"
      ref={ref}
      tabIndex={-1}
      aria-label="Exploration results"
    >
      {!report.complete && (
        <p className="explore-incomplete" data-testid="explore-incomplete">
          The search is incomplete: {stopped(report)}. What follows covers only the states it
          reached; nothing was counted over the rest.
        </p>
      )}
      {report.litmus?.kind && <HerdVerdict verdict={report.litmus} />}
      <Verdict report={report} />
      <p className="explore-time" data-testid="explore-time">
        Wall time {seconds(wallMs)} (search and report); {fmt(report.steps)} engine steps.
      </p>
      {report.lockRules.length > 0 && (
        <ul className="lock-rules" data-testid="lock-rules">
          {report.lockRules.map((r) => (
            <li key={r.message} className="bad">
              <strong>{r.kind}</strong>: {r.message}
            </li>
          ))}
        </ul>
      )}
      <Counterexample report={report} />
      {report.bounded && <BoundedResults report={report.bounded} />}
      <MapSection report={report} />
      <details open={report.violatingOutcomes > 0}>
        <summary>
          Final states, violating first ({shown.length} of {fmt(report.distinctOutcomes)} shown)
        </summary>
        <ul className="outcomes" data-testid="explore-outcomes">
          {shown.map((o, i) => (
            <li key={i} className={o.violations.length ? 'bad' : 'ok'}>
              {o.violations.length ? o.violations.join(', ') : 'no violation'}
              {o.executions !== null &&
                ` (${fmt(o.executions)} ${unit(report.reduction !== 'none', o.executions)})`}{' '}
              <button
                type="button"
                onClick={() => void replay(o.witness, o.violationStep)}
                aria-label={`Replay final state ${i + 1}`}
              >
                Replay
              </button>
              {o.differs.length > 0 && (
                <span className="outcome-differs" data-testid="outcome-differs">
                  {' '}
                  {o.differs.join('; ')}
                </span>
              )}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
