"""The Generation page driven through Streamlit's AppTest, on the bundled model and its causal companion (offline):
one generation each way at the same length, the measures of both texts, stepping through the runs, bad input, the
page in Korean, and the masked side alone when the companion cannot load."""
from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from streamlit.testing.v1 import AppTest  # noqa: E402

from mlm_core.generation import Sampling, UnmaskSettings, causal_generate, text_measures, unmask_generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/generate.py"


@pytest.fixture(scope="module")
def companion():
    from mlm_core.model.causal import load_causal_model

    return load_causal_model("bundled-causal")

from tests.app_helpers import open_app_page  # noqa: E402


def open_generate(data_dir: Path, lang: str | None = None) -> AppTest:
    return open_app_page(PAGE, 240, **({"lang": lang} if lang else {}))


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path))
    return open_generate(tmp_path)


def generate(at: AppTest, **values) -> AppTest:
    """Set form widgets by key suffix (length=8 sets gen_length) and press Generate."""
    for name, value in values.items():
        key = f"gen_{name}"
        widget = next(w for kind in ("number_input", "radio", "slider") for w in getattr(at, kind) if w.key == key)
        widget.set_value(value)
    _submit(at).click().run()
    assert not at.exception, at.exception
    return at


def _submit(at: AppTest):
    return next(b for b in at.button if b.key.startswith("FormSubmitter:gen_form"))


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def shown_step(at: AppTest, marker: str) -> str:
    """The step line of one side ('Step k of N' / 'Token k of N' and their 'Before' forms)."""
    return next(m.value for m in at.markdown if marker in m.value)


def measures_table(at: AppTest):
    df = next(d.value for d in at.dataframe if "causal perplexity" in d.value.columns)
    return df


def test_one_generation_each_way_at_the_same_length_with_both_measures(page, bundled, companion):
    at = generate(page, length=8, steps=4)
    result = at.session_state["gen_result"]
    expected_mlm = unmask_generate(bundled, UnmaskSettings(length=8, steps=4, block=4))  # the page's default blocks
    expected_causal = causal_generate(companion, 8, Sampling(), 0)
    assert result.unmask.text == expected_mlm.text and result.causal.text == expected_causal.text
    assert len(result.unmask.steps) == 4 and len(result.unmask.token_ids) == len(result.causal.token_ids) == 8
    shown = [c.value for c in at.code]
    assert shown == [expected_mlm.text, expected_causal.text]
    assert shown_step(at, "of 4:**").startswith("**Step 4 of 4:**")
    assert shown_step(at, "of 8:**").startswith("**Token 8 of 8:**")
    assert len(at.get("plotly_chart")) == 2  # the reveal grid and the probability strip
    df = measures_table(at)
    assert list(df["output"]) == ["masked model (unmasking)", "causal model (left to right)"]
    for row, text in zip(df.to_dict("records"), shown):
        m = text_measures(text, bundled, companion)
        assert row["text"] == text
        for column, value in (("causal perplexity", m.causal_perplexity), ("pseudo-log-likelihood", m.pseudo_log_likelihood),
                              ("pseudo-perplexity", m.pseudo_perplexity), ("repetition rate (bigrams)", m.repetition_rate)):
            assert math.isfinite(row[column]) and row[column] == pytest.approx(value, rel=1e-4, abs=1e-6), column
    assert "lower is better" in texts(at.markdown) and "independently" in texts(at.markdown)


def test_stepping_back_and_forward_and_playing_change_the_shown_step(page):
    at = generate(page, length=8, steps=4)
    at.button(key="gen_mlm_back").click().run()
    assert at.session_state["gen_mlm_step"] == 3 and shown_step(at, "of 4:**").startswith("**Step 3 of 4:**")
    grid = at.get("plotly_chart")[0]
    assert '"y0":2.5' in grid.proto.spec  # the grid frames step 3
    at.button(key="gen_mlm_back").click().run()
    at.button(key="gen_mlm_back").click().run()
    at.button(key="gen_mlm_back").click().run()
    assert shown_step(at, "of 4:**").startswith("**Before step 1 of 4:**")
    assert at.button(key="gen_mlm_back").disabled
    at.button(key="gen_mlm_forward").click().run()
    assert shown_step(at, "of 4:**").startswith("**Step 1 of 4:**")
    at.slider(key="gen_causal_step").set_value(3).run()
    assert shown_step(at, "of 8:**").startswith("**Token 3 of 8:**")
    assert at.session_state["gen_mlm_step"] == 1  # the two sides step on their own
    # Play advances one step per run and pauses at the last one; Play at the end starts again from 0
    at.button(key="gen_mlm_play").click().run()
    assert at.session_state["gen_mlm_playing"] and at.session_state["gen_mlm_step"] == 2
    assert at.button(key="gen_mlm_play").label == "Pause"
    at.run()
    at.run()
    assert at.session_state["gen_mlm_step"] == 4 and not at.session_state["gen_mlm_playing"]
    assert at.button(key="gen_mlm_play").label == "Play"
    at.button(key="gen_mlm_play").click().run()
    assert at.session_state["gen_mlm_step"] == 1 and at.session_state["gen_mlm_playing"]
    at.button(key="gen_mlm_play").click().run()  # Pause
    assert at.session_state["gen_mlm_step"] == 1 and not at.session_state["gen_mlm_playing"]
    assert not at.exception


@pytest.mark.parametrize("values, message", [
    ({"length": 0}, "The generation length must be between 1 and 510 tokens"),
    ({"length": 600}, "The generation length must be between 1 and 510 tokens"),
    ({"length": 8, "steps": 12}, "12 steps for 8 tokens"),
    ({"length": 8, "steps": 2, "block": 2}, "cut 8 tokens into 4 blocks"),
    ({"length": 8, "steps": 8, "causal_decoding": "top_k", "causal_top_k": 10 ** 7}, "top-k must be between 1 and"),
])
def test_bad_input_gets_its_message_and_the_page_keeps_working(page, values, message):
    at = generate(page, **values)
    assert message in texts(at.error)
    assert "gen_result" not in at.session_state and not at.code
    at = generate(at, length=6, steps=6, block=0, causal_decoding="greedy")  # fixed, it generates again
    assert not at.error and [len(c.value) > 0 for c in at.code] == [True, True]


def test_the_other_settings_reach_the_generator(page, bundled):
    settings = UnmaskSettings(length=9, per_step=2, order="random", block=3, temperature=0.7, top_k=5, seed=4)
    at = generate(page, length=9, schedule="per_step", per_step=2, order="random", block=3, mlm_decoding="top_k",
                  mlm_temperature=0.7, mlm_top_k=5, mlm_seed=4)
    run = at.session_state["gen_result"].unmask
    assert run.settings == settings and run.text == unmask_generate(bundled, settings).text
    assert [c.value for c in at.code][0] == run.text


def test_the_page_in_korean(tmp_path, monkeypatch):
    """Korean from the shared link (?lang=ko): title, labels, the core's messages and the measures table."""
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path))
    at = open_generate(tmp_path, lang="ko")
    assert at.title[0].value == "두 가지 방식의 텍스트 생성"
    assert _submit(at).label == "생성"
    assert at.number_input(key="gen_length").label.startswith("길이")
    assert at.radio(key="gen_order").options[0].startswith("확신이 가장 큰 위치부터")
    at = generate(at, length=8, steps=12)
    assert texts(at.error) == "8개 토큰에 12단계는 너무 많습니다. 단계마다 토큰이 적어도 하나씩 드러나므로 단계 수는 8 이하로 정하세요."
    at = generate(at, length=0)
    assert "생성 길이는 bundled 모델에서 1~510 토큰이어야 합니다" in texts(at.error)
    at = generate(at, length=8, steps=4)
    assert not at.error and len(at.code) == 2
    df = next(d.value for d in at.dataframe if "인과 모델 퍼플렉서티" in d.value.columns)
    assert list(df["출력"]) == ["마스크 모델(언마스킹)", "인과 모델(왼쪽에서 오른쪽)"]
    assert at.button(key="gen_mlm_play").label == "재생"
    assert shown_step(at, "4단계 중").startswith("**4단계 중 4단계:**")


def test_without_the_causal_companion_the_masked_side_still_runs(tmp_path, monkeypatch):
    """The companion's directory is empty here, so it really fails to load; the masked model still generates."""
    import mlm_core.model.causal as causal
    from mlm_app.models import _causal_cached

    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(causal, "BUNDLED_CAUSAL_DIR", tmp_path / "no_companion")
    _causal_cached.clear()
    try:
        at = open_generate(tmp_path)
        assert "The companion causal model is not shipped" in texts(at.warning)
        at = generate(at, length=6, steps=3)
        assert [c.value for c in at.code] == [at.session_state["gen_result"].unmask.text]
        assert at.session_state["gen_result"].causal is None
        df = next(d.value for d in at.dataframe if "pseudo-log-likelihood" in d.value.columns)
        assert len(df) == 1 and df["causal perplexity"].isna().all() and math.isfinite(df["pseudo-log-likelihood"][0])
    finally:
        _causal_cached.clear()


def test_the_generators_messages_read_in_korean(bundled, companion):
    """Every message the page can show for bad settings, raised by the core itself, reads in Korean whole."""
    import re

    from mlm_app.i18n import message_in
    from mlm_core.errors import MLMError
    from mlm_core.generation.left_to_right import check_length
    from mlm_core.generation.sampling import check_sampling
    from mlm_core.generation.schedule import blocks
    from mlm_core.generation.unmask import check_settings

    calls = [lambda: check_settings(bundled, UnmaskSettings(length=0)),
             lambda: check_settings(bundled, UnmaskSettings(length=600)),
             lambda: check_length(companion, 0),
             lambda: check_settings(bundled, UnmaskSettings(length=8, steps=12)),
             lambda: check_settings(bundled, UnmaskSettings(length=8, steps=2, block=2)),
             lambda: check_settings(bundled, UnmaskSettings(length=8, per_step=0)),
             lambda: check_settings(bundled, UnmaskSettings(length=8, steps=0)),
             lambda: check_settings(bundled, UnmaskSettings(length=8, order="sideways")),
             lambda: check_settings(bundled, UnmaskSettings(length=8, top_k=10 ** 7)),
             lambda: check_sampling(Sampling(temperature=500.0), 100),
             lambda: blocks(8, 0),
             lambda: check_settings(companion, UnmaskSettings(length=8))]
    for call in calls:
        with pytest.raises(MLMError) as caught:
            call()
        english = str(caught.value)
        korean = message_in("ko", english)
        assert korean != english and re.search(r"[\uac00-\ud7a3]", korean), english
        assert not re.search(r"\b(?:must|choose|or|tokens?|steps?|between|got)\b", korean), (english, korean)
