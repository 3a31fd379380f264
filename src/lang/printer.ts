/**
 * Any instance as text that parses back to the identical instance: threads
 * as raw ops (one per line, metadata in annotations), the machine as
 * `@kvm { ... }` (one field per line) and the story (canonical schedule,
 * chapters) as init-block annotations.
 */
import { formatSchedule, type Expr, type Loc, type Op, type ScenarioInstance } from '../engine';
import { printMachineFields } from './machinePrinter';

const q = (s: string): string => JSON.stringify(s);
const IDENT = /^[A-Za-z_]\w*$/;

export function printExpr(e: Expr): string {
  if (typeof e === 'number') return String(e);
  if (typeof e === 'string') return e;
  switch (e[0]) {
    case 'ld':
      return `__ld(${printLoc(e[1] as Loc)})`;
    case 'fn':
      return `${e[1] as string}(${(e.slice(2) as Expr[]).map(printExpr).join(', ')})`;
    case '?':
      return `__cond(${(e.slice(1) as Expr[]).map(printExpr).join(', ')})`;
    case '!':
    case '~':
      return e.length === 2 ? `${e[0]}(${printExpr(e[1] as Expr)})` : bin(e);
    default:
      return bin(e);
  }
}

function bin(e: readonly unknown[]): string {
  return `(${printExpr(e[1] as Expr)} ${e[0] as string} ${printExpr(e[2] as Expr)})`;
}

export function printLoc(l: Loc): string {
  const [name, idx] = l;
  if (IDENT.test(name)) return idx === undefined ? name : `${name}[${printExpr(idx)}]`;
  return idx === undefined ? `__loc(${q(name)})` : `__loc(${q(name)}, ${printExpr(idx)})`;
}

function args(op: Op): string[] {
  const x = printExpr;
  switch (op.k) {
    case 'set':
      return [op.dst, x(op.e)];
    case 'load':
      return [op.dst, printLoc(op.loc)];
    case 'store':
      return [printLoc(op.loc), x(op.e)];
    case 'cas':
      return [
        printLoc(op.loc),
        x(op.expect),
        x(op.e),
        op.ok,
        ...(op.old !== undefined ? [op.old] : []),
      ];
    case 'xchg':
      return [printLoc(op.loc), x(op.e), ...(op.dst !== undefined ? [op.dst] : [])];
    case 'rmw':
      return [printLoc(op.loc), q(op.rop), x(op.e), ...(op.dst !== undefined ? [op.dst] : [])];
    case 'br':
      return [x(op.cond), q(op.to)];
    case 'jmp':
      return [q(op.to)];
    case 'await':
      return [x(op.cond), q(op.why)];
    case 'lock':
    case 'unlock':
      return [q(op.lock), q(op.mode)];
    case 'srcu_read_lock':
      return [q(op.domain), ...(op.dst !== undefined ? [op.dst] : [])];
    case 'srcu_read_unlock':
      return [q(op.domain)];
    case 'srcu_sync':
      return [q(op.domain), q(op.phase)];
    case 'access':
      return [x(op.slot), op.write ? '1' : '0', op.dst];
    case 'mark_dirty':
    case 'unmap_free':
    case 'migrate':
      return [x(op.gfn)];
    case 'gup':
      return [x(op.gfn), op.dst, op.atomic ? '1' : '0'];
    case 'put_page':
      return [x(op.pfn)];
    case 'gpt_write':
      return [x(op.gpte), x(op.e)];
    case 'harvest_copy':
      return [x(op.mask)];
    case 'ret':
    case 'nop':
    case 'flush_tlbs':
      return [];
  }
}

export function printOp(op: Op): string {
  // A name that stands for no kernel function keeps its origin (hypothetical, userspace).
  const origin = op.origin !== undefined ? `, ${q(op.origin)}` : '';
  const notes = [`@text(${q(op.text)})`, `@at(${q(op.fn)}, ${q(op.file)}${origin})`];
  if (op.label !== undefined) notes.push(`@label(${q(op.label)})`);
  if (op.alias !== undefined) notes.push(`@alias(${op.alias.map(q).join(', ')})`);
  if (op.note !== undefined) notes.push(`@note(${q(op.note)})`);
  return `__${op.k}(${args(op).join(', ')}) ${notes.join(' ')};`;
}

/**
 * @example
 * const text = printScenario(instance);
 * parseScenario(text); // { ok: true, instance: <equal to instance>, ... }
 */
export function printScenario(inst: ScenarioInstance): string {
  const name = /^[\w+.\-=]+$/.test(inst.scenario) ? inst.scenario : 'scenario';
  const out = [
    `C ${name}`,
    '',
    '(* Printed by lockstep: raw ops (a lockstep extension), one per line. *)',
    '',
    '{',
  ];
  const kernel = inst.kernel !== undefined ? `, ${q(inst.kernel)}` : '';
  out.push(`  @scenario(${q(inst.scenario)}, ${q(inst.variant)}${kernel});`);
  out.push('  @kvm {', ...printMachineFields(inst.machine).map((l) => `    ${l}`), '  }');
  out.push(`  @checks(${inst.checks.map(q).join(', ')});`);
  out.push(`  @canonical(${q(formatSchedule(inst.canonical))});`);
  for (const c of inst.chapters) out.push(`  @chapter(${c.start}, ${c.thread}, ${q(c.text)});`);
  out.push('}', '');
  inst.threads.forEach((t, i) => {
    out.push(`P${i}() {`);
    out.push(`  @thread(${q(t.name)}, ${q(t.role)}${t.vcpu !== undefined ? `, ${t.vcpu}` : ''});`);
    for (const op of t.program) out.push(`  ${printOp(op)}`);
    out.push('}', '');
  });
  return out.join('\n');
}
