"""The Attention page's sections: the analysis with the Fill-mask page's masks, the selectors (and a click in the
model view that sets them), and one function per tab. Figures come from `mlm_core.viz.attention`, the arithmetic
from `mlm_core.inference.attention_tools`."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import Analysis
from mlm_core.inference.attention_tools import (ShownTokens, attention_rollout, check_layer_head, head_average,
                                                shown_tokens, weight_records)
from mlm_core.inference.fill_mask_post import word_positions
from mlm_core.inference.token_text import special_tokens_label
from mlm_core.model.loading import LoadedModel
from mlm_core.viz.attention import (attention_heatmap, attention_row_bar, clickable_model_view, head_view,
                                    model_view_head)

from .cached import cached_analysis, cached_reading
from .downloads import data_downloads, show_figure
from .i18n import error_text, t
from .selection import new_point
from .state import bind_widget, large, persistent, set_persistent

AVERAGE = "average"
MODEL_VIEW_KEY = "attention_model_view"
CLICK_SEEN = "_attn_click_applied"
# Kept values (mlm_app.state.persistent) behind the selectors: a selector's own key is deleted by Streamlit on a run
# that stops before drawing it, and it would then come back showing its default instead of the layer drawn.
LAYER, HEAD, VIEW_HEADS = "attn_layer_value", "attn_head_value", "attn_view_heads_value"
HEADS_BY_HAND = "attn_view_heads_by_hand"  # the user picked "Heads to draw" since they last followed the Head selector
HEADS_FOLLOWED = "attn_view_heads_followed"  # the Head selector value "Heads to draw" last followed


@dataclass(frozen=True)
class Choice:
    """What the selectors chose, and the weights they select, cut to the tokens shown."""

    analysis: Analysis
    layer: int
    head: object  # a head index or AVERAGE
    shown: ShownTokens

    @property
    def attentions(self) -> np.ndarray:
        return np.asarray(self.analysis.attentions, dtype=float)

    @property
    def n_heads(self) -> int:
        return self.attentions.shape[1]

    @property
    def matrix(self) -> np.ndarray:
        """The selected head's weights (or the layer's head average), tokens shown only."""
        if self.head == AVERAGE:
            return self.shown.of(head_average(self.attentions, self.layer))
        return self.shown.of(self.attentions)[self.layer, self.head]

    @property
    def note(self) -> str:
        return t("attention.hidden_note") if self.shown.hidden else ""


def head_label(head) -> str:
    return t("attention.head_average") if head == AVERAGE else t("attention.head_n", head=head)


def figure_texts() -> dict[str, str]:
    """The words of `mlm_core.viz.attention`'s figures, in the session's language."""
    return {"weight": t("attention.fig_weight"), "to": t("attention.fig_to"), "from": t("attention.fig_from"),
            "head": t("attention.head_n"), "heads": t("attention.fig_heads"), "click": t("attention.fig_click"),
            "where": t("attention.fig_where")}


# ---------------------------------------------------------------- the analysis


def analysis_with_masks(lm: LoadedModel, text: str) -> Analysis | None:
    """One forward pass of the sentence with the words masked on the Fill-mask page (found by tokenizing alone);
    None, with a warning, when the model cannot read it."""
    try:
        reading = cached_reading(lm.name, text)
        chosen = st.session_state.get("masked_words", [])
        masks = word_positions(reading, chosen)
        analysis = cached_analysis(lm.name, text, masks, st.session_state.get("top_k", 10))
    except MLMError as err:
        st.warning(error_text(err))
        return None
    if masks:
        st.caption(t("attention.masked_here", words=", ".join(f"`{w.text}`" for w in reading.words
                                                                if w.index in chosen)))
    return analysis


# ---------------------------------------------------------------- selectors


def _valid_state(key: str, options: list, default) -> None:
    """Reset a kept selector value that no longer exists (another model, another sentence)."""
    if persistent(key, default) not in options:
        set_persistent(key, default)


def _apply_model_view_click(n_layers: int, n_heads: int) -> str | None:
    """A new click in the model view selects that layer and head (before the selectors are drawn)."""
    point = new_point(st.session_state.get(MODEL_VIEW_KEY), CLICK_SEEN)
    picked = model_view_head(point.get("curve_number"), n_layers, n_heads) if point else None
    if picked is None:
        return None
    set_persistent(LAYER, picked[0])
    set_persistent(HEAD, picked[1])
    return t("attention.opened_from_model_view", layer=picked[0], head=picked[1])


def selectors(lm: LoadedModel, analysis: Analysis) -> Choice | None:
    """Layer, head and "hide special tokens" (a click in the model view sets the first two)."""
    n_layers, n_heads = np.asarray(analysis.attentions).shape[:2]  # trust the data over the model card
    clicked = _apply_model_view_click(n_layers, n_heads)
    layer_options, head_options = list(range(n_layers)), [AVERAGE] + list(range(n_heads))
    _valid_state(LAYER, layer_options, 0)
    _valid_state(HEAD, head_options, 0)
    c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
    layer = c1.selectbox(t("attention.layer"), layer_options, help=t("attention.layer_help"),
                         **bind_widget(LAYER, widget_key="attn_layer"))
    # Labels are made now, in the session's language: a format_func that translates later (AppTest calls it outside
    # the session) would not find the session's language.
    head = c2.selectbox(t("attention.head"), head_options, format_func={h: head_label(h) for h in head_options}.get,
                        **bind_widget(HEAD, widget_key="attn_head"))
    with c3:
        specials = special_tokens_label(lm.tokenizer)  # the model's own names: [CLS] / [SEP], or <s> / </s>
        hide = st.checkbox(t("attention.hide", specials=specials), key="attn_hide",
                           help=t("attention.hide_help", specials=specials))
    if clicked:
        st.success(clicked)
    try:
        check_layer_head(analysis.attentions, layer, None if head == AVERAGE else head)
    except MLMError as err:  # cannot happen through the selectors, but never show a traceback
        st.warning(error_text(err))
        return None
    shown = shown_tokens(list(analysis.tokens), analysis.special, lm.info.mask_token, hide)
    if shown.nothing_left:
        st.warning(t("attention.nothing_left"))
    return Choice(analysis, layer, head, shown)


# ---------------------------------------------------------------- tabs


def heatmap_tab(c: Choice) -> None:
    st.caption(t("attention.heatmap_caption"))
    matrix, tokens = c.matrix, c.shown.tokens
    title = t("attention.heatmap_title", layer=c.layer, head=head_label(c.head), note=c.note)
    show_figure(attention_heatmap(matrix, tokens, title=title, large=large(), texts=figure_texts()),
                key="attention_heatmap")
    data_downloads(lambda: weight_records(matrix, tokens, c.layer, c.head), key="attention_weights",
                   label=t("attention.weights_download"))


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


def head_view_tab(c: Choice) -> None:
    _heads_to_draw(c.head, c.n_heads)
    tokens = c.shown.tokens
    h1, h2 = st.columns([2, 1], vertical_alignment="bottom")
    with h1:
        view_heads = st.multiselect(
            t("attention.heads_to_draw"), list(range(c.n_heads)),
            format_func={h: head_label(h) for h in range(c.n_heads)}.get,
            help=t("attention.heads_to_draw_help"),
            **bind_widget(VIEW_HEADS, widget_key="attn_view_heads", on_change=_heads_picked_by_hand))
        if st.session_state.get(HEADS_BY_HAND):
            st.button(t("attention.follow"), key="attn_heads_follow", on_click=_follow_head_selector,
                      help=t("attention.follow_help"))
    threshold = h2.slider(t("attention.threshold"), 0.0, 1.0, 0.1, 0.01, key="attn_threshold",
                          help=t("attention.threshold_help"))
    if st.session_state.get("attn_focus") not in range(len(tokens)):
        st.session_state["attn_focus"] = None
    focus = st.pills(t("attention.focus"), list(range(len(tokens))), key="attn_focus",
                     format_func=lambda i: tokens[i], selection_mode="single")
    if not view_heads:
        st.info(t("attention.no_heads"))
    else:
        st.caption(t("attention.head_view_caption", layer=c.layer, threshold=threshold))
        show_figure(head_view(c.shown.of(c.attentions)[c.layer], tokens, heads=view_heads, threshold=threshold,
                              focus=focus, large=large(), title=t("attention.head_view_title", layer=c.layer,
                                                                  note=c.note), texts=figure_texts()),
                    key="attention_head_view")
    if focus is not None:
        source = t("attention.focus_source", token=tokens[focus], layer=c.layer, head=head_label(c.head))
        show_figure(attention_row_bar(c.matrix[focus], tokens, source, large(), texts=figure_texts()),
                    key="attention_focus_bar")


def model_view_tab(c: Choice) -> None:
    st.caption(t("attention.model_view_caption"))
    show_figure(clickable_model_view(c.shown.of(c.attentions), c.shown.tokens, large(), texts=figure_texts()),
                key=MODEL_VIEW_KEY, on_select="rerun")


def rollout_tab(c: Choice) -> None:
    n_layers = c.attentions.shape[0]
    st.markdown(t("attention.average_intro", layer=c.layer, n=c.n_heads))
    show_figure(attention_heatmap(c.shown.of(head_average(c.attentions, c.layer)), c.shown.tokens,
                                  title=t("attention.average_title", layer=c.layer, note=c.note), large=large(),
                                  texts=figure_texts()), key="attention_average")
    st.markdown(t("attention.rollout_intro"))
    residual = st.checkbox(t("attention.residual"), value=True, key="attn_residual")
    rollout = attention_rollout(c.attentions, add_residual=residual)  # over all tokens, then hidden ones dropped
    show_figure(attention_heatmap(c.shown.of(rollout), c.shown.tokens, large=large(), texts=figure_texts(),
                                  title=t("attention.rollout_title", n=n_layers, note=c.note)),
                key="attention_rollout")
