"""A locked-down server (MLM_EXPLORER_ALLOW_LOCAL_PATHS=0): 'trained:' names stay inside the app's models
directory, typed local paths are refused, and no refusal says whether a server path exists."""
import os
import shutil

os.environ["HF_HUB_OFFLINE"] = "1"

import pytest
from streamlit.testing.v1 import AppTest

from mlm_core.errors import MLMError
from mlm_core.model.run_names import trained_model_path, unknown_trained_model
from tests.conftest import ROOT


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    data = tmp_path / "app_data"
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(data))
    return data


@pytest.fixture()
def models(data_dir, tiny_dir):
    """One finished model in the models directory ('mine'), and real model directories that '../outside' and
    '../../x' would reach."""
    shutil.copytree(tiny_dir, data_dir / "models" / "mine")
    shutil.copytree(tiny_dir, data_dir / "outside")
    shutil.copytree(tiny_dir, data_dir.parent / "x")  # what 'trained:../../x' reaches
    return data_dir / "models"


def _refusal(name: str) -> str:
    return str(unknown_trained_model(name))


def _escaping_names(models, tiny_dir, tmp_path) -> list[str]:
    (models / "link-out").symlink_to(tiny_dir, target_is_directory=True)  # a symlink that leaves the directory
    (models / "unfinished").mkdir()
    (models / "unfinished" / "config.json").write_text("{}")
    return [str(tiny_dir), "/root", str(tmp_path / "nonexistent"), "../outside", "../../x", "mine/../../outside",
            "", ".", "..", "a/b", "a\\b", "link-out", "unfinished", "missing", ".hidden"]


def test_trained_names_resolve_only_to_direct_children(models, tiny_dir, tmp_path):
    assert trained_model_path(models, "mine") == (models / "mine").resolve()
    for name in _escaping_names(models, tiny_dir, tmp_path):
        with pytest.raises(MLMError) as err:
            trained_model_path(models, name)
        assert str(err.value) == _refusal(name), name  # one text, whatever the server holds


def test_a_symlinked_models_root_still_works_and_a_link_inside_it_may_not_leave(tmp_path, tiny_dir):
    real = tmp_path / "real_models"
    shutil.copytree(tiny_dir, real / "mine")
    (tmp_path / "models").symlink_to(real, target_is_directory=True)
    (real / "alias").symlink_to(real / "mine", target_is_directory=True)  # stays a direct child: allowed
    (real / "out").symlink_to(tiny_dir, target_is_directory=True)
    assert trained_model_path(tmp_path / "models", "mine") == (real / "mine").resolve()
    assert trained_model_path(tmp_path / "models", "alias") == (real / "mine").resolve()
    with pytest.raises(MLMError, match="No model trained in this app"):
        trained_model_path(tmp_path / "models", "out")


def test_get_model_refuses_trained_names_outside_the_models_directory(models, tiny_dir, tmp_path, monkeypatch):
    from mlm_app.models import get_model, trained_models

    monkeypatch.setenv("MLM_EXPLORER_ALLOW_LOCAL_PATHS", "0")
    assert get_model("trained:mine").info.layers == 2
    names = _escaping_names(models, tiny_dir, tmp_path)
    assert trained_models() == ["mine"]  # the link and the unfinished run are not listed either
    for name in names:
        for suffix in ("", " (int8)", " (bf16)"):
            with pytest.raises(MLMError) as err:
                get_model(f"trained:{name}{suffix}")
            assert str(err.value) == _refusal(name), (name, suffix)


def test_typed_local_paths_get_one_message_whether_they_exist_or_not(models, tiny_dir, tmp_path, monkeypatch):
    from mlm_app.models import LOCAL_PATHS_OFF, get_model

    monkeypatch.setenv("MLM_EXPLORER_ALLOW_LOCAL_PATHS", "0")
    messages = set()
    for name in [str(tiny_dir), str(tmp_path / "nonexistent"), "/root", "/nonexistent", "~", "./x", "../x",
                 "a/b/c", str(tiny_dir) + " (int8)", str(tiny_dir) + " (bf16)", "not a model id!"]:
        with pytest.raises(MLMError) as err:
            get_model(name)
        messages.add(str(err.value))
    assert len(messages) == 1 and LOCAL_PATHS_OFF in messages.pop()

    # A hub-shaped name that a relative path shadows gets the same answer as when nothing is there.
    monkeypatch.chdir(tmp_path)
    answers = []
    for exists in (False, True):
        if exists:
            shutil.copytree(tiny_dir, tmp_path / "some-model")
        with pytest.raises(MLMError) as err:
            get_model("some-model")
        answers.append(str(err.value))
    assert answers[0] == answers[1] and "switched off" not in answers[1]


def test_with_local_paths_allowed_a_local_directory_still_loads(tiny_dir, monkeypatch, data_dir):
    from mlm_app.models import get_model

    monkeypatch.setenv("MLM_EXPLORER_ALLOW_LOCAL_PATHS", "1")
    assert get_model(str(tiny_dir)).source == "local"


def _errors(at) -> str:
    return " | ".join(e.value for e in at.error)


def _open(query: str | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    if query is not None:
        at.query_params["model"] = query
    at.run()
    if page is None:
        return at
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _check_neutral(at, name: str) -> None:
    from mlm_app.models import LOCAL_PATHS_OFF

    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["model_name"] == "bundled"  # the page stays on a model it may load
    errors = _errors(at)
    expected = _refusal(name[len("trained:"):].removesuffix(" (int8)")) if name.startswith("trained:") else LOCAL_PATHS_OFF
    assert expected in errors, (name, errors)
    assert "config.json" not in errors and "not a directory" not in errors, errors


def test_the_url_and_the_sidebar_box_get_the_same_neutral_answers(models, tiny_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_EXPLORER_ALLOW_LOCAL_PATHS", "0")
    names = [f"{prefix}{target}{suffix}" for target in (str(tiny_dir), str(tmp_path / "nonexistent"))
             for prefix, suffix in (("trained:", ""), ("trained:", " (int8)"), ("", ""))]
    for name in names[::2]:  # ?model=... in a shared link
        _check_neutral(_open(query=name), name)
    at = _open(page="pages/fill_mask.py")
    at.sidebar.selectbox[0].set_value("Another hub id…").run()
    for name in names:  # typed into the sidebar's box
        at.sidebar.text_input[0].input(name).run()
        at.sidebar.button(key="load_hub").click().run()
        _check_neutral(at, name)
