export const MODEL_KINDS = ['mlp', 'transformer'] as const;
