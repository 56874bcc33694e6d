"""MLM Explorer core: loading, analysis, masking, embeddings, training and evaluation of masked LMs; never imports
Streamlit.

Grouped by stage: `model/` (loading, precision, traced encoder, LM head, model names), `inference/` (the one
forward pass, attention tools, display text of tokens), `masking/` (strategies and their preview), `embeddings/`
(vectors, projection, sense separation, polysemy data), `training/` (the loop, presets, tokenizer, corpus,
checkpoints, evaluation, uploads, run directories, jobs, comparison metrics), `generation/` (text by iterative
unmasking and left to right, and its measures) and `viz/` (plotly builders), on top
of `tokens` (windows, padding, special ids), `sentences` (a sample of plain sentences), `errors`, `safe_files` and
the command line (`cli`, with the research views in `cli_views`).

The stable API a script uses is re-exported here, imported on first use: `from mlm_core import load_model, analyze`."""
from ._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, """
.model.loading: BUNDLED LoadedModel load_model
.model.causal: load_causal_model
.model.precision: PRECISIONS prepare_fast with_precision
.inference.analysis: Analysis analyze iterative_fill mask_slots pseudo_log_likelihood score_targets
.inference.lens: lens_of_text logit_lens
.inference.heads: ablate_heads head_roles
.inference.scoring: compare_pair sentence_score
.inference.attention_flow: attention_flow attentions_for_bertviz
.embeddings.vectors: WordVectors word_vectors
.embeddings.projection: project
.embeddings.senses: separation_by_layer
.embeddings.geometry: centred_word_vectors corpus_baseline word_geometry
.embeddings.polysemy_data: load_polysemy
.masking.strategies: STRATEGIES MaskingStrategy
.masking.masker: mask_text measure_strategy
.training.loop: TrainConfig TrainResult train_mlm
.generation.unmask: UnmaskSettings unmask_generate
.generation.left_to_right: causal_generate
.generation.measures: text_measures
.training.evaluation: evaluate_file masked_token_accuracy mean_by_layer sense_report
.errors: MLMError
""")
