"""The masked model beside its left-to-right companion: guesses from the left context, triangular attention, the
disagreement examples (core), and the Fill-mask and Attention sections that show them (AppTest)."""
from __future__ import annotations

import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
import torch

os.environ["HF_HUB_OFFLINE"] = "1"

from mlm_core.errors import MLMError  # noqa: E402
from mlm_core.generation import causal_score  # noqa: E402
from mlm_core.inference.analysis import analyze  # noqa: E402
from mlm_core.inference.left_context import causal_attention, disagreements, left_context_guesses  # noqa: E402
from tests.app_helpers import open_tab  # noqa: E402
from tests.test_page_attention import z_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BANK = "I went to the bank to deposit money."


@pytest.fixture(scope="module")
def causal():
    from mlm_core.model.causal import load_causal_model

    return load_causal_model("bundled-causal")


def _next_token_probs(causal, context: str) -> torch.Tensor:
    ids = [causal.tokenizer.cls_token_id] + causal.tokenizer(context, add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        logits = causal.model(input_ids=torch.tensor([ids])).logits[0, -1]
    specials = torch.tensor(causal.tokenizer.all_special_ids)
    logits[specials] = float("-inf")
    return torch.softmax(logits, dim=-1)


def test_guess_is_the_next_token_distribution_after_the_left_words(causal):
    start = BANK.index("bank")
    (guess,) = left_context_guesses(causal, BANK, [(start, start + 4)], ["bank"], top_k=5)
    probs = _next_token_probs(causal, "I went to the")
    top = torch.topk(probs, 5)
    assert [p.token_id for p in guess.predictions] == top.indices.tolist()
    assert [p.score for p in guess.predictions] == pytest.approx(top.values.tolist(), abs=1e-5)
    bank_id = causal.tokenizer.convert_tokens_to_ids("bank")
    assert guess.original_probability == pytest.approx(float(probs[bank_id]), abs=1e-6)
    assert guess.seen == ["[CLS]", "i", "went", "to", "the"]
    assert guess.seen_text == "I went to the" and guess.unseen_text == "to deposit money."


def test_an_earlier_blank_is_filled_with_the_causal_models_own_guess(causal):
    text = "The [MASK] bank was [MASK] after the rain."
    first, second = left_context_guesses(causal, text, [(4, 10), (20, 26)], top_k=3)
    assert first.seen_text == "The" and first.original is None and first.original_probability is None
    filled = causal.tokenizer.decode([first.predictions[0].token_id]).strip()
    assert second.seen_text == f"The {filled} bank was"
    probs = _next_token_probs(causal, second.seen_text)
    assert second.predictions[0].token_id == int(probs.argmax())
    assert "[MASK]" not in " ".join(first.seen + second.seen)


def test_guesses_refuse_overlapping_blanks_and_a_masked_model(causal, bundled):
    with pytest.raises(MLMError, match="overlaps"):
        left_context_guesses(causal, BANK, [(0, 6), (4, 9)])
    with pytest.raises(MLMError, match="causal"):
        left_context_guesses(bundled, BANK, [(14, 18)])


def test_causal_attention_is_a_lower_triangle_and_the_masked_one_is_not(causal, bundled):
    att = causal_attention(causal, BANK)
    n = len(att.tokens)
    assert att.tokens[0] == "[CLS]" and att.attentions.shape[-2:] == (n, n)
    upper = np.triu(np.ones((n, n), bool), k=1)
    assert np.abs(att.attentions[..., upper]).max() == 0.0
    np.testing.assert_allclose(att.attentions.sum(-1), 1.0, atol=1e-4)
    full = analyze(bundled, BANK).attentions
    m = full.shape[-1]
    assert full[..., np.triu(np.ones((m, m), bool), k=1)].max() > 0.05


def test_disagreements_report_both_models_probabilities_of_the_word(causal, bundled):
    sentences = [BANK, "The river bank was muddy after the rain.", "She played the piano at the concert."]
    found = disagreements(bundled, causal, sentences, limit=3)
    assert 1 <= len(found) <= 3
    assert abs(found[0].log_ratio) >= abs(found[-1].log_ratio)
    for d in found:
        assert d.sentence[d.start:d.end] == d.word
        word = next(w for w in analyze(bundled, d.sentence).words if w.start == d.start)
        ids = bundled.tokenizer(d.sentence)["input_ids"]
        hidden = ids[word.token_indices[0]]
        for i in word.token_indices:
            ids[i] = bundled.tokenizer.mask_token_id
        with torch.no_grad():
            logits = bundled.model(input_ids=torch.tensor([ids])).logits[0, word.token_indices[0]]
        logits[torch.tensor(bundled.tokenizer.all_special_ids)] = float("-inf")
        assert d.mlm_probability == pytest.approx(float(torch.softmax(logits, -1)[hidden]), rel=1e-3)
        score = causal_score(causal, d.sentence)
        offsets = causal.tokenizer(d.sentence, return_offsets_mapping=True, add_special_tokens=False)["offset_mapping"]
        j = next(i for i, (a, _) in enumerate(offsets) if a == d.start)
        assert d.causal_probability == pytest.approx(math.exp(score.token_log_probs[j]), rel=1e-3)
        assert d.log_ratio == pytest.approx(math.log(d.mlm_probability) - math.log(d.causal_probability))


def test_guesses_work_across_tokenizers(causal, native_models):
    roberta = native_models["roberta"]
    text = "He sat on the <mask> of the river."
    analysis = analyze(roberta, text)
    m = analysis.masks[0].index
    span = analysis.offsets[m]
    (guess,) = left_context_guesses(causal, analysis.text, [span])
    assert guess.seen_text == "He sat on the" and guess.unseen_text == "of the river."


# ---------------------------------------------------------------- the pages


@pytest.fixture
def app(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path))

    def open_page(path: str, **params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(path)
        at.run()
        assert not at.exception, at.exception
        return at
    return open_page


def _specs(at):
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _title(spec) -> str:
    return spec["layout"].get("title", {}).get("text", "").replace("<br>", " ")


def test_fill_mask_shows_the_left_context_guess_beside_the_masked_models(app, causal):
    at = app("pages/fill_mask.py", text=BANK, masks="4")
    before = len(at.get("plotly_chart"))
    at.toggle(key="fm_causal_toggle").set_value(True).run()
    assert not at.exception, at.exception
    specs = _specs(at)
    assert len(specs) >= before + 2
    titles = [_title(s) for s in specs]
    causal_spec = next(s for s, title in zip(specs, titles) if "causal model" in title)
    probs = _next_token_probs(causal, "I went to the")
    assert max(causal_spec["data"][0]["x"]) == pytest.approx(float(probs.max()), abs=1e-4)
    reads = [m.value for m in at.markdown if "The causal model reads:" in m.value]
    assert reads and "went" in reads[0] and "line-through" in reads[0]
    tables = [df.value for df in at.dataframe if "hidden word" in df.value.columns]
    assert tables and tables[0]["hidden word"].tolist() == ["bank"]
    assert any("sentence [word]" in df.value.columns for df in at.dataframe)


def test_attention_tab_draws_the_causal_triangle_beside_the_full_pattern(app):
    at = open_tab(app("pages/attention.py", text=BANK), "Masked vs left-to-right")
    specs = _specs(at)
    causal_map = next(s for s in specs if "(causal)" in _title(s))
    z = z_of(causal_map)
    assert z.shape[0] == z.shape[1] and np.abs(np.triu(z, 1)).max() == 0.0
    masked_map = next(s for s in specs if "(masked)" in _title(s))
    zm = z_of(masked_map)
    assert np.triu(zm, 1).max() > 0.0


def test_the_comparison_is_in_korean_when_asked(app):
    from mlm_app.i18n import text_in

    at = app("pages/fill_mask.py", text=BANK, masks="4", lang="ko")
    at.toggle(key="fm_causal_toggle").set_value(True).run()
    assert not at.exception
    assert any(s.value == text_in("ko", "causal.section_title") for s in at.subheader)
    assert any(text_in("ko", "causal.causal_reads") in m.value for m in at.markdown)
