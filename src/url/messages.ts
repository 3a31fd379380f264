/**
 * Messages shown for a link or a load that went wrong. They are joined from
 * pieces (an engine error, a codec error, what the app does instead), so each
 * piece is made a sentence of its own: "… cannot run. Showing the default
 * scenario instead." rather than one run-on line.
 */

/**
 * `text` as one sentence: ends in `.`, `!`, `?` or `…`-then-`.`; a leading
 * "step N:" is capitalised. Other first words are left alone: they are often
 * identifiers (`kswapd`, `vCPU0`, `dirty-bit-loss`) whose case matters.
 *
 * @example
 * sentence('step 1: QEMU cannot run: mmu_lock (write) is held by kswapd')
 * // 'Step 1: QEMU cannot run: mmu_lock (write) is held by kswapd.'
 */
export function sentence(text: string): string {
  const t = text.trim().replace(/^step (\d)/, 'Step $1');
  if (t === '') return t;
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** What a broken link says: what is wrong, then what the app shows instead. */
export function fallbackNote(error: string): string {
  return `${sentence(error)} Showing the default scenario instead.`;
}
