"""The Fill-mask page driven through Streamlit's AppTest, on the bundled model (offline)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from streamlit.testing.v1 import AppTest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BANK = "I went to the bank to deposit money."
BANK_WORD = 4  # I(0) went(1) to(2) the(3) bank(4)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Models 'trained in the app' live here during a test, away from runs/app."""
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def page(data_dir):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/fill_mask.py")
    at.run()
    assert not at.exception
    return at


def set_text(at: AppTest, text: str) -> None:
    at.text_area(key="fm_text").input(text).run()
    assert not at.exception


def chips(at: AppTest):
    return at.pills(key="fm_word_chips")


def bar_values(at: AppTest, i: int = 0) -> tuple[list[str], list[float]]:
    """Tokens and probabilities of the i-th chart on the page, read from the plotly JSON."""
    spec = json.loads(at.get("plotly_chart")[i].proto.spec)
    trace = spec["data"][0]
    return list(spec["layout"]["yaxis"]["ticktext"]), list(trace["x"])


def table_with(at: AppTest, column: str):
    """The first dataframe shown with this column (dataframes carry no key in AppTest)."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a '{column}' column")


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_masking_bank_shows_k_descending_probabilities(page):
    at = page
    assert "click a word to mask it" in texts(at.info)
    assert at.text_area(key="fm_text").value == BANK
    assert chips(at).options[BANK_WORD] == "bank"
    chips(at).set_value([BANK_WORD]).run()
    assert not at.exception
    assert at.session_state["masked_words"] == [BANK_WORD]
    assert len(at.get("plotly_chart")) == 1
    tokens, probs = bar_values(at)
    assert len(tokens) == len(probs) == 10  # default top-k
    assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 1 + 1e-6
    table = table_with(at, "mask_index")
    assert list(table.columns) == ["mask_index", "original", "rank", "token", "piece", "probability"]
    assert list(table["original"].unique()) == ["bank"]
    assert table["probability"].tolist() == pytest.approx(probs, abs=1e-5)
    assert {"Predictions CSV", "Predictions JSON", "Interactive HTML"} <= {b.label for b in at.get("download_button")}

    at.slider(key="fm_top_k").set_value(5).run()
    assert not at.exception and at.session_state["top_k"] == 5
    tokens5, probs5 = bar_values(at)
    assert len(probs5) == 5 and tokens5 == tokens[:5]


def test_bad_text_gives_messages_not_tracebacks(page):
    at = page
    set_text(at, "")
    assert "type a sentence" in texts(at.warning)
    assert not at.get("plotly_chart")
    set_text(at, "word " * 700)
    assert "reads at most" in texts(at.error)
    set_text(at, BANK)
    assert not at.error and "click a word to mask it" in texts(at.info)


def test_typed_mask_predicts_with_no_chip_selected(page):
    at = page
    at.selectbox(key="fm_example").set_value("Paris is the capital of [MASK].").run()
    assert not at.exception
    assert at.text_area(key="fm_text").value == "Paris is the capital of [MASK]."
    assert chips(at).value == [] and "[MASK]" not in "".join(chips(at).options)
    assert len(at.get("plotly_chart")) == 1
    _, probs = bar_values(at)
    assert len(probs) == 10 and probs == sorted(probs, reverse=True)
    assert "typed mask" in texts(at.caption)


def test_two_masks_show_independence_and_joint_fill(page):
    at = page
    chips(at).set_value([1, BANK_WORD]).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 2
    assert "independent distribution" in texts(at.caption)
    assert any("Joint fill" in s.value for s in at.subheader)
    steps = table_with(at, "confidence")
    # the steps name the blanks as the charts do, not by token index
    assert list(steps.columns) == ["step", "blank", "token", "piece", "confidence"]
    assert len(steps) == 2 and sorted(steps["blank"]) == ["mask 1: went", "mask 2: bank"]
    assert at.success[0].value.startswith("Joint fill: ")


def test_classroom_mode_hides_until_reveal(page):
    at = page
    at.toggle(key="fm_classroom_toggle").set_value(True).run()
    chips(at).set_value([BANK_WORD]).run()
    assert not at.exception
    assert not at.get("plotly_chart") and "make your guesses" in texts(at.info)
    at.button(key="fm_reveal").click().run()
    assert len(at.get("plotly_chart")) == 1
    chips(at).set_value([1]).run()  # new masks: hidden again
    assert not at.get("plotly_chart") and at.button(key="fm_reveal")


def test_split_word_message_and_piece_chips(page):
    at = page
    set_text(at, "The hippopotamus ate the grass.")
    chips(at).set_value([1]).run()
    assert not at.exception
    assert "'hippopotamus' is split into 3 pieces; each piece is predicted independently" in texts(at.warning)
    assert len(at.get("plotly_chart")) == 3

    at.toggle(key="fm_pieces_toggle").set_value(True).run()
    pieces = at.pills(key="fm_piece_chips")
    assert pieces.options[:4] == ["the", "hipp", "\\##opotam", "\\##us"]
    pieces.set_value([3]).run()  # token position 3 = '##opotam'
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1
    assert "piece 2 of 3" in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert at.session_state["masked_words"] == [1]  # word masks are stored separately


def test_scores_pll_and_the_link_to_generation(page):
    at = page
    chips(at).set_value([BANK_WORD]).run()
    at.text_input(key="fm_targets").input("bank, shop").run()
    assert not at.exception
    scores = table_with(at, "method")
    assert list(scores["word"]) == ["bank", "shop"]
    assert all(0 < p <= 1 for p in scores["probability"]) and all(lp <= 0 for lp in scores["log_prob"])
    assert all(m for m in scores["method"])

    at.button(key="fm_pll_go").click().run()
    assert not at.exception
    assert {m.label for m in at.metric} == {"Pseudo-log-likelihood", "Pseudo-perplexity"}

    # step-by-step generation from masks moved to the Generation page: a link to it, no widget of its own here
    assert [p.proto.label for p in at.main.get("page_link") if p.proto.page == "generate"] == ["Open the Generation page"]
    assert not any((w.key or "").startswith("fm_gen") for w in [*at.button, *at.slider, *at.radio])


def test_compare_with_second_model(page, data_dir):
    at = page
    chips(at).set_value([BANK_WORD]).run()
    at.toggle(key="fm_compare_on").set_value(True).run()
    at.selectbox(key="fm_compare_model").set_value("bert-base-uncased").run()
    assert not at.exception
    assert "Could not load bert-base-uncased" in texts(at.error)

    copy = data_dir / "models" / "copy"
    shutil.copytree(ROOT / "mlm_core" / "bundled_model", copy)
    at.run()  # the new model shows up in the options
    at.selectbox(key="fm_compare_model").set_value("trained:copy").run()
    assert not at.exception and not at.error
    compare = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert len(compare["data"]) == 2  # one bar trace per model
    assert compare["data"][0]["x"] == pytest.approx(compare["data"][1]["x"])  # same weights, same predictions


def test_int8_precision_is_used_shared_in_the_url_and_comparable_with_fp32(page):
    at = page
    chips(at).set_value([BANK_WORD]).run()
    tokens32, probs32 = bar_values(at)
    at.radio(key="precision").set_value("int8").run()
    assert not at.exception and not at.error
    assert at.query_params["precision"] == "int8"
    assert "Probabilities can differ from fp32" in texts(at.sidebar.caption)
    assert at.session_state["masked_words"] == [BANK_WORD]  # switching precision keeps the masks
    tokens8, probs8 = bar_values(at)
    assert probs8 != probs32 and len(set(tokens8) & set(tokens32)) >= 7

    at.toggle(key="fm_compare_on").set_value(True).run()
    at.selectbox(key="fm_compare_model").set_value("bundled").run()
    assert not at.exception and not at.error
    compare = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert [t["name"] for t in compare["data"]] == ["bundled (offline default) · int8", "bundled (offline default)"]

    at.radio(key="precision").set_value("fp32").run()
    assert "precision" not in at.query_params
    assert bar_values(at)[1] == pytest.approx(probs32)


def test_korean_text_gets_an_english_only_note(page):
    at = page
    assert "English-only" not in texts(at.info)
    set_text(at, "나는 오늘 학교에 갔습니다.")
    assert not at.exception
    note = [i.value for i in at.info if "English-only" in i.value]
    assert note and note[0].startswith("The model is English-only;")
    set_text(at, BANK)
    assert "English-only" not in texts(at.info)


def use_model(at: AppTest, data_dir: Path, source: Path, name: str) -> None:
    """Make a saved model the page's model, as a model 'trained in the app'."""
    shutil.copytree(source, data_dir / "models" / name)
    at.run()
    at.selectbox(key="model_choice").set_value(f"trained:{name}").run()
    assert not at.exception and not at.error


def test_byte_level_model_shows_clean_words_predictions_and_pieces(page, data_dir, native_family_dirs):
    at = page
    use_model(at, data_dir, native_family_dirs["roberta"], "rob")
    set_text(at, "The cat sat on the mat.")
    assert chips(at).options == ["The", "cat", "sat", "on", "the", "mat", "."]  # no 'Ġ', no leading space
    chips(at).set_value([1]).run()  # 'cat', one piece: 'Ġcat'
    assert not at.exception
    tokens, _ = bar_values(at)
    assert tokens and not any("Ġ" in t for t in tokens)
    table = table_with(at, "mask_index")
    assert list(table["original"].unique()) == ["cat"]
    assert not any("Ġ" in t for t in table["token"]) and any(p.startswith("Ġ") for p in table["piece"])
    at.text_input(key="fm_targets").input("dog, hippopotamus").run()
    assert not at.exception
    scores = table_with(at, "method")
    assert list(scores["word"]) == ["dog", "hippopotamus"] and not any("Ġ" in p for p in scores["pieces"])
    assert scores["pieces"].iloc[1].startswith("h · ")  # 'Ġh' · 'i' · ...: the word's own pieces in the sentence


def test_classroom_mode_shows_blanks_counts_per_word_and_reveals_word_by_word(page):
    """Issue 11 item 9: the sentence shows blanks (not the words), a word of 3 pieces is one blank, and each word can
    be revealed on its own."""
    at = page
    set_text(at, "The hippopotamus ate the grass.")
    at.toggle(key="fm_classroom_toggle").set_value(True).run()
    chips(at).set_value([1, 4]).run()  # hippopotamus (3 pieces), grass
    assert not at.exception
    blank = "＿＿＿"
    box = at.text_area(key="fm_text_shown")
    assert box.value == f"The {blank} ate the {blank}." and box.disabled
    assert not [t for t in at.text_area if t.key == "fm_text"]  # the editable box with the words is not drawn
    labels = " ".join(chips(at).options)
    assert "hipp" not in labels and "grass" not in labels and "blank 1" in labels and "blank 2" in labels
    assert "2 blanks hidden" in texts(at.info) and "hippopotamus" not in texts(at.warning)
    assert not at.get("plotly_chart")

    at.button(key="fm_reveal_word_1").click().run()  # hippopotamus only
    assert not at.exception
    assert at.text_area(key="fm_text_shown").value == f"The hippopotamus ate the {blank}."
    assert "hippopotamus" in " ".join(chips(at).options) and "grass" not in " ".join(chips(at).options)
    assert "1 blank hidden" in texts(at.info)
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert len(titles) == 3 and all("hippopotamus" in t for t in titles)

    at.button(key="fm_reveal").click().run()  # the rest
    assert not at.exception
    assert at.text_area(key="fm_text").value == "The hippopotamus ate the grass."
    assert len([c for c in at.get("plotly_chart") if c.key.startswith("fm_bar")]) == 4
    assert "grass" in " ".join(chips(at).options) and not any("hidden" in i.value for i in at.info)
