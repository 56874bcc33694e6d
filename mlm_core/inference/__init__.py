"""Running a loaded model on text: `analysis` (the one forward pass: predictions at every mask, attentions,
hidden states; joint fill, target scores, pseudo-log-likelihood), `fill_mask_post` (the Fill-mask post-processing:
the text read by the tokenizer alone, chips, charts, slots, classroom blanks, masks matched between two models),
`attention_tools` (head averages, rollout, hiding tokens), `attention_flow` (attention flow; attentions for
bertviz), `lens` (the logit lens at each mask), `heads` (head roles and head ablation), `scoring` (sentence scores
in two variants, minimal pairs) and `token_text` (how pieces read to a person; script coverage)."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, """
.analysis: Analysis analyze forward_at iterative_fill mask_slots pseudo_log_likelihood score_targets
.fill_mask_post: FillMaskResult Reading postprocess read_text
.attention_tools: attention_rollout head_average hide_tokens shown_tokens
.attention_flow: attention_flow attentions_for_bertviz
.lens: LogitLens lens_of_text logit_lens
.heads: Ablation HeadRoles ROLES ablate_heads head_roles parse_heads
.scoring: PairComparison SentenceScore VARIANTS compare_pair score_sentences sentence_score
.token_text: display_tokens
""")
