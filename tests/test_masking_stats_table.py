"""The Masking page's statistics table (AppTest): a strategy that places no spans says so in "mean span", instead
of a bare "None" (issue 11, smaller items)."""
from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_the_masking_statistics_say_no_spans_instead_of_none(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(tmp_path / "app_data"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/masking.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(d for d in at.dataframe if "mean span (words)" in d.value.columns).value
    spans = dict(zip(table["strategy"], table["mean span (words)"]))
    assert spans["bert"] == spans["mask-only"] == spans["whole-word"] == "— (no spans)", spans
    assert 1.0 <= float(spans["span"]) <= 10.0, spans  # a number of words, shown with two decimals
    assert spans["span"] == f"{float(spans['span']):.2f}"
