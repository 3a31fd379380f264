/**
 * The shareable part of the app's state, in the URL hash:
 *
 *   #/<scenario>?variant=<variant>&kernel=<6.8|6.12|7.2>&params=<k:v,...>&schedule=<canonical|S>&step=<n|end>
 *
 * `S` is the schedule text of the CLI (`0*9.1*16.2`). Missing fields take
 * defaults: the scenario's first variant (left to the caller, who knows the
 * catalog), kernel 6.12, the canonical schedule, step 0. Decoding is total: any string
 * gives either a state or a message, never an exception, and nothing from the
 * URL is ever interpreted as markup.
 */

export interface UrlState {
  scenario: string;
  /** Absent: the scenario's first variant. */
  variant?: string;
  schedule: 'canonical' | string;
  step: number | 'end';
  /** Parameters of a parameterised scenario, e.g. { n: 8, k: 1 }. */
  params?: Record<string, number>;
  /** The kernel version whose code and locking.rst apply; absent: 6.12. */
  kernel?: string;
}

export type Decoded = { ok: true; state: UrlState } | { ok: false; error: string };

/** Longer hashes are refused before any parsing. */
export const MAX_HASH_LENGTH = 20_000;
const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const SCHEDULE = /^\d{1,2}(\*\d{1,6})?(\.\d{1,2}(\*\d{1,6})?)*$/;
const STEP = /^(\d{1,6}|end)$/;
const KERNEL = /^\d{1,2}\.\d{1,2}$/;
const PARAMS = /^[a-z]{1,8}:\d{1,4}(,[a-z]{1,8}:\d{1,4}){0,7}$/;

/** Shows untrusted text in a message: short, and only printable characters. */
function quote(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return `'${clean.length > 40 ? `${clean.slice(0, 40)}…` : clean}'`;
}

export function encodeUrl(s: UrlState): string {
  const params = new URLSearchParams();
  if (s.variant !== undefined) params.set('variant', s.variant);
  if (s.kernel !== undefined) params.set('kernel', s.kernel);
  if (s.params && Object.keys(s.params).length > 0)
    params.set(
      'params',
      Object.entries(s.params)
        .map(([k, v]) => `${k}:${v}`)
        .join(','),
    );
  params.set('schedule', s.schedule);
  params.set('step', String(s.step));
  // URLSearchParams escapes '*' as %2A; keep schedules readable and typeable.
  return `#/${s.scenario}?${params.toString().replace(/%2A/g, '*').replace(/%3A/g, ':').replace(/%2C/g, ',')}`;
}

export function decodeUrl(hash: string): Decoded {
  if (hash.length > MAX_HASH_LENGTH)
    return {
      ok: false,
      error: `The link is too long (${hash.length} characters) to be a lockstep link.`,
    };
  const body = hash.replace(/^#/, '');
  if (body === '' || body === '/') return { ok: false, error: 'empty' };
  const m = /^\/([^?]*)(?:\?(.*))?$/.exec(body);
  if (!m)
    return {
      ok: false,
      error: `The link ${quote(body)} is not of the form #/scenario?variant=…&schedule=…&step=….`,
    };
  let scenario: string;
  try {
    scenario = decodeURIComponent(m[1] ?? '');
  } catch {
    return { ok: false, error: 'The scenario name in the link is not valid URL encoding.' };
  }
  if (!ID.test(scenario))
    return { ok: false, error: `The link names no valid scenario: ${quote(scenario)}.` };
  const params = new URLSearchParams(m[2] ?? '');
  const state: UrlState = { scenario, schedule: 'canonical', step: 0 };
  const variant = params.get('variant');
  if (variant !== null) {
    if (!ID.test(variant))
      return { ok: false, error: `The link names no valid variant: ${quote(variant)}.` };
    state.variant = variant;
  }
  const kernel = params.get('kernel');
  if (kernel !== null) {
    if (!KERNEL.test(kernel))
      return {
        ok: false,
        error: `The kernel version in the link is malformed: ${quote(kernel)} (expected e.g. 6.12).`,
      };
    state.kernel = kernel;
  }
  const given = params.get('params');
  if (given !== null) {
    if (!PARAMS.test(given))
      return {
        ok: false,
        error: `The parameters in the link are malformed: ${quote(given)} (expected e.g. n:8,k:1).`,
      };
    state.params = Object.fromEntries(
      given.split(',').map((kv) => {
        const [k = '', v = '0'] = kv.split(':');
        return [k, Number(v)];
      }),
    );
  }
  const schedule = params.get('schedule');
  if (schedule !== null && schedule !== 'canonical') {
    if (schedule.length > MAX_HASH_LENGTH || !SCHEDULE.test(schedule))
      return {
        ok: false,
        error: `The schedule in the link is malformed: ${quote(schedule)} (expected e.g. 0*9.1*16.2).`,
      };
    state.schedule = schedule;
  }
  const step = params.get('step');
  if (step !== null) {
    if (!STEP.test(step))
      return { ok: false, error: `The step in the link is not a number: ${quote(step)}.` };
    state.step = step === 'end' ? 'end' : Number(step);
  }
  return { ok: true, state };
}
