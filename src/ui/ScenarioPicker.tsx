import { useApp } from './storeContext';
import { lockingDocLink } from './links';
import { codesIn } from './glossary';
import { Glossed } from './Glossed';
import {
  selectKernel,
  selectParams,
  selectScenarioId,
  selectScenarios,
  selectVariantId,
} from '../store/selectors';

/** The kernel versions lockstep models (engine's KERNEL_VERSIONS, repeated: the UI does not import the engine). */
export const KERNELS = ['6.8', '6.12', '7.2'] as const;

/** Scenario, variant, kernel and parameters, with what each is and what the variant changes. */
export function ScenarioPicker() {
  const scenarios = useApp(selectScenarios);
  const scenarioId = useApp(selectScenarioId);
  const variantId = useApp(selectVariantId);
  const selectScenario = useApp((s) => s.selectScenario);
  const selectVariant = useApp((s) => s.selectVariant);
  const setParam = useApp((s) => s.setParam);
  const params = useApp(selectParams);
  const kernel = useApp(selectKernel);
  const selectKernelVersion = useApp((s) => s.selectKernel);
  const declared = useApp((s) => s.trace?.declaredOrder);
  const scenario = scenarios.find((s) => s.id === scenarioId);
  const variant = scenario?.variants.find((v) => v.id === variantId);
  return (
    <section className="picker" aria-label="Scenario">
      <div className="picker-row">
        <label>
          Scenario{' '}
          <select value={scenarioId} onChange={(e) => void selectScenario(e.target.value)}>
            {scenarios.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          Variant{' '}
          <select value={variantId} onChange={(e) => void selectVariant(e.target.value)}>
            {scenario?.variants.map((v) => (
              <option
                key={v.id}
                value={v.id}
                title={
                  codesIn([v.title])
                    .map((c) => c.meaning)
                    .join('\n') || undefined
                }
              >
                {v.title}
              </option>
            ))}
          </select>
        </label>
        <label title="The kernel whose code the programs follow and whose locking.rst the lock rules check">
          Kernel{' '}
          <select
            value={kernel}
            aria-label="Kernel version"
            onChange={(e) => void selectKernelVersion(e.target.value)}
          >
            {KERNELS.map((k) => {
              const has = variant?.kernels.includes(k) ?? true;
              return (
                <option
                  key={k}
                  value={k}
                  disabled={!has}
                  title={has ? undefined : (variant?.kernelNote ?? 'not modelled')}
                >
                  {has ? k : `${k} (not modelled)`}
                </option>
              );
            })}
          </select>
        </label>
        {scenario?.params?.map((p) => (
          <label key={p.name} title={p.description}>
            {p.name}{' '}
            <input
              type="number"
              min={p.min}
              max={p.max}
              value={params[p.name] ?? p.default}
              aria-label={`Parameter ${p.name}: ${p.description}`}
              onChange={(e) => {
                const v = Number(e.target.value);
                if (Number.isInteger(v) && v >= p.min && v <= p.max) void setParam(p.name, v);
              }}
            />
          </label>
        ))}
      </div>
      {scenario && (
        <details className="picker-about">
          <summary>About this scenario</summary>
          <p>
            <Glossed text={scenario.description} />
          </p>
          {variant && (
            <p>
              <strong>This variant:</strong> <Glossed text={variant.description} />
            </p>
          )}
          {variant?.kernelNote && variant.kernels.length < KERNELS.length && (
            <p>
              <strong>Kernels:</strong> {variant.kernels.join(', ')}. {variant.kernelNote}.
            </p>
          )}
          {declared && declared.length > 0 && (
            <p className="declared-order" data-testid="declared-order">
              <strong>
                Lock order checked (
                <a href={lockingDocLink(kernel)} target="_blank" rel="noreferrer">
                  locking.rst, {kernel}
                </a>
                ):
              </strong>{' '}
              {declared.map(([a, b]) => `${a} → ${b}`).join('; ')}
            </p>
          )}
        </details>
      )}
    </section>
  );
}
