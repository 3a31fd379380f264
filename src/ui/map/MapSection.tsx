import { Suspense, lazy, useState } from 'react';
import type { ExploreReport } from '../../scenarios/report';
import { groupDigits } from '../formatCount';
import './map.css';

// The map's code loads when a user first opens it: most explorations never need it.
const OutcomeMap = lazy(() => import('./OutcomeMap'));

/** The explore results' "Outcome map" section (closed until asked for). */
export function MapSection({ report }: { report: ExploreReport }) {
  const [open, setOpen] = useState(false);
  const view = report.mapView;
  if (!view)
    return report.distinctOutcomes > 0 ? (
      <p className="outcome-map-note" data-testid="outcome-map-dropped">
        No outcome map: its {groupDigits(report.distinctOutcomes)} final states take more memory
        than the map may hold (128 MB of state rows); the figures above cover all of them.
      </p>
    ) : null;
  if (view.count === 0) return null;
  return (
    <details
      className="outcome-map-section"
      data-testid="outcome-map-section"
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>Outcome map: all {groupDigits(view.count)} final states at once</summary>
      {open && (
        <Suspense fallback={<p>Loading the map…</p>}>
          <OutcomeMap view={view} reduced={report.reduction !== 'none'} />
        </Suspense>
      )}
    </details>
  );
}
