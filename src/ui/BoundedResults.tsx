import { useApp } from './storeContext';
import type { BoundedReport } from '../scenarios/preemptionReport';
import { explainPreemptions } from './Counterexample';
import { fmt } from './ExploreResults';

const preemptions = (n: number) => `${n} preemption${n === 1 ? '' : 's'}`;

/**
 * The preemption-bounded search in words: the fewest preemptions a violation
 * needs within the bound, or that none exists within it, with each bound's
 * search (every figure is the engine's, over its whole search at that bound).
 */
export function BoundedResults({ report }: { report: BoundedReport }) {
  const replay = useApp((s) => s.replay);
  const ce = report.counterexample;
  const below = report.needed ? report.searches[report.needed - 1] : undefined;
  // "none with N−1" only when the search at N−1 covered every schedule.
  const fewer = !below
    ? ''
    : below.complete
      ? `; none with ${below.bound}`
      : `; the search with ${below.bound} hit its budget, so fewer is not ruled out`;
  const verdict =
    report.needed !== null
      ? `Needs ${preemptions(report.needed)}${fewer}.`
      : report.complete
        ? `No violation with at most ${preemptions(report.bound)}.`
        : `No violation found with at most ${preemptions(report.bound)}, but the search hit its budget: it is incomplete.`;
  return (
    <div className="explore-bounded" data-testid="explore-bounded">
      <p>
        <strong>Preemption bound {report.bound}:</strong>{' '}
        <span data-testid="bounded-verdict">{verdict}</span>{' '}
        {ce && (
          <>
            <button type="button" onClick={() => void replay(ce.schedule, ce.violationStep)}>
              Replay bounded counterexample
            </button>{' '}
            <code className="schedule">{ce.schedule}</code>
          </>
        )}
      </p>
      {ce && (
        <ul className="plain">
          {explainPreemptions(ce.preemptions).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <ul className="plain" data-testid="bounded-searches">
        {report.searches.map((s) => (
          <li key={s.bound}>
            At most {preemptions(s.bound)}:{' '}
            {s.found
              ? `a violation, found after ${fmt(s.states)} states (the search stops at the first).`
              : s.complete
                ? `${fmt(s.states)} states, no violation.`
                : `${fmt(s.states)} states, then the budget: no violation found, the search is incomplete.`}
          </li>
        ))}
      </ul>
    </div>
  );
}
