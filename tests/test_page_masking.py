"""The Masking strategies page in a headless Streamlit run (AppTest): chips, statistics, re-roll, a tiny comparison
whose results outlast another browser's training."""
import os
import time

os.environ["HF_HUB_OFFLINE"] = "1"

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

from mlm_core.masking.strategies import STRATEGIES


@pytest.fixture()
def at(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path / "app_data"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    app.run()
    app.switch_page("pages/masking.py")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    yield app
    from mlm_app.training_jobs import get_manager

    get_manager().stop_running()  # never leave a training thread behind (it would hold the next test's job slot)
    get_manager().join(120)


def _strategy_columns(at):
    """{strategy: column block} for the columns headed by a strategy name."""
    found = {}
    for col in at.main.columns:
        heads = [m.value for m in col.markdown if m.value.startswith("#### ")]
        if len(heads) == 1 and heads[0][5:] in STRATEGIES:
            found[heads[0][5:]] = col
    return found


def _chips(at) -> list[str]:
    return [h.value for col in _strategy_columns(at).values() for h in col.html]


def test_every_strategy_column_renders_chips(at):
    cols = _strategy_columns(at)
    assert list(cols) == list(STRATEGIES)
    for name, col in cols.items():
        html = [h.value for h in col.html]
        assert len(html) == 2, name  # what the model sees, what it must predict
        assert all("mlm-chip" in h for h in html)
        assert "bank" in html[0]
    assert any("mlm-chip-legend" in h.value for h in at.main.html)


def test_stats_table_has_one_row_per_strategy_near_the_configured_rate(at):
    table = _table(at, "selected rate")
    assert list(table["strategy"]) == list(STRATEGIES)
    assert all(abs(r - 15.0) < 1.5 for r in table["selected rate"])  # shown in percent
    assert table.set_index("strategy").loc["whole-word", "words split"] == 0
    assert table.set_index("strategy").loc["bert", "words split"] > 0
    at.slider(key="masking_rate").set_value(0.3).run()
    assert not at.exception
    table = _table(at, "selected rate")
    assert all(abs(r - 30.0) < 2.0 for r in table["selected rate"])


def test_reroll_changes_the_chips(at):
    at.text_input(key="masking_text").set_value("The quick brown fox jumps over the lazy dog near the quiet river bank.")
    at.run()
    before = _chips(at)
    assert at.number_input(key="masking_seed").value == 0
    at.button(key="masking_reroll").click().run()
    assert not at.exception
    assert at.number_input(key="masking_seed").value == 1
    after = _chips(at)
    assert len(after) == len(before) == 8 and after != before
    at.number_input(key="masking_seed").set_value(0).run()
    assert _chips(at) == before  # the same seed gives the same masking


def test_a_tiny_comparison_from_the_page_finishes_with_a_results_table(at, tmp_path):
    at.number_input(key="cmp_steps").set_value(5).run()
    at.button(key="cmp_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    deadline = time.time() + 240
    while time.time() < deadline:
        time.sleep(2)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if _table(at, "pseudo-perplexity") is not None:
            break
    else:
        pytest.fail("the comparison did not finish in time: " + " ".join(m.value for m in at.main.markdown))
    rows = _table(at, "pseudo-perplexity")
    assert list(rows["strategy"]) == ["bert", "mask-only"]  # the live default pair (experiments.LIVE_PAIR)
    assert all(0 <= a <= 100 for a in rows["val masked-token accuracy"])
    options = at.sidebar.selectbox[0].options
    for model in rows["model"]:
        assert f"trained here: {model}" in options

    # Another browser starts a training: these results stay until their owner clears them.
    from mlm_app.training_jobs import get_manager
    from mlm_core.training.jobs import single_run_spec
    from mlm_core.training.loop import TrainConfig
    from tests.conftest import SAMPLE

    other = TrainConfig(corpus=[str(SAMPLE)], out_dir=str(tmp_path / "app_data" / "models" / "someone-elses"),
                        preset="tiny", steps=100_000, batch_size=8, seq_len=32, val_batches=2, vocab_size=1000,
                        max_lines=300, eval_every=1000, save_every=1000)  # runs until the teardown stops it
    assert get_manager().start(single_run_spec(other, "someone-elses", owner="another-browser"))[0]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Another session's training is running" in i.value for i in at.info)
    assert list(_table(at, "pseudo-perplexity")["model"]) == list(rows["model"])
    at.button(key="cmp_clear").click().run()
    assert _table(at, "pseudo-perplexity") is None


def _table(at, column):
    """The first table on the page with this column (None if there is none)."""
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    return None
