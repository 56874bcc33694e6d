"""The Train page in a headless Streamlit run (AppTest): upload checks, a tiny training with stop and resume,
the model in the sidebar picker, the download; uploads reach the disk only at Start; runs belong to the browser
that started them."""
import errno
import os
import re
import threading
import time
import uuid

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

    get_manager().stop_running()  # never leave a training thread behind (it would hold the next test's job slot)
    get_manager().join(120)


@pytest.fixture()
def frozen_after_step_3():
    """The training's process is frozen (SIGSTOP) once the server has seen its step 3, and thawed when the test
    says: a fixed moment to press Stop, whatever the clock. Returns (reached, thaw, the step seen when frozen)."""
    import multiprocessing
    import signal

    from mlm_app.training_jobs import get_manager

    reached, thaw, seen = threading.Event(), threading.Event(), []

    def watch():
        deadline = time.time() + 240
        while time.time() < deadline and not thaw.is_set():
            job = get_manager().running()
            children = [c for c in multiprocessing.active_children() if c.name == "mlm-training-job"]
            if job is not None and children and job.runs[0].steps and job.runs[0].steps[-1] >= 3:
                os.kill(children[0].pid, signal.SIGSTOP)
                seen.append(get_manager().running().runs[0].steps[-1])
                reached.set()
                thaw.wait(240)
                os.kill(children[0].pid, signal.SIGCONT)
                return
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    yield reached, thaw, seen
    thaw.set()
    watcher.join(10)


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


def test_uploads_are_checked(at, tmp_path):
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
    corpora = tmp_path / "app_data" / "corpora"
    assert not corpora.exists() or not any(corpora.iterdir())  # checked, kept in memory, not written yet


def test_train_stop_resume_and_the_model_appears_in_the_sidebar(at, frozen_after_step_3):
    reached, thaw, seen = frozen_after_step_3
    at.text_input(key="train_name").set_value("pytest model")
    at.number_input(key="train_steps").set_value(200)
    at.selectbox(key="train_batch").set_value(8)
    at.run()
    at.button(key="train_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.button(key="train_start").disabled  # one training at a time

    def has_progress(a):
        bars = [p for p in a.main.get("progress") if p.proto.text.startswith("step ")]
        return bool(bars) and not _errors(a)

    assert reached.wait(240), "training did not reach step 3"
    _wait(at, has_progress, "the progress of step 3", every=0.3)
    at.button(key="train_stop").click().run()  # pressed while the run is frozen: it stops at its next step
    thaw.set()

    def stopped(a):
        found = re.search(r"Stopped at step (\d+) of 200", " ".join(w.value for w in a.warning))
        resume = [b for b in a.button if b.key == "train_resume"]  # enabled once the job's process has ended
        return found is not None and seen[0] <= int(found[1]) <= seen[0] + 2 and resume and not resume[0].disabled

    _wait(at, stopped, "the stop")
    assert "pytest-model" not in " ".join(at.sidebar.selectbox[0].options)  # not finished: not in the picker
    at.button(key="train_resume").click().run()
    assert not at.exception, [e.value for e in at.exception]
    # ready, and Start enabled again (a run that drew Start just before the job ended shows it disabled)
    _wait(at, lambda a: (any("is ready" in s.value for s in a.success) and not a.button(key="train_start").disabled)
          or bool(_errors(a)), "the end of training")
    assert not _errors(at)
    assert "trained here: pytest-model" in at.sidebar.selectbox[0].options
    assert at.download_button(key="train_download") is not None
    assert at.selectbox(key="train_download_pick").value == "pytest-model"
    assert not at.button(key="train_start").disabled


def _has_button(at, key: str) -> bool:
    return any(b.key == key for b in at.button)


def _corpus_files(tmp_path) -> list[str]:
    corpora = tmp_path / "app_data" / "corpora"
    return sorted(p.name for p in corpora.iterdir()) if corpora.exists() else []


def test_an_upload_is_written_at_start_and_removed_when_the_run_ends(at, tmp_path, monkeypatch, sample_lines):
    at.radio(key="train_source").set_value("Upload a text file").run()
    text = ("\n".join(sample_lines[:300]) + "\n").encode()
    at.file_uploader(key="train_upload").set_value(("notes.txt", text, "text/plain")).run()
    at.number_input(key="train_steps").set_value(2)
    at.selectbox(key="train_batch").set_value(8)
    at.run()
    assert _corpus_files(tmp_path) == []

    corpora, real_write = str(tmp_path / "app_data" / "corpora"), os.write

    def full_disk_in_corpora(fd, data):  # the OS boundary: only writes into the corpora directory fail
        if os.readlink(f"/proc/self/fd/{fd}").startswith(corpora):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_disk_in_corpora)
    at.button(key="train_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "The server's disk is full: could not save the upload (No space left on device)." in _errors(at)
    assert _corpus_files(tmp_path) == [] and not at.button(key="train_start").disabled
    monkeypatch.setattr(os, "write", real_write)

    at.button(key="train_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [saved] = _corpus_files(tmp_path)
    assert saved.startswith("notes-") and saved.endswith(".txt")
    _wait(at, lambda a: any("is ready" in s.value for s in a.success) or bool(_errors(a)), "the end of training")
    assert not _errors(at)
    from mlm_app.training_jobs import get_manager

    get_manager().join(60)  # the clean-up runs as the job's thread ends
    assert _corpus_files(tmp_path) == []  # a finished model no longer needs its corpus


def _train_page(owner_token: str) -> AppTest:
    """A browser whose URL carries this owner token (a reload of the page that started a run)."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app.query_params["owner"] = owner_token
    app.run()
    app.switch_page("pages/train.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_runs_belong_to_the_browser_that_started_them(at, tmp_path):
    from mlm_app.owner import owner_of
    from tests.test_ownership import FOREVER, _stopped_run

    token_a = uuid.uuid4().hex
    _stopped_run(tmp_path / "app_data" / "models" / "alices-run", owner_of(token_a), steps=FOREVER)
    browser_b = at
    assert browser_b.query_params["owner"] not in ("", token_a)  # B has an identity of its own, kept in the URL
    assert not any("stopped runs" in e.label for e in browser_b.expander)

    browser_a = _train_page(token_a)
    assert browser_a.query_params["owner"] == token_a
    assert [e.label for e in browser_a.expander if "stopped runs" in e.label] == ["Your stopped runs that can be resumed (1)"]
    browser_a.button(key="train_resume_other").click().run()
    assert not browser_a.exception, [e.value for e in browser_a.exception]

    browser_b.run()  # B sees that a training runs, and can wait: nothing to stop, resume or clear
    assert browser_b.button(key="train_start").disabled
    assert any("Another session's training is running" in i.value for i in browser_b.info)
    assert not any(_has_button(browser_b, k) for k in ("train_stop", "train_resume", "train_resume_other", "train_clear"))

    reloaded_a = _train_page(token_a)  # A reloads: the run is still A's
    _wait(reloaded_a, lambda a: _has_button(a, "train_stop"), "A's Stop button")
    reloaded_a.button(key="train_stop").click().run()
    _wait(reloaded_a, lambda a: "Stopped at step" in " ".join(w.value for w in a.warning), "the stop")
    assert _has_button(reloaded_a, "train_resume") and _has_button(reloaded_a, "train_clear")

    browser_b.run()
    assert not browser_b.button(key="train_start").disabled
    assert not any(_has_button(browser_b, k) for k in ("train_resume", "train_resume_other", "train_clear"))
