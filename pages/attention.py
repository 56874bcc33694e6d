"""Attention: heatmap of one head, head view, model view (click a cell), head average and rollout."""
from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from mlm_app.cached import cached_analysis, word_mask_positions
from mlm_app.downloads import data_downloads, show_figure
from mlm_app.shell import finish_page, page_setup
from mlm_app.state import bind_widget, large, persistent, set_persistent, set_text
from mlm_core.errors import MLMError
from mlm_core.inference.attention_tools import (attention_rollout, check_layer_head, head_average, hide_tokens,
                                      is_punctuation)
from mlm_core.inference.token_text import special_tokens_label
from mlm_core.viz import attention_heatmap, head_view, model_view

CAVEAT = ("Attention weights show where a head looks, not why the model predicts what it does — "
          "attention is not an explanation.")
AVERAGE = "average"
MODEL_VIEW_KEY = "attention_model_view"
MAX_OVERLAY_POINTS = 40_000  # invisible click targets over the model view; above this only the selectors work
# Kept values (mlm_app.state.persistent) behind the selectors: a selector's own key is deleted by Streamlit on a run
# that stops before drawing it, and it would then come back showing its default instead of the layer drawn.
LAYER, HEAD, VIEW_HEADS = "attn_layer_value", "attn_head_value", "attn_view_heads_value"
HEADS_BY_HAND = "attn_view_heads_by_hand"  # the user picked "Heads to draw" since they last followed the Head selector
HEADS_FOLLOWED = "attn_view_heads_followed"  # the Head selector value "Heads to draw" last followed


def _sync_text() -> None:
    set_text(st.session_state["attn_text"])


def _head_label(head) -> str:
    return "average of all heads" if head == AVERAGE else f"head {head}"


def _valid_state(key: str, options: list, default) -> None:
    """Reset a kept selector value that no longer exists (another model, another sentence)."""
    if persistent(key, default) not in options:
        set_persistent(key, default)


def _heads_picked_by_hand() -> None:
    st.session_state[HEADS_BY_HAND] = True


def _follow_head_selector() -> None:
    st.session_state[HEADS_BY_HAND] = False
    st.session_state[HEADS_FOLLOWED] = None  # follow again on this run


def _heads_to_draw(head, n_heads: int) -> None:
    """"Heads to draw" follows the Head selector (all heads for the average) whenever the selector changes, unless
    the user has picked heads by hand since; a pick that no longer fits the model starts following again."""
    auto = list(range(n_heads)) if head == AVERAGE else [head]
    chosen = persistent(VIEW_HEADS, auto)
    valid = isinstance(chosen, list) and all(h in range(n_heads) for h in chosen)
    if not valid:
        st.session_state[HEADS_BY_HAND] = False
    if not valid or (head != st.session_state.get(HEADS_FOLLOWED) and not st.session_state.get(HEADS_BY_HAND)):
        set_persistent(VIEW_HEADS, auto)
    st.session_state[HEADS_FOLLOWED] = head


def _apply_model_view_click(n_layers: int, n_heads: int) -> str | None:
    """A new click in the model view selects that layer and head (before the selectors are drawn)."""
    event = st.session_state.get(MODEL_VIEW_KEY)
    try:
        points = event["selection"]["points"] if event else []
    except (KeyError, TypeError):
        points = []
    if not points:
        st.session_state.pop("_attn_click_applied", None)  # so clicking the same cell again works
        return None
    point = points[0]
    curve = point.get("curve_number")
    if curve is None:
        return None
    signature = (int(curve), point.get("point_index"), point.get("point_number"))
    if st.session_state.get("_attn_click_applied") == signature:
        return None
    st.session_state["_attn_click_applied"] = signature
    n_maps = n_layers * n_heads
    curve = int(curve)
    if curve >= n_maps:  # the invisible click targets come after the heatmaps, in the same order
        curve -= n_maps
    if not 0 <= curve < n_maps:
        return None
    layer, head = divmod(curve, n_heads)
    set_persistent(LAYER, layer)
    set_persistent(HEAD, head)
    return f"Opened layer {layer}, head {head} from the model view."


def _clickable_model_view(att: np.ndarray, tokens: list[str], big: bool) -> go.Figure:
    """The model view plus one invisible marker per cell, so a click anywhere selects that head.

    (Streamlit reports no selection for clicks on heatmaps, but it does for scatter points.)
    """
    fig = model_view(att, tokens, large=big)
    n_layers, n_heads, n = att.shape[:3]
    if n_layers * n_heads * n * n > MAX_OVERLAY_POINTS:
        return fig
    labels = [f"{i}:{html.escape(str(t), quote=False)}" for i, t in enumerate(tokens)]
    xs = [labels[j] for i in range(n) for j in range(n)]
    ys = [labels[i] for i in range(n) for j in range(n)]
    invisible = dict(marker=dict(opacity=0))
    for layer in range(n_layers):
        for head in range(n_heads):
            fig.add_trace(go.Scatter(
                x=xs, y=ys, mode="markers", marker=dict(opacity=0, size=8), showlegend=False,
                selected=invisible, unselected=invisible, name=f"L{layer} H{head}",
                customdata=att[layer, head].reshape(-1),
                hovertemplate=f"L{layer} H{head}<br>" + "%{y} → %{x}: %{customdata:.3f}<br>click to open<extra></extra>",
            ), row=layer + 1, col=head + 1)
    return fig


def _row_bar(row: np.ndarray, tokens: list[str], source: str, big: bool) -> go.Figure:
    labels = [f"{i}:{html.escape(str(t), quote=False)}" for i, t in enumerate(tokens)]
    fig = go.Figure(go.Bar(x=labels, y=row, marker_color="#0072B2",
                           hovertemplate="%{x}: %{y:.3f}<extra></extra>"))
    size = 22 if big else 14
    fig.update_layout(title=dict(text=f"Where {html.escape(source, quote=False)} attends", font=dict(size=size + 4)),
                      font=dict(size=size), template="plotly_white", height=380 if big else 320,
                      margin=dict(l=10, r=10, t=60, b=10))
    fig.update_xaxes(type="category", tickangle=-45, title_text="to (key)")
    fig.update_yaxes(title_text="weight", rangemode="tozero")
    return fig


lm = page_setup("Attention")
st.title("Attention")
st.info(CAVEAT, icon="⚠️")

big = large()

if st.session_state.get("attn_text") != st.session_state.get("text", ""):
    st.session_state["attn_text"] = st.session_state.get("text", "")
st.text_input("Sentence (shared with the other pages)", key="attn_text", on_change=_sync_text,
              help="Edits here carry over to the Fill-mask page, and back.")
text = st.session_state.get("text", "")

try:
    top_k = st.session_state.get("top_k", 10)
    base = cached_analysis(lm.name, text, (), top_k)
    masks = word_mask_positions(base, st.session_state.get("masked_words", []))
    analysis = cached_analysis(lm.name, text, masks, top_k) if masks else base
except MLMError as err:
    st.warning(str(err))
    st.stop()

attentions = np.asarray(analysis.attentions, dtype=float)
n_layers, n_heads = attentions.shape[:2]  # trust the data over the model card
all_tokens = list(analysis.tokens)
if masks:
    st.caption("The words masked on the Fill-mask page are masked here too: "
               + ", ".join(f"`{w.text}`" for w in base.words if w.index in st.session_state.get("masked_words", [])))

clicked = _apply_model_view_click(n_layers, n_heads)
layer_options = list(range(n_layers))
head_options = [AVERAGE] + list(range(n_heads))
_valid_state(LAYER, layer_options, 0)
_valid_state(HEAD, head_options, 0)

c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
layer = c1.selectbox("Layer", layer_options, help="0 is the first attention layer.",
                     **bind_widget(LAYER, widget_key="attn_layer"))
head = c2.selectbox("Head", head_options, format_func=_head_label, **bind_widget(HEAD, widget_key="attn_head"))
with c3:
    specials = special_tokens_label(lm.tokenizer)  # the model's own names: [CLS] / [SEP], or <s> / </s>
    hide = st.checkbox(f"Hide {specials} / punctuation", key="attn_hide",
                       help="Drops those rows and columns and rescales each remaining row to sum to 1. "
                            f"Many heads park attention on {specials} or '.', which hides the rest.")
if clicked:
    st.success(clicked)

try:
    check_layer_head(attentions, layer, None if head == AVERAGE else head)
except MLMError as err:  # cannot happen through the selectors, but never show a traceback
    st.warning(str(err))
    st.stop()

keep = [not ((sp and tok != lm.info.mask_token) or is_punctuation(tok))
        for tok, sp in zip(all_tokens, analysis.special)]
if hide and not any(keep):
    st.warning("Every token is a special token or punctuation, so nothing would be left; showing all tokens.")
    hide = False


def shown(weights: np.ndarray) -> np.ndarray:
    """The weights with hidden tokens dropped (when asked)."""
    return hide_tokens(weights, keep)[0] if hide else np.asarray(weights, dtype=float)


tokens = [t for t, k in zip(all_tokens, keep) if k] if hide else all_tokens
att = shown(attentions)  # (layers, heads, n, n)
matrix = shown(head_average(attentions, layer)) if head == AVERAGE else att[layer, head]
where = f"Layer {layer}, {_head_label(head)}"
hidden_note = " (special tokens and punctuation hidden, rows rescaled)" if hide else ""

tab_map, tab_heads, tab_model, tab_roll = st.tabs(["Heatmap", "Head view & token focus", "Model view",
                                                    "Head average & rollout"])

with tab_map:
    st.caption("Rows: the token that looks (query); columns: the tokens it looks at (key). Each row sums to 1.")
    show_figure(attention_heatmap(matrix, tokens, title=where + hidden_note, large=big), key="attention_heatmap")
    data_downloads(lambda: [{"layer": layer, "head": head, "from_index": i, "from": tokens[i], "to_index": j, "to": tokens[j],
                     "weight": float(matrix[i, j])} for i in range(len(tokens)) for j in range(len(tokens))],
                   key="attention_weights", label="weights")

with tab_heads:
    _heads_to_draw(head, n_heads)
    h1, h2 = st.columns([2, 1], vertical_alignment="bottom")
    with h1:
        view_heads = st.multiselect(
            "Heads to draw", list(range(n_heads)), format_func=lambda h: f"head {h}",
            help="One colour per head. Follows the Head selector above until you pick heads here.",
            **bind_widget(VIEW_HEADS, widget_key="attn_view_heads", on_change=_heads_picked_by_hand))
        if st.session_state.get(HEADS_BY_HAND):
            st.button("Follow the Head selector", key="attn_heads_follow", on_click=_follow_head_selector,
                      help="Draw the head chosen above again (all heads for the average).")
    threshold = h2.slider("Threshold: hide weights below", 0.0, 1.0, 0.1, 0.01, key="attn_threshold",
                          help="Lines in the head view are drawn only for weights at or above this value.")
    focus_options = list(range(len(tokens)))
    if st.session_state.get("attn_focus") not in focus_options:
        st.session_state["attn_focus"] = None
    focus = st.pills("Click a token to see where it attends", focus_options, key="attn_focus",
                     format_func=lambda i: tokens[i], selection_mode="single")
    if not view_heads:
        st.info("Choose at least one head to draw.")
    else:
        st.caption(f"Layer {layer}: lines from each token (left) to the tokens it attends to (right); "
                   f"darker = more weight; weights below {threshold:.2f} are not drawn.")
        show_figure(head_view(att[layer], tokens, heads=view_heads, threshold=threshold, focus=focus, large=big,
                              title=f"Layer {layer}{hidden_note}"), key="attention_head_view")
    if focus is not None:
        source = f"'{tokens[focus]}' (layer {layer}, {_head_label(head)})"
        show_figure(_row_bar(matrix[focus], tokens, source, big), key="attention_focus_bar")

with tab_model:
    st.caption("Every head of every layer at once (rows: layers, columns: heads). Click a small map to open "
               "that layer and head in the selectors above, or pick them there.")
    show_figure(_clickable_model_view(att, tokens, big), key=MODEL_VIEW_KEY, on_select="rerun")

with tab_roll:
    st.markdown(f"**Head average, layer {layer}**: the mean of the layer's {n_heads} heads.")
    show_figure(attention_heatmap(shown(head_average(attentions, layer)), tokens,
                                  title=f"Layer {layer}, average of heads{hidden_note}", large=big),
                key="attention_average")
    st.markdown("**Attention rollout** (Abnar & Zuidema, 2020): average the heads of each layer, add the identity "
                "for the residual connection, rescale rows, and multiply the layers from first to last. Row *i* "
                "estimates how much each input token flows into position *i* at the top. It is still only an "
                "approximation of information flow.")
    residual = st.checkbox("Account for the residual connection", value=True, key="attn_residual")
    rollout = attention_rollout(attentions, add_residual=residual)  # over all tokens, then hidden ones dropped
    show_figure(attention_heatmap(shown(rollout), tokens, title=f"Rollout over {n_layers} layers{hidden_note}",
                                  large=big), key="attention_rollout")
finish_page()
