"""Training jobs without Streamlit: one training run, or a sequence of runs that compare masking strategies.

A `JobSpec` lists the runs (each a `TrainConfig` with a label). `run_job` trains them one after
the other, recording progress into a `JobState` (thread-safe, so a web page can read a
`snapshot()` while a background thread trains), and, when asked, computes one comparison row per
finished run: validation masked-token accuracy and loss (always 15% mask-only masking, so runs
with different strategies are comparable) and the pseudo-perplexity of a few fixed sentences.
Each run directory records its owner (`write_run_spec`), so stopped runs can be listed and resumed by
their owner only. Uploaded corpora are written crash-safely (`save_corpus`) and removed once no stopped
run names them (`remove_unused_corpora`); downloads carry no absolute server paths (`model_zip`).
The Streamlit side (`mlm_app.training_jobs`) only adds the thread, the cancel event, the
one-job-per-server rule and each owner's finished results.
"""
from __future__ import annotations

import contextlib
import copy
import errno
import hashlib
import io
import json
import math
import os
import re
import shutil
import tempfile
import threading
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from . import checkpoints
from .corpus import check_text_bytes
from .errors import MLMError
from .masking import MaskingStrategy
from .run_names import is_hub_id
from .training import (CHECKPOINT_DIR, LOG_FILE, SUMMARY_FILE, TrainConfig, TrainProgress, TrainResult,
                       final_model_complete, train_mlm)

SAMPLE_CORPUS = Path(__file__).parent / "data" / "sample_corpus.txt"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SPEC_FILE = "app_job.json"  # how a run in the app was configured, so it can be resumed later
NOT_IN_DOWNLOAD = {CHECKPOINT_DIR, "data", "tokenizer", SPEC_FILE}
TMP_SUFFIX = ".tmp"  # a corpus being written; never read, removed by remove_unused_corpora if a crash left it

# Plain sentences in the style of the bundled corpus, scored by pseudo-perplexity after training.
PPL_SENTENCES = [
    "The old man walked slowly down the road to the river.",
    "She opened the door and looked out into the garden.",
    "We had a long talk about the weather and the boat.",
    "He said that he would come back in the morning.",
]
# A sentence with one mask, for comparing the trained models' guesses side by side.
COMPARE_SENTENCE = "He went down to the [MASK] to look at the boat."

IDLE, RUNNING, STOPPING, FINISHED, FAILED, INTERRUPTED = "idle", "running", "stopping", "finished", "failed", "interrupted"
ACTIVE = (RUNNING, STOPPING)


# ---------------------------------------------------------------- names, files, uploads

def sanitize_name(name: str, default: str = "model") -> str:
    """Letters and digits of any script, '-' and '_' only (other characters become '-'), at most 60 characters:
    'ñandú-模型' stays as it is, while '/', '..' and spaces can never reach a path."""
    import unicodedata

    cleaned = re.sub(r"[^\w-]+", "-", unicodedata.normalize("NFC", (name or "").strip())).strip("-_")
    return cleaned[:60] or default


def unique_model_dir(root: str | Path, name: str) -> Path:
    """root/<sanitized name>, or with a timestamp suffix (and a counter) when that is taken."""
    root = Path(root)
    base = sanitize_name(name)
    path = root / base
    if not path.exists():
        return path
    stamped = f"{base}-{time.strftime('%Y%m%d-%H%M%S')}"
    path, k = root / stamped, 2
    while path.exists():
        path, k = root / f"{stamped}-{k}", k + 1
    return path


def check_upload(data: bytes, name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """Text of an uploaded corpus file, or an MLMError that says what is wrong (size, empty, binary, encoding)."""
    if len(data) > max_bytes:
        raise MLMError(f"'{name}' is {len(data) / 1024**2:.1f} MB; the limit for uploads is "
                       f"{max_bytes / 1024**2:.0f} MB. Upload a shorter text.")
    text = check_text_bytes(data, name)
    if sum(1 for line in text.splitlines() if line.strip()) < 5:
        raise MLMError(f"'{name}' has fewer than 5 non-blank lines: give at least a few paragraphs of text.")
    return text


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[: 1 << 20]):]


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (best effort: some file systems cannot fsync a directory)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _disk_error(err: OSError) -> MLMError:
    """A write failure in words, without the server's paths."""
    reason = err.strerror or type(err).__name__
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return MLMError(f"The server's disk is full: could not save the upload ({reason}).",
                        "Use the bundled sample corpus, or try again when space has been freed.")
    return MLMError(f"The server could not save the upload ({reason}).")


def save_corpus(text: str, root: str | Path, name: str) -> Path:
    """Write uploaded text under root, named by its content hash (a re-upload reuses the file).

    The bytes go to a temporary name, are flushed and fsynced, then renamed once, so a reader never sees half a
    corpus; a failed write (full disk, quota, permissions) leaves no file behind and raises an MLMError.
    """
    root = Path(root)
    data = text.encode("utf-8")
    path = root / f"{sanitize_name(Path(name).stem, 'corpus')}-{hashlib.sha1(data).hexdigest()[:16]}.txt"
    tmp: str | None = None
    try:
        if path.is_file():
            return path
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, prefix=f".{path.stem}-", suffix=TMP_SUFFIX)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        tmp = None
    except OSError as err:
        raise _disk_error(err) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _fsync_dir(root)
    return path


def corpora_in_use(models_root: str | Path) -> set[Path]:
    """The corpus files named by the saved settings of stopped runs (a resume may read them again)."""
    root, used = Path(models_root), set()
    for name in resumable_runs(root):
        try:
            cfg = json.loads((root / name / SPEC_FILE).read_text())["config"]
            used.update(Path(p).resolve() for p in [*cfg.get("corpus", []), *cfg.get("valid", [])])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return used


def remove_unused_corpora(corpora_root: str | Path, models_root: str | Path, keep=()) -> list[str]:
    """Delete the uploads in corpora_root that neither a stopped run (`corpora_in_use`) nor `keep` (a running
    job's corpora) uses, and temporary files a crash left. A finished model does not need its corpus any more:
    its training_summary.json keeps the path as a record only. Returns the names removed."""
    root = Path(corpora_root)
    if not root.is_dir():
        return []
    used = corpora_in_use(models_root) | {Path(p).resolve() for p in keep}
    removed = []
    for path in sorted(root.iterdir()):
        if path.suffix in (".txt", TMP_SUFFIX) and path.is_file() and path.resolve() not in used:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path.name)
    return removed


def _portable_path(value: str, root: Path | None) -> str:
    """A server path as a download shows it: relative to root when it lies inside, else only its file name."""
    path = Path(value).expanduser()
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix() or "."
    return path.name


def portable_summary(summary: dict, relative_to: str | Path | None = None) -> dict:
    """training_summary.json without absolute server paths (corpus, valid, out_dir, init_from when it is a path)."""
    root = Path(relative_to).expanduser().resolve() if relative_to is not None else None
    out = copy.deepcopy(summary)
    cfg = out.get("config")
    if not isinstance(cfg, dict):
        return out
    for key in ("corpus", "valid"):
        if isinstance(cfg.get(key), list):
            cfg[key] = [_portable_path(str(p), root) for p in cfg[key]]
    if isinstance(cfg.get("out_dir"), str):
        cfg["out_dir"] = _portable_path(cfg["out_dir"], root)
    init = cfg.get("init_from")
    if isinstance(init, str) and (not is_hub_id(init) or os.path.exists(init)):  # a hub id stays as it is
        cfg["init_from"] = _portable_path(init, root)
    return out


def model_zip(model_dir: str | Path, relative_to: str | Path | None = None) -> bytes:
    """A zip of a trained model's save_pretrained files (config, weights, tokenizer, summary, log);
    the checkpoint, tokenized data and app bookkeeping stay out. The summary's paths are written relative to
    `relative_to` (the app's data directory), or as bare file names where they lie outside it."""
    model_dir = Path(model_dir)
    if not (model_dir / "config.json").exists() or not (model_dir / "model.safetensors").exists():
        raise MLMError(f"'{model_dir.name}' is not a finished model (no config.json and model.safetensors).")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(model_dir.iterdir()):
            if not path.is_file() or path.name in NOT_IN_DOWNLOAD or path.name.endswith(TMP_SUFFIX):
                continue
            arcname = f"{model_dir.name}/{path.name}"
            if path.name == SUMMARY_FILE:
                try:
                    summary = json.loads(path.read_text())
                except (OSError, ValueError):
                    continue  # unreadable: leave it out rather than ship paths unchecked
                zf.writestr(arcname, json.dumps(portable_summary(summary, relative_to), indent=2))
            else:
                zf.write(path, arcname)
    return buf.getvalue()


def config_to_json(config: TrainConfig) -> dict:
    d = asdict(config)
    d["strategy"] = asdict(config.strategy)
    return d


def config_from_json(d: dict) -> TrainConfig:
    d = dict(d)
    d["strategy"] = MaskingStrategy(**d["strategy"])
    return TrainConfig(**d)


def write_run_spec(out_dir: str | Path, label: str, config: TrainConfig, owner: str = "") -> None:
    """Save how the run was configured and who started it (the owner alone may resume it in the app)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    spec = {"label": label, "owner": owner, "config": config_to_json(config)}
    (out / SPEC_FILE).write_text(json.dumps(spec, indent=1))


def run_owner(run_dir: str | Path) -> str:
    """The owner saved with the run in run_dir ('' when none was saved or the file is unreadable)."""
    try:
        owner = json.loads((Path(run_dir) / SPEC_FILE).read_text()).get("owner", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return owner if isinstance(owner, str) else ""


def resumable_runs(models_root: str | Path, owner: str | None = None) -> list[str]:
    """Run directories stopped before the end (a checkpoint and a saved spec), newest first; with `owner`,
    only the runs that owner started (runs saved without an owner belong to nobody in the app)."""
    root = Path(models_root)
    if not root.exists():
        return []
    found = [p for p in root.iterdir()
             if (p / SPEC_FILE).exists() and not final_model_complete(p) and checkpoints.latest_step(p) is not None
             and (owner is None or run_owner(p) == owner)]
    return [p.name for p in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)]


def resume_spec(run_dir: str | Path, owner: str = "", steps: int | None = None) -> "JobSpec":
    """A one-run job that continues the run in run_dir from its checkpoint (optionally to more steps);
    only for the owner saved with the run."""
    run_dir = Path(run_dir)
    try:
        saved = json.loads((run_dir / SPEC_FILE).read_text())
        config = config_from_json(saved["config"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise MLMError(f"Cannot resume '{run_dir.name}': its saved settings are unreadable ({err}).") from None
    if saved.get("owner", "") != owner:
        raise MLMError(f"Cannot resume '{run_dir.name}': only the session that started it can resume it.")
    config.out_dir = str(run_dir)
    config.resume = True
    if steps is not None:
        config.steps = steps
    return JobSpec("train", f"Resume {run_dir.name}", [RunSpec(saved.get("label", run_dir.name), config)], owner=owner)


# ---------------------------------------------------------------- specs and state

@dataclass
class RunSpec:
    label: str  # e.g. the strategy name in a comparison, the model name in a single run
    config: TrainConfig


@dataclass
class JobSpec:
    kind: str  # "train" (one run) or "compare" (several runs, same corpus and budget)
    title: str
    runs: list[RunSpec]
    owner: str = ""  # the session that started it
    share_data: bool = True  # later runs reuse the first run's tokenizer and tokenized corpus
    compare: bool = False  # compute comparison rows after training
    sentences: list[str] = field(default_factory=lambda: list(PPL_SENTENCES))
    cleanup: bool = False  # drop checkpoint/ and data/ of finished runs, delete unfinished runs


@dataclass
class RunState:
    label: str
    out_dir: str
    strategy: str
    total_steps: int
    status: str = "pending"  # pending | running | finished | interrupted | failed | skipped
    steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    val_steps: list[int] = field(default_factory=list)
    val_losses: list[float] = field(default_factory=list)
    val_accuracies: list[float] = field(default_factory=list)
    progress: TrainProgress | None = None
    result: TrainResult | None = None
    error: str | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.out_dir).name


class JobState:
    """Everything a page shows about a job; every method takes the lock, `snapshot()` returns a copy."""

    def __init__(self, spec: JobSpec | None = None):
        self._lock = threading.Lock()
        self.kind = spec.kind if spec else ""
        self.title = spec.title if spec else ""
        self.owner = spec.owner if spec else ""
        self.status = IDLE
        self.error: str | None = None
        self.rows: list[dict] = []
        self.started_at = time.time() if spec else None
        self.finished_at: float | None = None
        self.runs = [RunState(r.label, r.config.out_dir, r.config.strategy.name, r.config.steps) for r in spec.runs] if spec else []
        self.current = -1

    def snapshot(self) -> "JobState":
        with self._lock:
            copy_ = JobState()
            for k, v in self.__dict__.items():
                if k != "_lock":
                    setattr(copy_, k, copy.deepcopy(v))
            return copy_

    # updates from the training thread
    def set_status(self, status: str, error: str | None = None) -> None:
        with self._lock:
            if status == STOPPING and self.status not in ACTIVE:
                return
            self.status = status
            if error is not None:
                self.error = error
            if status not in ACTIVE and status != IDLE:
                self.finished_at = time.time()

    def set_error(self, error: str) -> None:
        with self._lock:
            self.error = error

    def run_started(self, i: int) -> None:
        with self._lock:
            self.current = i
            self.runs[i].status = "running"

    def run_progress(self, i: int, p: TrainProgress) -> None:
        with self._lock:
            run = self.runs[i]
            run.progress = p
            run.steps.append(p.step)
            run.losses.append(p.loss)
            if p.val_loss is not None:
                run.val_steps.append(p.step)
                run.val_losses.append(p.val_loss)
                run.val_accuracies.append(p.val_accuracy if p.val_accuracy is not None else float("nan"))

    def seed_history(self, i: int, records: list[dict]) -> None:
        """Curve points logged before a resume (every 10th step and the evaluations), so the curve continues."""
        with self._lock:
            run = self.runs[i]
            for rec in records:
                run.steps.append(int(rec["step"]))
                run.losses.append(float(rec.get("loss_ema", rec.get("loss", float("nan")))))
                if rec.get("val_loss") is not None:
                    run.val_steps.append(int(rec["step"]))
                    run.val_losses.append(float(rec["val_loss"]))
                    run.val_accuracies.append(float(rec.get("val_accuracy") or float("nan")))

    def run_message(self, i: int, message: str) -> None:
        with self._lock:
            self.runs[i].messages.append(message)

    def run_finished(self, i: int, result: TrainResult) -> None:
        with self._lock:
            self.runs[i].result = result
            self.runs[i].status = "interrupted" if result.interrupted else "finished"

    def run_failed(self, i: int, error: str) -> None:
        with self._lock:
            self.runs[i].status = "failed"
            self.runs[i].error = error

    def skip_rest(self, after: int) -> None:
        with self._lock:
            for run in self.runs[after + 1:]:
                if run.status == "pending":
                    run.status = "skipped"

    def set_rows(self, rows: list[dict]) -> None:
        with self._lock:
            self.rows = rows

    # conveniences for pages
    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def fraction_done(self) -> float:
        total = sum(r.total_steps for r in self.runs) or 1
        done = 0
        for r in self.runs:
            if r.status == "finished":
                done += r.total_steps
            elif r.progress is not None:
                done += r.progress.step
        return min(1.0, done / total)

    def eta_s(self) -> float | None:
        """Remaining time of the current run plus the later runs at the current run's pace."""
        if not self.active or not 0 <= self.current < len(self.runs):
            return None
        run = self.runs[self.current]
        if run.progress is None:
            return None
        per_step = run.progress.elapsed_s / max(run.progress.step, 1)
        later = sum(r.total_steps for r in self.runs[self.current + 1:] if r.status == "pending")
        return run.progress.eta_s + later * per_step

    def loss_curves(self) -> dict[str, tuple[list[int], list[float]]]:
        return {r.label: (r.steps, r.losses) for r in self.runs if r.steps}

    def val_curves(self) -> dict[str, tuple[list[int], list[float]]]:
        return {r.label: (r.val_steps, r.val_losses) for r in self.runs if r.val_steps}


# ---------------------------------------------------------------- running

def _error_text(err: BaseException) -> str:
    if isinstance(err, MLMError):
        return str(err)
    text = str(err).splitlines()[0][:300] if str(err) else ""
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _share_data(first: Path, out: Path) -> None:
    """Copy the first run's tokenizer and tokenized corpus so a later run skips that work (same corpus)."""
    if not ((first / "tokenizer").exists() and (first / "data" / "train.npy").exists()):
        return
    for sub in ("tokenizer", "data"):
        if not (out / sub).exists():
            shutil.copytree(first / sub, out / sub)


def _logged(out: Path) -> list[dict]:
    try:
        lines = (out / LOG_FILE).read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError):
        return []


def _clean_run_dir(run: RunState) -> None:
    out = Path(run.out_dir)
    if run.status == "finished":
        for sub in (CHECKPOINT_DIR, "data"):
            shutil.rmtree(out / sub, ignore_errors=True)
    elif not (out / "model.safetensors").exists():
        shutil.rmtree(out, ignore_errors=True)


def run_job(spec: JobSpec, state: JobState, should_stop: Callable[[], bool] = lambda: False) -> JobState:
    """Train the runs of `spec` one after the other, recording everything in `state`; never raises
    for a training problem (the job ends 'failed' with the message instead). Returns `state`."""
    state.set_status(RUNNING)
    outcome = FINISHED
    try:
        first_dir: Path | None = None
        for i, run in enumerate(spec.runs):
            if should_stop():
                outcome = INTERRUPTED
                state.skip_rest(i - 1)
                break
            out = Path(run.config.out_dir)
            if run.config.resume:
                state.seed_history(i, _logged(out))
            else:
                write_run_spec(out, run.label, run.config, owner=spec.owner)
                if spec.share_data and first_dir is not None:
                    _share_data(first_dir, out)
            state.run_started(i)
            try:
                result = train_mlm(run.config, on_progress=lambda p, i=i: state.run_progress(i, p),
                                   should_stop=should_stop, log=lambda m, i=i: state.run_message(i, m))
            except Exception as err:  # noqa: BLE001 - the message is shown to the user, the job must end cleanly
                message = _error_text(err)
                state.run_failed(i, message)
                if not (out / CHECKPOINT_DIR).exists() and not (out / "model.safetensors").exists():
                    shutil.rmtree(out, ignore_errors=True)  # nothing to resume: free the name
                state.skip_rest(i)
                outcome = FAILED
                state.set_error(f"{run.label}: {message}" if len(spec.runs) > 1 else message)
                break
            state.run_finished(i, result)
            first_dir = first_dir or out
            if result.interrupted:
                outcome = INTERRUPTED
                state.skip_rest(i)
                break
        if spec.compare:
            snap = state.snapshot()
            state.set_rows(comparison_rows([r for r in snap.runs if r.status == "finished"], spec.sentences))
    except Exception as err:  # noqa: BLE001
        outcome = FAILED
        state.set_error(_error_text(err))
    finally:
        if spec.cleanup:
            for run in state.snapshot().runs:
                _clean_run_dir(run)
        state.set_status(outcome)
    return state


# ---------------------------------------------------------------- comparing

def _load(out_dir: str):
    from .loading import load_model

    return load_model(str(out_dir), allow_local=True)


def pooled_pseudo_perplexity(lm, sentences: list[str]) -> float:
    """exp(-mean log p) over every token of every sentence (each token masked in turn)."""
    from .analysis import pseudo_log_likelihood

    total, count = 0.0, 0
    for s in sentences:
        pll = pseudo_log_likelihood(lm, s)
        total += pll.total
        count += len(pll.token_log_probs)
    if count == 0:
        raise MLMError("No tokens to score.")
    return math.exp(-total / count)


def comparison_rows(runs: list[RunState], sentences: list[str] = PPL_SENTENCES) -> list[dict]:
    """One row per finished run: validation masked-token accuracy and loss, pseudo-perplexity, budget."""
    rows = []
    for run in runs:
        res = run.result
        try:
            ppl = pooled_pseudo_perplexity(_load(run.out_dir), sentences)
        except MLMError:
            ppl = float("nan")
        rows.append({
            "strategy": run.label,
            "model": run.name,
            "steps": res.steps_done if res else None,
            "val masked-token accuracy": res.val_accuracy if res and res.val_accuracy is not None else float("nan"),
            "val loss": res.val_loss if res and res.val_loss is not None else float("nan"),
            "pseudo-perplexity": ppl,
            "train loss": res.final_loss if res else float("nan"),
            "time (s)": round(res.wall_s, 1) if res else None,
        })
    return rows


def top_predictions(out_dirs: dict[str, str], text: str = COMPARE_SENTENCE, k: int = 5) -> dict[str, list[tuple[str, float]]]:
    """Each model's top-k guesses at the first mask of `text` (label → [(token, probability)])."""
    from .analysis import analyze

    per_model = {}
    for label, out_dir in out_dirs.items():
        lm = _load(out_dir)
        analysis = analyze(lm, lm.normalise_masks(text), top_k=k)
        if not analysis.masks:
            raise MLMError("Write [MASK] somewhere in the sentence to compare the models' guesses.")
        per_model[label] = [(p.token, p.score) for p in analysis.masks[0].predictions]
    return per_model


def comparison_spec(strategies: list[MaskingStrategy], corpus: str | Path, models_root: str | Path, *, owner: str = "",
                    steps: int = 150, batch_size: int = 16, seq_len: int = 64, preset: str = "tiny", lr: float = 2e-3,
                    max_lines: int | None = 3000, val_batches: int = 8, vocab_size: int | None = None,
                    seed: int = 0, prefix: str = "compare", precision: str = "auto") -> JobSpec:
    """Same corpus, same size, same budget and seed for every strategy; each run gets its own model directory."""
    if not 1 <= len(strategies) <= 4:
        raise MLMError("Choose between 1 and 4 strategies to compare.")
    names = [s.name for s in strategies]
    if len(set(names)) != len(names):
        raise MLMError("Choose each strategy only once.")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    runs = []
    taken: set[Path] = set()
    for s in strategies:
        out = unique_model_dir(models_root, f"{prefix}-{s.name}-{stamp}")
        while out in taken:
            out = out.with_name(out.name + "-b")
        taken.add(out)
        cfg = TrainConfig(corpus=[str(corpus)], out_dir=str(out), preset=preset, strategy=s, steps=steps,
                          batch_size=batch_size, seq_len=seq_len, lr=lr, eval_every=max(1, steps // 5),
                          save_every=10**9, val_batches=val_batches, seed=seed, vocab_size=vocab_size,
                          max_lines=max_lines, precision=precision)
        runs.append(RunSpec(s.name, cfg))
    return JobSpec("compare", "Compare " + " vs ".join(names), runs, owner=owner, share_data=True, compare=True, cleanup=True)


def single_run_spec(config: TrainConfig, label: str, owner: str = "") -> JobSpec:
    return JobSpec("train", f"Train {label}", [RunSpec(label, config)], owner=owner, share_data=False, compare=False, cleanup=False)
