import { MAX_THREADS } from './lockword';

/**
 * SRCU with its documented guarantee only (include/linux/srcu.h): a grace
 * period started by synchronize_srcu waits for every read-side section that
 * began *before* the call, and for no section that began after it.
 *
 * A domain is one word of reader bits. synchronize_srcu is two steps: the
 * start snapshots the current readers into the caller's wait mask; the
 * return is enabled once that mask is empty. srcu_read_unlock clears the
 * reader's bit from the domain and from every pending snapshot, so a reader
 * that leaves and re-enters is a new reader and is not waited for.
 */

export function srcuReaders(word: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < MAX_THREADS; t++) if (word & (1 << t)) out.push(t);
  return out;
}
