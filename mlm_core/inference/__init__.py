"""Running a loaded model on text: `analysis` (the one forward pass: predictions at every mask, attentions,
hidden states; joint fill, target scores, pseudo-log-likelihood), `attention_tools` (head averages, rollout, hiding
tokens) and `token_text` (how pieces read to a person; script coverage)."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, """
.analysis: Analysis analyze forward_at iterative_fill mask_slots pseudo_log_likelihood score_targets
.attention_tools: attention_rollout head_average hide_tokens
.token_text: display_tokens
""")
