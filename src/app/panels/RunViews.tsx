import { useMemo, useRef } from 'react';
import { useChartPace } from '../charts/useChartData';
import { useElementSize } from '../hooks/useElementSize';
import { gridTargets } from '../logic/gridTargets';
import { useLane } from '../store';
import { EmbeddingPca } from '../views/EmbeddingPca';
import { FourierSpectrum } from '../views/FourierSpectrum';
import { PredictionGrid } from '../views/PredictionGrid';

/** Room the grid's caption and legend take below the image, px. */
const CAPTION_ROOM = 150;

/**
 * The model's answer on every (a, b) pair, for tasks that form a p×p table. `size` 'fill': the image takes
 * the room the layout gives the panel.
 */
export function PredictionGridPanel({ size = 300 }: { size?: number | 'fill' }) {
  const box = useRef<HTMLDivElement>(null);
  const room = useElementSize(box);
  const pixels =
    size === 'fill' ? Math.max(120, Math.floor(Math.min(room.width, room.height - CAPTION_ROOM))) : size;
  const run = useLane((state) => state.run);
  const task = useLane((state) => state.config.task);
  // New predictions come with every evaluation (each canvas update is an image upload): drawn at the charts' pace.
  const predictions = useChartPace(useLane((state) => state.predictions));
  const targets = useMemo(() => (run ? gridTargets(task, run.grid) : null), [run, task]);
  return (
    <section
      className={`panel view-panel ${size === 'fill' ? 'view-panel--fill' : ''}`}
      aria-labelledby="grid-title"
    >
      <h2 id="grid-title" className="panel__title">
        Predictions on every pair
      </h2>
      <div className="view-panel__body" ref={box}>
        {run?.grid && targets ? (
          <PredictionGrid
            gridSize={run.grid.size}
            a={run.grid.a}
            b={run.grid.b}
            targets={targets}
            isTrain={run.isTrain}
            predictions={predictions}
            size={pixels}
          />
        ) : (
          <p className="empty-state">
            {run
              ? `${run.datasetTitle} is not a p×p table, so there is no grid to draw.`
              : 'Starting backend…'}
          </p>
        )}
      </div>
    </section>
  );
}

/** Fourier spectrum of the number embeddings (modular tasks). */
export function FourierPanel() {
  const run = useLane((state) => state.run);
  const kind = useLane((state) => state.config.task.kind);
  // A new embedding arrives with every batch; its analysis (spectrum, projection) redraws at the charts' pace.
  const embedding = useChartPace(useLane((state) => state.embedding));
  return (
    <section className="panel view-panel" aria-labelledby="fourier-title">
      <h2 id="fourier-title" className="panel__title">
        Fourier spectrum of the embeddings
      </h2>
      {run && (kind === 'modular' || kind === 'table') ? (
        <FourierSpectrum embedding={embedding} p={run.operandVocabulary} width={400} height={190} />
      ) : (
        <p className="empty-state">Only modular arithmetic has a circle of numbers to analyse.</p>
      )}
    </section>
  );
}

/** The number embeddings in 2-D (PCA or a Fourier plane): the "clock" a grokked network builds. */
export function EmbeddingPanel() {
  const run = useLane((state) => state.run);
  const kind = useLane((state) => state.config.task.kind);
  // A new embedding arrives with every batch; its analysis (spectrum, projection) redraws at the charts' pace.
  const embedding = useChartPace(useLane((state) => state.embedding));
  return (
    <section className="panel view-panel" aria-labelledby="pca-title">
      <h2 id="pca-title" className="panel__title">
        The numbers&rsquo; embeddings
      </h2>
      {run && (kind === 'modular' || kind === 'table') ? (
        <EmbeddingPca embedding={embedding} p={run.operandVocabulary} size={260} />
      ) : (
        <p className="empty-state">Only tasks on the numbers 0…p−1 have embeddings to arrange on a circle.</p>
      )}
    </section>
  );
}
