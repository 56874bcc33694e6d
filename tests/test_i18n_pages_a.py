"""The Home, Masking strategies and Train pages and the shared sidebar in Korean (?lang=ko) and in English (the
default), driven with AppTest; and the Korean error patterns of the masking, train and sidebar areas on real messages
from the core (each produced by calling the core with the bad input)."""
from __future__ import annotations

import errno
import os
import re

os.environ["HF_HUB_OFFLINE"] = "1"

import pytest
from streamlit.testing.v1 import AppTest

from mlm_app.i18n import message_in, text_in
from mlm_core.errors import MLMError
from tests.conftest import ROOT, SAMPLE

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path / "app_data"))


def _open(language: str | None) -> AppTest:
    """The home page, with `?lang=` when a language is given."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    if language:
        at.query_params["lang"] = language
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _captions(at: AppTest) -> list[str]:
    return [c.value for c in at.main.caption]


def _check_sidebar(at: AppTest, lang: str) -> None:
    picker = at.selectbox(key="model_choice")
    assert picker.label == text_in(lang, "sidebar.picker")
    assert text_in(lang, "sidebar.bundled") in picker.options
    assert text_in(lang, "sidebar.other_hub") in picker.options
    assert at.toggle(key="large_fonts_toggle").label == text_in(lang, "sidebar.large_fonts")
    assert at.radio(key="precision").label == text_in(lang, "sidebar.precision")
    assert at.radio(key="lang_switch").label == "Language · 언어"  # bilingual in every language
    assert f"### {text_in(lang, 'sidebar.model')}" in [m.value for m in at.sidebar.markdown]
    from mlm_app.shell import NAVIGATION

    labels = [p.proto.label for p in at.sidebar.get("page_link")]
    assert labels[:len(NAVIGATION)] == [text_in(lang, key) for _, key, _ in NAVIGATION]
    assert len(NAVIGATION) == 8 and text_in(lang, "nav.lesson") in labels


def _check_home(at: AppTest, lang: str) -> None:
    assert at.title[0].value == text_in(lang, "common.app_name")
    assert at.markdown[0].value == text_in(lang, "home.intro").strip()  # st.markdown strips its text
    assert at.subheader[0].value == text_in(lang, "home.pages")
    links = [p.proto.label for p in at.main.get("page_link")]
    assert text_in(lang, "home.link_masking") in links and text_in(lang, "home.link_train") in links


def _check_masking(at: AppTest, lang: str) -> None:
    assert at.title[0].value == text_in(lang, "masking.title")
    assert [s.value for s in at.subheader][:4] == [text_in(lang, k) for k in (
        "masking.one_sentence", "masking.measured", "masking.shipped", "masking.train_compare")]
    assert at.slider(key="masking_rate").label == text_in(lang, "masking.rate")
    assert at.slider(key="masking_mask_pct").label == text_in(lang, "masking.mask_pct")
    assert at.number_input(key="masking_seed").label == text_in(lang, "masking.seed")
    assert at.button(key="masking_reroll").label == text_in(lang, "masking.reroll")
    assert at.text_input(key="masking_text").label == text_in(lang, "sentence.label")
    assert at.multiselect(key="cmp_strategies").label == text_in(lang, "masking.strategies")
    assert at.button(key="cmp_start").label == text_in(lang, "masking.start")
    assert at.radio(key="cmp_source").options == [text_in(lang, "train.sample"), text_in(lang, "train.upload")]
    stats = next(d.value for d in at.dataframe if text_in(lang, "masking.col_selected") in d.value.columns)
    assert list(stats.columns) == [text_in(lang, f"masking.col_{c}") for c in (
        "strategy", "tokens", "selected", "masked", "random", "kept", "split", "span")]
    assert text_in(lang, "masking.no_spans") in list(stats[text_in(lang, "masking.col_span")])


def _check_train(at: AppTest, lang: str) -> None:
    assert at.title[0].value == text_in(lang, "train.title")
    assert at.radio(key="train_source").label == text_in(lang, "train.corpus")
    assert at.text_input(key="train_name").label == text_in(lang, "train.name")
    assert at.selectbox(key="train_preset").label == text_in(lang, "train.size")
    assert at.selectbox(key="train_preset").options[0] == text_in(lang, "train.preset", name="tiny", layers=2,
                                                                  hidden=128)
    assert at.number_input(key="train_steps").label == text_in(lang, "train.steps")
    assert at.button(key="train_start").label == text_in(lang, "train.start")
    assert text_in(lang, "train.sample_caption") in _captions(at)


@pytest.mark.parametrize("lang", ["ko", None])
def test_home_masking_and_train_pages_speak_the_chosen_language(lang):
    shown = lang or "en"
    at = _open(lang)
    _check_home(at, shown)
    _check_sidebar(at, shown)
    _check_masking(_go(at, "pages/masking.py"), shown)
    _check_sidebar(at, shown)
    note = text_in("ko", "common.models_speak_english")  # under the sentence box, in Korean only
    assert (note in _captions(at)) == (shown == "ko")
    _check_train(_go(at, "pages/train.py"), shown)
    assert at.query_params.get("lang") == lang  # kept in the shared link (only when not the default)


def test_an_offline_hub_model_and_a_binary_upload_are_refused_in_korean():
    at = _go(_open("ko"), "pages/train.py")
    picker = at.selectbox(key="model_choice")
    assert "bert-base-uncased" + text_in("ko", "sidebar.needs_network") in picker.options
    picker.select("bert-base-uncased").run()
    errors = " ".join(e.value for e in at.error)
    assert text_in("ko", "sidebar.offline", name="bert-base-uncased") in errors and "not downloaded" not in errors
    at.radio(key="train_source").set_value("Upload a text file").run()
    at.file_uploader(key="train_upload").set_value(("weights.txt", b"PK\x03\x04\x00\x00" * 100, "text/plain")).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(e.value for e in at.error)
    assert "바이너리" in errors and "looks binary" not in errors and at.button(key="train_start").disabled


def test_the_browser_tab_title_takes_a_key_or_an_english_page_name():
    def script():
        import streamlit as st

        from mlm_app.shell import page_title
        from mlm_app.state import init_state

        init_state()
        for title in ("nav.masking", "Fill-mask", "Something else"):
            st.markdown(page_title(title))

    at = AppTest.from_function(script)
    at.query_params["lang"] = "ko"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.markdown] == [text_in("ko", "nav.masking"), text_in("ko", "nav.fill_mask"),
                                              "Something else"]


# ---------------------------------------------------------------- the core's messages in Korean


def _message(call) -> str:
    with pytest.raises(MLMError) as caught:
        call()
    return str(caught.value)


def _assert_korean(message: str, *english: str) -> None:
    """The Korean of `message` is Korean, and none of its English sentences (`english`) is left."""
    korean = message_in("ko", message)
    assert HANGUL.search(korean), korean
    for sentence in english:
        assert sentence in message, (sentence, message)  # the core still says it (in English)
        assert sentence not in korean, korean


def test_model_loading_messages():
    from mlm_core.model.loading import load_model
    from mlm_core.model.run_names import trained_model_path

    _assert_korean(_message(lambda: load_model("no/such-model-xyz")), "is not in the local Hugging Face cache",
                   "Try the bundled model")
    _assert_korean(_message(lambda: load_model("/no/such/dir-xyz", allow_local=True)),
                   "is not a directory holding a saved model", "Try the bundled model")
    _assert_korean(_message(lambda: load_model(str(SAMPLE.parent), allow_local=True)),
                   "has no config.json, so it is not a saved model directory")
    _assert_korean(_message(lambda: load_model("/etc/passwd", allow_local=False)),
                   "Loading models from local paths is switched off on this server.")
    _assert_korean(_message(lambda: trained_model_path(SAMPLE.parent, "../escape")),
                   "No model trained in this app is called", "Pick one from the list")


def test_masking_messages():
    from mlm_core.masking.strategies import MaskingStrategy
    from mlm_core.training.metrics import comparison_spec

    _assert_korean(_message(lambda: MaskingStrategy("bert", rate=0)), "A masking rate of 0 cannot train",
                   "Choose a rate between 0 and 1")
    _assert_korean(_message(lambda: MaskingStrategy("bert", mask_prob=0.9, random_prob=0.3)),
                   "The [MASK] and random shares (90% and 30%) must be non-negative")
    _assert_korean(_message(lambda: MaskingStrategy.from_shares("bert", 0.15, 0.7, 0.2, 0.2)),
                   "The shares of the selected tokens must each be between 0% and 100%")
    _assert_korean(_message(lambda: MaskingStrategy("nope")), "Unknown masking strategy 'nope'.")
    _assert_korean(_message(lambda: comparison_spec([MaskingStrategy("bert")] * 2, SAMPLE, SAMPLE.parent)),
                   "Choose each strategy only once.")


def test_verdicts_of_the_comparison_table():
    from mlm_core.training.experiments import verdicts

    cells = verdicts({"bert": 0.60, "mask-only": 0.05, "span": 0.59}, 0.052, "kept/accuracy")
    assert cells["bert"] == "best"
    for cell in cells.values():
        korean = message_in("ko", cell)
        assert HANGUL.search(korean) and not re.search(r"\b(best|worse|spread|clear)\b", korean), korean


def test_upload_and_corpus_messages(tmp_path, monkeypatch):
    from mlm_core.training.corpus import check_corpus_size
    from mlm_core.training.uploads import MAX_UPLOAD_BYTES, check_upload, save_corpus

    _assert_korean(_message(lambda: check_corpus_size(["a short line"] * 3, 16, 64)),
                   "The corpus is too small for these settings", "Give more text")
    _assert_korean(_message(lambda: check_upload(b"PK\x03\x04\x00\x00" * 100, "weights.txt")), "looks binary")
    _assert_korean(_message(lambda: check_upload("café\n".encode("latin-1") * 20, "latin.txt")), "is not UTF-8 text")
    _assert_korean(_message(lambda: check_upload(b"w" * (MAX_UPLOAD_BYTES + 1), "big.txt")),
                   "the limit for uploads is 20 MB", "Upload a shorter text.")
    _assert_korean(_message(lambda: check_upload(b"one line\n", "short.txt")), "has fewer than 5 non-blank lines")

    root, real_write = str(tmp_path / "corpora"), os.write

    def full_disk(fd, data):  # the OS boundary: writes under the corpora directory fail as on a full disk
        if os.readlink(f"/proc/self/fd/{fd}").startswith(root):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk)
    _assert_korean(_message(lambda: save_corpus("A line of text.\n" * 10, root, "notes.txt")),
                   "The server's disk is full: could not save the upload", "Use the bundled sample corpus")


def test_one_training_at_a_time_and_owner_messages(tmp_path):
    from mlm_app.training_jobs import NOT_YOURS, TrainingManager
    from mlm_core.training.jobs import single_run_spec
    from mlm_core.training.loop import TrainConfig

    models = tmp_path / "models"
    models.mkdir()
    manager = TrainingManager(corpora=lambda: tmp_path / "corpora", models=lambda: models)

    def spec(name: str, owner: str, steps: int = 100_000):
        config = TrainConfig(corpus=[str(SAMPLE)], out_dir=str(models / name), preset="tiny", steps=steps,
                             batch_size=8, seq_len=32, val_batches=2, vocab_size=1000, max_lines=300,
                             eval_every=1000, save_every=1000)
        return single_run_spec(config, name, owner=owner)

    try:
        ok, no_owner = manager.start(spec("nobodys", ""))
        assert not ok
        _assert_korean(no_owner, "A training needs an owner")
        ok, started = manager.start(spec("long", "alice"))  # runs until stopped below
        assert ok
        _assert_korean(started, "Started: Train long.")
        ok, busy = manager.start(spec("bobs", "bob", steps=5))
        assert not ok
        _assert_korean(busy, "Another training is running on this server; wait for it to finish.")
    finally:
        manager.stop_running()
        manager.join(120)
    _assert_korean(NOT_YOURS, NOT_YOURS)


# ---------------------------------------------------------------- the Masking page's figures and experiments


def _variant(result, change=None, seeds=None, baseline=None):
    """A shipped result with its numbers changed (`change(label, metric, values) -> values` of the final values),
    read again by the core, so that the other branches of `experiments.reading` give real sentences."""
    import copy

    from mlm_core.training.experiments import result_from_json

    data = copy.deepcopy(result.to_json())
    for c in data["conditions"]:
        if seeds:
            c["seeds"] = c["seeds"][:seeds]
            c["curves"] = {m: v[:seeds] for m, v in c["curves"].items()}
        if change:
            for m, per_seed in c["curves"].items():
                finals = change(c["label"], m, [s[-1] for s in per_seed])
                for s, v in zip(per_seed, finals):
                    s[-1] = v
    if baseline is not None:
        data["baseline"] = baseline
    return result_from_json(data)


def _all_readings() -> list[str]:
    from mlm_core.training.experiments import shipped_experiments

    shipped = shipped_experiments()
    s, r, a = shipped["strategies"], shipped["mask-rate"], shipped["ablation"]
    variants = [*shipped.values(), *(_variant(x, seeds=1) for x in shipped.values()),
                _variant(s, baseline={"token/accuracy": 0.0, "token/loss": 9.0}),
                _variant(s, lambda k, m, v: [0.5] * len(v) if m == "kept/accuracy" else v),
                _variant(r, lambda k, m, v: [1.0 if k == "15%" else 7.0] * len(v) if m == "token/loss" else v),
                _variant(r, lambda k, m, v: [{"60%": 1.0, "80%": 9.0}.get(k, 5.0)] * len(v) if m == "token/loss" else v),
                _variant(a, lambda k, m, v: [0.5] * len(v) if m == "kept/accuracy" else
                         [0.9 if k == "80/20/0" else 0.1] * len(v) if m == "random/accuracy" else v)]
    return [line for x in variants for line in x.reading]


def test_every_reading_pattern_matches_a_real_reading_and_every_line_is_translated():
    from mlm_app.strings.ko.masking import READINGS

    lines = _all_readings()
    for pattern, _ in READINGS:
        assert any(re.search(pattern, line) for line in lines), pattern
    for line in lines:
        korean = message_in("ko", line)
        assert HANGUL.search(korean), line
        # nothing of the English sentence is left but the metric name at the start of a ranking line
        rest = korean.split("): ", 1)[-1] if korean[:1].isascii() else korean
        assert not re.search(r"\b(the|is|of|and|clear|spread|with|than|against|points)\b", rest), (line, korean)


def test_the_masking_page_figures_and_experiments_in_korean():
    import json

    from mlm_core.training.experiments import shipped_experiments

    at = _go(_open("ko"), "pages/masking.py")
    figures = {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    share = next(f for k, f in figures.items() if k.startswith("masking_share_bar"))
    assert [tr["name"] for tr in share["data"]][:3] == ["마스킹", "무작위", "유지"]
    assert share["layout"]["yaxis"]["title"]["text"] == "토큰 비율"
    span = next(f for k, f in figures.items() if k.startswith("masking_span_hist"))
    assert span["layout"]["xaxis"]["title"]["text"] == "스팬 길이(단어)"
    assert all(HANGUL.search(tr["name"]) for tr in span["data"])
    curves = next(f for k, f in figures.items() if k.startswith("exp_strategies_curves"))
    assert curves["layout"]["xaxis"]["title"]["text"] == "스텝"
    assert "시드" in curves["data"][1]["name"]
    bars = next(f for k, f in figures.items() if k.startswith("exp_strategies_accuracy"))
    assert bars["layout"]["xaxis"]["title"]["text"] == "평가"
    assert bars["layout"]["yaxis"]["title"]["text"] == "top-1 정확도"
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "마스크 토큰으로 바뀜" in legend and "replaced by the mask token" not in legend
    assert [tab.label for tab in at.tabs][:3] == [text_in("ko", f"masking.exp_title_{n}")
                                                  for n in ("strategies", "mask_rate", "ablation")]
    markdown = "\n".join(m.value for m in at.markdown)
    assert text_in("ko", "masking.exp_question_strategies") in markdown
    for line in shipped_experiments()["strategies"].reading:
        assert line not in markdown
    assert "어느 조건 사이에도 뚜렷한 차이가 없습니다." in markdown
    assert "- 손실 (15%" in markdown or "- loss" not in markdown


def test_the_english_figures_keep_their_words():
    from mlm_core.viz.masking import TEXTS
    from mlm_core.viz.training import TEXTS as CURVES

    assert all(text_in("en", f"masking.fig_{k}") == v for k, v in TEXTS.items())
    assert all(text_in("en", f"train.fig_{k}") == v for k, v in CURVES.items())
