"""The Train page in a headless Streamlit run (AppTest): upload checks, a tiny training with stop and resume,
the model in the sidebar picker, the download."""
import os
import time

os.environ["HF_HUB_OFFLINE"] = "1"

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture()
def at(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path / "app_data"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app.run()
    app.switch_page("pages/train.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    yield app
    from mlm_app.training_jobs import get_manager

    get_manager().cancel()  # never leave a training thread behind (it would hold the next test's job slot)
    get_manager().join(120)


def _errors(at) -> str:
    return " | ".join(e.value for e in at.error)


def _wait(at, done, what: str, timeout: float = 240, every: float = 1.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if done(at):
            return
        time.sleep(every)
    pytest.fail(f"timed out waiting for {what}; errors: {_errors(at)}")


def _markdown(at) -> str:
    return " ".join(m.value for m in at.main.markdown)


def test_uploads_are_checked(at):
    at.radio(key="train_source").set_value("Upload a text file").run()
    assert at.button(key="train_start").disabled
    at.file_uploader(key="train_upload").set_value(("weights.txt", b"PK\x03\x04\x00\x00\x01\x02" * 200, "text/plain")).run()
    assert not at.exception
    assert "looks binary" in _errors(at) and at.button(key="train_start").disabled
    at.file_uploader(key="train_upload").set_value(("latin.txt", "café au lait\n".encode("latin-1") * 20, "text/plain")).run()
    assert "not UTF-8" in _errors(at)
    at.file_uploader(key="train_upload").set_value(("big.txt", b"word " * (4 * 1024 * 1024 + 10), "text/plain")).run()
    assert "the limit for uploads is 20 MB" in _errors(at)
    at.file_uploader(key="train_upload").set_value(("ok.txt", b"A line of text here.\n" * 50, "text/plain")).run()
    assert not _errors(at) and not at.button(key="train_start").disabled


def test_train_stop_resume_and_the_model_appears_in_the_sidebar(at):
    at.text_input(key="train_name").set_value("pytest model")
    at.number_input(key="train_steps").set_value(80)
    at.selectbox(key="train_batch").set_value(8)
    at.run()
    at.button(key="train_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.button(key="train_start").disabled  # one training at a time

    def has_progress(a):
        bars = [p for p in a.main.get("progress") if p.proto.text.startswith("step ")]
        return bool(bars) and not _errors(a)

    _wait(at, has_progress, "the first training step", every=0.3)
    at.button(key="train_stop").click().run()
    _wait(at, lambda a: "Stopped at step" in " ".join(w.value for w in a.warning), "the stop")
    assert "pytest-model" not in " ".join(at.sidebar.selectbox[0].options)  # not finished: not in the picker
    at.button(key="train_resume").click().run()
    assert not at.exception, [e.value for e in at.exception]
    _wait(at, lambda a: any("is ready" in s.value for s in a.success) or bool(_errors(a)), "the end of training")
    assert not _errors(at)
    assert "trained here: pytest-model" in at.sidebar.selectbox[0].options
    assert at.download_button(key="train_download") is not None
    assert at.selectbox(key="train_download_pick").value == "pytest-model"
    assert not at.button(key="train_start").disabled
