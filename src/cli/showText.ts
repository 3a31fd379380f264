/**
 * Plain-text `show`: each thread's ops, one per line, with the kernel
 * function they stand for. Kept apart from format.ts (and small) because a
 * litmus-style printer is to replace it.
 */
import type { ShowReport } from '../scenarios/show';

export function formatShow(r: ShowReport): string {
  const lines = [`${r.scenario} / ${r.variant} (kernel ${r.kernel}): ${r.title}`];
  for (const t of r.threads) {
    lines.push('', `${t.name}: ${t.role}`);
    let fn = '';
    for (const op of t.ops) {
      const ref = `${op.fn}${op.origin ? ` [${op.origin}]` : ''}  ${op.file}`;
      if (ref !== fn) lines.push(`  ${ref}`);
      fn = ref;
      lines.push(`    ${String(op.index).padStart(3)}  ${op.text}`);
    }
  }
  return lines.join('\n');
}
