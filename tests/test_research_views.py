"""The research sections of the pages (logit lens, head roles and ablation, attention flow, geometry and
centring, sentence scores) driven through Streamlit's AppTest on the bundled model, their numbers checked against
recomputation by hand (full forward passes, a head zeroed by hand, cosines and PLL written out here)."""
from __future__ import annotations

import json
import math
import os

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.app_helpers import open_tab, plotly_array as arr, table_with as table  # noqa: E402

RIVER = "He sat on the [MASK] of the river."
TWO_MASKS = "He sat on the [MASK] of the river and looked at the [MASK]."
END = "END OF PAGE"


def harness(section: str, text: str, options: dict):
    """A page with one section on the bundled model, then a marker that shows the rest of the page still runs."""
    import streamlit as st

    from mlm_app.cached import cached_analysis
    from mlm_app.models import get_model

    name = options.get("model", "bundled")
    lm = get_model(name)
    analysis = cached_analysis(name, text, (), 5) if text else None
    if section == "all":  # every section on one page, as the pages wire them
        from mlm_app.geometry_view import centring_control, geometry_section
        from mlm_app.heads_view import ablation_section, attention_flow_section, head_roles_section
        from mlm_app.lens_view import lens_section
        from mlm_app.scores_view import scores_section

        lens_section(lm, analysis, 5)
        head_roles_section(lm, analysis, open_head=(1, 1))
        ablation_section(lm, analysis, heads=[(0, 0)])
        attention_flow_section(analysis)
        centring_control(lm, None)
        geometry_section(lm, options["word"], options["sentences"])
        scores_section(lm, options["sentence"], run=True)
    if section == "lens":
        from mlm_app.lens_view import lens_section

        lens_section(lm, analysis, options.get("top_k", 5), mask=options.get("mask"))
    elif section == "roles":
        from mlm_app.heads_view import head_roles_section

        head_roles_section(lm, analysis, open_head=options.get("open_head"))
    elif section == "ablate":
        from mlm_app.heads_view import ablation_section

        ablation_section(lm, analysis)
    elif section == "flow":
        from mlm_app.heads_view import attention_flow_section

        attention_flow_section(analysis, add_residual=options.get("residual", True))
    elif section == "geometry":
        from mlm_app.geometry_view import geometry_section

        geometry_section(lm, options["word"], options["sentences"])
    elif section == "centring":
        import pandas as pd

        from mlm_app.geometry_view import cached_word_vectors, centring_control
        from mlm_core.embeddings.senses import separation_by_layer

        wv = cached_word_vectors(name, options["word"], tuple(options["sentences"]))
        centring = centring_control(lm, wv)
        st.session_state["_centred"] = centring.word_vectors(wv).vectors
        sep = separation_by_layer(centring.apply(wv.vectors), options["labels"])
        st.dataframe(pd.DataFrame([{"layer": s.layer, "within": s.within_cosine, "between": s.between_cosine}
                                   for s in sep]))
    elif section == "scores":
        from mlm_app.scores_view import scores_section

        scores_section(lm, text, pair=options.get("pair"), run=options.get("run", True))
    st.markdown("END OF PAGE")


def open_section(section: str, text: str = RIVER, **options) -> AppTest:
    at = AppTest.from_function(harness, args=(section, text, options), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def page_kept_working(at: AppTest) -> bool:
    return any(m.value == END for m in at.markdown)


def charts(at: AppTest) -> dict[str, dict]:
    return {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}






@pytest.fixture(scope="module")
def bundled():
    from mlm_core.model.loading import load_model

    return load_model("bundled")


def _offerable(lm, n_outputs: int) -> torch.Tensor:
    ok = torch.zeros(n_outputs, dtype=torch.bool)
    ok[:len(lm.tokenizer)] = True
    ok[sorted(lm.tokenizer.all_special_ids)] = False
    return ok


# ---------------------------------------------------------------- logit lens


def test_lens_chart_is_the_head_applied_by_hand_at_every_layer(bundled):
    at = open_section("lens")
    assert any("nostalgebraist 2020" in m.value and "not" in m.value and "trained" in m.value for m in at.markdown)
    spec = charts(at)["lens_figure_0"]
    heat, curve = spec["data"][0], spec["data"][1]
    layers = [int(v) for v in arr(curve["y"])]
    assert layers == list(range(bundled.info.layers + 1))
    # by hand: every hidden state at the mask through ModernBERT's final norm (the last one already has it), its
    # prediction head and its decoder
    ids = bundled.tokenizer(RIVER.replace("[MASK]", bundled.tokenizer.mask_token), return_tensors="pt")["input_ids"]
    mask = int((ids[0] == bundled.tokenizer.mask_token_id).nonzero()[0])
    m = bundled.model
    with torch.no_grad():
        out = m(input_ids=ids, output_hidden_states=True)
        rows = [out.hidden_states[l][0, mask] for l in layers]
        rows = [m.model.final_norm(r) if l < layers[-1] else r for l, r in zip(layers, rows)]
        probs = torch.stack([torch.softmax(m.decoder(m.head(r)), -1) for r in rows])
        full = torch.softmax(out.logits[0, mask], -1)
    assert torch.allclose(probs[-1], full, atol=1e-5)  # the top layer is the model's own answer
    ok = _offerable(bundled, probs.shape[-1])
    final_id = int(torch.where(ok, full, -1.0).argmax())
    np.testing.assert_allclose(arr(curve["x"]), probs[:, final_id].numpy(), atol=1e-5)
    ranks = [int(((torch.where(ok, p, -1.0)) > p[final_id]).sum()) + 1 for p in probs]
    assert [t.lstrip("#") for t in curve["text"]] == [str(r) for r in ranks]
    assert ranks[-1] == 1
    # the heat map: each layer's top-5 probabilities, most probable first, as recomputed
    z = arr(heat["z"])
    for l, p in enumerate(probs):
        top = torch.where(ok, p, -1.0).topk(5).values.numpy()
        np.testing.assert_allclose(z[l], top, atol=1e-5)
    rows_table = table(at, "layer name")
    assert list(rows_table["layer"]) == layers
    assert page_kept_working(at)


def test_lens_with_two_masks_lets_the_reader_pick_and_a_missing_mask_is_an_error():
    at = open_section("lens", TWO_MASKS)
    box = at.selectbox(key="lens_lens_mask")
    assert box.options and len(box.options) == 2
    box.set_value(1)
    rerun(at)
    assert "lens_figure_1" in charts(at)
    bad = open_section("lens", TWO_MASKS, mask=5)
    assert any("There is no mask number 5" in e.value and "0..1" in e.value for e in bad.error)
    assert page_kept_working(bad)
    none = open_section("lens", "The cat sat on the mat.")
    assert any("Nothing is masked" in i.value for i in none.info)
    assert page_kept_working(none)


# ---------------------------------------------------------------- head roles


def test_roles_map_matches_attention_averaged_by_hand_and_a_click_opens_the_head(bundled):
    from mlm_core.sentences import sample_sentences
    from mlm_core.viz.heads import ROLE_ORDER

    at = open_section("roles")
    spec = charts(at)["heads_roles_map"]
    codes = arr(spec["data"][0]["z"]).reshape(bundled.info.layers, bundled.info.heads)
    # by hand: the share of attention each head gives the token itself and the previous token, over every query
    # token of the same 200 sentences, one sentence at a time
    n_l, n_h = bundled.info.layers, bundled.info.heads
    self_sum, prev_sum, rows, neighbours = np.zeros((n_l, n_h)), np.zeros((n_l, n_h)), 0, 0
    for s in sample_sentences(200):
        ids = bundled.tokenizer(s, return_tensors="pt")["input_ids"]
        with torch.no_grad():
            att = torch.stack(bundled.model.base_model(input_ids=ids, output_attentions=True).attentions)[:, 0].double()
        n = ids.shape[1]
        self_sum += att.diagonal(dim1=-2, dim2=-1).sum(-1).numpy()
        prev_sum += np.stack([[sum(float(att[l, h, i, i - 1]) for i in range(1, n)) for h in range(n_h)]
                              for l in range(n_l)])
        rows, neighbours = rows + n, neighbours + n - 1
    self_share, prev_share = self_sum / rows, prev_sum / neighbours
    table_rows = table(at, "entropy (nats)")
    np.testing.assert_allclose(table_rows["itself"].to_numpy().reshape(n_l, n_h), self_share, atol=1e-4)
    np.testing.assert_allclose(table_rows["previous token"].to_numpy().reshape(n_l, n_h), prev_share, atol=1e-4)
    # a head whose previous-token share passes 40% and leads is coloured 'previous'
    layer, head = np.unravel_index(prev_share.argmax(), prev_share.shape)
    assert prev_share[layer, head] > 0.4
    assert ROLE_ORDER[int(codes[layer, head])] == "previous"
    # clicking the head (the event Streamlit reports for the map's click targets) opens it
    at.session_state["heads_roles_map"] = {"selection": {"points": [
        {"x": int(head), "y": int(layer), "customdata": [int(layer), int(head)], "curve_number": 8}]}}
    rerun(at)
    assert at.selectbox(key="heads_open").value == int(layer) * n_h + int(head)
    figs = charts(at)
    assert "heads_head_view" in figs
    bar = figs["heads_role_bar"]["data"][0]
    assert bar["x"][3] == "previous token"
    assert float(arr(bar["y"])[3]) == pytest.approx(prev_share[layer, head], abs=1e-4)
    assert page_kept_working(at)


def test_a_head_out_of_range_is_an_error_and_the_page_goes_on():
    at = open_section("roles", open_head=(9, 0))
    assert any("Layer 9 is out of range" in e.value and "0..3" in e.value for e in at.error)
    assert page_kept_working(at)
    at = open_section("roles", open_head=(1, 7))
    assert any("Head 7 is out of range" in e.value for e in at.error)
    assert page_kept_working(at)


# ---------------------------------------------------------------- ablation


def test_ablation_table_equals_the_heads_zeroed_by_hand(bundled):
    from tests.family_tools import zero_head_by_hand

    at = open_section("ablate", TWO_MASKS)
    assert any("at least one head" in i.value for i in at.info)
    n_h = bundled.info.heads
    heads = [(0, 1), (3, 2)]
    at.multiselect(key="ablate_heads").set_value([l * n_h + h for l, h in heads])
    rerun(at)
    rows = table(at, "heads off")
    ids = bundled.tokenizer(TWO_MASKS.replace("[MASK]", bundled.tokenizer.mask_token), return_tensors="pt")["input_ids"]
    masks = (ids[0] == bundled.tokenizer.mask_token_id).nonzero()[:, 0].tolist()
    with torch.no_grad():
        off = torch.softmax(zero_head_by_hand(bundled, heads)(input_ids=ids).logits[0], -1)
        full = torch.softmax(bundled.model(input_ids=ids).logits[0], -1)
    assert len(rows) == 2 * 5  # the page's top-5 at each mask
    for k, position in enumerate(masks):
        part = rows.iloc[5 * k:5 * (k + 1)]
        pieces = bundled.tokenizer.convert_tokens_to_ids(list(part["piece"]))
        np.testing.assert_allclose(part["all heads"], full[position, pieces].numpy(), atol=1e-5)
        np.testing.assert_allclose(part["heads off"], off[position, pieces].numpy(), atol=1e-5)
    assert not np.allclose(rows["all heads"], rows["heads off"], atol=1e-4)  # switching them off changed something
    assert {"ablate_bars_0", "ablate_bars_1"} <= set(charts(at))
    # typed heads: out of range and malformed are messages, not tracebacks
    at.multiselect(key="ablate_heads").set_value([])
    at.text_input(key="ablate_typed").input("9.0")
    rerun(at)
    assert any("Layer 9 is out of range" in e.value for e in at.error)
    at.text_input(key="ablate_typed").input("two")
    rerun(at)
    assert any("'two' is not a head" in e.value for e in at.error)
    assert page_kept_working(at)


def test_ablation_without_a_mask_says_so(bundled):
    at = open_section("ablate", "The cat sat on the mat.")
    at.multiselect(key="ablate_heads").set_value([0])
    rerun(at)
    assert any("Nothing is masked" in i.value for i in at.info)
    assert page_kept_working(at)


# ---------------------------------------------------------------- attention flow


def test_flow_beside_rollout_on_a_short_sentence(bundled):
    from mlm_core.inference.analysis import analyze
    from mlm_core.inference.attention_flow import attention_flow
    from mlm_core.inference.attention_tools import attention_rollout

    text = "The cat sat on the [MASK]."
    at = open_section("flow", text)
    figs = charts(at)
    a = analyze(bundled, text, top_k=5)
    mask = a.mask_positions[0]
    assert at.selectbox(key="flow_target").value == mask  # into the mask by default
    rollout_bar, flow_bar = figs["flow_bar"]["data"]
    np.testing.assert_allclose(arr(rollout_bar["y"]), attention_rollout(a.attentions)[mask], atol=1e-6)
    flow = attention_flow(a.attentions)
    np.testing.assert_allclose(arr(flow_bar["y"]), flow[mask], atol=1e-6)
    np.testing.assert_allclose(arr(figs["flow_heatmap"]["data"][0]["z"]), flow, atol=1e-6)
    # a path is only as wide as its narrowest edge: no flow exceeds the capacity out of its input token (1)
    assert (flow <= 1 + 1e-6).all() and (flow > 0).any()
    assert page_kept_working(at)


# ---------------------------------------------------------------- geometry and centring


def _bank():
    from mlm_core.embeddings.polysemy_data import items_for

    items = items_for("bank")
    return [i.sentence for i in items], [i.sense for i in items]


def _mean_pair_cosine(x: np.ndarray) -> float:
    u = x / np.linalg.norm(x, axis=1, keepdims=True)
    sims = u @ u.T
    n = len(x)
    return float((sims.sum() - np.trace(sims)) / (n * (n - 1)))


def test_geometry_table_matches_cosines_and_svd_by_hand(bundled):
    from mlm_core.embeddings.geometry import corpus_baseline
    from mlm_core.embeddings.vectors import word_vectors

    sentences, _ = _bank()
    at = open_section("geometry", "", word="bank", sentences=sentences)
    rows = table(at, "self-similarity")
    wv = word_vectors(bundled, sentences, "bank")
    n_states = wv.vectors.shape[1]
    assert list(rows["layer"]) == list(range(n_states))
    base = corpus_baseline(bundled)
    for layer in range(n_states):
        x = wv.vectors[:, layer].astype(np.float64)
        assert rows["self-similarity"][layer] == pytest.approx(_mean_pair_cosine(x), abs=1e-4)
        s = np.linalg.svd(x, compute_uv=False)
        assert rows["static share"][layer] == pytest.approx(s[0] ** 2 / (s ** 2).sum(), abs=1e-4)
        u = base.sample[:, layer] / np.linalg.norm(base.sample[:, layer], axis=1, keepdims=True)
        apart = base.sample_sentence[:, None] != base.sample_sentence[None, :]
        assert rows["anisotropy"][layer] == pytest.approx(float((u @ u.T)[apart].mean()), abs=1e-4)
    assert "geo_chart" in charts(at)
    # centred: every number on the vectors minus the corpus means
    at.toggle(key="geo_centred").set_value(True)
    rerun(at)
    centred = table(at, "self-similarity")
    top = n_states - 1
    x = wv.vectors[:, top].astype(np.float64) - base.means[top]
    assert centred["self-similarity"][top] == pytest.approx(_mean_pair_cosine(x), abs=1e-4)
    assert centred["self-similarity"][top] < rows["self-similarity"][top]
    assert page_kept_working(at)


def test_geometry_of_a_word_missing_from_the_sentences_is_a_message():
    at = open_section("geometry", "", word="bank", sentences=["The cat sat on the mat.", "I went to the bank."])
    assert any("'bank' was found in 1 of the 2 sentence(s)" in i.value for i in at.info)
    assert page_kept_working(at)
    at = open_section("geometry", "", word="zebra", sentences=["The cat sat on the mat.", "Rain fell all day."])
    assert at.info and page_kept_working(at)


def test_centring_on_the_corpus_mean_and_on_the_word_mean(bundled):
    from mlm_core.embeddings.geometry import corpus_baseline
    from mlm_core.embeddings.vectors import word_vectors

    sentences, senses = _bank()
    at = open_section("centring", "", word="bank", sentences=sentences, labels=senses)
    raw = table(at, "within")
    wv = word_vectors(bundled, sentences, "bank")
    np.testing.assert_allclose(at.session_state["_centred"], wv.vectors, atol=1e-6)  # raw by default
    at.radio(key="geo_centring").set_value("corpus")
    rerun(at)
    means = corpus_baseline(bundled).means
    np.testing.assert_allclose(at.session_state["_centred"], wv.vectors - means[None], atol=1e-5)
    corpus = table(at, "within")
    # by hand at layer 1: within-sense and between-sense mean cosines of the centred vectors
    x = (wv.vectors[:, 1] - means[1]).astype(np.float64)
    u = x / np.linalg.norm(x, axis=1, keepdims=True)
    sims = u @ u.T
    labels = np.asarray(senses)
    same = (labels[:, None] == labels[None, :]) & ~np.eye(len(labels), dtype=bool)
    diff = labels[:, None] != labels[None, :]
    assert corpus["within"][1] == pytest.approx(float(sims[same].mean()), abs=1e-4)
    assert corpus["between"][1] == pytest.approx(float(sims[diff].mean()), abs=1e-4)
    # centring widens the gap the raw cosines hide in the third decimal
    assert corpus["within"][1] - corpus["between"][1] > raw["within"][1] - raw["between"][1]
    at.radio(key="geo_centring").set_value("word")
    rerun(at)
    np.testing.assert_allclose(at.session_state["_centred"].mean(axis=0), 0.0, atol=1e-5)
    word = table(at, "within")
    top = len(word) - 1
    assert word["between"][top] < 0  # senses point apart once the word's own mean is gone
    assert word["within"][top] > word["between"][top]
    assert page_kept_working(at)


# ---------------------------------------------------------------- sentence scores


def _pll_by_hand(lm, text: str, word_l2r: bool = False) -> float:
    enc = lm.tokenizer(text)
    ids, words = enc["input_ids"], enc.word_ids()
    skip = {lm.tokenizer.cls_token_id, lm.tokenizer.sep_token_id, lm.tokenizer.pad_token_id}
    positions = [i for i, t in enumerate(ids) if t not in skip]
    total = 0.0
    for p in positions:
        masked = list(ids)
        masked[p] = lm.tokenizer.mask_token_id
        if word_l2r:
            for j in positions:
                if j > p and words[j] is not None and words[j] == words[p]:
                    masked[j] = lm.tokenizer.mask_token_id
        with torch.no_grad():
            logits = lm.model(input_ids=torch.tensor([masked])).logits[0, p]
        total += float(torch.log_softmax(logits, -1)[ids[p]])
    return total


def test_sentence_scores_both_variants_per_token(bundled):
    text = "The hippopotamus wallowed in the muddy riverbank."
    at = open_section("scores", text)
    rows = table(at, "log_prob")
    original = rows[rows["variant"] == "original"]["log_prob"].sum()
    l2r = rows[rows["variant"] == "word-l2r"]["log_prob"].sum()
    assert original == pytest.approx(_pll_by_hand(bundled, text), abs=1e-2)  # the table rounds to 4 decimals
    assert l2r == pytest.approx(_pll_by_hand(bundled, text, word_l2r=True), abs=1e-2)
    assert l2r < original  # split words no longer predict themselves from their own later pieces
    metrics = [m.value for m in at.metric]
    assert len(metrics) == 2 and all("nats" in v for v in metrics)
    bars = charts(at)["scores_bars"]["data"]
    assert len(bars) == 2
    assert float(arr(bars[0]["y"]).sum()) == pytest.approx(original, abs=1e-2)
    assert page_kept_working(at)


def test_minimal_pair_names_the_preferred_sentence_and_the_margin(bundled):
    good, bad = "The keys to the cabinet are on the table.", "The keys to the cabinet is on the table."
    at = open_section("scores", RIVER, pair=[good, bad])
    first, second = _pll_by_hand(bundled, good), _pll_by_hand(bundled, bad)
    preferred = 1 if first >= second else 2
    msg = " ".join(s.value for s in at.success)
    assert f"sentence {preferred}" in msg and f"{abs(first - second):.2f} nats" in msg
    rows = table(at, "difference (1 − 2)")
    assert list(rows["variant"]) == ["original", "word-l2r"]
    assert rows["difference (1 − 2)"][0] == pytest.approx(first - second, abs=1e-3)
    assert math.isclose(rows["times as likely"][0], math.exp(abs(first - second)), rel_tol=1e-2)
    assert page_kept_working(at)


def test_scores_bad_input_is_a_message():
    one = open_section("scores", RIVER, pair=["The keys to the cabinet are on the table."])
    assert any("A minimal pair is two sentences" in i.value and "got 1" in i.value for i in one.info)
    assert page_kept_working(one)
    masked = open_section("scores", RIVER)
    assert any("remove the masks" in i.value for i in masked.info)
    assert page_kept_working(masked)
    button = open_section("scores", "The cat sat on the mat.", run=None)
    assert not button.metric  # nothing is computed until the button is pressed
    button.button(key="scores_go").click()
    rerun(button)
    assert len(button.metric) == 2


# ---------------------------------------------------------------- other families and precisions


ALL_SENTENCES = ["The bank by the river was muddy.", "She paid the money into the bank.",
                 "The bank raised its rates.", "We sat on the grassy bank."]


@pytest.mark.parametrize("kind", ["roberta", "int8"])
def test_every_section_renders_on_a_byte_level_model_and_on_the_int8_copy(kind, tmp_path, monkeypatch, request):
    if kind == "int8":
        name = "bundled (int8)"
    else:
        import shutil

        monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path))
        shutil.copytree(request.getfixturevalue("native_family_dirs")[kind], tmp_path / "models" / "rob")
        name = "trained:rob"
    at = open_section("all", TWO_MASKS, model=name, word="bank", sentences=ALL_SENTENCES,
                      sentence="The hippopotamus wallowed in the mud.")
    assert not at.error, [e.value for e in at.error]
    assert not at.warning, [w.value for w in at.warning]
    figs = charts(at)
    assert {"lens_figure_0", "heads_roles_map", "heads_head_view", "ablate_bars_0", "ablate_bars_1", "flow_bar",
            "geo_chart", "scores_bars"} <= set(figs)
    roles = table(at, "entropy (nats)")
    if kind == "roberta":
        assert {"<s>", "</s>"} <= set(roles.columns)  # the model's own names for its boundary tokens
    else:
        assert {"[CLS]", "[SEP]"} <= set(roles.columns)
        assert any("fp32" in c.value for c in at.caption)  # ablation runs on the model's own weights
    assert page_kept_working(at)


# ---------------------------------------------------------------- the sections on their pages


def _open_page(page: str, tmp_path, monkeypatch) -> AppTest:
    from pathlib import Path

    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=300)
    at.run()
    at.switch_page(page)
    return rerun(at)


def test_fill_mask_page_shows_the_lens_at_a_clicked_mask_and_scores_a_minimal_pair(tmp_path, monkeypatch):
    at = _open_page("pages/fill_mask.py", tmp_path, monkeypatch)
    assert "lens_figure_0" not in charts(at)  # nothing masked: no lens
    at.pills(key="fm_word_chips").set_value([4])  # 'bank' of the default sentence
    rerun(at)
    assert "lens_figure_0" not in charts(at)  # the lens waits for its toggle
    at.toggle(key="lens_on").set_value(True)
    rerun(at)
    lens = charts(at)["lens_figure_0"]["data"][1]
    p_last = float(arr(lens["x"])[-1])
    bank = table(at, "mask_index")  # the page's own prediction table: the lens's last layer is that answer
    assert p_last == pytest.approx(float(bank["probability"].iloc[0]), abs=1e-5)
    at.radio(key="scores_mode").set_value("Minimal pair")
    rerun(at)
    at.button(key="scores_go").click()
    rerun(at)
    assert any("The model prefers" in s.value for s in at.success)
    assert "scores_pair_bars" in charts(at)


def test_attention_page_has_flow_beside_rollout_and_head_roles_with_ablation(tmp_path, monkeypatch):
    at = _open_page("pages/attention.py", tmp_path, monkeypatch)
    tabs = {t.label: t for t in at.tabs}
    assert "Head roles & switching heads off" in tabs
    figs = charts(open_tab(at, "Head average, rollout & flow"))
    assert {"attention_rollout", "flow_bar", "flow_heatmap"} <= set(figs)
    np.testing.assert_allclose(arr(figs["flow_bar"]["data"][0]["y"]),
                               arr(figs["attention_rollout"]["data"][0]["z"])[0], atol=1e-4)  # rollout row 0
    at.checkbox(key="attn_residual").uncheck()
    rerun(at)
    assert not np.allclose(arr(charts(at)["flow_bar"]["data"][1]["y"]), arr(figs["flow_bar"]["data"][1]["y"]))
    assert "heads_roles_map" in charts(open_tab(at, "Head roles & switching heads off"))
    at.multiselect(key="ablate_heads").set_value([5])
    rerun(at)
    assert any("Nothing is masked" in i.value for i in at.info)  # no mask on the default sentence
    assert not at.error


def test_polysemy_page_centring_changes_the_separation_numbers(tmp_path, monkeypatch):
    at = _open_page("pages/polysemy.py", tmp_path, monkeypatch)
    raw = table(at, "between-sense cosine").copy()
    assert "geo_chart" in charts(at)
    at.radio(key="geo_centring").set_value("corpus")
    rerun(at)
    centred = table(at, "between-sense cosine")
    assert list(centred["layer"]) == list(raw["layer"])
    gap_raw = raw["within-sense cosine"] - raw["between-sense cosine"]
    gap_centred = centred["within-sense cosine"] - centred["between-sense cosine"]
    assert (gap_centred.iloc[1:] > gap_raw.iloc[1:]).all()  # the separation the shared direction hid
    assert not at.error
