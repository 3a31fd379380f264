import { useApp } from './storeContext';
import { selectScenarioId, selectScenarios, selectVariantId } from '../store/selectors';

/** Scenario and variant, with what each is and what the variant changes. */
export function ScenarioPicker() {
  const scenarios = useApp(selectScenarios);
  const scenarioId = useApp(selectScenarioId);
  const variantId = useApp(selectVariantId);
  const selectScenario = useApp((s) => s.selectScenario);
  const selectVariant = useApp((s) => s.selectVariant);
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
