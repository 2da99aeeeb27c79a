import type { EmbeddingTable } from '../../lib/fourier';

export interface NoEmbeddingProps {
  /** The figure's class, that of the view it stands in for. */
  className: string;
  /** The token-embedding table, or null before the first batch. */
  embedding: EmbeddingTable | null;
  /** The modulus: how many rows the view needs. */
  p: number;
}

/** What an embedding view shows instead of its plot: no embedding yet, or one with fewer than p rows. */
export function NoEmbedding({ className, embedding, p }: NoEmbeddingProps) {
  return (
    <figure className={className} style={{ margin: 0 }}>
      <p role="status">
        {embedding
          ? `The embedding has ${embedding.shape[0]} rows, fewer than p = ${p}.`
          : 'No embedding yet: start a run.'}
      </p>
    </figure>
  );
}
