"""Plotly figure builders for the pages, by topic: `fill_mask`, `attention`, `masking`, `embeddings`, `training`,
`lens`, `heads`, `geometry`, `scores`,
all drawn in the one look of `style`; `export` writes a figure as HTML or PNG.

Every builder takes plain data (lists, numpy arrays) and returns a `plotly.graph_objects.Figure` (or an HTML
string for the token chips), so pages stay thin and the figures can be tested and exported without Streamlit."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, """
.fill_mask: probability_axis_max topk_bar topk_compare
.attention: attention_heatmap head_view model_view model_view_labels
.masking: ACTION_DESCRIPTIONS ACTION_STYLES action_legend_html action_share_bar experiment_curves experiment_final_bars masked_tokens_html span_length_histogram span_lengths_vs_target
.embeddings: layer_metrics_chart projection_scatter
.training: loss_curves
.lens: lens_figure
.heads: ablation_bars head_roles_map
.geometry: geometry_chart
.scores: token_scores_figure
.export: figure_to_html figure_to_png
.style: FONT_SIZE FONT_SIZE_LARGE HEATMAP_SCALE OKABE_ITO token_labels
""")
