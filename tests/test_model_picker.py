"""The sidebar's model picker, driven through Streamlit's AppTest: hub models that cannot load offline are marked and
refused at once, and a local-directory model stays shown as such across pages (issue 11, smaller items)."""
from __future__ import annotations

import json
import os
import shutil

os.environ["HF_HUB_OFFLINE"] = "1"

import pytest
from streamlit.testing.v1 import AppTest

from mlm_core.model.loading import BUNDLED_DIR, WELL_KNOWN_MODELS
from tests.conftest import ROOT


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path / "app_data"))
    monkeypatch.setenv("MLM_EXPLORER_ALLOW_LOCAL_PATHS", "1")
    return tmp_path / "app_data"


def _open(page: str = "pages/fill_mask.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _picker(at: AppTest):
    return at.selectbox(key="model_choice")


def test_offline_the_hub_models_are_marked_and_refused_at_once(data_dir):
    at = _open()
    labels = _picker(at).options  # as the browser lists them
    for name in WELL_KNOWN_MODELS:
        assert f"{name} · needs the network (not downloaded)" in labels, labels
    assert "bundled (offline default)" in labels and "Another hub id…" in labels
    notes = " ".join(c.value for c in at.sidebar.caption)
    assert "hub cannot be reached" in notes and "needs the network" in notes, notes
    _picker(at).select_index(labels.index("bert-base-uncased · needs the network (not downloaded)")).run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "bert-base-uncased is not downloaded and the Hugging Face hub cannot be reached" in errors, errors
    assert at.session_state["model_name"] == "bundled"  # the page stays on the model it has


def test_a_downloaded_hub_model_is_not_marked(tmp_path, monkeypatch):
    from mlm_app.models import downloaded, needs_network

    cache = tmp_path / "hub"
    snapshot = cache / "models--org--tiny" / "snapshots" / ("0" * 40)
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text(json.dumps({"model_type": "bert"}))
    (cache / "models--org--tiny" / "refs").mkdir()
    (cache / "models--org--tiny" / "refs" / "main").write_text("0" * 40)
    assert downloaded("org/tiny", cache_dir=cache)
    assert not downloaded("org/other", cache_dir=cache)
    assert needs_network("org/other") and not needs_network("bundled") and not needs_network("trained:x")


def test_a_local_directory_model_stays_chosen_after_a_page_switch(data_dir, tmp_path):
    local = tmp_path / "my model"
    shutil.copytree(BUNDLED_DIR, local)
    at = _open()
    _picker(at).select("A local directory…").run()
    at.sidebar.text_input[0].input(str(local)).run()
    at.sidebar.button(key="load_dir").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.session_state["model_name"] == str(local)
    for page in ("pages/attention.py", "pages/polysemy.py", "pages/fill_mask.py"):
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.session_state["model_name"] == str(local)
        assert _picker(at).value == "A local directory…", (page, _picker(at).value)
        boxes = [t for t in at.sidebar.text_input if t.label == "Directory written by save_pretrained"]
        assert boxes and boxes[0].value == str(local), page
        assert not [t for t in at.sidebar.text_input if t.label == "Hub id"]


def test_the_comparison_picker_marks_and_refuses_them_too(data_dir):
    at = _open()
    at.text_area(key="fm_text").input("I went to the bank to deposit money.").run()
    at.pills(key="fm_word_chips").set_value([4]).run()  # 'bank' masked: the predictions and the comparison show
    at.toggle(key="fm_compare_on").set_value(True).run()
    second = at.selectbox(key="fm_compare_model")
    assert "roberta-base · needs the network (not downloaded)" in second.options, second.options
    second.set_value("roberta-base").run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "roberta-base is not downloaded and the Hugging Face hub cannot be reached" in errors, errors


def test_the_hub_is_asked_at_most_once_a_minute(monkeypatch):
    from mlm_app import models

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(models, "_hub_answer", [])
    first = models.hub_online()  # one real connection attempt (quick: refused or timed out after 1 s here)
    asked = list(models._hub_answer)
    assert len(asked) == 1 and asked[0][1] == first
    assert models.hub_online() == first and models._hub_answer == asked  # the answer reused, not asked again
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert models.hub_online() is False  # the environment is read every time

