"""Contextual vectors of a word and what they show: `vectors` (one word across sentences, every layer,
batched), `projection` (PCA, t-SNE, UMAP), `senses` (how well the senses separate, per layer), `geometry` (anisotropy, self-similarity, static share;
centring), `polysemy_data`
(the labelled set of ambiguous words) and `word_points` (one point per sentence of a word: pasted or edited
sentences, senses, hover texts, the Polysemy page's tables)."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, """
.vectors: WordVectors locate_word word_vectors
.projection: ProjectionResult project
.senses: LayerSeparation nearest_neighbours sense_separation separation_by_layer
.geometry: CENTRING Geometry centred_word_vectors corpus_baseline word_geometry
.polysemy_data: PolysemyItem items_for load_polysemy polysemy_words
.word_points: WordPoints parse_pasted word_points
""")
