import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_SCHEDULE_LENGTH, formatSchedule, parseSchedule } from './schedule';
import { runSchedule } from './run';
import { ScheduleError } from './errors';
import { scenario, thread } from './testing';

describe('formatSchedule / parseSchedule', () => {
  it.each([
    { schedule: [], text: '' },
    { schedule: [0], text: '0' },
    { schedule: [0, 0, 1, 1, 1], text: '0*2.1*3' },
    { schedule: [0, 0, 1, 1, 1, 0], text: '0*2.1*3.0' },
    { schedule: [2, 1, 2], text: '2.1.2' },
    { schedule: [15, 15], text: '15*2' },
  ])('$schedule ⇄ "$text"', ({ schedule, text }) => {
    expect(formatSchedule(schedule)).toBe(text);
    expect(parseSchedule(text)).toEqual(schedule);
  });

  it.each([
    { text: '0.0.1.1.1.0', schedule: [0, 0, 1, 1, 1, 0] },
    { text: ' 0*2.1 ', schedule: [0, 0, 1] },
    { text: '1*1', schedule: [1] },
    { text: '03', schedule: [3] },
  ])('parses the longhand or padded form "$text"', ({ text, schedule }) => {
    expect(parseSchedule(text)).toEqual(schedule);
  });

  it('property (seed 0x5c4ed): parse(format(s)) = s', () => {
    const schedule = fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 200 });
    fc.assert(
      fc.property(schedule, (s) => {
        expect(parseSchedule(formatSchedule(s))).toEqual(s);
      }),
      { seed: 0x5c4ed, numRuns: 500 },
    );
  });

  it('property (seed 0x5c4ee): runs of one thread become a single token', () => {
    const runs = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 50 })),
      {
        maxLength: 20,
      },
    );
    fc.assert(
      fc.property(runs, (pairs) => {
        const s = pairs.flatMap(([t, n]) => Array.from({ length: n }, () => t));
        const text = formatSchedule(s);
        const tokens = text === '' ? [] : text.split('.');
        const heads = tokens.map((tok) => Number(tok.split('*')[0]));
        expect(
          heads.every((t, i) => i === 0 || t !== heads[i - 1]),
          'adjacent runs merged',
        ).toBe(true);
        expect(parseSchedule(text)).toEqual(s);
      }),
      { seed: 0x5c4ee, numRuns: 200 },
    );
  });

  it.each([
    { text: '0..1', token: "''" },
    { text: '0.', token: "''" },
    { text: 'a', token: "'a'" },
    { text: '-1', token: "'-1'" },
    { text: '0*', token: "'0*'" },
    { text: '1*2*3', token: "'1*2*3'" },
    { text: '0,1', token: "'0,1'" },
    { text: '100', token: "'100'" },
    { text: '0*0', token: "'0*0'" },
  ])('"$text" throws ScheduleError naming $token', ({ text, token }) => {
    expect(() => parseSchedule(text)).toThrow(ScheduleError);
    expect(() => parseSchedule(text)).toThrow(`token ${token}`);
  });

  it('names a thread the scenario does not have', () => {
    expect(() => parseSchedule('0.1.3', 3)).toThrow(ScheduleError);
    expect(() => parseSchedule('0.1.3', 3)).toThrow('schedule names thread 3');
    expect(parseSchedule('0.1.2', 3)).toEqual([0, 1, 2]);
  });

  it('refuses a schedule longer than the limit', () => {
    expect(() => parseSchedule(`0*${MAX_SCHEDULE_LENGTH}.1`)).toThrow(ScheduleError);
  });
  it('a run as long as MAX_SCHEDULE_LENGTH round-trips', () => {
    const s = Array.from({ length: MAX_SCHEDULE_LENGTH }, () => 0);
    expect(parseSchedule(formatSchedule(s))).toEqual(s);
  });
});

describe('runSchedule and thread indices', () => {
  const inst = scenario([
    thread('A', (b) => b.store(['x'], 1, '')),
    thread('B', (b) => b.store(['y'], 1, '')),
  ]);

  it('throws ScheduleError for a thread index out of range', () => {
    expect(() => runSchedule(inst, [0, 2])).toThrow(ScheduleError);
    expect(() => runSchedule(inst, [0, 2])).toThrow('there is no thread 2');
  });

  it('throws ScheduleError for a thread that has finished, naming the step', () => {
    expect(() => runSchedule(inst, [0, 0])).toThrow('step 2: A has finished and cannot run');
  });

  it('returns the schedule it ran, completed when asked', () => {
    expect(runSchedule(inst, [1]).schedule).toEqual([1]);
    expect(runSchedule(inst, [1], { complete: true }).schedule).toEqual([1, 0]);
  });
});
