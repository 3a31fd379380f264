import { useApp } from './storeContext';
import {
  selectParams,
  selectScenarioId,
  selectScenarios,
  selectVariantId,
} from '../store/selectors';

/** Scenario and variant, with what each is and what the variant changes. */
export function ScenarioPicker() {
  const scenarios = useApp(selectScenarios);
  const scenarioId = useApp(selectScenarioId);
  const variantId = useApp(selectVariantId);
  const selectScenario = useApp((s) => s.selectScenario);
  const selectVariant = useApp((s) => s.selectVariant);
  const setParam = useApp((s) => s.setParam);
  const params = useApp(selectParams);
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
              <option key={v.id} value={v.id}>
                {v.title}
              </option>
            ))}
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
          <p>{scenario.description}</p>
          {variant && (
            <p>
              <strong>This variant:</strong> {variant.description}
            </p>
          )}
        </details>
      )}
    </section>
  );
}
