/**
 * herd7's verdict as plain data for the app: the same lines `formatHerd`
 * prints for the CLI (so the page and the terminal can never disagree), split
 * into the parts a results panel shows, with a witness schedule per state.
 * Structured-clone safe: it crosses the explore worker's boundary.
 */
import { formatSchedule } from '../engine';
import type { LitmusTest } from './compiler';
import { formatHerd, stateLine, type LitmusResult, type Observation } from './outcomes';

export interface HerdVerdict {
  name: string;
  /** herd7's kind (exists → Allowed, ~exists → Forbidden, forall → Required); null: no condition. */
  kind: LitmusResult['kind'];
  condition: string | null;
  observation: Observation;
  ok: boolean;
  positive: number;
  negative: number;
  /** One per distinct final state, in herd7's order: its line, whether the condition holds, a witness. */
  states: { line: string; holds: boolean; witness: string }[];
  /** lockstep's notes (SC caveat, budget, loop bound, deadlock, filter), as the CLI prints them. */
  notes: string[];
  /** The `Result:` comment against the outcome: `flagged`/`mismatch` lines are shown as warnings. */
  expected: { tone: 'agrees' | 'flagged' | 'mismatch'; word: string; text: string } | null;
  complete: boolean;
  /** The whole of `explore FILE`'s output, for copying and diffing against herd7. */
  herd: string;
}

/**
 * @example
 * const { result, budget } = exploreLitmus(test, instance);
 * herdVerdict(test, result, budget).states[0]?.line; // '0:r0=0; 1:r0=1;'
 */
export function herdVerdict(test: LitmusTest, r: LitmusResult, budget?: number): HerdVerdict {
  const herd = formatHerd(test, r, budget);
  const lines = herd.split('\n');
  const tagged = (re: RegExp) => lines.filter((l) => re.test(l));
  const expectedLine = tagged(/^(FLAGGED|MISMATCH|Result):/)[0];
  return {
    name: r.name,
    kind: r.kind,
    condition: r.condition,
    observation: r.observation,
    ok: r.ok,
    positive: r.positive,
    negative: r.negative,
    states: r.states.map((s) => ({
      line: stateLine(test, r, s),
      holds: s.holds,
      witness: formatSchedule(s.witness),
    })),
    notes: tagged(/^Note:/).map((l) => l.replace(/^Note: /, '')),
    expected:
      expectedLine === undefined || !r.expected
        ? null
        : {
            tone: expectedLine.startsWith('FLAGGED')
              ? 'flagged'
              : expectedLine.startsWith('MISMATCH')
                ? 'mismatch'
                : 'agrees',
            word: r.expected.word,
            text: expectedLine,
          },
    complete: r.complete,
    herd,
  };
}
