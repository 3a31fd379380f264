/**
 * herd7's verdict for a text scenario with a final condition (issue 11 §2):
 * the figures come from the explore worker (`report.litmus`, the lines the CLI
 * prints); this only lays them out. Every string here is rendered as text.
 */
import { useApp } from './storeContext';
import { exploreKey } from '../store/exploreSlice';
import type { HerdVerdict as Verdict } from '../lang/verdict';
import type { AppState } from '../store';
import './herdVerdict.css';

/** The short form: `exists (…)`: Never under SC (Positive 0, Negative 3). */
function summary(v: Verdict): string {
  return `${v.condition ?? 'the condition'}: ${v.observation} under sequential consistency (Positive ${v.positive}, Negative ${v.negative}: distinct final states)${v.complete ? '' : ', a lower bound: the search is incomplete'}`;
}

/** The states table, notes, the `Result:` check and herd7's text, in the results panel. */
export function HerdVerdict({ verdict: v }: { verdict: Verdict }) {
  const replay = useApp((s) => s.replay);
  return (
    <section className="herd" aria-label="Litmus verdict" data-testid="herd-verdict">
      <p className="herd-head">
        <span className={v.ok ? 'herd-ok' : 'herd-no'}>{v.ok ? 'Ok' : 'No'}</span> Test{' '}
        <code>{v.name}</code>
        {v.kind && ` ${v.kind}`}: <code>{v.condition}</code> is{' '}
        <strong data-testid="herd-observation">{v.observation}</strong> under sequential
        consistency. Positive {v.positive}, Negative {v.negative} (distinct final states).
      </p>
      {v.expected && v.expected.tone !== 'agrees' && (
        <p className="herd-flag" data-testid="herd-flagged">
          {v.expected.text}
        </p>
      )}
      {v.expected?.tone === 'agrees' && <p className="herd-agrees">{v.expected.text}</p>}
      <table className="herd-states" data-testid="herd-states">
        <caption>States {v.states.length}</caption>
        <thead>
          <tr>
            <th scope="col">Final state</th>
            <th scope="col">Condition</th>
            <th scope="col">Witness</th>
          </tr>
        </thead>
        <tbody>
          {v.states.map((s) => (
            <tr key={s.line} className={s.holds ? 'holds' : undefined}>
              <td>
                <code>{s.line}</code>
              </td>
              <td>{s.holds ? 'holds' : 'does not hold'}</td>
              <td>
                <button
                  type="button"
                  onClick={() => void replay(s.witness, 'end')}
                  aria-label={`Replay the witness of ${s.line}`}
                >
                  Replay
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {v.notes.length > 0 && (
        <ul className="herd-notes" data-testid="herd-notes">
          {v.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      <details>
        <summary>herd7's output form (as `explore FILE` prints it)</summary>
        <pre className="herd-text" data-testid="herd-text">
          {v.herd}
        </pre>
      </details>
    </section>
  );
}

/** The verdict of the exploration of what is on screen, if it was a text with a condition. */
const selectShownVerdict = (s: AppState): Verdict | null => {
  const x = s.exploration;
  if (x.status !== 'done' || x.key !== exploreKey(s)) return null;
  const v = x.report.litmus;
  return v?.kind ? v : null;
};

/** One line for the verdict box (and talk mode, where the results panel is hidden). */
export function HerdLine() {
  const v = useApp(selectShownVerdict);
  if (!v) return null;
  return (
    <p className="herd-line" data-testid="herd-line">
      {summary(v)}.
      {v.expected && v.expected.tone !== 'agrees' && (
        <strong className="herd-flag-short">
          {' '}
          {v.expected.tone === 'flagged' ? 'FLAGGED' : 'MISMATCH'}: the Result: comment says{' '}
          {v.expected.word}.
        </strong>
      )}
    </p>
  );
}
