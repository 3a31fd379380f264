import type { Op } from './model';

/**
 * The control-flow successors of each op: the next op, a branch target, or
 * none after `ret`. An unknown label goes past the end (compile reports it).
 */
export function successors(program: readonly Op[]): number[][] {
  const labels = new Map<string, number>();
  program.forEach((op, pc) => {
    for (const name of [op.label, ...(op.alias ?? [])])
      if (name !== undefined) labels.set(name, pc);
  });
  return program.map((op, pc): number[] => {
    if (op.k === 'ret') return [];
    if (op.k === 'jmp') return [labels.get(op.to) ?? program.length];
    if (op.k === 'br') return [pc + 1, labels.get(op.to) ?? program.length];
    return [pc + 1];
  });
}
