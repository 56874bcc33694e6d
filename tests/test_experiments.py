"""The shipped masking experiments: the files, the command that reproduces them (on a tiny real run), the rule
that calls a difference clear only beyond the seed-to-seed spread, refused settings, and their figures."""
from __future__ import annotations

import json
import math

import pytest

from mlm_core.cli import main
from mlm_core.errors import MLMError
from mlm_core.training import experiments as ex
from tests.conftest import SAMPLE
from tests.test_cli import run

TINY = ["--steps", "4", "--vocab-size", "300", "--max-lines", "1400", "--eval-points", "2"]


# ---------------------------------------------------------------- the shipped files


@pytest.fixture(scope="module")
def shipped():
    return ex.shipped_experiments()


def test_every_experiment_ships_with_three_seeds_and_the_same_evaluation(shipped):
    assert list(shipped) == list(ex.EXPERIMENTS)
    metrics = {f"{e}/{k}" for e in ex.EVALUATIONS for k in ("loss", "accuracy")}
    for name, result in shipped.items():
        path = ex.SHIPPED_DIR / f"{name}.json"
        assert path.stat().st_size < 300_000  # curves and metrics only, no weights
        assert result.command.startswith(f"python -m mlm_core experiment {name} --seeds")
        assert result.settings["steps"] == ex.LIVE.steps and result.settings["vocab_size"] == ex.LIVE.vocab_size
        assert [c.label for c in result.conditions] == [c.label for c in ex.EXPERIMENTS[name].conditions]
        for c in result.conditions:
            assert len(c.seeds) >= ex.MIN_SEEDS_SHIPPED
            assert set(c.curves) == metrics
            assert c.steps[-1] == result.settings["steps"]
            for curves in c.curves.values():
                assert len(curves) == len(c.seeds) and all(len(v) == len(c.steps) for v in curves)
                assert all(math.isfinite(x) for v in curves for x in v)
            assert len(c.train_loss) == len(c.seeds)
            assert c.train_loss[0][-1] < c.train_loss[0][0]  # it learned something
        assert result.wall_s > 0


def test_the_stored_reading_is_the_one_the_numbers_give(shipped):
    for name, result in shipped.items():
        stored = json.loads((ex.SHIPPED_DIR / f"{name}.json").read_text())["reading"]
        assert stored == ex.reading(result) == result.reading
        assert len(result.reading) >= 1 + len(result.focus)


def test_seeds_differ_and_the_spread_is_the_largest_range(shipped):
    result = shipped["strategies"]
    for metric in ("token/loss", "span/loss"):
        ranges = [max(c.final(metric)) - min(c.final(metric)) for c in result.conditions]
        assert result.spread(metric) == pytest.approx(max(ranges))
        assert result.spread(metric) > 0  # seeds are real repetitions, not copies


def test_ablation_measures_tokens_seen_unmasked(shipped):
    """Kept positions show the token itself: a model trained with [MASK] only was never asked to pass one on, a model
    trained with kept tokens was; the reading states the measured shares."""
    result = shipped["ablation"]
    no_keep, keep = result.condition("100/0/0"), result.condition("80/0/20")
    assert keep.mean("kept/accuracy") > no_keep.mean("kept/accuracy")
    assert ex.clear_difference(keep.mean("kept/accuracy"), no_keep.mean("kept/accuracy"), result.spread("kept/accuracy"))
    assert any(f"{no_keep.mean('kept/accuracy'):.1%}" in line for line in result.reading)


# ---------------------------------------------------------------- the clear-difference rule


def test_no_clear_difference_within_the_spread():
    assert not ex.clear_difference(5.00, 5.04, 0.05)
    assert ex.clear_difference(5.00, 5.06, 0.05)
    assert not ex.clear_difference(5.0, 9.0, float("nan"))  # one seed: no spread, nothing is clear
    v = ex.verdicts({"bert": 5.00, "span": 5.03, "mask-only": 5.20}, 0.05, "token/loss")
    assert v["bert"] == "best"
    assert v["span"].startswith("no clear difference from bert")
    assert v["mask-only"].startswith("worse than bert by 0.200")
    tied = ex.verdicts({"bert": 0.10, "span": 0.11}, 0.02, "token/accuracy")  # accuracy: higher is better
    assert tied["span"].startswith("best, but no clear difference")
    assert tied["bert"].startswith("no clear difference from span")


def test_the_live_default_pair_separates_beyond_the_shipped_spread(shipped):
    result = shipped["strategies"]
    a, b = (result.condition(label).mean(ex.LIVE_METRIC) for label in ex.LIVE_PAIR)
    assert ex.clear_difference(a, b, result.spread(ex.LIVE_METRIC))
    # ...and each seed of one is on the same side of each seed of the other
    fa, fb = (result.condition(label).final(ex.LIVE_METRIC) for label in ex.LIVE_PAIR)
    assert max(fa) < min(fb) or max(fb) < min(fa)


# ---------------------------------------------------------------- the command, on a tiny real run


def test_the_command_reproduces_an_experiment(tmp_path):
    """As a user runs it: `python -m mlm_core` in its own process (its runs go to spawned worker processes)."""
    out = tmp_path / "exp"
    payload = json.loads(run("experiment", "ablation", "--seeds", "2", "--out", str(out), "--json", *TINY).stdout)
    assert payload[0]["name"] == "ablation" and payload[0]["wall_s"] > 0
    result = ex.load_experiment(out / "ablation.json")
    assert [c.label for c in result.conditions] == ["100/0/0", "80/10/10", "80/0/20", "80/20/0"]
    assert result.command == ("python -m mlm_core experiment ablation --seeds 2 --out mlm_core/data/experiments "
                              "--steps 4 --vocab-size 300 --max-lines 1400")
    c = result.condition("80/10/10")
    assert c.steps == [2, 4] and c.seeds == [0, 1]
    assert c.strategy["mask_prob"] == 0.8 and c.strategy["random_prob"] == 0.1
    assert c.curves["token/loss"][0] != c.curves["token/loss"][1]  # two seeds, two runs
    assert payload[0]["reading"] == result.reading


def test_the_token_evaluation_is_train_mlms_validation(tmp_path):
    """The shipped runs' token evaluation is the validation `train_mlm` reports (same windows, positions and step),
    so a live comparison's validation loss can be set against the shipped spread."""
    from mlm_core.masking.strategies import MaskingStrategy
    from mlm_core.training.loop import train_mlm

    settings = ex.ExperimentSettings(steps=4, max_lines=1400, eval_points=1)  # the shipped vocabulary
    strategy = MaskingStrategy("span")
    tracked = ex._train_tracked(settings, strategy, 1, tmp_path / "work", lambda m: None)
    settings.seed_tokenizer(tmp_path / "run")  # as live_comparison_spec does
    trained = train_mlm(settings.train_config(strategy, 1, str(tmp_path / "run")))
    assert tracked.curves["token/loss"][-1] == pytest.approx(trained.val_loss, abs=1e-5)
    assert tracked.curves["token/accuracy"][-1] == pytest.approx(trained.val_accuracy, abs=1e-9)
    fixed = ex.evaluate_run_dir(tmp_path / "run", settings.batch_size, settings.val_batches)  # the saved model
    for key in ("token/loss", "span/loss", "kept/accuracy", "random/loss"):
        assert fixed[key] == pytest.approx(tracked.curves[key][-1], abs=1e-4)


# ---------------------------------------------------------------- refused settings: a message, nothing started


@pytest.mark.parametrize("args, message", [
    (["mask-rate", "--rates", "0,15"], "A masking rate of 0 cannot train"),
    (["mask-rate", "--rates", "15,100"], "A masking rate of 1 cannot train"),
    (["ablation", "--shares", "80/10/20"], "add up to 100%"),
    (["ablation", "--shares", "80/10"], "is not a set of shares"),
    (["strategies", "--rates", "15"], "only applies to the mask-rate experiment"),
    (["strategies", "--seeds", "0"], "at least 1 seed"),
])
def test_bad_settings_are_refused_before_anything_starts(tmp_path, capsys, args, message):
    out = tmp_path / "exp"
    assert main(["experiment", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("error: ") and "Traceback" not in err
    assert not out.exists()


def test_a_corpus_too_small_is_refused_before_anything_starts(tmp_path, capsys):
    small = tmp_path / "small.txt"
    small.write_text("A few words.\nNot nearly enough for one batch.\n")
    out = tmp_path / "exp"
    assert main(["experiment", "all", "--corpus", str(small), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "too small for these settings" in err
    assert not out.exists()
    with pytest.raises(MLMError, match="too small"):
        ex.plan("strategies", settings=ex.ExperimentSettings(corpus=str(small)))


def test_rates_and_shares_parse_percent_and_fractions():
    assert ex.parse_rates("15,30%,0.4") == (0.15, 0.30, 0.4)
    assert ex.parse_shares("100/0/0, 80/10/10") == ((100, 0, 0), (80, 10, 10))
    with pytest.raises(MLMError, match="not a masking rate"):
        ex.parse_rates("fifteen")


def test_a_damaged_file_is_refused_clearly(tmp_path):
    bad = tmp_path / "strategies.json"
    bad.write_text('{"format": 1, "name": "x"}')
    with pytest.raises(MLMError, match="Not an experiment result file"):
        ex.load_experiment(bad)
    bad.write_text("not json")
    with pytest.raises(MLMError, match="Cannot read the experiment file"):
        ex.load_experiment(bad)


# ---------------------------------------------------------------- figures


def test_curves_show_a_band_per_condition_and_live_runs_over_it(shipped):
    from mlm_core.viz import experiment_curves

    result = shipped["strategies"]
    fig = experiment_curves(result, "token/loss", labels=["mask-only", "span"],
                            live={"span": ([60, 300], [6.0, 5.0])})
    bands = [t for t in fig.data if t.fill == "toself"]
    assert len(bands) == 2
    span = result.condition("span")
    mean, low, high = span.band("token/loss")
    band = next(t for t in bands if t.legendgroup == "span")
    assert list(band.y) == pytest.approx(high + low[::-1])
    assert all(lo <= m <= hi for m, lo, hi in zip(mean, low, high))
    assert fig.data[-1].name == "span (now)" and list(fig.data[-1].y) == [6.0, 5.0]


def test_final_bars_carry_the_seed_range_as_error_bars(shipped):
    from mlm_core.viz import experiment_final_bars

    result = shipped["ablation"]
    fig = experiment_final_bars(result, ["kept/accuracy", "random/accuracy", "token/accuracy"])
    assert [t.name for t in fig.data] == [c.label for c in result.conditions]
    c = result.conditions[0]
    bar = fig.data[0]
    assert list(bar.y) == pytest.approx([c.mean("kept/accuracy"), c.mean("random/accuracy"), c.mean("token/accuracy")])
    assert bar.error_y.array[0] == pytest.approx(max(c.final("kept/accuracy")) - c.mean("kept/accuracy"))
    assert bar.error_y.arrayminus[0] == pytest.approx(c.mean("kept/accuracy") - min(c.final("kept/accuracy")))


def test_span_lengths_of_the_sample_corpus_against_the_target(tmp_path):
    from transformers import AutoTokenizer

    from mlm_core.masking.masker import measure_strategy
    from mlm_core.masking.span_lengths import span_length_counts
    from mlm_core.masking.strategies import MaskingStrategy
    from mlm_core.training.corpus import read_lines
    from mlm_core.viz import span_lengths_vs_target

    tok = AutoTokenizer.from_pretrained(str(SAMPLE.parent.parent / "bundled_model"))
    stats = measure_strategy(tok, read_lines(SAMPLE), MaskingStrategy("span"), n_tokens=20_000)
    hist = span_length_counts(stats.drawn_span_lengths, stats.span_lengths)
    assert hist.n_spans > 300 and abs(hist.mean("drawn") - hist.mean("target")) < 0.4
    fig = span_lengths_vs_target(hist)
    assert len(fig.data) == 3


# ---------------------------------------------------------------- the page


def test_a_fresh_masking_page_shows_the_shipped_experiments_without_training(tmp_path, monkeypatch):
    """A fresh server: the Masking page draws every shipped experiment's charts, readings and reproduce command from
    the files; nothing trains and no model is written."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    data = tmp_path / "app_data"
    monkeypatch.setenv("MLM_EXPLORER_DATA_DIR", str(data))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/masking.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shipped = ex.shipped_experiments()
    for name in shipped:
        for chart in ("curves", "accuracy", "losses"):
            assert at.button(key=f"exp_{name}_{chart}_png_make")  # drawn by show_figure with its download popover
    specs = [el.proto.spec for el in at.get("plotly_chart")]
    assert sum("shipped, 3 seeds" in spec for spec in specs) >= len(shipped)  # the curves with their bands
    codes = [c.value for c in at.code]
    assert all(any(r.command == c for c in codes) for r in shipped.values())
    text = " ".join(m.value for m in at.markdown)
    assert all(r.reading[-1][:60] in text for r in shipped.values())
    assert at.multiselect(key="cmp_strategies").value == list(ex.LIVE_PAIR)
    assert at.number_input(key="cmp_steps").value == ex.LIVE.steps
    from mlm_app.training_jobs import get_manager

    assert get_manager().running() is None
    assert not any(p.name == "model.safetensors" for p in data.rglob("*"))
