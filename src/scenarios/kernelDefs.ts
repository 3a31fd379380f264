/**
 * Does a kernel source file define a function? Pure text scanning, so the
 * fidelity test (kernelDefs.test.ts) can check every op's `fn` against the
 * kernel trees in ../shared/reference/kernel without a C parser.
 *
 * Kernel style puts a definition's name on a line that starts at column 0
 * (`static bool fast_pf_fix_direct_spte(...)` or, with the type on the line
 * above, `kvm_pfn_t __gfn_to_pfn_memslot(...)`), and its body's `{` after the
 * closing parenthesis of the parameter list; a prototype ends in `;` instead.
 * A macro is `#define NAME`. In paging_tmpl.h a function is `FNAME(x)`.
 */

import type { KernelRef } from '../engine';

/** True when `source` defines `name` as a function or a macro. */
export function definesFunction(source: string, name: string): boolean {
  const fname = /^FNAME\((\w+)\)$/.exec(name);
  const callee = fname ? `FNAME\\(${fname[1]}\\)` : `\\b${escape(name)}`;
  if (!fname && new RegExp(`^#\\s*define\\s+${escape(name)}\\b`, 'm').test(source)) return true;
  const head = new RegExp(`^(?![#\\s]).*?${callee}\\s*\\(`, 'gm');
  for (let m = head.exec(source); m; m = head.exec(source)) {
    const open = m.index + m[0].length - 1;
    const close = matchingParen(source, open);
    if (close < 0) continue;
    // Attributes such as __must_hold(...) may sit between `)` and `{`.
    const after = source.slice(close + 1, close + 200).replace(/\b__\w+\([^)]*\)/g, '');
    if (/^\s*\{/.test(after)) return true;
  }
  return false;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    else if (c === ';' && depth <= 1 && i > open + 2000) return -1;
  }
  return -1;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NOT_CALLS = new Set(['if', 'for', 'while', 'switch', 'return', 'sizeof', 'FNAME']);

/**
 * The functions an op's pseudo-C text calls, comments left out, e.g.
 * `if (!try_cmpxchg64(sptep, &old, new)) goto retry;` → `['try_cmpxchg64']`.
 */
export function calledNames(text: string): string[] {
  // `FNAME(fetch)(...)` is one name, as paging_tmpl.h writes it.
  const code = text.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ');
  const names = [...code.matchAll(/\b(FNAME\(\w+\)|[A-Za-z_]\w*)\s*\(/g)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((n) => n !== '' && !NOT_CALLS.has(n)))];
}

/** Why an op's function is not looked up in a kernel tree, or null when it must be. */
export function uncheckedReason(
  ref: KernelRef,
  kernel: string,
  hasFile: (path: string) => boolean,
  tree: string | null,
): string | null {
  if (ref.origin === 'hypothetical') return 'hypothetical: stands for no kernel function';
  if (ref.origin === 'userspace') return 'userspace: not kernel code';
  if (tree === null) return `no ${kernel} source tree here`;
  if (!hasFile(ref.file)) return `${ref.file} is not in the ${tree} reference tree`;
  return null;
}
