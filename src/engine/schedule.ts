import type { Schedule } from './model';
import { ScheduleError } from './errors';

/**
 * The text form of a schedule, shared by the URL and the CLI: the thread
 * chosen at each step, separated by dots, with `t*n` for n steps of thread t
 * in a row. `0.0.1.1.1.0` and `0*2.1*3.0` are the same schedule.
 */

const TOKEN = /^(\d{1,2})(?:\*(\d{1,6}))?$/;
export const MAX_SCHEDULE_LENGTH = 100_000;

export function formatSchedule(schedule: Schedule): string {
  const out: string[] = [];
  for (let i = 0; i < schedule.length;) {
    const t = schedule[i] as number;
    let n = 1;
    while (schedule[i + n] === t) n++;
    out.push(n === 1 ? `${t}` : `${t}*${n}`);
    i += n;
  }
  return out.join('.');
}

/** Parses the text form; throws ScheduleError naming the bad token. */
export function parseSchedule(text: string, threads?: number): number[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const out: number[] = [];
  for (const token of trimmed.split('.')) {
    const m = TOKEN.exec(token);
    if (!m)
      throw new ScheduleError(
        `malformed schedule token '${token.slice(0, 20)}' (expected e.g. 0.1*3.0)`,
      );
    const t = Number(m[1]);
    const n = m[2] === undefined ? 1 : Number(m[2]);
    if (n < 1)
      throw new ScheduleError(
        `malformed schedule token '${token}': a repeat count must be at least 1`,
      );
    if (threads !== undefined && t >= threads)
      throw new ScheduleError(
        `schedule names thread ${t}, but the scenario has ${threads} threads (0-${threads - 1})`,
      );
    if (out.length + n > MAX_SCHEDULE_LENGTH)
      throw new ScheduleError(`schedule longer than ${MAX_SCHEDULE_LENGTH} steps`);
    for (let i = 0; i < n; i++) out.push(t);
  }
  return out;
}
