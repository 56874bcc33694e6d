"""Sections of the Attention page: what each head does, switching heads off, and attention flow beside rollout.

* `head_roles_section(lm, analysis)`: the layers × heads map coloured by each head's dominant role (Clark et al.
  2019), averaged over 200 sentences of the bundled sample and cached per model; clicking a head (or picking it)
  opens its head view on the page's sentence.
* `ablation_section(lm, analysis)`: switch one or several heads off and see how each mask's top-k changes.
* `attention_flow_section(analysis, ...)`: attention flow (Abnar & Zuidema 2020) beside rollout.

Head roles and ablation run on the model's own fp32 weights (the bf16 / int8 copies are traced and carry no hooks).
"""
from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mlm_core.errors import MLMError
from mlm_core.inference.analysis import Analysis
from mlm_core.inference.attention_flow import MAX_FLOW_TOKENS, attention_flow
from mlm_core.inference.attention_tools import attention_rollout
from mlm_core.inference.fill_mask_post import mask_blank_labels
from mlm_core.inference.heads import (DOMINANT_SHARE, MIXED, ROLES, Ablation, HeadRoles, ablate_heads, check_heads,
                                      head_roles, parse_heads)
from mlm_core.model.loading import LoadedModel
from mlm_core.model.precision import split_key
from mlm_core.sentences import sample_sentences
from mlm_core.viz import ablation_bars, attention_heatmap, head_roles_map, head_view
from mlm_core.viz.style import OKABE_ITO, escape_label, style_figure

from .attention_view import figure_texts as attention_texts
from .cached import cached_analysis
from .downloads import data_downloads, show_figure
from .i18n import error_text, label_words, t
from .lens_view import guarded
from .models import get_model
from .selection import new_point, selected_points
from .state import large

ROLE_SENTENCES = 200  # sentences of the bundled sample the roles average over
MAX_ABLATION_K = 10
AUTO_FLOW_TOKENS = 40  # above this, one position's flow waits for a button
FULL_FLOW_TOKENS = 16  # up to this many tokens the whole flow matrix is computed; beyond it, one row at a time
NAMED_ROLES = ("punctuation", "previous", "next", "self", MIXED)  # the rest are the model's own token names


def fp32_name(lm: LoadedModel) -> str:
    """The name of the model's own (fp32) weights: head hooks and the role summary use those."""
    return split_key(lm.name)[0]


def head_code(layer: int, head: int, n_heads: int) -> int:
    return int(layer) * int(n_heads) + int(head)


def head_of(code: int, n_heads: int) -> tuple[int, int]:
    return divmod(int(code), int(n_heads))


# ---------------------------------------------------------------- cached computations


@st.cache_data(max_entries=8, show_spinner=False)
def cached_head_roles(model_name: str, n_sentences: int = ROLE_SENTENCES) -> HeadRoles:
    """Role shares and entropy of every head over `n_sentences` of the bundled sample; one summary per model."""
    return head_roles(get_model(model_name), sample_sentences(n_sentences))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_ablation(model_name: str, token_ids: tuple[int, ...], positions: tuple[int, ...],
                    heads: tuple[tuple[int, int], ...], top_k: int, _analysis: Analysis) -> Ablation:
    """Each mask's top-k with `heads` off; `_analysis` is the fp32 analysis of `token_ids` with masks at `positions`."""
    return ablate_heads(get_model(model_name), _analysis, list(heads), top_k=top_k)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_flow(key: tuple, add_residual: bool, positions: tuple[int, ...] | None, _attentions: np.ndarray) -> np.ndarray:
    """Attention flow of `_attentions` (identified by `key`: model, tokens, masks), rows `positions` (None: all)."""
    return attention_flow(_attentions, add_residual=add_residual, positions=None if positions is None else list(positions))


# ---------------------------------------------------------------- words in the session's language


def role_labels(roles: HeadRoles) -> dict[str, str]:
    """Every role's name: the model's own names for its boundary tokens ([CLS] / [SEP]), the others translated."""
    return {**roles.labels, **{r: t(f"heads.role_{r}") for r in NAMED_ROLES}}


def figure_texts() -> dict[str, str]:
    """The words of `mlm_core.viz.heads`'s figures, in the session's language."""
    return {name: t(f"heads.fig_{name}") for name in ("cell", "entropy", "head", "layer", "legend", "all", "without")}


COLUMNS = {"layer": "heads.col_layer", "head": "heads.col_head", "dominant": "heads.col_dominant",
           "entropy (nats)": "heads.col_entropy", "mask": "heads.col_mask", "token": "heads.col_token",
           "piece": "heads.col_piece", "all heads": "heads.col_all_heads", "heads off": "heads.col_heads_off",
           "change": "heads.col_change"}


def _headers(*names: str) -> dict[str, str]:
    """The tables' column names in the session's language (the downloads keep the English ones)."""
    return {name: t(COLUMNS[name]) for name in names}


# ---------------------------------------------------------------- head roles


def map_click(event, n_layers: int, n_heads: int) -> tuple[int, int] | None:
    """The (layer, head) a selection event of the roles map points at, or None."""
    for point in selected_points(event):
        data = point.get("customdata")
        if isinstance(data, (list, tuple)) and len(data) >= 2:
            layer, head = data[0], data[1]
        else:
            layer, head = point.get("y"), point.get("x")
        try:
            layer, head = int(layer), int(head)
        except (TypeError, ValueError):
            continue
        if 0 <= layer < n_layers and 0 <= head < n_heads:
            return layer, head
    return None


def clickable_roles_map(roles: HeadRoles, big: bool) -> go.Figure:
    """`head_roles_map` with one invisible marker per cell: Streamlit reports clicks on scatter points, not heatmaps."""
    fig = head_roles_map(roles.dominant(), roles.roles, roles.entropy, role_labels(roles), large=big,
                         title=t("heads.roles_map_title", sentences=roles.sentences, tokens=roles.tokens),
                         texts=figure_texts())
    heat = fig.data[0]
    click = html.escape(t("heads.click_to_open"), quote=False)
    hover = [f"{h}<br><i>{click}</i>" for row in heat.text for h in row]
    heat.hoverinfo = "skip"
    heat.hovertemplate = None
    invisible = dict(marker=dict(opacity=0))
    fig.add_trace(go.Scatter(
        x=[h for _ in range(roles.layers) for h in range(roles.heads)],
        y=[l for l in range(roles.layers) for _ in range(roles.heads)],
        customdata=[[l, h] for l in range(roles.layers) for h in range(roles.heads)],
        text=hover, hovertemplate="%{text}<extra></extra>", mode="markers", showlegend=False,
        marker=dict(opacity=0, size=28, symbol="square"), selected=invisible, unselected=invisible, name="heads"))
    return fig


def role_rows(roles: HeadRoles, labels: dict[str, str] | None = None) -> list[dict]:
    """One row per head: every role's share, the entropy and the dominant role, roles named by `labels` (by default
    the summary's own English names)."""
    labels = labels or roles.labels
    dominant = roles.dominant()
    return [{"layer": l, "head": h, "dominant": labels.get(dominant[l][h], dominant[l][h]),
             **{labels.get(r, r): round(float(roles.roles[r][l, h]), 4) for r in ROLES},
             "entropy (nats)": round(float(roles.entropy[l, h]), 4)}
            for l in range(roles.layers) for h in range(roles.heads)]


def _role_bar(roles: HeadRoles, layer: int, head: int, big: bool) -> go.Figure:
    labels = role_labels(roles)
    names = [labels.get(r, r) for r in ROLES]
    fig = go.Figure(go.Bar(x=[escape_label(n) for n in names], y=[float(roles.roles[r][layer, head]) for r in ROLES],
                           marker_color=OKABE_ITO[4], hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    fig.update_yaxes(title_text=t("heads.share_axis"), tickformat=".0%", rangemode="tozero")
    return style_figure(fig, t("heads.role_bar_title", layer=layer, head=head), big, height=320)


def _apply_click(event, state_key: str, applied_key: str, n_layers: int, n_heads: int) -> None:
    """A new click on the map opens that head (once: the selector stays free to pick another)."""
    point = new_point(event, applied_key)
    clicked = map_click({"selection": {"points": [point]}}, n_layers, n_heads) if point else None
    if clicked is not None:
        st.session_state[state_key] = head_code(*clicked, n_heads)


def head_roles_section(lm: LoadedModel, analysis: Analysis | None = None, key: str = "heads",
                       open_head: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The head-role map; a clicked (or picked) head opens its head view on `analysis`. `open_head` opens that head
    (an out-of-range one is an error message). Returns the opened (layer, head), or None."""
    big = large()
    st.subheader(t("heads.roles_title"))
    st.markdown(t("heads.roles_intro", n=ROLE_SENTENCES, share=DOMINANT_SHARE, mixed=t("heads.role_mixed")))
    name = fp32_name(lm)
    with st.spinner(t("heads.roles_spinner", n=ROLE_SENTENCES)):
        roles = guarded(t("heads.roles_what"), lambda: cached_head_roles(name))
    if roles is None:
        return None
    n_layers, n_heads = roles.layers, roles.heads
    state_key, applied_key = f"{key}_open", f"{key}_click_applied"
    event = show_figure(clickable_roles_map(roles, big), key=f"{key}_roles_map", on_select="rerun")
    _apply_click(event, state_key, applied_key, n_layers, n_heads)
    labels = role_labels(roles)
    with st.expander(t("heads.roles_table")):
        shown = pd.DataFrame(role_rows(roles, labels)).rename(columns=_headers("layer", "head", "dominant",
                                                                                "entropy (nats)"))
        st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}_roles_table")
        data_downloads(role_rows(roles), key=f"{key}_roles", label=t("heads.roles_download"))
    if open_head is not None:
        try:
            check_heads(lm, [open_head])
        except MLMError as err:
            st.error(error_text(err))
            return None
        st.session_state[state_key] = head_code(*open_head, n_heads)
    codes = [None] + list(range(n_layers * n_heads))
    if st.session_state.get(state_key) not in codes:
        st.session_state[state_key] = None  # a head of another model
    dominant = roles.dominant()

    def label(code):
        if code is None:
            return t("heads.open_none")
        l, h = head_of(code, n_heads)
        return t("heads.open_option", layer=l, head=h, role=labels.get(dominant[l][h], dominant[l][h]))

    code = st.selectbox(t("heads.open_head"), codes, format_func={c: label(c) for c in codes}.get, key=state_key)
    if code is None:
        return None
    layer, head = head_of(code, n_heads)
    c1, c2 = st.columns([1, 2])
    with c1:
        show_figure(_role_bar(roles, layer, head, big), key=f"{key}_role_bar")
        st.caption(t("heads.entropy_caption", value=float(roles.entropy[layer, head]), uniform=np.log(10)))
    with c2:
        if analysis is None:
            st.info(t("heads.type_sentence"))
        else:
            att = np.asarray(analysis.attentions, dtype=float)
            if layer >= att.shape[0] or head >= att.shape[1]:
                st.error(t("heads.out_of_range", layer=layer, head=head, layers=att.shape[0], heads=att.shape[1]))
            else:
                show_figure(head_view(att[layer], list(analysis.tokens), heads=[head], threshold=0.05, large=big,
                                      title=t("heads.head_view_title", layer=layer, head=head),
                                      texts=attention_texts()), key=f"{key}_head_view")
                st.caption(t("heads.head_view_caption"))
    return layer, head


# ---------------------------------------------------------------- ablation


def _heads_label(heads) -> str:
    return ", ".join(f"L{l} H{h}" for l, h in heads)


def ablation_rows(ablation: Ablation, labels: dict[int, str] | None = None) -> list[dict]:
    """One row per (mask, token of the full model's top-k): its probability with all heads and with the heads off."""
    labels = labels or {}
    return [{"mask": labels.get(m.index, f"token {m.index}"), "token": text, "piece": p.token,
             "all heads": round(before, 6), "heads off": round(after, 6), "change": round(after - before, 6)}
            for m in ablation.masks for (text, before, after), p in zip(m.before_after, m.before)]


def ablation_section(lm: LoadedModel, analysis: Analysis, key: str = "ablate",
                     heads: list[tuple[int, int]] | None = None) -> Ablation | None:
    """Switch heads off and compare each mask's top-k. `heads` preselects them (out of range: an error message)."""
    big = large()
    st.subheader(t("heads.ablation_title"))
    st.markdown(t("heads.ablation_intro"))
    info = lm.info
    n_layers, n_heads = info.layers, info.heads
    codes = list(range(n_layers * n_heads))
    pick_key, typed_key = f"{key}_heads", f"{key}_typed"
    if st.session_state.get(pick_key) and not all(c in codes for c in st.session_state[pick_key]):
        st.session_state[pick_key] = [c for c in st.session_state[pick_key] if c in codes]
    c1, c2 = st.columns([2, 1])
    picked = c1.multiselect(t("heads.heads_off"), codes, key=pick_key,
                            format_func=lambda c: "L{} H{}".format(*head_of(c, n_heads)))
    typed = c2.text_input(t("heads.typed"), key=typed_key, placeholder=t("heads.typed_placeholder"),
                          help=t("heads.typed_help", last_layer=n_layers - 1, last_head=n_heads - 1))
    chosen = [head_of(c, n_heads) for c in picked]
    try:
        if heads is not None:
            chosen += [tuple(h) for h in heads]
        if typed and typed.strip():
            chosen += parse_heads(typed)
        if not chosen:
            st.info(t("heads.choose_heads"))
            return None
        check_heads(lm, chosen)
    except MLMError as err:
        st.error(error_text(err))
        return None
    chosen = sorted(set((int(l), int(h)) for l, h in chosen))
    if not analysis.masks:
        st.info(t("heads.nothing_masked"))
        return None
    k = max(1, min(MAX_ABLATION_K, max(len(m.predictions) for m in analysis.masks)))
    name = fp32_name(lm)
    try:
        with st.spinner(t("heads.ablation_spinner")):
            own = analysis if name == lm.name else cached_analysis(name, analysis.text, tuple(analysis.mask_positions), k)
            result = cached_ablation(name, tuple(own.token_ids), tuple(own.mask_positions), tuple(chosen), k, own)
    except MLMError as err:
        st.warning(error_text(err))
        return None
    if name != lm.name:
        st.caption(t("heads.fp32_note"))
    removed = _heads_label(result.heads)
    labels = mask_blank_labels(own, label_words())
    for number, m in enumerate(result.masks):
        fig = ablation_bars([(p.text or p.token, p.score, p.token) for p in m.before],
                            [(p.text or p.token, p.score, p.token) for p in m.after], removed,
                            title=labels.get(m.index, t("heads.token_n", index=m.index)), large=big,
                            texts=figure_texts())
        show_figure(fig, key=f"{key}_bars_{number}")
    rows = ablation_rows(result, labels)
    shown = pd.DataFrame(rows).rename(columns=_headers("mask", "token", "piece", "all heads", "heads off", "change"))
    st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}_table")
    data_downloads(rows, key=f"{key}_records", label=t("heads.ablation_download"))
    return result


# ---------------------------------------------------------------- attention flow


def _flow_bar(tokens: list[str], rollout_row: np.ndarray, flow_row: np.ndarray, target: str, big: bool) -> go.Figure:
    labels = [f"{i}:{html.escape(str(token), quote=False)}" for i, token in enumerate(tokens)]
    fig = go.Figure()
    for row, name, colour in ((rollout_row, t("heads.rollout"), OKABE_ITO[4]),
                              (flow_row, t("heads.flow"), OKABE_ITO[5])):
        fig.add_trace(go.Bar(x=labels, y=row, name=name, marker_color=colour,
                             hovertemplate=f"%{{x}}: %{{y:.3f}}<extra>{escape_label(name)}</extra>"))
    fig.update_xaxes(type="category", tickangle=-45, title_text=t("heads.input_token"))
    fig.update_yaxes(title_text=t("heads.share_top"), rangemode="tozero")
    return style_figure(fig, t("heads.flow_bar_title", target=escape_label(target)), big, height=380,
                        barmode="group")


def attention_flow_section(analysis: Analysis, add_residual: bool = True, keep: list[bool] | None = None,
                           key: str = "flow", model_name: str = "") -> np.ndarray | None:
    """Attention flow beside rollout for `analysis`. `keep` (one bool per token) hides tokens from the drawing (the
    flow is computed over all tokens). Returns the flow rows computed (zeros elsewhere), or None."""
    big = large()
    st.markdown(t("heads.flow_intro"))
    att = np.asarray(analysis.attentions, dtype=float)
    tokens = list(analysis.tokens)
    n = len(tokens)
    if n > MAX_FLOW_TOKENS:
        st.info(t("heads.flow_too_long", limit=MAX_FLOW_TOKENS, n=n))
        return None
    ident = (model_name or analysis.model_name, tuple(analysis.token_ids), tuple(analysis.mask_positions))
    rollout = attention_rollout(att, add_residual=add_residual)
    masks = analysis.mask_positions
    default = masks[0] if masks else 0
    target_key = f"{key}_target"
    if st.session_state.get(target_key) not in range(n):
        st.session_state[target_key] = default
    target = st.selectbox(t("heads.flow_target"), list(range(n)), key=target_key,
                          format_func=lambda i: f"{i}: {tokens[i]}",
                          help=t("heads.flow_target_help", n=FULL_FLOW_TOKENS))
    full = n <= FULL_FLOW_TOKENS
    if n > AUTO_FLOW_TOKENS:
        go_key = f"{key}_for"
        signature = ident + (add_residual, target)
        if st.button(t("heads.flow_go"), key=f"{key}_go"):
            st.session_state[go_key] = signature
        if st.session_state.get(go_key) != signature:
            st.caption(t("heads.flow_wait", n=n))
            return None
    try:
        with st.spinner(t("heads.flow_spinner")):
            flow = cached_flow(ident, add_residual, None if full else (target,), att)
    except MLMError as err:
        st.warning(error_text(err))
        return None
    shown = list(range(n)) if keep is None else [i for i in range(n) if keep[i]]
    if not shown:
        shown = list(range(n))
    sub = [tokens[i] for i in shown]
    show_figure(_flow_bar(sub, rollout[target, shown], flow[target, shown], f"{target}:{tokens[target]}", big),
                key=f"{key}_bar")
    if full:
        hidden = t("heads.flow_hidden") if len(shown) < n else ""
        show_figure(attention_heatmap(flow[np.ix_(shown, shown)], sub, large=big, texts=attention_texts(),
                                      title=t("heads.flow_heatmap_title", n=att.shape[0], note=hidden)),
                    key=f"{key}_heatmap")
    else:
        st.caption(t("heads.flow_one_row", n=n))
    return flow
