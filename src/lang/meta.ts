/**
 * Instance-level annotations of the init block, as the printer writes them:
 * `@scenario(id, variant[, kernel])`, `@kvm { ... }` (the machine; the JSON
 * `@machine("<json>")` of earlier versions is still read), `@checks(...)`,
 * `@canonical("<schedule>")`, `@chapter(start, thread, "text")`, and
 * `@thread(name, role[, vcpu])` at the top of a thread.
 */
import {
  KERNEL_VERSIONS,
  parseSchedule,
  type CheckKind,
  type KernelVersion,
  type MachineDef,
  type ScenarioInstance,
  type ThreadDef,
} from '../engine';
import { LitmusError, type Annotation, type LitmusAst } from './ast';
import { num, str } from './raw';
import { compileMachine } from './machineCompile';
import { oneGfnMachine, spteValue } from '../scenarios/kernel/refs';

const KVM_CHECKS: readonly CheckKind[] = [
  'lost-dirty-log',
  'lost-dirty-bit',
  'stale-mapping',
  'stale-tlb-write',
  'deadlock',
  'lock-order',
];

export function applyMeta(
  ast: LitmusAst,
  inst: ScenarioInstance,
  kernelOption?: KernelVersion,
): void {
  let machineAt: Annotation['pos'] | undefined;
  for (const a of ast.meta) {
    const [x, y, z] = a.args;
    switch (a.name) {
      case 'scenario': {
        inst.scenario = str(x, a.pos);
        inst.variant = str(y, a.pos);
        if (z !== undefined && kernelOption === undefined) {
          const k = str(z, a.pos);
          if (!(KERNEL_VERSIONS as readonly string[]).includes(k))
            throw new LitmusError(
              `unknown kernel '${k}': expected ${KERNEL_VERSIONS.join(', ')}`,
              a.pos,
            );
          inst.kernel = k as KernelVersion;
        }
        break;
      }
      case 'machine':
      case 'kvm':
        if (machineAt)
          throw new LitmusError(
            `the machine is already declared at ${machineAt.line}:${machineAt.col}`,
            a.pos,
          );
        machineAt = a.pos;
        inst.machine = mergeMachine(machineOf(a, kernelOf(ast, kernelOption)), inst.machine, a);
        // The engine's checks apply once the machine's parts are declared; @checks overrides.
        if (a.name === 'kvm' && !ast.meta.some((m) => m.name === 'checks'))
          inst.checks = [...KVM_CHECKS];
        break;
      case 'checks':
        inst.checks = a.args.map((c) => str(c, a.pos) as CheckKind);
        break;
      case 'canonical':
        try {
          inst.canonical = parseSchedule(str(x, a.pos), inst.threads.length);
        } catch (e) {
          throw new LitmusError(e instanceof Error ? e.message : String(e), a.pos);
        }
        break;
      case 'chapter':
        inst.chapters.push({ start: num(x, a.pos), thread: num(y, a.pos), text: str(z, a.pos) });
        break;
      default:
        throw new LitmusError(`unknown annotation '@${a.name}'`, a.pos);
    }
  }
}

/** The machine an `@machine` or `@kvm` annotation declares, if any. */
export function declaredMachine(ast: LitmusAst, kernel?: KernelVersion): MachineDef | undefined {
  const a = ast.meta.find((m) => m.name === 'machine' || m.name === 'kvm');
  return a ? machineOf(a, kernelOf(ast, kernel)) : undefined;
}

/** The kernel option, else the one `@scenario` names. */
export function kernelOf(ast: LitmusAst, option?: KernelVersion): KernelVersion | undefined {
  if (option !== undefined) return option;
  const s = ast.meta.find((m) => m.name === 'scenario')?.args[2];
  return s?.k === 'str' ? (s.v as KernelVersion) : undefined;
}

/**
 * `@kvm { field; ... }`: the machine field by field (machineCompile.ts).
 * `@kvm(vcpus, dirty_logging[, spte])` is sugar for one gfn G on pfn1 behind
 * one direct SPTE (default: present, write-protected for dirty logging), mmu_lock.
 */
function machineOf(a: Annotation, kernel: KernelVersion | undefined): MachineDef {
  if (a.block) return compileMachine(a.block);
  // The JSON form earlier versions printed: old links and files still open.
  if (a.name === 'machine') return parseMachine(str(a.args[0], a.pos), a);
  const [v, d, s] = a.args;
  return oneGfnMachine({
    spte: s ? num(s, a.pos) : spteValue.writeProtected(1, { accessed: true, dirty: false }),
    kernel: kernel ?? '6.12',
    vcpus: num(v, a.pos),
    dirtyLogging: num(d, a.pos) !== 0,
  });
}

function parseMachine(json: string, a: Annotation): MachineDef {
  try {
    const m = JSON.parse(json) as MachineDef;
    if (typeof m !== 'object' || m === null || !Array.isArray(m.gfnNames))
      throw new Error('not a machine');
    return m;
  } catch (e) {
    throw new LitmusError(`@machine: ${e instanceof Error ? e.message : String(e)}`, a.pos);
  }
}

/** The declared machine, plus the locks, SRCU domains and cells the litmus code declares. */
function mergeMachine(m: MachineDef, litmus: MachineDef, a: Annotation): MachineDef {
  if (m.cells?.length && litmus.cells?.length)
    throw new LitmusError(
      'the machine declares cells and the test declares variables too: keep one of the two',
      a.pos,
    );
  const out: MachineDef = { ...m };
  const names = new Set(m.locks.map((l) => l.name));
  const extraLocks = litmus.locks.filter((l) => !names.has(l.name));
  if (extraLocks.length) out.locks = [...m.locks, ...extraLocks];
  const extraSrcu = litmus.srcu.filter((d) => !m.srcu.includes(d));
  if (extraSrcu.length) out.srcu = [...m.srcu, ...extraSrcu];
  if (litmus.cells?.length) out.cells = [...(m.cells ?? []), ...litmus.cells];
  return out;
}

export function applyThreadMeta(meta: Annotation[], def: ThreadDef): void {
  for (const a of meta) {
    if (a.name !== 'thread') throw new LitmusError(`unknown thread annotation '@${a.name}'`, a.pos);
    const [n, r, v] = a.args;
    def.name = str(n, a.pos);
    def.role = str(r, a.pos);
    if (v !== undefined) def.vcpu = num(v, a.pos);
  }
}
