import { describe, expect, it } from 'vitest';
import { explainPreemptions, fewestSentence, minimizedHeading } from './Counterexample';
import { exploreReport } from '../scenarios/report';

describe('explainPreemptions', () => {
  it('says, per preempted thread, how often, after which op, and that each is required', () => {
    const lines = explainPreemptions([
      { step: 4, from: 0, to: 1, fromName: 'vCPU0', toName: 'kswapd', after: 'old_spte = *sptep;' },
      { step: 9, from: 1, to: 0, fromName: 'kswapd', toName: 'vCPU0' },
      { step: 12, from: 0, to: 1, fromName: 'vCPU0', toName: 'kswapd', after: 'unlock();' },
    ]);
    expect(lines).toEqual([
      'vCPU0 is preempted twice, after “old_spte = *sptep;” (step 4), for kswapd; and after “unlock();” (step 12), for kswapd: each required — without any one of them the violation does not happen.',
      'kswapd is preempted once, after its step (step 9), for vCPU0: required — without it the violation does not happen.',
    ]);
  });

  it('names the op the engine reports for a built-in’s minimised counterexample', () => {
    const min = exploreReport('notifier-retry', 'no-recheck').counterexample?.minimized;
    const [line] = explainPreemptions(min?.preemptions ?? []);
    expect(line).toMatch(/^\S+ is preempted once, after “.*__gfn_to_pfn_memslot.*” \(step \d+\)/);
  });
});

describe('fewestSentence', () => {
  it('says how many preemptions a violation needs and that the bound below has none', () => {
    expect(
      fewestSentence({
        needed: 2,
        schedule: '',
        violationStep: 3,
        below: { bound: 1, states: 1234 },
      }),
    ).toBe('Needs 2 preemptions; none with 1 (1,234 states searched at that bound).');
    expect(fewestSentence({ needed: 0, schedule: '', violationStep: 3, below: null })).toMatch(
      /^Needs no preemption/,
    );
  });
});

describe('minimizedHeading', () => {
  const one = [{ step: 4, from: 0, to: 1, fromName: 'vCPU0', toName: 'kswapd' }];
  it('calls the schedule the fewest only when the bounded search showed it', () => {
    const min = { preemptions: one, originalPreemptions: 2, from: 'shortest' as const };
    expect(minimizedHeading('Counterexample', { ...min, minimum: true }, 2)).toBe(
      'Counterexample, minimised to 1 preemption (from 2), the fewest any violating schedule needs:',
    );
    expect(minimizedHeading('Counterexample', { ...min, minimum: false }, 2)).toMatch(
      /^Counterexample, minimised to 1 preemption \(from 2\); each is required, but a schedule with fewer may exist/,
    );
  });

  it('names the shortest counterexample’s count when the fewest came from the bounded search', () => {
    const r = exploreReport('dirty-bit-scaled', 'buggy', { params: { n: 4, k: 1 } });
    const min = r.counterexample?.minimized;
    if (!min || !r.counterexample) throw new Error('dirty-bit-scaled buggy has a counterexample');
    expect(min.from).toBe('fewest-preemptions');
    expect(minimizedHeading('Counterexample', min, r.counterexample.preemptions)).toBe(
      'Counterexample with the fewest preemptions, 1 preemption (the shortest counterexample has 4):',
    );
  });
});
