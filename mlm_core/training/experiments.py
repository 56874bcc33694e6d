"""Masking experiments that ship with the app, the command that reproduces them, and the live comparison's
reference.

Three experiments (`EXPERIMENTS`), each a list of conditions trained with the same budget (`ExperimentSettings`)
and several seeds:

* ``strategies``: bert, mask-only, whole-word and span masking at 15%;
* ``mask-rate``: bert's 80/10/10 at 15, 30, 40, 60 and 80% (after Wettig et al. 2023);
* ``ablation``: 15% selected, the selected tokens 100/0/0, 80/10/10, 80/0/20 or 80/20/0 ([MASK] / random / kept).

Every run is evaluated the same way on the same held-out windows (`EVALUATIONS`), with fixed seeds, so every
run of every experiment scores the same positions: ``token`` (15% of the tokens -> [MASK]; exactly the
validation `train_mlm` reports), ``whole-word`` and ``span`` (15% in whole words / SpanBERT spans -> [MASK]),
and the two that need no [MASK] at all: ``kept`` (15% of the tokens are to be predicted but left as they are:
what a model does with the tokens it sees unmasked, as in fine-tuning) and ``random`` (15% replaced by random
tokens: can it tell and restore the original?). Each gives a loss and a top-1 accuracy.

A run trains exactly as `train_mlm` does (its data preparation, model, optimiser and training step), without
writing checkpoints, and evaluates every `steps / eval_points` steps. Results are small JSON files
(`ExperimentResult`: per condition, per seed, the curves and the final metrics; no weights), with a reading in
plain words made from the numbers (`reading`). A difference is called clear only when it exceeds the
seed-to-seed spread (`clear_difference`, `verdicts`); the live comparison on the Masking page uses the
`strategies` experiment's settings (`LIVE`), so its spread is the reference for a live run.
"""
from __future__ import annotations

import functools
import json
import math
import os
import platform
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from ..errors import MLMError
from ..masking.strategies import MaskingStrategy
from .corpus import check_corpus_size, read_lines
from .uploads import SAMPLE_CORPUS

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "experiments"
# The experiments' WordPiece vocabulary, trained once on the sample corpus and kept: the trainer is not fully
# deterministic across processes (`tokenizer_training.choose_vocabulary`), and a few different entries shift the
# held-out windows, so every run, shipped or live, uses this one.
SHIPPED_TOKENIZER = SHIPPED_DIR / "tokenizer"
FORMAT = 1
MIN_SEEDS_SHIPPED = 3

# ---------------------------------------------------------------- settings and conditions


@dataclass(frozen=True)
class ExperimentSettings:
    """The budget every run of an experiment shares (and the live comparison's defaults)."""

    corpus: str = str(SAMPLE_CORPUS)
    preset: str = "tiny"  # 2 layers x 128
    vocab_size: int = 2000
    steps: int = 300
    batch_size: int = 16
    seq_len: int = 64
    lr: float = 2e-3
    max_lines: int | None = None
    val_batches: int = 8  # held-out windows: val_batches x batch_size, cut from the end of the corpus
    eval_points: int = 5  # evaluations along the run (the last at the final step)
    precision: str = "fp32"
    schedule: str = "linear"  # training.loop.SCHEDULES
    tokenizer: str | None = str(SHIPPED_TOKENIZER)  # a saved tokenizer to use; None: train one on the corpus

    def check(self) -> None:
        if self.steps < 1 or self.batch_size < 1 or self.seq_len < 8 or self.val_batches < 1:
            raise MLMError("steps, batch size and validation batches must be at least 1, the sequence length at least 8.")
        if not 1 <= self.eval_points <= self.steps:
            raise MLMError(f"eval_points must be between 1 and the number of steps ({self.steps}).")
        if self.vocab_size < 100:
            raise MLMError("The vocabulary must have at least 100 tokens.")
        if self.tokenizer is not None and not (Path(self.tokenizer) / "tokenizer.json").is_file():
            raise MLMError(f"No saved tokenizer in '{self.tokenizer}'.")

    def seed_tokenizer(self, run_dir: str | Path) -> None:
        """Put the settings' saved tokenizer where `train_mlm` looks for a run's own (run_dir/tokenizer)."""
        if self.tokenizer is not None:
            import shutil

            target = Path(run_dir) / "tokenizer"
            if not target.exists():
                shutil.copytree(self.tokenizer, target)

    def train_config(self, strategy: MaskingStrategy, seed: int, out_dir: str):
        """The `TrainConfig` of one run (the same one `live_comparison_spec` trains with)."""
        from .loop import TrainConfig

        return TrainConfig(corpus=[self.corpus], out_dir=str(out_dir), preset=self.preset, strategy=strategy,
                           steps=self.steps, batch_size=self.batch_size, seq_len=self.seq_len, lr=self.lr,
                           eval_every=max(1, self.steps // self.eval_points), save_every=10**9,
                           val_batches=self.val_batches, seed=seed, vocab_size=self.vocab_size,
                           max_lines=self.max_lines, precision=self.precision, schedule=self.schedule)


LIVE = ExperimentSettings()  # the Masking page's live comparison and the shipped experiments share this budget
# The default pair of the live comparison and the metric that separates it at this budget: accuracy on the tokens a
# model sees unmasked (bert keeps 10% of its selected tokens, mask-only none). At 300 steps no strategy has yet learned
# to use the context for [MASK] (the shipped runs stay near the unigram guess), so [MASK] scores do not separate.
LIVE_PAIR = ("bert", "mask-only")
LIVE_METRIC = "kept/accuracy"
LIVE_COLUMNS = ("token/loss", "whole-word/loss", "span/loss", "kept/accuracy", "random/accuracy")


@dataclass(frozen=True)
class Condition:
    label: str
    strategy: MaskingStrategy


@dataclass(frozen=True)
class ExperimentDef:
    name: str
    title: str
    question: str
    conditions: tuple[Condition, ...]
    focus: tuple[str, ...]  # the metrics its reading reports, most important first


def strategy_conditions(rate: float = 0.15) -> tuple[Condition, ...]:
    return tuple(Condition(n, MaskingStrategy(n, rate=rate)) for n in ("bert", "mask-only", "whole-word", "span"))


def rate_conditions(rates=(0.15, 0.30, 0.40, 0.60, 0.80)) -> tuple[Condition, ...]:
    return tuple(Condition(f"{r:.0%}", MaskingStrategy("bert", rate=float(r))) for r in rates)


def share_conditions(shares=((100, 0, 0), (80, 10, 10), (80, 0, 20), (80, 20, 0)), rate: float = 0.15) -> tuple[Condition, ...]:
    """Conditions from ([MASK], random, kept) shares in percent; refused unless each set makes 100%."""
    out = []
    for mask, rnd, keep in shares:
        strategy = MaskingStrategy.from_shares("bert", rate, mask / 100, rnd / 100, keep / 100)
        out.append(Condition(f"{mask:g}/{rnd:g}/{keep:g}", strategy))
    return tuple(out)


def parse_rates(text: str) -> tuple[float, ...]:
    """'15,30,0.4' -> (0.15, 0.30, 0.40): percentages above 1, fractions otherwise."""
    rates = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        try:
            value = float(part.rstrip("%"))
        except ValueError:
            raise MLMError(f"'{part}' is not a masking rate; give rates like 15,30,40 (percent).") from None
        rates.append(value / 100 if value > 1 or part.endswith("%") else value)
    if not rates:
        raise MLMError("Give at least one masking rate.")
    return tuple(rates)


def parse_shares(text: str) -> tuple[tuple[float, float, float], ...]:
    """'100/0/0,80/10/10' -> ((100, 0, 0), (80, 10, 10)): [MASK] / random / kept in percent."""
    out = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        try:
            values = tuple(float(v) for v in part.split("/"))
        except ValueError:
            values = ()
        if len(values) != 3:
            raise MLMError(f"'{part}' is not a set of shares; write [MASK]/random/kept in percent, e.g. 80/10/10.")
        out.append(values)
    if not out:
        raise MLMError("Give at least one set of shares, e.g. 80/10/10.")
    return tuple(out)


EXPERIMENTS: dict[str, ExperimentDef] = {
    "strategies": ExperimentDef(
        "strategies", "Four masking strategies at 15%",
        "Does it matter how the 15% are chosen: single tokens (bert, mask-only), whole words, or spans of words?",
        strategy_conditions(), ("token/loss", "whole-word/loss", "span/loss", "token/accuracy")),
    "mask-rate": ExperimentDef(
        "mask-rate", "Masking rate: 15% to 80%",
        "Should you mask 15%? (Wettig et al. 2023) The same budget of steps, more or fewer tokens to predict.",
        rate_conditions(), ("token/loss", "token/accuracy", "span/loss")),
    "ablation": ExperimentDef(
        "ablation", "Why 80/10/10? What the random and kept shares are for",
        "BERT replaces only 80% of the selected tokens by [MASK]; 10% become a random token and 10% stay. What do "
        "the random and kept shares buy? Measured where no [MASK] is shown: tokens left as they are (kept) and "
        "tokens replaced by a random one (random).",
        share_conditions(), ("kept/accuracy", "random/accuracy", "token/loss", "token/accuracy")),
}

# ---------------------------------------------------------------- the fixed evaluation

# name -> (the strategy that masks the held-out windows, the seed of its generator, a short description)
EVALUATIONS: dict[str, tuple[MaskingStrategy, int, str]] = {
    "token": (MaskingStrategy("mask-only", rate=0.15), 1234, "15% of the tokens → [MASK]"),
    "whole-word": (MaskingStrategy("whole-word", rate=0.15, mask_prob=1.0, random_prob=0.0), 1235,
                   "15% of the tokens, in whole words → [MASK]"),
    "span": (MaskingStrategy("span", rate=0.15, mask_prob=1.0, random_prob=0.0), 1236,
             "15% of the tokens, in SpanBERT spans of words → [MASK]"),
    "kept": (MaskingStrategy("bert", rate=0.15, mask_prob=0.0, random_prob=0.0), 1237,
             "15% of the tokens to predict, left unchanged (no [MASK] anywhere)"),
    "random": (MaskingStrategy("bert", rate=0.15, mask_prob=0.0, random_prob=1.0), 1238,
               "15% of the tokens replaced by a random token, the original to predict"),
}
METRIC_NAMES = {"loss": "loss", "accuracy": "top-1 accuracy"}


def metric_label(metric: str) -> str:
    evaluation, kind = metric.split("/")
    return f"{METRIC_NAMES.get(kind, kind)} ({EVALUATIONS[evaluation][2]})" if evaluation in EVALUATIONS else metric


def higher_is_better(metric: str) -> bool:
    return metric.endswith("/accuracy")


def evaluation_batches(valid: np.ndarray, valid_words: np.ndarray | None, masker, batch_size: int,
                       val_batches: int) -> dict[str, list]:
    """Per evaluation, the held-out windows masked once with its fixed seed: the same positions for every run.
    ``token`` is masked exactly as `train_mlm`'s validation masks (same strategy, seed and batches)."""
    out = {}
    n = min(len(valid), val_batches * batch_size)
    for name, (strategy, seed, _) in EVALUATIONS.items():
        gen = torch.Generator().manual_seed(seed)
        batches = []
        for i in range(0, n, batch_size):
            ids = torch.from_numpy(valid[i:i + batch_size].astype(np.int64))
            starts = None
            if name != "token" and valid_words is not None:
                starts = torch.from_numpy(np.ascontiguousarray(valid_words[i:i + batch_size]))
            batches.append((ids, masker(ids, strategy, gen, word_starts=starts)))
        out[name] = batches
    return out


def evaluate_all(model, tokenizer, batches: dict[str, list], device="cpu") -> dict[str, float]:
    """{'token/loss': ..., 'token/accuracy': ..., ...} over the fixed evaluation batches."""
    from .loop import _validate

    out = {}
    for name, b in batches.items():
        loss, acc = _validate(model, b, tokenizer, device)
        out[f"{name}/loss"], out[f"{name}/accuracy"] = loss, acc
    return out


def unigram_baseline(train: np.ndarray, batches: dict[str, list], tokenizer) -> dict[str, float]:
    """What frequency alone scores on each fixed evaluation: the unigram distribution of the training windows
    (add-one smoothed, over the ids a fill may offer) as the prediction at every position: its loss, and the top-1
    accuracy of always guessing the most frequent token."""
    from ..tokens import never_offered

    banned = never_offered(tokenizer, len(tokenizer)).numpy()
    counts = np.bincount(train.ravel(), minlength=len(tokenizer))[: len(tokenizer)].astype(float) + 1.0
    counts[banned] = 0.0
    log_p = np.log(np.where(counts > 0, counts / counts.sum(), 1.0))
    top = int(np.argmax(counts))
    out = {}
    for name, b in batches.items():
        targets = np.concatenate([r.labels[r.labels != -100].numpy() for _, r in b])
        out[f"{name}/loss"] = float(-log_p[targets].mean())
        out[f"{name}/accuracy"] = float((targets == top).mean())
    return out


def evaluate_run_dir(run_dir: str | Path, batch_size: int, val_batches: int) -> dict[str, float]:
    """The fixed evaluation of a finished `train_mlm` run (its model, tokenizer and held-out windows, which the
    run keeps in data/ until the job cleans up)."""
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    from ..masking.masker import TokenizerMasker
    from ..model.loading import model_construction
    from .loop import _word_starts

    run_dir = Path(run_dir)
    try:
        valid = np.load(run_dir / "data" / "valid.npy")
    except (OSError, ValueError) as err:
        raise MLMError(f"'{run_dir.name}' has no held-out windows to evaluate ({err}).") from None
    tokenizer = AutoTokenizer.from_pretrained(run_dir)
    with model_construction():
        model = AutoModelForMaskedLM.from_pretrained(run_dir, dtype=torch.float32)
    masker = TokenizerMasker(tokenizer)
    batches = evaluation_batches(valid, _word_starts(run_dir / "data", valid, "valid.npy"), masker, batch_size,
                                 val_batches)
    with torch.no_grad():
        return evaluate_all(model, tokenizer, batches)


# ---------------------------------------------------------------- results


@dataclass
class ConditionResult:
    label: str
    strategy: dict  # the MaskingStrategy's fields
    seeds: list[int]
    steps: list[int]  # the evaluation steps
    curves: dict[str, list[list[float]]]  # metric -> per seed, the value at each evaluation step
    train_steps: list[int] = field(default_factory=list)
    train_loss: list[list[float]] = field(default_factory=list)  # per seed, smoothed training loss at train_steps
    wall_s: list[float] = field(default_factory=list)  # per seed

    def final(self, metric: str) -> list[float]:
        return [c[-1] for c in self.curves[metric]]

    def mean(self, metric: str) -> float:
        return float(np.mean(self.final(metric)))

    def spread(self, metric: str) -> float:
        """Seed-to-seed spread at the end: the range (largest minus smallest) over the seeds; NaN for one seed."""
        values = self.final(metric)
        return float(max(values) - min(values)) if len(values) > 1 else float("nan")

    def band(self, metric: str) -> tuple[list[float], list[float], list[float]]:
        """(mean, lowest, highest) over the seeds at each evaluation step."""
        arr = np.asarray(self.curves[metric], dtype=float)
        return arr.mean(0).tolist(), arr.min(0).tolist(), arr.max(0).tolist()


@dataclass
class ExperimentResult:
    name: str
    title: str
    question: str
    command: str
    settings: dict
    conditions: list[ConditionResult]
    focus: list[str]
    wall_s: float
    hardware: dict = field(default_factory=dict)
    created: str = ""
    reading: list[str] = field(default_factory=list)
    baseline: dict = field(default_factory=dict)  # metric -> the unigram guess's value on the same evaluation
    format: int = FORMAT

    def condition(self, label: str) -> ConditionResult:
        for c in self.conditions:
            if c.label == label:
                return c
        raise KeyError(label)

    @property
    def metrics(self) -> list[str]:
        return list(self.conditions[0].curves) if self.conditions else []

    def spread(self, metric: str) -> float:
        """The experiment's seed-to-seed spread of `metric`: the largest range over the seeds of any condition."""
        return max(c.spread(metric) for c in self.conditions)

    def to_json(self) -> dict:
        return asdict(self)


def _rounded(x, digits: int = 5):
    if isinstance(x, float):
        return round(x, digits) if math.isfinite(x) else None
    if isinstance(x, list):
        return [_rounded(v, digits) for v in x]
    if isinstance(x, dict):
        return {k: _rounded(v, digits) for k, v in x.items()}
    return x


def result_from_json(data: dict) -> ExperimentResult:
    try:
        if data.get("format") != FORMAT:
            raise MLMError(f"experiment file format {data.get('format')!r}; this version reads format {FORMAT}.")
        conditions = [ConditionResult(**c) for c in data["conditions"]]
        fields = {k: v for k, v in data.items() if k != "conditions"}
        result = ExperimentResult(conditions=conditions, **fields)
    except (KeyError, TypeError) as err:
        raise MLMError(f"Not an experiment result file ({type(err).__name__}: {err}).") from None
    if not result.conditions or any(len(c.seeds) != len(c.curves[m]) for c in result.conditions for m in c.curves):
        raise MLMError(f"The experiment file '{result.name}' is inconsistent: every metric needs one curve per seed.")
    result.reading = reading(result)  # made from the numbers, whatever the file says
    return result


def load_experiment(path: str | Path) -> ExperimentResult:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise MLMError(f"Cannot read the experiment file '{path}': {err}") from None
    return result_from_json(data)


def shipped_experiments(directory: str | Path = SHIPPED_DIR) -> dict[str, ExperimentResult]:
    """The experiments that ship with the app, by name, in `EXPERIMENTS`' order (missing files left out)."""
    directory = Path(directory)
    out = {}
    for name in EXPERIMENTS:
        path = directory / f"{name}.json"
        if path.is_file():
            out[name] = load_experiment(path)
    return out


def write_experiment(result: ExperimentResult, out_dir: str | Path) -> Path:
    from ..safe_files import write_bytes_atomic

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{result.name}.json"
    write_bytes_atomic(path, (json.dumps(_rounded(result.to_json()), indent=1) + "\n").encode())
    return path


# ---------------------------------------------------------------- clear differences


def clear_difference(a: float, b: float, spread: float) -> bool:
    """Whether two values differ by more than the seed-to-seed spread (within it: no clear difference). With no
    spread measured (NaN: a single seed) no difference is clear."""
    return math.isfinite(spread) and abs(a - b) > spread


def verdicts(values: dict[str, float], spread: float, metric: str) -> dict[str, str]:
    """Per label, its standing against the best of `values` given the seed-to-seed spread: 'best', 'no clear
    difference from X (within the spread S)', or 'worse than X by D (more than the spread S)'."""
    finite = {k: v for k, v in values.items() if v is not None and math.isfinite(v)}
    if not finite:
        return {k: "not measured" for k in values}
    pick = max if higher_is_better(metric) else min
    best = pick(finite, key=finite.get)
    out = {}
    fmt = _fmt(metric)
    for label, v in values.items():
        if label not in finite:
            out[label] = "not measured"
        elif label == best:
            others = [k for k in finite if k != best]
            if others and all(not clear_difference(finite[k], v, spread) for k in others):
                out[label] = f"best, but no clear difference (all within the spread {fmt(spread)})"
            else:
                out[label] = "best"
        elif clear_difference(v, finite[best], spread):
            out[label] = f"worse than {best} by {fmt(abs(v - finite[best]))} (more than the spread {fmt(spread)})"
        else:
            out[label] = f"no clear difference from {best} (within the spread {fmt(spread)})"
    return out


def _fmt(metric: str) -> Callable[[float], str]:
    if higher_is_better(metric):
        return lambda v: "not measured" if not math.isfinite(v) else f"{100 * v:.1f} points"
    return lambda v: "not measured" if not math.isfinite(v) else f"{v:.3f}"


def _value(metric: str, v: float) -> str:
    return f"{v:.1%}" if higher_is_better(metric) else f"{v:.3f}"


def summary_table(result: ExperimentResult, metrics: list[str] | None = None) -> list[dict]:
    """One row per condition: per metric, the mean over seeds and the seed-to-seed range."""
    rows = []
    for c in result.conditions:
        row = {"condition": c.label, "seeds": len(c.seeds)}
        for m in metrics or result.focus:
            row[f"{m} mean"] = c.mean(m)
            row[f"{m} spread"] = c.spread(m)
        rows.append(row)
    return rows


def reading(result: ExperimentResult) -> list[str]:
    """The result in plain words, made from the numbers alone: per focus metric which condition is best and which
    differences are larger than the seed-to-seed spread; then what the experiment's own question asks."""
    lines = []
    s = result.settings
    n_seeds = len(result.conditions[0].seeds)
    lines.append(f"{len(result.conditions)} conditions × {n_seeds} seed{'s' if n_seeds > 1 else ''}, {s['steps']} steps "
                 f"of {s['batch_size']} × {s['seq_len']} tokens each ({s['preset']} model, {s['vocab_size']:,}-token "
                 "vocabulary). A difference counts as clear only when it is larger than the spread between seeds "
                 "(the largest range over the seeds of any condition)." + (
                     "" if n_seeds > 1 else " With one seed there is no spread, so no difference is called clear."))
    for metric in result.focus:
        means = {c.label: c.mean(metric) for c in result.conditions}
        spread = result.spread(metric)
        order = sorted(means, key=means.get, reverse=higher_is_better(metric))
        best = order[0]
        clearly_worse = [k for k in order[1:] if clear_difference(means[k], means[best], spread)]
        tied = [k for k in order[1:] if k not in clearly_worse]
        ranking = ", ".join(f"{k} {_value(metric, means[k])}" for k in order)
        label = metric_label(metric)
        text = f"{label[0].upper() + label[1:]}: {ranking} (spread {_fmt(metric)(spread)}). "
        if not clearly_worse:
            text += "No clear difference between any of them."
        else:
            text += f"{best} is best" + (f", with no clear difference from {', '.join(tied)}" if tied else "")
            text += f"; clearly behind: {', '.join(clearly_worse)}."
        lines.append(text)
    lines.extend(_specific_reading(result))
    return lines


def _clear(result: ExperimentResult, metric: str, a: str, b: str) -> bool:
    return clear_difference(result.condition(a).mean(metric), result.condition(b).mean(metric), result.spread(metric))


def _baseline_sentence(result: ExperimentResult) -> list[str]:
    """Where the models stand against guessing the most frequent token (the unigram baseline of the held-out text)."""
    base = result.baseline
    if not base or "token/accuracy" not in base:
        return []
    best = max(result.conditions, key=lambda c: c.mean("token/accuracy"))
    best_loss = min(c.mean("token/loss") for c in result.conditions)
    near = best.mean("token/accuracy") - base["token/accuracy"] <= max(0.01, result.spread("token/accuracy"))
    text = (f"Guessing the most frequent token scores {base['token/accuracy']:.1%} at the [MASK] positions (unigram "
            f"loss {base['token/loss']:.3f}); the best model scores {best.mean('token/accuracy'):.1%} (loss "
            f"{best_loss:.3f}). ")
    text += ("At this budget the models have not yet learned to use the context for [MASK]: they mostly guess frequent "
             "tokens, so [MASK] scores say little about the strategies." if near else
             "The models have begun to use the context.")
    return [text]


def _specific_reading(result: ExperimentResult) -> list[str]:
    out = _baseline_sentence(result)
    labels = {c.label: c for c in result.conditions}
    if result.name == "strategies" and {"bert", "mask-only"} <= set(labels):
        metric = "kept/accuracy"
        a, b = labels["bert"].mean(metric), labels["mask-only"].mean(metric)
        if _clear(result, metric, "bert", "mask-only"):
            out.append(f"Where the input shows the token itself, bert (which keeps 10% of its selected tokens) gets "
                       f"{a:.1%} right and mask-only {b:.1%}: a clear difference, larger than the seed-to-seed spread "
                       f"({100 * result.spread(metric):.1f} points). mask-only never had to predict a token it could see.")
        else:
            out.append(f"Where the input shows the token itself, bert gets {a:.1%} and mask-only {b:.1%}: within the "
                       "spread, no clear difference.")
        for ev in ("token", "whole-word", "span"):
            metric = f"{ev}/loss"
            best = min(labels, key=lambda k: labels[k].mean(metric))
            worst = max(labels, key=lambda k: labels[k].mean(metric))
            if _clear(result, metric, best, worst):
                out.append(f"Under the {ev} evaluation {best} is clearly better than {worst} "
                           f"(loss {labels[best].mean(metric):.3f} against {labels[worst].mean(metric):.3f}).")
            else:
                out.append(f"Under the {ev} evaluation all four strategies end within the seed-to-seed spread "
                           f"({labels[best].mean(metric):.3f} to {labels[worst].mean(metric):.3f}): no clear difference.")
    if result.name == "mask-rate" and "15%" in labels:
        metric = "token/loss"
        best = min(labels, key=lambda k: labels[k].mean(metric))
        worst = max(labels, key=lambda k: labels[k].mean(metric))
        if best == "15%":
            out.append("With this budget 15% masking has the lowest loss on the 15% evaluation.")
        else:
            how = ("clearly beats 15%" if _clear(result, metric, best, "15%")
                   else "has a lower loss than 15%, but within the spread (no clear difference),")
            out.append(f"With this budget {best} masking {how} on the 15% evaluation itself "
                       f"(loss {labels[best].mean(metric):.3f} against {labels['15%'].mean(metric):.3f}).")
        if worst != best and _clear(result, metric, best, worst):
            out.append(f"{worst} is clearly the worst (loss {labels[worst].mean(metric):.3f}).")
        metric = "kept/accuracy"
        parts = ", ".join(f"{k} {labels[k].mean(metric):.1%}" for k in labels)
        out.append(f"Accuracy on tokens seen unmasked (each rate keeps 10% of its selected tokens): {parts}.")
    if result.name == "ablation":
        for metric, what in (("kept/accuracy", "tokens it sees unmasked (no [MASK] in the input)"),
                             ("random/accuracy", "tokens replaced by a random one")):
            parts = ", ".join(f"{k} {labels[k].mean(metric):.1%}" for k in labels)
            out.append(f"Accuracy on {what}: {parts} (spread {100 * result.spread(metric):.1f} points).")
        keeps = [c for c in result.conditions if c.strategy.get("mask_prob", 1) + c.strategy.get("random_prob", 0) < 1 - 1e-9]
        if keeps and "100/0/0" in labels:
            best = max(keeps, key=lambda c: c.mean("kept/accuracy"))
            if _clear(result, "kept/accuracy", best.label, "100/0/0"):
                out.append(f"Trained with [MASK] only (100/0/0), the model was never asked to predict a token it can "
                           f"see, and on unmasked tokens it gets {labels['100/0/0'].mean('kept/accuracy'):.1%} right, "
                           f"clearly less than {best.label} ({best.mean('kept/accuracy'):.1%}), which keeps some selected "
                           "tokens: the pre-training/fine-tuning mismatch, since fine-tuning shows no [MASK]. The kept "
                           "share is what teaches a model to pass on the tokens it sees.")
            else:
                out.append("On unmasked tokens 100/0/0 and the conditions that keep some selected tokens end within the "
                           "spread: no clear difference.")
        randoms = [c for c in result.conditions if c.strategy.get("random_prob", 0) > 0]
        others = [c for c in result.conditions if c.strategy.get("random_prob", 0) == 0]
        if randoms and others:
            best = max(randoms, key=lambda c: c.mean("random/accuracy"))
            top = max(others, key=lambda c: c.mean("random/accuracy"))
            if _clear(result, "random/accuracy", best.label, top.label) and best.mean("random/accuracy") > top.mean("random/accuracy"):
                out.append(f"Random replacements teach the model not to trust every input token: {best.label} restores "
                           f"{best.mean('random/accuracy'):.1%} of randomly replaced tokens, against at most "
                           f"{top.mean('random/accuracy'):.1%} without random replacements.")
            else:
                out.append(f"On randomly replaced tokens the conditions with random replacements ({best.label}: "
                           f"{best.mean('random/accuracy'):.1%}) and without ({top.label}: {top.mean('random/accuracy'):.1%}) "
                           "are not clearly apart at this budget.")
            trusting = [c for c in others if c in keeps]  # kept tokens but no random ones: the input is always right
            for c in trusting:
                if _clear(result, "random/accuracy", c.label, best.label) and c.mean("random/accuracy") < best.mean("random/accuracy"):
                    out.append(f"{c.label} (kept tokens, no random ones) restores only {c.mean('random/accuracy'):.1%} "
                               "of randomly replaced tokens, clearly the fewest, while it passes on "
                               f"{c.mean('kept/accuracy'):.1%} of unchanged ones: it has only ever seen the right "
                               "token or [MASK] where it had to predict, so it trusts a visible token. The random "
                               "share is what keeps it from trusting every token it sees.")
    return out


# ---------------------------------------------------------------- running an experiment


def plan(name: str, *, seeds: int = MIN_SEEDS_SHIPPED, settings: ExperimentSettings = LIVE, rates=None,
         shares=None) -> ExperimentDef:
    """The experiment to run, every setting checked before anything starts (MLMError with a clear message):
    unknown name, fewer than 1 seed, a rate of 0 or 1, shares that do not make 100%, a corpus too small."""
    if name not in EXPERIMENTS:
        raise MLMError(f"Unknown experiment '{name}'. Choose one of: {', '.join(EXPERIMENTS)}.")
    if seeds < 1:
        raise MLMError("Give at least 1 seed (the shipped experiments use 3).")
    settings.check()
    exp = EXPERIMENTS[name]
    if rates is not None:
        if name != "mask-rate":
            raise MLMError("--rates only applies to the mask-rate experiment.")
        exp = replace(exp, conditions=rate_conditions(rates))
    if shares is not None:
        if name != "ablation":
            raise MLMError("--shares only applies to the ablation experiment.")
        exp = replace(exp, conditions=share_conditions(shares))
    lines = read_lines(settings.corpus)
    lines = lines[: settings.max_lines] if settings.max_lines else lines
    check_corpus_size(lines, settings.batch_size * (1 + settings.val_batches), settings.seq_len)
    return exp


@dataclass
class _Tracked:
    steps: list[int]
    curves: dict[str, list[float]]
    train_steps: list[int]
    train_loss: list[float]
    wall_s: float


def _train_tracked(settings: ExperimentSettings, strategy: MaskingStrategy, seed: int, work: Path,
                   log: Callable[[str], None]) -> _Tracked:
    """One run, trained exactly as `train_mlm` trains (same data, model, optimiser and step), evaluated on the fixed
    evaluations every steps / eval_points steps. Nothing is written but the shared tokenized data in `work`."""
    from ..masking.masker import TokenizerMasker
    from .loop import _Batcher, _Loop, _accelerator, _build_model, _optimizer, _prepare_data, _word_starts

    config = settings.train_config(strategy, seed, str(work))
    t0 = time.perf_counter()
    accelerator, autocast, _ = _accelerator(config.precision)
    settings.seed_tokenizer(work)
    tokenizer, train_seqs, valid_seqs = _prepare_data(config, work, work / "tokenizer", log)
    if len(valid_seqs) < settings.val_batches * settings.batch_size:
        raise MLMError(f"The corpus is too small for these settings: it leaves {len(valid_seqs)} held-out windows, "
                       f"fewer than {settings.val_batches * settings.batch_size}. Give more text.")
    masker = TokenizerMasker(tokenizer)
    batches = evaluation_batches(valid_seqs, _word_starts(work / "data", valid_seqs, "valid.npy"), masker,
                                 settings.batch_size, settings.val_batches)
    model = _build_model(tokenizer, config)
    model.train()
    optimizer, scheduler = _optimizer(model, config, None)
    model, optimizer = accelerator.prepare(model, optimizer)
    batcher = _Batcher(train_seqs, config.batch_size, config.seed, 0, 1, _word_starts(work / "data", train_seqs))
    loop = _Loop(config, accelerator, autocast, model, tokenizer, optimizer, scheduler, masker, batcher, [], work,
                 0, 0, None, [])
    tracked = _Tracked([], {}, [], [], 0.0)
    while loop.step < config.steps:
        loop.train_step()
        if loop.step % 10 == 0 or loop.step == 1:
            tracked.train_steps.append(loop.step)
            tracked.train_loss.append(float(loop.ema))
        if loop.step % config.eval_every == 0 or loop.step == config.steps:
            if tracked.steps and tracked.steps[-1] == loop.step:
                continue
            with autocast:
                values = evaluate_all(loop.model, tokenizer, batches, accelerator.device)
            tracked.steps.append(loop.step)
            for k, v in values.items():
                tracked.curves.setdefault(k, []).append(v)
    tracked.wall_s = time.perf_counter() - t0
    return tracked


def reproduce_command(name: str, seeds: int, settings: ExperimentSettings, rates=None, shares=None) -> str:
    cmd = f"python -m mlm_core experiment {name} --seeds {seeds} --out mlm_core/data/experiments"
    defaults = ExperimentSettings()
    for key, flag in (("steps", "--steps"), ("vocab_size", "--vocab-size"), ("max_lines", "--max-lines"),
                      ("preset", "--preset")):
        if getattr(settings, key) != getattr(defaults, key):
            cmd += f" {flag} {getattr(settings, key)}"
    if settings.corpus != defaults.corpus:
        cmd += f" --corpus {settings.corpus}"
    if settings.tokenizer is None and settings.corpus == defaults.corpus and settings.vocab_size == defaults.vocab_size \
            and not settings.max_lines:
        cmd += " --train-tokenizer"
    if rates is not None:
        cmd += " --rates " + ",".join(f"{100 * r:g}" for r in rates)
    if shares is not None:
        cmd += " --shares " + ",".join("/".join(f"{v:g}" for v in s) for s in shares)
    return cmd


def data_baseline(settings: ExperimentSettings, work: Path, log: Callable[[str], None] = lambda m: None) -> dict:
    """Prepare the shared tokenizer and tokenized corpus in `work` (as `train_mlm` does) and return the unigram
    baseline of the fixed evaluations on it (`unigram_baseline`)."""
    from ..masking.masker import TokenizerMasker
    from .loop import _prepare_data, _word_starts

    settings.seed_tokenizer(work)
    tokenizer, train, valid = _prepare_data(settings.train_config(MaskingStrategy(), 0, str(work)), work,
                                            work / "tokenizer", log)
    if len(tokenizer) != settings.vocab_size:
        raise MLMError(f"The tokenizer has {len(tokenizer)} tokens, not the {settings.vocab_size} asked for.")
    batches = evaluation_batches(valid, _word_starts(work / "data", valid, "valid.npy"), TokenizerMasker(tokenizer),
                                 settings.batch_size, settings.val_batches)
    return unigram_baseline(train, batches, tokenizer)


def _strategy_key(strategy: MaskingStrategy) -> str:
    """Runs whose masking draws the same (mask-only is bert with 100/0/0) share one key."""
    m, r, _ = strategy.replacement_probs()
    name = "bert" if strategy.name == "mask-only" else strategy.name
    return json.dumps([name, round(strategy.rate, 6), round(m, 6), round(r, 6), strategy.span_p, strategy.max_span])


def _worker(settings: ExperimentSettings, strategy: MaskingStrategy, seed: int, work: str, threads: int) -> _Tracked:
    torch.set_num_threads(threads)
    return _train_tracked(settings, strategy, seed, Path(work), lambda m: None)


def run_experiments(names: list[str], *, seeds: int = MIN_SEEDS_SHIPPED, settings: ExperimentSettings = LIVE,
                    out_dir: str | Path | None = SHIPPED_DIR, rates=None, shares=None, jobs: int = 1,
                    threads: int = 1, log: Callable[[str], None] = lambda m: None) -> list[ExperimentResult]:
    """Train every condition of the named experiments with `seeds` seeds (0, 1, ...) and write NAME.json into
    out_dir (None: write nothing). Every setting of every experiment is checked first (`plan`); a run two
    experiments share (same masking, same seed: bert 15% 80/10/10 is in all three) is trained once. `jobs` runs
    train side by side in separate processes of `threads` torch threads each."""
    if rates is not None and "mask-rate" not in names:
        raise MLMError("--rates only applies to the mask-rate experiment.")
    if shares is not None and "ablation" not in names:
        raise MLMError("--shares only applies to the ablation experiment.")
    plans = {n: plan(n, seeds=seeds, settings=settings, rates=rates if n == "mask-rate" else None,
                     shares=shares if n == "ablation" else None) for n in names}
    t0 = time.perf_counter()
    wanted: dict[tuple[str, int], MaskingStrategy] = {}
    for exp in plans.values():
        for cond in exp.conditions:
            for seed in range(seeds):
                wanted.setdefault((_strategy_key(cond.strategy), seed), cond.strategy)
    done: dict[tuple[str, int], _Tracked] = {}
    with tempfile.TemporaryDirectory(prefix="mlm-experiment-") as tmp:
        work = Path(tmp) / "data-shared"  # one tokenizer and tokenized corpus for every run
        baseline = data_baseline(settings, work, log)
        log(f"{len(wanted)} runs to train ({jobs} at a time)")
        if jobs <= 1:
            for key, strategy in wanted.items():
                done[key] = _train_tracked(settings, strategy, key[1], work, log)
                log(f"  {strategy.describe()}, seed {key[1]}: {done[key].wall_s:.0f}s")
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = {key: pool.submit(_worker, settings, strategy, key[1], str(work), threads)
                           for key, strategy in wanted.items()}
                for key, fut in futures.items():
                    done[key] = fut.result()
                    log(f"  {wanted[key].describe()}, seed {key[1]}: {done[key].wall_s:.0f}s")
    total = time.perf_counter() - t0
    results = []
    for name, exp in plans.items():
        conditions = []
        for cond in exp.conditions:
            runs = [done[(_strategy_key(cond.strategy), seed)] for seed in range(seeds)]
            conditions.append(ConditionResult(
                label=cond.label, strategy=asdict(cond.strategy), seeds=list(range(seeds)), steps=runs[0].steps,
                curves={k: [r.curves[k] for r in runs] for k in runs[0].curves},
                train_steps=runs[0].train_steps, train_loss=[r.train_loss for r in runs],
                wall_s=[round(r.wall_s, 1) for r in runs]))
        own = sum(w for c in conditions for w in c.wall_s)
        result = ExperimentResult(
            name=name, title=exp.title, question=exp.question,
            command=reproduce_command(name, seeds, settings, rates if name == "mask-rate" else None,
                                      shares if name == "ablation" else None),
            settings=asdict(settings), conditions=conditions, focus=list(exp.focus),
            wall_s=round(own / max(1, jobs), 1),
            hardware={"cpu_count": os.cpu_count(), "torch_threads": threads, "jobs": jobs,
                      "machine": platform.processor() or platform.machine(), "device": "cpu",
                      "run_wall_s_total": round(own, 1), "command_wall_s": round(total, 1),
                      "command_experiments": list(plans)},
            created=time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), baseline=baseline)
        result.settings["corpus"] = _corpus_name(settings.corpus)
        result.settings["tokenizer"] = _tokenizer_name(settings.tokenizer)
        # the numbers as the file keeps them, and the reading made from those (as the loader makes it again)
        result = result_from_json(json.loads(json.dumps(_rounded(result.to_json()))))
        if out_dir is not None:
            write_experiment(result, out_dir)
        results.append(result)
    return results


def run_experiment(name: str, **kwargs) -> ExperimentResult:
    """One experiment (`run_experiments`)."""
    return run_experiments([name], **kwargs)[0]


def _tokenizer_name(tokenizer: str | None) -> str:
    if tokenizer is None:
        return "trained on the corpus"
    return "shipped (mlm_core/data/experiments/tokenizer)" if Path(tokenizer).resolve() == SHIPPED_TOKENIZER.resolve() \
        else str(tokenizer)


def _corpus_name(corpus: str) -> str:
    """The corpus as the file records it: the bundled sample by name, another file by its path."""
    return "sample_corpus.txt (bundled)" if Path(corpus).resolve() == SAMPLE_CORPUS.resolve() else str(corpus)


# ---------------------------------------------------------------- the live comparison


def live_comparison_spec(strategies: list[MaskingStrategy], corpus: str | Path, models_root: str | Path, *,
                         owner: str = "", settings: ExperimentSettings = LIVE, seed: int = 0,
                         reference: ExperimentResult | None = None):
    """The Masking page's comparison with the shipped experiments' budget (`LIVE`): `metrics.comparison_spec`'s
    runs, and a summary that adds the fixed evaluation of each finished model and, against the seed-to-seed
    spread of the shipped `strategies` experiment (`reference`), a verdict per row ("no clear difference" where
    two runs are within the spread)."""
    from .metrics import comparison_spec

    spec = comparison_spec(strategies, corpus, models_root, owner=owner, steps=settings.steps,
                           batch_size=settings.batch_size, seq_len=settings.seq_len, preset=settings.preset,
                           lr=settings.lr, max_lines=settings.max_lines, val_batches=settings.val_batches,
                           vocab_size=settings.vocab_size, seed=seed, precision=settings.precision)
    same_corpus = Path(corpus).resolve() == Path(settings.corpus).resolve()
    for run in spec.runs:
        run.config.eval_every = max(1, settings.steps // settings.eval_points)
        if same_corpus:  # the shipped runs' vocabulary, so their spread applies; another corpus trains its own
            settings.seed_tokenizer(run.config.out_dir)
        else:
            reference = None

    # a partial of a module function, not a closure: the job is sent to a child process
    spec.summarize = functools.partial(_live_summary, settings=settings, reference=reference)
    return spec


def _live_summary(runs, settings: ExperimentSettings, reference: ExperimentResult | None) -> list[dict]:
    from .metrics import comparison_rows

    return add_fixed_evaluation(comparison_rows(runs), runs, settings, reference)


def row_column(metric: str) -> str:
    """The results-table column of an evaluation metric: 'token/loss' -> 'token eval loss'."""
    evaluation, kind = metric.split("/")
    return f"{evaluation} eval {kind}"


def add_fixed_evaluation(rows: list[dict], runs, settings: ExperimentSettings,
                         reference: ExperimentResult | None, metric: str = LIVE_METRIC) -> list[dict]:
    """The rows of `comparison_rows` with the fixed evaluation of each run (`LIVE_COLUMNS`) and a verdict on `metric`
    against the reference's seed-to-seed spread ("no clear difference" within it; no verdict without a reference)."""
    by_label = {r.label: r for r in runs}
    for row in rows:
        run = by_label.get(row["strategy"])
        try:
            values = evaluate_run_dir(run.out_dir, settings.batch_size, settings.val_batches) if run else {}
        except MLMError:
            values = {}
        for m in LIVE_COLUMNS:
            row[row_column(m)] = values.get(m, float("nan"))
    if reference is not None and rows:
        spread = reference.spread(metric)
        column = row_column(metric)
        verdict = verdicts({r["strategy"]: r.get(column, float("nan")) for r in rows}, spread, metric)
        for row in rows:
            row[f"verdict ({column})"] = verdict.get(row["strategy"], "")
    return rows
