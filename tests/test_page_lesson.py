"""The Lesson page driven through Streamlit's AppTest on the bundled model and its causal companion (offline):
every step with Next and back with Back, each step's own widget drawn from real forward passes, the step in the
shared link (?step=N, clamped), answers hidden until clicked, and the Korean interface from a shared link."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from streamlit.testing.v1 import AppTest  # noqa: E402

from mlm_app.i18n import text_in  # noqa: E402
from mlm_app.lesson_view import STEPS  # noqa: E402
from tests.app_helpers import plotly_array as array, table_with as table  # noqa: E402

APP = str(Path(__file__).resolve().parents[1] / "app.py")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
BANK_WORD = 4  # I(0) went(1) to(2) the(3) bank(4)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path))


def open_lesson(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    for key, value in params.items():
        at.query_params[key] = str(value)
    at.switch_page("pages/lesson.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def title(step: int, lang: str = "en") -> str:
    return f"{step}. " + text_in(lang, f"lesson.{STEPS[step - 1]}.title")


def heading(at: AppTest) -> str:
    return at.header[0].value


def charts(at: AppTest) -> dict[str, dict]:
    return {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}






def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def check_fill(at: AppTest) -> None:
    assert at.pills(key="lesson_blank_pick").value == BANK_WORD
    assert "`I went to the [MASK] to deposit money.`" in texts(at.markdown)
    spec = charts(at)["lesson_fill_1"]
    probs = array(spec["data"][0]["x"])
    assert len(probs) == 10 and np.all(np.diff(probs) <= 1e-9) and 0 < probs.sum() <= 1 + 1e-6
    assert "'bank'" in texts(at.caption)  # where the hidden word ranks among the guesses


def check_masking(at: AppTest) -> None:
    chips = [h.proto.body for h in at.get("html") if "mlm-chips" in h.proto.body]
    assert len(chips) == 2  # what the model sees, what it must predict
    shares = table(at, "of those → [MASK]").iloc[0]
    selected, masked = (float(shares[c].rstrip("%")) for c in ("selected", "of those → [MASK]"))
    assert 12 <= selected <= 18 and 74 <= masked <= 86
    assert "lesson_exp_ablation" in charts(at)
    assert list(table(at, "masking rate")["masking rate"]) == ["15%", "30%", "40%", "60%", "80%"]  # 15, 30, 40, 60, 80%


def check_attention(at: AppTest) -> None:
    figs = charts(at)
    full = array(figs["lesson_attention_mlm"]["data"][0]["z"])
    causal = array(figs["lesson_attention_causal"]["data"][0]["z"])
    assert full.shape[0] == full.shape[1] > 5 and causal.shape[0] == causal.shape[1] > 5  # one row per token
    assert np.allclose(np.triu(causal, k=1), 0)  # the causal model sees nothing to the right
    assert np.triu(full, k=1).sum() > 0.1  # the masked model does


def check_bank(at: AppTest) -> None:
    metrics = {m.label: float(m.value) for m in at.metric}
    static = next(v for k, v in metrics.items() if "layer 0" in k)
    sense = next(v for k, v in metrics.items() if "sense layer" in k)
    assert static > 0.99 and sense < static - 0.05  # same vector at the input, apart in context
    names = [d["name"] for d in charts(at)["lesson_bank_projection"]["data"]]
    assert names == ["sentence A", "sentence B", "finance", "river"]


def check_predictions(at: AppTest) -> None:
    figs = charts(at)
    assert {"lesson_blank_mlm_1", "lesson_blank_causal_1"} <= set(figs)
    assert figs["lesson_blank_mlm_1"]["layout"]["title"]["text"].startswith("blank 1: bank")
    rows = table(at, "hidden word")
    assert list(rows["hidden word"]) == ["bank"]  # both models' probability of the word the class hid


def check_generation(at: AppTest) -> None:
    rows = table(at, "causal perplexity")
    assert list(rows["model"]) == ["MLM, iterative unmasking", "Causal LM, left to right"]
    assert rows["causal perplexity"].notna().all() and rows["pseudo-perplexity"].notna().all()
    assert len([m for m in at.markdown if m.value.startswith("### ")]) >= 2  # both texts


def check_questions(at: AppTest) -> None:
    assert [b.key for b in at.button if b.key.startswith("lesson_show_")] == ["lesson_show_1", "lesson_show_2",
                                                                              "lesson_show_3", "lesson_show_all"]
    assert not at.success  # every answer hidden


CHECKS = [check_fill, check_masking, check_attention, check_bank, check_predictions, check_generation,
          check_questions]


def test_walk_every_step_with_next_and_back_again():
    at = open_lesson()
    n = len(STEPS)
    assert n == len(CHECKS) == 7
    for step in range(1, n + 1):
        assert heading(at) == title(step)
        assert at.get("progress")[0].proto.text == f"Step {step} of {n}"
        assert at.query_params.get("step") == (None if step == 1 else str(step)), dict(at.query_params)
        CHECKS[step - 1](at)
        if step < n:
            at.button(key="lesson_next_top" if step % 2 else "lesson_next_bottom").click().run()
            assert not at.exception, (step, [e.value for e in at.exception])
    assert at.button(key="lesson_next_top").disabled
    for step in range(n - 1, 0, -1):
        at.button(key="lesson_back_bottom" if step % 2 else "lesson_back_top").click().run()
        assert not at.exception, (step, [e.value for e in at.exception])
        assert heading(at) == title(step)
    assert at.button(key="lesson_back_top").disabled and "step" not in at.query_params


def test_the_step_picker_jumps_and_the_link_follows():
    at = open_lesson()
    at.selectbox(key="lesson_step_widget").set_value(5).run()
    assert not at.exception
    assert heading(at) == title(5) and at.query_params.get("step") == "5"


@pytest.mark.parametrize("asked, shown", [("4", 4), ("20", 7), ("0", 1), ("two", 1)])
def test_a_shared_link_opens_its_step_clamped_to_the_lesson(asked, shown):
    at = open_lesson(step=asked)
    assert heading(at) == title(shown)
    CHECKS[shown - 1](at)
    assert at.query_params.get("step") == (None if shown == 1 else str(shown))


def test_answers_stay_hidden_until_clicked():
    at = open_lesson(step=7)
    check_questions(at)
    at.button(key="lesson_show_2").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [text_in("en", "lesson.questions.a2")]
    assert "[MASK] never appears" in at.success[0].value
    at.button(key="lesson_show_all").click().run()
    assert len(at.success) == 3 and "lesson_show_all" not in [b.key for b in at.button]
    at.button(key="lesson_hide_1").click().run()
    assert len(at.success) == 2


def test_another_blank_and_another_draw():
    at = open_lesson()
    money = [k for k, v in enumerate(at.pills(key="lesson_blank_pick").options) if v == "money"][0]
    at.pills(key="lesson_blank_pick").set_value(money).run()
    assert not at.exception
    assert "`I went to the bank to deposit [MASK].`" in texts(at.markdown)
    assert "'money'" in texts(at.caption)
    at.button(key="lesson_next_top").click().run()  # the masking step draws the same sentence
    before = [h.proto.body for h in at.get("html") if "mlm-chips" in h.proto.body]
    at.button(key="lesson_draw_again").click().run()
    assert not at.exception and at.session_state["lesson_seed"] == 1
    after = [h.proto.body for h in at.get("html") if "mlm-chips" in h.proto.body]
    assert len(after) == 2 and after != before
    at.button(key="lesson_back_top").click().run()  # the blank chosen is kept for this sentence
    assert at.pills(key="lesson_blank_pick").value == money


def test_a_sentence_without_the_word_says_so_and_the_lesson_goes_on():
    at = open_lesson(step=4)
    at.text_input(key="lesson_bank_b").input("The river was muddy after the rain.").run()
    assert not at.exception
    assert any("'bank' must appear in both sentences" in w.value for w in at.warning)
    at.button(key="lesson_next_top").click().run()
    assert not at.exception and heading(at) == title(5)


@pytest.mark.parametrize("step", range(1, 8))
def test_a_korean_link_opens_each_step_in_korean(step):
    at = open_lesson(step=step, lang="ko")
    assert heading(at) == title(step, "ko") and HANGUL.search(heading(at))
    assert HANGUL.search(at.title[0].value)
    labels = {b.key: b.label for b in at.button}
    assert labels["lesson_back_top"] == "이전" and labels["lesson_next_top"] == "다음"
    assert at.get("progress")[0].proto.text == f"7단계 중 {step}단계"
    if step <= 5:
        assert at.get("plotly_chart"), f"step {step} draws no chart"
    if step == 6:
        assert list(table(at, "모델")["모델"]) == ["MLM, 반복적 언마스킹", "인과 언어 모델, 왼쪽에서 오른쪽으로"]
    if step == 7:
        assert [labels[f"lesson_show_{n}"] for n in (1, 2, 3)] == ["답 보기"] * 3 and not at.success


def test_a_word_split_into_pieces_is_one_blank_per_piece():
    at = open_lesson()
    deposit = [k for k, v in enumerate(at.pills(key="lesson_blank_pick").options) if v == "deposit"][0]
    at.pills(key="lesson_blank_pick").set_value(deposit).run()  # the bundled tokenizer reads depos ##it
    assert not at.exception
    titles = [spec["layout"]["title"]["text"].replace("<br>", " ") for spec in charts(at).values()]
    assert len(titles) == 2 and all("deposit, piece" in title for title in titles), titles
    assert "'deposit' into 2 pieces" in texts(at.caption)
    assert "`I went to the bank to [MASK] [MASK] money.`" in texts(at.markdown)


def test_an_empty_sentence_gets_a_message_on_every_step_that_reads_it():
    at = open_lesson()
    at.text_input(key="lesson_text").input("").run()
    for step in (1, 2, 3, 5):
        at.selectbox(key="lesson_step_widget").set_value(step).run()
        assert not at.exception, (step, [e.value for e in at.exception])
        assert heading(at) == title(step)
        assert any("empty" in e.value for e in at.error), (step, [e.value for e in at.error])
    at.selectbox(key="lesson_step_widget").set_value(4).run()  # the steps with their own sentences still work
    check_bank(at)


def test_a_typed_mask_is_the_blank_for_both_models():
    at = open_lesson(text="Paris is the capital of [MASK].")
    assert not at.pills  # nothing to click: the typed [MASK] is the blank
    assert "typed in it" in texts(at.caption)
    assert [spec["layout"]["title"]["text"] for spec in charts(at).values()] == ["blank 1: a typed [MASK]"]
    at.selectbox(key="lesson_step_widget").set_value(5).run()
    assert not at.exception
    assert {"lesson_blank_mlm_1", "lesson_blank_causal_1"} <= set(charts(at))


def test_next_and_back_in_korean_keep_the_language():
    at = open_lesson(lang="ko")
    at.button(key="lesson_next_top").click().run()
    assert not at.exception
    assert heading(at) == title(2, "ko") and at.query_params.get("lang") == "ko" and at.query_params.get("step") == "2"
    at.button(key="lesson_back_bottom").click().run()
    assert heading(at) == title(1, "ko") and "step" not in at.query_params
