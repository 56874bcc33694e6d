"""Chart titles of the Fill-mask page fit a third of the page: wrapped at the comma and at spaces, a word too long
for a line shortened with '…' and the full title in every bar's hover (in a browser: tests/test_browser_small.py)."""
from __future__ import annotations

from mlm_core.viz.fill_mask import TITLE_CHARS, TITLE_CHARS_LARGE, fit_title, topk_bar

SPLIT = "mask 3: hippopotamus, piece 2 of 3 (##opotam)"
BARS = [("of", 0.2, "of"), ("and", 0.1, "and")]


def test_fit_title_breaks_after_the_comma_and_keeps_short_titles_whole():
    assert fit_title(SPLIT, 24) == (["mask 3: hippopotamus,", "piece 2 of 3 (##opotam)"], False)
    assert fit_title("mask 2: bank", 24) == (["mask 2: bank"], False)
    assert fit_title("mask 1: cat, piece 2 of 3 (##t)", 24) == (["mask 1: cat,", "piece 2 of 3 (##t)"], False)
    lines, shortened = fit_title("mask 1: antidisestablishmentarianism, piece 1 of 5 (anti)", 20)
    assert shortened and all(len(line) <= 20 for line in lines) and lines[1] == "antidisestablishmen…"


def test_topk_bar_wraps_a_split_word_title_and_makes_room_for_it():
    for large, width in ((False, TITLE_CHARS), (True, TITLE_CHARS_LARGE)):
        fig = topk_bar(BARS, title=SPLIT, large=large)
        lines = fig.layout.title.text.split("<br>")
        assert len(lines) >= 2 and all(len(line) <= width for line in lines), lines
        assert " ".join(lines) == SPLIT
        one_line = topk_bar(BARS, title="mask 2: bank", large=large)
        assert one_line.layout.title.text == "mask 2: bank"
        assert fig.layout.margin.t > one_line.layout.margin.t and fig.layout.height > one_line.layout.height


def test_a_shortened_title_is_whole_in_the_hover():
    title = "mask 1: antidisestablishmentarianism, piece 1 of 5 (anti)"
    fig = topk_bar(BARS, title=title)
    assert "antidisestablishmentarianism" not in fig.layout.title.text
    assert title in fig.data[0].hovertemplate
    assert "mask" not in topk_bar(BARS, title=SPLIT).data[0].hovertemplate  # nothing added when nothing is cut
