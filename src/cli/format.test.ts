import { describe, expect, it } from 'vitest';
import type { ExploreReport, RunReport } from '../scenarios/report';
import type { FewestReport, MinimizedReport } from '../scenarios/preemptionReport';
import { formatExplore, formatRun, shellWord } from './format';

const violation = {
  kind: 'lost-dirty-log',
  step: 12,
  message: 'gfn 2 was written but its dirty-log bit is clear',
  causes: [3, 9],
  gfn: 2,
  trail: [
    { step: 3, role: 'stale read', thread: 'vCPU0', fn: 'fast_page_fault', text: 'old = *sptep;' },
    {
      step: 9,
      role: 'cmpxchg succeeds on a stale value',
      thread: 'vCPU0',
      fn: 'fast_page_fault',
      text: 'cmpxchg',
      outcome: 'cmpxchg succeeded',
    },
  ],
};

describe('formatRun', () => {
  it('lists violations with causes, then the final state', () => {
    const report: RunReport = {
      scenario: 'aba',
      variant: 'buggy',
      kernel: '6.12',
      schedule: '0.0.1*3.0',
      steps: 14,
      threads: ['vcpu0', 'vcpu1'],
      violations: [violation],
      final: { spte: 5 },
    };
    expect(formatRun(report)).toBe(
      [
        'aba / buggy (kernel 6.12): 14 steps, schedule 0.0.1*3.0',
        'threads: vcpu0, vcpu1',
        'VIOLATION lost-dirty-log at step 13: gfn 2 was written but its dirty-log bit is clear',
        '  caused by steps 4, 10',
        '    step 4 vCPU0 fast_page_fault: old = *sptep;  [stale read]',
        '    step 10 vCPU0 fast_page_fault: cmpxchg → cmpxchg succeeded  [cmpxchg succeeds on a stale value]',
        'final state:',
        '  spte: 5',
      ].join('\n'),
    );
  });
});

describe('formatExplore', () => {
  const report: ExploreReport = {
    scenario: 'aba',
    variant: 'buggy',
    kernel: '7.2',
    executions: 40,
    states: 310,
    distinctOutcomes: 3,
    violatingOutcomes: 1,
    outcomesByKind: { 'lost-dirty-log': 1 },
    violatingExecutions: 2,
    violationsByKind: { 'lost-dirty-log': 2 },
    complete: true,
    stopReason: null,
    reduction: 'por+hash',
    ms: 7,
    steps: 1200,
    bytes: 1e6,
    lockRules: [],
    outcomes: [
      {
        violations: ['lost-dirty-log'],
        witness: '0.0.1*3.0',
        executions: 2,
        violationStep: 4,
        differs: [],
      },
    ],
    counterexample: {
      schedule: '0.0.1*3.0',
      preemptions: 3,
      violations: [violation],
      violationStep: 4,
      minimized: null,
    },
    fewestPreemptions: null,
  };

  it('ends with a replay command whose schedule is shell-quoted', () => {
    const lines = formatExplore(report).split('\n');
    expect(lines).toContain('violating executions: 2 (lost-dirty-log 2)');
    expect(lines).toContain('complete: yes');
    expect(lines.at(-1)).toBe(
      "replay: npm run cli -- run aba --variant buggy --kernel 7.2 --schedule '0.0.1*3.0'",
    );
  });

  const minimized: MinimizedReport = {
    schedule: '0.1*4.0',
    kind: 'lost-dirty-log',
    violationStep: 5,
    preemptions: [{ step: 1, from: 0, to: 1, fromName: 'vCPU0', toName: 'kswapd' }],
    originalPreemptions: 3,
    from: 'shortest',
    minimum: true,
  };
  const fewest = {
    needed: 1,
    schedule: '0.1*4.0',
    violationStep: 5,
    below: { bound: 0, states: 671 },
  };
  const withMinimized = (m: MinimizedReport, f: FewestReport | null): string =>
    formatExplore({
      ...report,
      counterexample: {
        ...(report.counterexample as NonNullable<ExploreReport['counterexample']>),
        minimized: m,
      },
      fewestPreemptions: f,
    });

  it('lists each load-bearing preemption of the minimised counterexample and the fewest needed', () => {
    const text = withMinimized(minimized, fewest);
    expect(text).toContain(
      'fewest preemptions: the lost-dirty-log needs 1 preemption; none of the schedules with 0 reaches it (671 states searched); the shortest counterexample above has 3 preemptions',
    );
    expect(text).toContain(
      "counterexample with the fewest preemptions: 0.1*4.0 (1 preemption, minimised from the shortest counterexample's 3; required: removing it loses the lost-dirty-log)",
    );
    expect(text).toContain(
      '  step 2: kswapd runs while vCPU0 could go on (vCPU0 preempted here: required)',
    );
    // The fewest line comes first and does not repeat the schedule printed below it.
    const lines = text.split('\n');
    expect(lines.findIndex((l) => l.startsWith('fewest'))).toBe(
      lines.findIndex((l) => l.startsWith('counterexample with')) - 1,
    );
    expect(lines.at(-1)).toBe(
      "replay: npm run cli -- run aba --variant buggy --kernel 7.2 --schedule '0.1*4.0'",
    );
  });

  it('says where the schedule with the fewest preemptions came from when the shortest had more', () => {
    const text = withMinimized(
      { ...minimized, from: 'fewest-preemptions', originalPreemptions: 1 },
      fewest,
    );
    expect(text).toContain(
      'counterexample with the fewest preemptions: 0.1*4.0 (1 preemption, found by the preemption-bounded search; required: removing it loses the lost-dirty-log)',
    );
  });

  it('does not call a 1-minimal schedule the fewest when the bounded search could not tell', () => {
    const two = [
      { step: 1, from: 0, to: 1, fromName: 'vCPU0', toName: 'kswapd' },
      { step: 3, from: 1, to: 0, fromName: 'kswapd', toName: 'vCPU0' },
    ];
    const text = withMinimized({ ...minimized, preemptions: two, minimum: false }, null);
    expect(text).toContain(
      "minimised counterexample: 0.1*4.0 (2 preemptions, minimised from the shortest counterexample's 3; each one required: removing any one loses the lost-dirty-log; not known to be the fewest: the search for them stopped at its budget)",
    );
    expect(text).not.toContain('fewest preemptions:');
  });

  it('says when there is no counterexample', () => {
    expect(formatExplore({ ...report, counterexample: null })).toMatch(/counterexample: none$/);
  });

  it('names what executions count: reduced-graph paths or every interleaving', () => {
    expect(formatExplore(report)).toContain(
      'executions: 40 (paths of the partial-order-reduced state graph, not all interleavings)',
    );
    expect(formatExplore({ ...report, reduction: 'none' })).toContain(
      'executions: 40 (every interleaving of the steps that touch shared state)',
    );
  });

  const partial: ExploreReport = {
    ...report,
    executions: null,
    violatingExecutions: null,
    violationsByKind: {},
    complete: false,
    stopReason: 'states',
    states: 2_000_000,
  };

  it('an incomplete search prints no execution count, only what it found', () => {
    const text = formatExplore({ ...partial, violatingOutcomes: 0, counterexample: null });
    expect(text).not.toMatch(/executions: \d/);
    expect(text).toContain(
      'no violation in the 2,000,000 states explored; the search is incomplete',
    );
    expect(text).toContain('complete: no: it reached its budget of 2,000,000 states');
  });

  it('an incomplete search keeps its violations and its counterexample so far', () => {
    const text = formatExplore({ ...partial, stopReason: 'memory', bytes: 9.5e8 });
    expect(text).toContain('it ran short of memory (950 MB held)');
    expect(text).toContain('1 violating final states in the 2,000,000 states explored');
    expect(text).toContain('counterexample (shortest found so far): 0.0.1*3.0');
  });
});

describe('shellWord', () => {
  it.each([
    ['0.0.1.1', '0.0.1.1'],
    ['0.1*3', "'0.1*3'"],
    ["it's", "'it'\\''s'"],
  ])('%s -> %s', (word, quoted) => {
    expect(shellWord(word)).toBe(quoted);
  });
});
