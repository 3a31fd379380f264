import { useApp } from './storeContext';
import type { ExploreReport } from '../scenarios/report';
import type {
  FewestReport,
  MinimizedReport,
  PreemptionReport,
} from '../scenarios/preemptionReport';
import { groupDigits } from './formatCount';

const TIMES = ['no times', 'once', 'twice'];
const times = (n: number) => TIMES[n] ?? `${n} times`;
const preemptionsWord = (n: number) => `${n} preemption${n === 1 ? '' : 's'}`;

/**
 * The minimised counterexample's preemptions in words, one line per
 * preempted thread: each is load-bearing (the minimiser keeps only those,
 * and the report's claim is checked by replay), so each says "required".
 */
export function explainPreemptions(ps: readonly PreemptionReport[]): string[] {
  const byThread = new Map<string, PreemptionReport[]>();
  for (const p of ps) byThread.set(p.fromName, [...(byThread.get(p.fromName) ?? []), p]);
  return [...byThread].map(([name, list]) => {
    const where = list
      .map(
        (p) => `after ${p.after ? `“${p.after}”` : `its step`} (step ${p.step}), for ${p.toName}`,
      )
      .join('; and ');
    const why =
      list.length === 1
        ? 'required — without it the violation does not happen'
        : 'each required — without any one of them the violation does not happen';
    return `${name} is preempted ${times(list.length)}, ${where}: ${why}.`;
  });
}

/** "needs N preemptions; none with N−1", from the engine's bounded searches. */
export function fewestSentence(f: FewestReport): string {
  if (f.needed === 0)
    return 'Needs no preemption: a schedule that switches threads only where they block reaches it.';
  const below = f.below
    ? `; none with ${f.below.bound} (${groupDigits(f.below.states)} states searched at that bound)`
    : '';
  return `Needs ${preemptionsWord(f.needed)}${below}.`;
}

/**
 * What the minimised counterexample is, before its schedule: 1-minimal (no
 * single preemption can go) is not minimum, so the heading says whether it
 * has the fewest preemptions any violating schedule needs, and where it came
 * from (the CLI's `explore` says the same).
 */
export function minimizedHeading(
  lead: string,
  min: Pick<MinimizedReport, 'preemptions' | 'originalPreemptions' | 'from' | 'minimum'>,
  shortest: number,
): string {
  const count = preemptionsWord(min.preemptions.length);
  if (min.from === 'fewest-preemptions')
    return `${lead} with the fewest preemptions, ${count} (the shortest counterexample has ${shortest}):`;
  const minimised = `${lead}, minimised to ${count} (from ${min.originalPreemptions})`;
  return min.minimum
    ? `${minimised}, the fewest any violating schedule needs:`
    : `${minimised}; each is required, but a schedule with fewer may exist (the search for the fewest stopped at its budget):`;
}

/**
 * The counterexample as a reader wants it: minimised to the preemptions it
 * needs (replayed by default), why each is there, how few any violation
 * needs, and the shortest raw counterexample still one click away.
 */
export function Counterexample({ report }: { report: ExploreReport }) {
  const replay = useApp((s) => s.replay);
  const ce = report.counterexample;
  if (!ce) return null;
  const min = ce.minimized;
  const few = report.fewestPreemptions;
  const lead = report.complete ? 'Counterexample' : 'Counterexample found so far';
  return (
    <div className="counterexample" data-testid="counterexample">
      {min ? (
        <>
          <p>
            {minimizedHeading(lead, min, ce.preemptions)}{' '}
            <button type="button" onClick={() => void replay(min.schedule, min.violationStep)}>
              Replay counterexample
            </button>{' '}
            <code className="schedule" data-testid="minimized-schedule">
              {min.schedule}
            </code>
          </p>
          <ul className="plain" data-testid="preemption-explanation">
            {min.preemptions.length === 0 && (
              <li>No preemption: threads switch only where one blocks or finishes.</li>
            )}
            {explainPreemptions(min.preemptions).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>
          {lead}:{' '}
          <button type="button" onClick={() => void replay(ce.schedule, ce.violationStep)}>
            Replay counterexample
          </button>{' '}
          <code className="schedule">{ce.schedule}</code>
        </p>
      )}
      {few && (
        <p data-testid="fewest-preemptions">
          {fewestSentence(few)}{' '}
          {few.needed > 0 && (min === null || few.needed < min.preemptions.length) && (
            <button type="button" onClick={() => void replay(few.schedule, few.violationStep)}>
              Replay with {preemptionsWord(few.needed)}
            </button>
          )}
        </p>
      )}
      {min && (
        <p className="explore-note">
          Shortest counterexample (as found):{' '}
          <button type="button" onClick={() => void replay(ce.schedule, ce.violationStep)}>
            Replay shortest
          </button>{' '}
          <code className="schedule">{ce.schedule}</code>
        </p>
      )}
    </div>
  );
}
