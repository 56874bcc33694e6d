"""Training jobs without Streamlit: the job's specification, its state and the runner.

A `JobSpec` lists the runs (each a `TrainConfig` with a label). `run_job` trains them one after
the other, recording progress into a `JobState` (thread-safe, so a web page can read a
`snapshot()` while a background thread trains); statuses are `JobStatus` values. When the spec
has a `summarize` callback (a comparison: `metrics.comparison_spec`), the runner hands it the
finished runs and stores the rows it returns; the runner itself knows no metric.
Each run directory records its owner (`run_dirs.write_run_spec`), so stopped runs can be resumed by
their owner only (`resume_spec`). `job_process` runs a job in a child process at a lower CPU priority; the
Streamlit side (`mlm_app.training_jobs`) adds the watching thread, the cancel event, the one-job-per-server rule
and each owner's finished results.
"""
from __future__ import annotations

import copy
import json
import shutil
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Callable

from ..errors import MLMError
from .corpus import check_corpus_size, read_lines
from .loop import CHECKPOINT_DIR, LOG_FILE, TrainConfig, TrainProgress, TrainResult, train_mlm
from .run_dirs import SPEC_FILE, config_from_json, write_run_spec


class JobStatus(StrEnum):
    """The status of a job (idle, running, stopping, finished, failed, interrupted) and of each of its runs
    (pending, running, finished, interrupted, failed, skipped). A str: it compares equal to, and is saved as,
    its value, so saved JSON stays readable."""

    IDLE = "idle"
    PENDING = "pending"
    RUNNING = "running"
    STOPPING = "stopping"
    FINISHED = "finished"
    FAILED = "failed"
    INTERRUPTED = "interrupted"
    SKIPPED = "skipped"


ACTIVE = (JobStatus.RUNNING, JobStatus.STOPPING)


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
    # rows to report after training, from the finished runs (a comparison's metrics); None: no rows
    summarize: Callable[[list["RunState"]], list[dict]] | None = None
    cleanup: bool = False  # drop checkpoint/ and data/ of finished runs, delete unfinished runs


@dataclass
class RunState:
    label: str
    out_dir: str
    strategy: str
    total_steps: int
    status: JobStatus = JobStatus.PENDING  # pending | running | finished | interrupted | failed | skipped
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
        self.status = JobStatus.IDLE
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
                if not k.startswith("_"):  # the lock, and what a subclass keeps for itself
                    setattr(copy_, k, copy.deepcopy(v))
            return copy_

    # updates from the training thread
    def set_status(self, status: JobStatus, error: str | None = None) -> None:
        with self._lock:
            if status == JobStatus.STOPPING and self.status not in ACTIVE:
                return
            self.status = status
            if error is not None:
                self.error = error
            if status not in ACTIVE and status != JobStatus.IDLE:
                self.finished_at = time.time()

    def set_error(self, error: str) -> None:
        with self._lock:
            self.error = error

    def run_started(self, i: int) -> None:
        with self._lock:
            self.current = i
            self.runs[i].status = JobStatus.RUNNING

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
            self.runs[i].status = JobStatus.INTERRUPTED if result.interrupted else JobStatus.FINISHED

    def run_failed(self, i: int, error: str) -> None:
        with self._lock:
            self.runs[i].status = JobStatus.FAILED
            self.runs[i].error = error

    def skip_rest(self, after: int) -> None:
        with self._lock:
            for run in self.runs[after + 1:]:
                if run.status == JobStatus.PENDING:
                    run.status = JobStatus.SKIPPED

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
            if r.status == JobStatus.FINISHED:
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
        later = sum(r.total_steps for r in self.runs[self.current + 1:] if r.status == JobStatus.PENDING)
        return run.progress.eta_s + later * per_step

    def loss_curves(self) -> dict[str, tuple[list[int], list[float]]]:
        return {r.label: (r.steps, r.losses) for r in self.runs if r.steps}

    def val_curves(self) -> dict[str, tuple[list[int], list[float]]]:
        return {r.label: (r.val_steps, r.val_losses) for r in self.runs if r.val_steps}


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
    if run.status == JobStatus.FINISHED:
        for sub in (CHECKPOINT_DIR, "data"):
            shutil.rmtree(out / sub, ignore_errors=True)
    elif not (out / "model.safetensors").exists():
        shutil.rmtree(out, ignore_errors=True)


def run_job(spec: JobSpec, state: JobState, should_stop: Callable[[], bool] = lambda: False) -> JobState:
    """Train the runs of `spec` one after the other, recording everything in `state`; never raises
    for a training problem (the job ends failed with the message instead). Returns `state`."""
    state.set_status(JobStatus.RUNNING)
    outcome = JobStatus.FINISHED
    try:
        first_dir: Path | None = None
        for i, run in enumerate(spec.runs):
            if should_stop():
                outcome = JobStatus.INTERRUPTED
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
                outcome = JobStatus.FAILED
                state.set_error(f"{run.label}: {message}" if len(spec.runs) > 1 else message)
                break
            state.run_finished(i, result)
            first_dir = first_dir or out
            if result.interrupted:
                outcome = JobStatus.INTERRUPTED
                state.skip_rest(i)
                break
        if spec.summarize is not None:
            snap = state.snapshot()
            state.set_rows(spec.summarize([r for r in snap.runs if r.status == JobStatus.FINISHED]))
    except Exception as err:  # noqa: BLE001
        outcome = JobStatus.FAILED
        state.set_error(_error_text(err))
    finally:
        if spec.cleanup:
            for run in state.snapshot().runs:
                _clean_run_dir(run)
        state.set_status(outcome)
    return state


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


def check_corpus_fits(config: TrainConfig) -> None:
    """Refuse, before a job starts, a corpus that is unreadable or too small for one batch (`corpus.check_corpus_size`)."""
    lines = read_lines(config.corpus)
    check_corpus_size(lines[: config.max_lines] if config.max_lines else lines, config.batch_size, config.seq_len)


def single_run_spec(config: TrainConfig, label: str, owner: str = "") -> JobSpec:
    """A one-run job; an unreadable corpus, or one too small for the settings, is refused here (MLMError)."""
    check_corpus_fits(config)
    return JobSpec("train", f"Train {label}", [RunSpec(label, config)], owner=owner, share_data=False, cleanup=False)
