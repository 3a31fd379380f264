/**
 * The shareable part of the app's state, in the URL hash:
 *
 *   #/<scenario>?variant=<variant>&kernel=<6.8|6.12|7.2>&params=<k:v,...>&schedule=<canonical|S>&step=<n|end>
 *
 * A comparison adds `&compare=<variant|variant@kernel|@kernel>&row=<n>` (the
 * other build, and the aligned line the side-by-side view is at).
 * `S` is the schedule text of the CLI (`0*9.1*16.2`). Missing fields take
 * defaults: the scenario's first variant (left to the caller, who knows the
 * catalog), kernel 6.12, the canonical schedule, step 0. Decoding is total: any string
 * gives either a state or a message, never an exception, and nothing from the
 * URL is ever interpreted as markup.
 *
 * A scenario from the editor travels as text: `#/custom?text=<lz>&h=<fnv>&…`,
 * `lz` the text through lz-string's compressToEncodedURIComponent and `fnv`
 * its FNV-1a hash (8 hex), so a link cut short or changed says so.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';

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
  /** Scenario text (the editor's), carried instead of a built-in's id. */
  text?: string;
  /** The other side of a comparison: `variant`, `variant@kernel` or `@kernel`. */
  compare?: string;
  /** The comparison's cursor: aligned lines done (0 = both at their initial state). */
  row?: number;
}

/** FNV-1a over the UTF-16 code units of the text, as 8 hex digits. */
export function textHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** The path segment of a link that carries text. */
export const TEXT_SCENARIO = 'custom';

export type Decoded = { ok: true; state: UrlState } | { ok: false; error: string };

/** Longer hashes are refused before any parsing. */
export const MAX_HASH_LENGTH = 20_000;
const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const SCHEDULE = /^\d{1,2}(\*\d{1,6})?(\.\d{1,2}(\*\d{1,6})?)*$/;
const STEP = /^(\d{1,6}|end)$/;
const KERNEL = /^\d{1,2}\.\d{1,2}$/;
/** `pinned`, `pinned@6.12` or `@7.2`: the same form as the CLI's `compare --with`. */
const COMPARE = /^(?=.)([a-z0-9][a-z0-9-]{0,39})?(@\d{1,2}\.\d{1,2})?$/;
const ROW = /^\d{1,6}$/;
const PARAMS = /^[a-z]{1,8}:\d{1,4}(,[a-z]{1,8}:\d{1,4}){0,7}$/;

/** Shows untrusted text in a message: short, and only printable characters. */
function quote(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '?');
  return `'${clean.length > 40 ? `${clean.slice(0, 40)}…` : clean}'`;
}

export function encodeUrl(s: UrlState): string {
  const params = new URLSearchParams();
  if (s.text !== undefined) {
    params.set('text', compressToEncodedURIComponent(s.text));
    params.set('h', textHash(s.text));
  }
  if (s.text === undefined && s.variant !== undefined) params.set('variant', s.variant);
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
  if (s.compare !== undefined) params.set('compare', s.compare);
  if (s.row !== undefined) params.set('row', String(s.row));
  // URLSearchParams escapes '*' as %2A; keep schedules readable and typeable.
  const scenario = s.text === undefined ? s.scenario : TEXT_SCENARIO;
  return `#/${scenario}?${params.toString().replace(/%2A/g, '*').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%40/g, '@')}`;
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
  const packed = params.get('text');
  if (packed !== null) {
    const text = decodeText(packed, params.get('h'));
    if (typeof text !== 'string') return text;
    state.text = text;
  }
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
  const compare = decodeCompare(params.get('compare'), params.get('row'));
  if (compare && 'error' in compare) return { ok: false, error: compare.error };
  return { ok: true, state: compare ? { ...state, ...compare } : state };
}

/** The other side of a comparison as a variant and a kernel, or null when malformed. */
export function compareSide(text: string): { variant?: string; kernel?: string } | null {
  const m = COMPARE.exec(text);
  if (!m || text === '@') return null;
  return {
    ...(m[1] !== undefined && { variant: m[1] }),
    ...(m[2] !== undefined && { kernel: m[2].slice(1) }),
  };
}

/** `compare=` and `row=`, or why they are not valid. */
function decodeCompare(
  compare: string | null,
  row: string | null,
): { compare: string; row?: number } | { error: string } | null {
  if (compare === null)
    return row === null
      ? null
      : { error: 'The link gives row= without compare=: a row belongs to a comparison.' };
  if (!COMPARE.test(compare) || compare === '@')
    return {
      error: `The comparison in the link is malformed: compare=${quote(compare)} (expected a variant, variant@kernel or @kernel, e.g. compare=pinned@6.12).`,
    };
  if (row === null) return { compare };
  if (!ROW.test(row)) return { error: `The row in the link is not a number: row=${quote(row)}.` };
  return { compare, row: Number(row) };
}

/** The text a link carries, or why it cannot be trusted. */
function decodeText(packed: string, hash: string | null): string | Decoded {
  let text: string | null;
  try {
    text = decompressFromEncodedURIComponent(packed);
  } catch {
    text = null;
  }
  // Garbage may unpack to some text: the hash check below catches that.
  if (text === null)
    return {
      ok: false,
      error: 'The scenario text in the link is not valid: it may have been cut short.',
    };
  if (hash === null)
    return { ok: false, error: 'The scenario text in the link has no checksum (h=…).' };
  if (hash !== textHash(text))
    return {
      ok: false,
      error: `The scenario text in the link does not match its checksum ${quote(hash)}: the link was cut short or changed.`,
    };
  return text;
}
