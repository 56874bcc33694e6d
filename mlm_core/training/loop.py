"""Train a small masked LM from scratch (or continue a checkpoint) with any masking strategy; with
`objective="causal"`, its left-to-right companion on the same data and tokenizer (`next_token`, `model.causal`).

Runs on one CPU or, unchanged, on several GPUs/machines under `accelerate launch` or
`torchrun`: the loop uses `accelerate.Accelerator` and shards batches by process rank.
Checkpoints are save_pretrained directories; Ctrl-C or a stop request saves one first.
"""
from __future__ import annotations

import json
import math
import os
import platform
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from ..errors import MLMError
from ..masking.masker import TokenizerMasker
from ..masking.strategies import MaskingStrategy
from ..model.loading import model_construction
from ..model.precision import bf16_supported
from ..safe_files import disk_error, fault_point, fsync_path, fsync_tree, save_npy_atomic, write_bytes_atomic
from ..tokens import encode_windows, never_offered
from . import checkpoints
from .checkpoints import CHECKPOINT_DIR, STATE_FILE
from .corpus import check_corpus_size, read_lines
from .presets import get_preset

LOG_FILE = "train_log.jsonl"
WORD_STARTS = {"train.npy": "train_words.npy", "valid.npy": "valid_words.npy"}  # beside each cached array
SUMMARY_FILE = "training_summary.json"
VALIDATION_STRATEGY = MaskingStrategy("mask-only", rate=0.15)
SCHEDULES = ("linear", "wsd")  # linear: warm-up then linear decay to 0 | wsd: warm-up, constant, linear decay at the end
TRAIN_PRECISIONS = ("auto", "bf16", "fp32")  # auto: bf16 where the device multiplies it natively (model.precision)
OBJECTIVES = ("mlm", "causal")  # mlm: masked tokens (the strategy) | causal: the next token, left to right (next_token)


@dataclass
class TrainConfig:
    corpus: list[str]
    out_dir: str
    valid: list[str] = field(default_factory=list)
    preset: str = "small"
    strategy: MaskingStrategy = field(default_factory=MaskingStrategy)
    steps: int = 1000
    batch_size: int = 32
    seq_len: int = 128
    lr: float = 1e-3
    warmup_fraction: float = 0.05
    warmup_steps: int | None = None  # overrides warmup_fraction
    schedule: str = "linear"  # linear: warm-up then linear decay to 0 | wsd: warm-up, constant, linear decay at the end
    decay_steps: int | None = None  # wsd: length of the final decay (default: 20% of the steps)
    weight_decay: float = 0.01
    eval_every: int = 200
    save_every: int = 200
    val_batches: int = 16
    seed: int = 0
    vocab_size: int | None = None
    init_from: str | None = None
    resume: bool = False
    fp16_weights: bool = False
    precision: str = "auto"  # auto | bf16 | fp32
    max_lines: int | None = None
    objective: str = "mlm"  # OBJECTIVES; causal trains the companion decoder (model.causal)
    tokenizer_from: str | None = None  # a model directory (or 'bundled') whose tokenizer a new run uses


@dataclass
class TrainProgress:
    step: int
    total_steps: int
    loss: float
    tokens_per_s: float
    elapsed_s: float
    eta_s: float
    lr: float
    val_loss: float | None = None
    val_accuracy: float | None = None


@dataclass
class TrainResult:
    out_dir: str
    steps_done: int
    total_steps: int
    interrupted: bool
    wall_s: float
    tokens_seen: int
    final_loss: float
    val_loss: float | None
    val_accuracy: float | None
    log: list[dict]


class _Batcher:
    """Deterministic batches: epoch e uses permutation seed+e, so a resumed run sees the same order. Each batch comes
    with its word starts (`tokens.encode_windows`) where the run has them, else None."""

    def __init__(self, seqs: np.ndarray, batch_size: int, seed: int, rank: int, world: int,
                 word_starts: np.ndarray | None = None):
        self.seqs, self.bs, self.seed, self.rank, self.world = seqs, batch_size, seed, rank, world
        self.word_starts = word_starts
        self.per_epoch = len(seqs) // (batch_size * world)
        self._perm_epoch, self._perm = -1, None

    def batch(self, step: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        epoch, k = divmod(step, self.per_epoch)
        if epoch != self._perm_epoch:
            self._perm = np.random.default_rng(self.seed + epoch).permutation(len(self.seqs))
            self._perm_epoch = epoch
        start = (k * self.world + self.rank) * self.bs
        rows = self._perm[start:start + self.bs]
        starts = None if self.word_starts is None else torch.from_numpy(np.ascontiguousarray(self.word_starts[rows]))
        return torch.from_numpy(self.seqs[rows].astype(np.int64)), starts


def _adamw(groups, **kwargs) -> torch.optim.AdamW:
    """AdamW with the fused kernel (one pass over all parameters, as the HF Trainer's default uses), else the plain one."""
    try:
        return torch.optim.AdamW(groups, fused=True, **kwargs)
    except (RuntimeError, ValueError):  # a device or dtype the fused kernel does not support
        return torch.optim.AdamW(groups, **kwargs)


def _build_model(tokenizer, config: TrainConfig):
    from transformers import ModernBertConfig, ModernBertForMaskedLM

    preset = get_preset(config.preset)
    if config.objective == "causal":
        from ..model.causal import build_causal_lm

        return build_causal_lm(tokenizer, preset, max(512, config.seq_len), config.seed)
    if preset.hidden % preset.heads:
        raise MLMError("hidden size must be divisible by the number of heads")
    mcfg = ModernBertConfig(
        vocab_size=len(tokenizer), hidden_size=preset.hidden, intermediate_size=preset.intermediate,
        num_hidden_layers=preset.layers, num_attention_heads=preset.heads,
        max_position_embeddings=max(512, config.seq_len), layer_types=["full_attention"] * preset.layers,
        pad_token_id=tokenizer.pad_token_id, cls_token_id=tokenizer.cls_token_id, sep_token_id=tokenizer.sep_token_id,
        bos_token_id=tokenizer.cls_token_id, eos_token_id=tokenizer.sep_token_id, sparse_prediction=True,
    )
    torch.manual_seed(config.seed)
    with model_construction():
        return ModernBertForMaskedLM(mcfg)


def _prepare_data(config: TrainConfig, out: Path, tokenizer_dir: Path, log: Callable[[str], None]):
    """Tokenizer and tokenized sequences, cached in out/data so a resumed run skips this work."""
    from transformers import AutoTokenizer

    from .tokenizer_training import train_wordpiece

    data_dir = out / "data"
    cached, cached_valid = data_dir / "train.npy", data_dir / "valid.npy"
    tokenizer = _saved_tokenizer(tokenizer_dir)
    if tokenizer is not None and cached.exists():
        try:
            return tokenizer, np.load(cached), np.load(cached_valid)
        except (OSError, ValueError, EOFError):
            log("the tokenized-data cache is incomplete (an interrupted write?); tokenizing again")
    lines = read_lines(config.corpus)
    if config.max_lines:
        lines = lines[: config.max_lines]
    check_corpus_size(lines, config.batch_size, config.seq_len)
    if tokenizer is not None:
        pass  # keep the run's vocabulary: its checkpoints were trained with it
    elif config.tokenizer_from:
        tokenizer = AutoTokenizer.from_pretrained(_tokenizer_source(config.tokenizer_from))
        tokenizer.save_pretrained(tokenizer_dir)
    elif config.init_from:
        tokenizer = AutoTokenizer.from_pretrained(config.init_from)
        tokenizer.save_pretrained(tokenizer_dir)
    else:
        vocab = config.vocab_size or get_preset(config.preset).vocab_size
        log(f"training a WordPiece tokenizer ({vocab} tokens) on {len(lines):,} lines")
        tokenizer = train_wordpiece(lines, vocab, tokenizer_dir, max_length=max(512, config.seq_len))
    if tokenizer.mask_token_id is None and config.objective == "mlm":
        raise MLMError("The tokenizer has no mask token, so it cannot be used for masked-LM training.")
    log("tokenizing the corpus")
    train, train_words = encode_windows(tokenizer, lines, config.seq_len)
    if config.valid:
        valid, valid_words = encode_windows(tokenizer, read_lines(config.valid), config.seq_len)
    else:
        n_val = min(len(train) // 10, config.val_batches * config.batch_size)
        cut = len(train) - n_val
        valid, train, valid_words, train_words = train[cut:], train[:cut], train_words[cut:], train_words[:cut]
    if len(train) < config.batch_size:
        raise MLMError(
            f"The corpus is too small for these settings: it gives only {len(train)} training sequences of "
            f"{config.seq_len} tokens, fewer than one batch of {config.batch_size}. Give more text, or lower the batch "
            "size or the sequence length."
        )
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        save_npy_atomic(data_dir / WORD_STARTS["valid.npy"], valid_words)
        save_npy_atomic(data_dir / WORD_STARTS["train.npy"], train_words)
        save_npy_atomic(cached_valid, valid)
        save_npy_atomic(cached, train)  # last: its presence means the cache is complete
    except OSError as err:
        raise disk_error(err, f"write the tokenized corpus to '{data_dir}'") from None
    return tokenizer, train, valid


def _tokenizer_source(name: str) -> str:
    """The directory --tokenizer-from names: 'bundled' is the bundled masked model's (so a causal companion shares
    its vocabulary)."""
    from ..model.loading import BUNDLED, BUNDLED_DIR

    if name == BUNDLED:
        return str(BUNDLED_DIR)
    if not (Path(name) / "tokenizer.json").is_file() and not (Path(name) / "tokenizer_config.json").is_file():
        raise MLMError(f"--tokenizer-from '{name}' holds no saved tokenizer (tokenizer.json).")
    return name


def _word_starts(data_dir: Path, seqs: np.ndarray, name: str = "train.npy") -> np.ndarray | None:
    """The word starts cached beside `name` (written with it), or None for a cache made before they were kept (the
    masker then judges words from the ids alone, which never splits one: `masking.words`)."""
    try:
        starts = np.load(data_dir / WORD_STARTS[name])
    except (OSError, ValueError, EOFError):
        return None
    return starts if starts.shape == seqs.shape and starts.dtype == bool else None


def _saved_tokenizer(tokenizer_dir: Path):
    """The run's own tokenizer when a complete one was saved earlier, else None."""
    from transformers import AutoTokenizer

    if not (tokenizer_dir / "tokenizer.json").is_file():
        return None
    try:
        tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    except (OSError, ValueError):
        return None
    return tokenizer if len(tokenizer) > 10 and tokenizer.mask_token_id is not None else None


def _lr_lambda(total: int, warmup: int, schedule: str = "linear", decay_steps: int | None = None):
    """LR multiplier per step. 'wsd' (warm-up, stable, decay; Hägele et al. 2024) holds the peak until the last
    `decay_steps`, so a long run can be given its end later: resume with a new --steps and only the decay moves."""
    if schedule == "wsd":
        decay = max(1, decay_steps if decay_steps else int(0.2 * total))
        decay_start = max(warmup, total - decay)

        def wsd(step: int) -> float:
            if step < warmup:
                return (step + 1) / warmup
            if step < decay_start:
                return 1.0
            return max(0.0, (total - step) / max(1, total - decay_start))
        return wsd

    def f(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))
    return f


def _save_checkpoint(accelerator, model, tokenizer, optimizer, scheduler, step, tokens_seen, out: Path, loss_ema=None):
    if not accelerator.is_main_process:
        return

    def write(directory: Path) -> None:
        accelerator.unwrap_model(model).save_pretrained(directory, safe_serialization=True)
        tokenizer.save_pretrained(directory)
        torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                    "step": step, "tokens_seen": tokens_seen, "loss_ema": loss_ema}, directory / STATE_FILE)

    try:
        checkpoints.save(out, step, write)
    except OSError as err:
        raise disk_error(err, f"save the checkpoint at step {step} (the previous checkpoint is kept)") from None


@torch.no_grad()
def _validate(model, valid_batches, tokenizer, device, causal: bool = False) -> tuple[float, float]:
    """(mean loss, top-1 accuracy) at the masked positions (causal: of every next token); the accuracy ranks only
    ids a fill may offer."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    if causal:
        from .next_token import next_token_counts

        for ids, result in valid_batches:
            out = model(input_ids=result.input_ids.to(device))
            nll, n, hits = next_token_counts(out.logits, result.labels, tokenizer)
            total_loss, correct, count = total_loss + nll, correct + hits[0], count + n
        model.train()
        return total_loss / max(count, 1), correct / max(count, 1)
    for ids, result in valid_batches:
        out = model(input_ids=result.input_ids.to(device), labels=result.labels.to(device))
        n = int((result.labels != -100).sum())
        total_loss += float(out.loss) * n
        logits = out.logits
        targets = result.labels[result.labels != -100].to(device)
        if logits.dim() == 3:
            logits = logits[result.labels.to(device) != -100]
        banned = never_offered(tokenizer, logits.shape[-1]).to(logits.device)
        correct += int((logits.masked_fill(banned, float("-inf")).argmax(-1) == targets).sum())
        count += n
    model.train()
    return total_loss / max(count, 1), correct / max(count, 1)


def _check_config(config: TrainConfig, out: Path) -> None:
    """Refuse settings that cannot train, and an output directory that does not fit --resume."""
    if config.steps < 1 or config.batch_size < 1 or config.seq_len < 8:
        raise MLMError("steps and batch size must be at least 1 and the sequence length at least 8.")
    if config.schedule not in SCHEDULES:
        raise MLMError(f"Unknown learning-rate schedule '{config.schedule}'; choose " + " or ".join(f"'{s}'" for s in SCHEDULES) + ".")
    if config.eval_every < 1 or config.save_every < 1:
        raise MLMError("--eval-every and --save-every must be at least 1 step.")
    if config.objective not in OBJECTIVES:
        raise MLMError(f"Unknown objective '{config.objective}'; choose " + " or ".join(f"'{o}'" for o in OBJECTIVES) + ".")
    if config.resume:
        from ..model.causal import saved_objective

        saved = saved_objective(out / CHECKPOINT_DIR)
        if saved is not None and saved != config.objective:
            raise MLMError(f"'{out}' holds a run with the {saved} objective; resume it with --objective {saved}.")
    if config.init_from and Path(config.init_from).is_dir() and not list(Path(config.init_from).glob("*.safetensors")):
        raise MLMError(f"'{config.init_from}' has no safetensors weights; MLM Explorer does not load pickled "
                       "checkpoints (they can run code). Save the model with save_pretrained(safe_serialization=True).")
    if config.resume and checkpoints.latest_step(out) is None:
        raise MLMError(f"Nothing to resume: '{out}' holds no complete checkpoint. Start without --resume.")
    if not config.resume and checkpoints.latest_step(out) is not None:
        raise MLMError(f"'{out}' already holds a training run. Pass --resume to continue it, or choose another output directory.")


def _accelerator(precision: str):
    """(accelerator, autocast context, precision actually used: 'bf16' or 'fp32')."""
    from accelerate import Accelerator

    if precision == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
        precision = "bf16" if bf16_supported(device) else "fp32"
    # cpu=True on machines without an accelerator also lets several CPU processes (torchrun, mpirun) join up
    no_accelerator = not (torch.cuda.is_available() or torch.backends.mps.is_available())
    # Accelerate only distributes; bf16 is plain autocast, because Accelerate's precision setting is fixed per
    # process and the app and tests train at different precisions in one process.
    accelerator = Accelerator(cpu=no_accelerator)
    autocast = torch.autocast(accelerator.device.type, dtype=torch.bfloat16, enabled=precision == "bf16")
    return accelerator, autocast, precision


def _model_to_train(config: TrainConfig, out: Path, tokenizer):
    """(model, saved optimizer/scheduler state or None, start step, tokens seen): the checkpoint on --resume,
    `init_from`, or a new model of the preset's size."""
    from transformers import AutoModelForCausalLM, AutoModelForMaskedLM

    auto = AutoModelForCausalLM if config.objective == "causal" else AutoModelForMaskedLM
    if config.resume:
        ckpt = out / CHECKPOINT_DIR
        with model_construction():
            model = auto.from_pretrained(ckpt, dtype=torch.float32)
        state = torch.load(ckpt / STATE_FILE, weights_only=True)
        return model, state, int(state["step"]), int(state["tokens_seen"])
    if config.init_from:
        with model_construction():
            model = auto.from_pretrained(config.init_from, dtype=torch.float32, use_safetensors=True)
        return model, None, 0, 0
    return _build_model(tokenizer, config), None, 0, 0


def _finish_interrupted_final(accelerator, model, tokenizer, config, out, step, tokens_seen, precision) -> TrainResult:
    """A run killed while writing its final model: write it again from the last checkpoint."""
    history = _read_log(out / LOG_FILE)
    last = history[-1] if history else {}
    _write_final(accelerator, model, tokenizer, config, out, step, tokens_seen, last.get("wall_s", 0.0),
                 precision, last.get("val_loss"), last.get("val_accuracy"))
    return TrainResult(str(out), step, config.steps, False, last.get("wall_s", 0.0), tokens_seen,
                       last.get("loss_ema", float("nan")), last.get("val_loss"), last.get("val_accuracy"), history)


def _optimizer(model, config: TrainConfig, state: dict | None):
    """AdamW (no weight decay on biases and norms) and the learning-rate schedule, restored from `state`."""
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = _adamw([{"params": decay, "weight_decay": config.weight_decay},
                        {"params": no_decay, "weight_decay": 0.0}], lr=config.lr, betas=(0.9, 0.98), eps=1e-6)
    warmup = max(1, config.warmup_steps if config.warmup_steps else int(config.warmup_fraction * config.steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, _lr_lambda(config.steps, warmup, config.schedule,
                                                                         config.decay_steps))
    if state is not None:
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
    return optimizer, scheduler


def _validation_batches(valid_seqs: np.ndarray, masker: TokenizerMasker, config: TrainConfig) -> list:
    """The held-out batches, masked once with a fixed seed, so every evaluation scores the same positions."""
    val_gen = torch.Generator().manual_seed(1234)
    batches = []
    for i in range(0, min(len(valid_seqs), config.val_batches * config.batch_size), config.batch_size):
        ids = torch.from_numpy(valid_seqs[i:i + config.batch_size].astype(np.int64))
        batches.append((ids, masker(ids, VALIDATION_STRATEGY, val_gen)))
    return batches


def _history(log_path: Path, resume: bool, start_step: int) -> list[dict]:
    """The log records the run continues from: none for a new run (a log left without a checkpoint is removed),
    the records up to the checkpoint's step on --resume (the log is rewritten to them)."""
    if not resume:
        log_path.unlink(missing_ok=True)  # left by a run that never reached a checkpoint
        return []
    if not log_path.exists():
        return []
    history = [h for h in _read_log(log_path) if h["step"] <= start_step]
    write_bytes_atomic(log_path, "".join(json.dumps(h) + "\n" for h in history).encode())
    return history


class _Loop:
    """The state of a training loop between steps: step, tokens, smoothed loss, last validation, log."""

    def __init__(self, config, accelerator, autocast, model, tokenizer, optimizer, scheduler, masker, batcher,
                 valid_batches, out: Path, start_step: int, tokens_seen: int, state: dict | None, history: list[dict]):
        self.config, self.accelerator, self.autocast = config, accelerator, autocast
        self.model, self.tokenizer, self.optimizer, self.scheduler = model, tokenizer, optimizer, scheduler
        self.masker, self.batcher, self.valid_batches, self.out = masker, batcher, valid_batches, out
        self.start_step = self.step = start_step
        self.tokens_seen, self.tokens_this_run = tokens_seen, 0
        self.history, self.log_path = history, out / LOG_FILE
        self.prior_wall = history[-1].get("wall_s", 0.0) if history else 0.0
        self.t0 = time.perf_counter()
        self.ema = state.get("loss_ema") if state is not None else None  # a resumed curve continues its smoothing
        if self.ema is None and history:
            self.ema = history[-1].get("loss_ema")
        self.val_loss = self.val_acc = None

    def wall_s(self) -> float:
        return self.prior_wall + time.perf_counter() - self.t0

    def checkpoint(self) -> None:
        _save_checkpoint(self.accelerator, self.model, self.tokenizer, self.optimizer, self.scheduler, self.step,
                         self.tokens_seen, self.out, self.ema)

    def train_step(self) -> float:
        """One optimiser step on this process's share of the step's batch; returns the loss."""
        accelerator, config = self.accelerator, self.config
        ids, word_starts = self.batcher.batch(self.step)
        gen = torch.Generator().manual_seed(config.seed * 1_000_003 + self.step * 97 + accelerator.process_index)
        masked = self.masker(ids, config.strategy, gen, word_starts=word_starts)
        with self.autocast:
            outputs = self.model(input_ids=masked.input_ids.to(accelerator.device), labels=masked.labels.to(accelerator.device))
        loss = outputs.loss
        accelerator.backward(loss)
        accelerator.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.step += 1
        n_tok = ids.numel() * accelerator.num_processes
        self.tokens_seen += n_tok
        self.tokens_this_run += n_tok
        loss_value = float(loss.detach())
        if not math.isfinite(loss_value):
            raise MLMError(f"Training diverged at step {self.step} (loss is {loss_value}); lower the learning rate.")
        self.ema = loss_value if self.ema is None else 0.95 * self.ema + 0.05 * loss_value
        return loss_value

    def report(self, loss_value: float, on_progress) -> None:
        """Evaluate when due, append to the log (every 10th step, evaluations, the first step) and tell on_progress."""
        config, step = self.config, self.step
        elapsed = time.perf_counter() - self.t0
        tps = self.tokens_this_run / max(elapsed, 1e-9)
        do_eval = step % config.eval_every == 0 or step == config.steps
        if do_eval and self.valid_batches:
            with self.autocast:
                self.val_loss, self.val_acc = _validate(self.model, self.valid_batches, self.tokenizer, self.accelerator.device,
                                                        config.objective == "causal")
        if step % 10 == 0 or do_eval or step == self.start_step + 1:
            record = {"step": step, "loss": loss_value, "loss_ema": self.ema, "lr": self.scheduler.get_last_lr()[0],
                      "tokens_per_s": tps, "tokens_seen": self.tokens_seen, "wall_s": self.prior_wall + elapsed}
            if do_eval and self.valid_batches:
                record.update(val_loss=self.val_loss, val_accuracy=self.val_acc)
            self.history.append(record)
            if self.accelerator.is_main_process:
                with self.log_path.open("a") as fh:
                    fh.write(json.dumps(record) + "\n")
        if on_progress is not None:
            remaining = (config.steps - step) * elapsed / max(step - self.start_step, 1)
            on_progress(TrainProgress(step, config.steps, self.ema, tps, self.prior_wall + elapsed, remaining,
                                      self.scheduler.get_last_lr()[0], self.val_loss if do_eval else None,
                                      self.val_acc if do_eval else None))

    def run(self, on_progress, should_stop) -> bool:
        """Train to config.steps, checkpointing every save_every steps; True when stopped early (Ctrl-C or
        should_stop). Ends with a checkpoint either way."""
        interrupted = False
        try:
            while self.step < self.config.steps:
                if should_stop is not None and should_stop():
                    interrupted = True
                    break
                loss_value = self.train_step()
                self.report(loss_value, on_progress)
                if self.step % self.config.save_every == 0 and self.step < self.config.steps:
                    self.checkpoint()
        except KeyboardInterrupt:
            interrupted = True
        self.checkpoint()
        return interrupted


def train_mlm(config: TrainConfig, on_progress: Callable[[TrainProgress], None] | None = None,
              should_stop: Callable[[], bool] | None = None, log: Callable[[str], None] = lambda m: None) -> TrainResult:
    """Train (or resume) and write a save_pretrained model to config.out_dir. See module docstring."""
    out = Path(config.out_dir)
    _check_config(config, out)
    out.mkdir(parents=True, exist_ok=True)
    accelerator, autocast, precision = _accelerator(config.precision)
    with accelerator.main_process_first():  # one process tokenizes; the others then read its cache
        if config.resume and accelerator.is_main_process:
            checkpoints.recover(out)  # whatever a kill during a save left: the newest complete checkpoint
        tokenizer, train_seqs, valid_seqs = _prepare_data(config, out, out / "tokenizer", log)
    masker = _targets(config, tokenizer)
    model, state, start_step, tokens_seen = _model_to_train(config, out, tokenizer)
    if start_step >= config.steps:
        if not final_model_complete(out):
            return _finish_interrupted_final(accelerator, model, tokenizer, config, out, start_step, tokens_seen, precision)
        raise MLMError(f"The checkpoint is already at step {start_step}; ask for more than {start_step} steps to continue.")
    model.train()
    optimizer, scheduler = _optimizer(model, config, state)
    model, optimizer = accelerator.prepare(model, optimizer)
    valid_batches = _validation_batches(valid_seqs, masker, config)
    batcher = _Batcher(train_seqs, config.batch_size, config.seed, accelerator.process_index, accelerator.num_processes,
                       _word_starts(out / "data", train_seqs))
    history = _history(out / LOG_FILE, config.resume, start_step)
    loop = _Loop(config, accelerator, autocast, model, tokenizer, optimizer, scheduler, masker, batcher, valid_batches,
                 out, start_step, tokens_seen, state, history)
    interrupted = loop.run(on_progress, should_stop)
    if not interrupted:
        _write_final(accelerator, model, tokenizer, config, out, loop.step, loop.tokens_seen, loop.wall_s(), precision,
                     loop.val_loss, loop.val_acc)
    accelerator.wait_for_everyone()
    return TrainResult(str(out), loop.step, config.steps, interrupted, loop.wall_s(), loop.tokens_seen,
                       loop.ema if loop.ema is not None else float("nan"), loop.val_loss, loop.val_acc, loop.history)


def _targets(config: TrainConfig, tokenizer):
    """What a batch is turned into: masked inputs and labels (mlm), or next-token labels (causal, `next_token`)."""
    if config.objective == "causal":
        from .next_token import NextTokenTargets

        return NextTokenTargets(tokenizer)
    return TokenizerMasker(tokenizer)


def final_model_complete(out: str | Path) -> bool:
    """Whether `out` holds a finished model (its weights are moved in last, so their presence says so)."""
    out = Path(out)
    return (out / "config.json").is_file() and (out / "model.safetensors").is_file()


def _read_log(path: Path) -> list[dict]:
    """The records of a train log; a line cut short by a kill is skipped."""
    records = []
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return records
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "step" in record:
            records.append(record)
    return records


def _write_final(accelerator, model, tokenizer, config, out, step, tokens_seen, wall_s, precision, val_loss, val_acc):
    """The finished model: written complete under a staging name, then moved in file by file, weights last."""
    if not accelerator.is_main_process:
        return
    staging = out / ".final.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    unwrapped = accelerator.unwrap_model(model)
    cfg = asdict(config)
    cfg["strategy"] = asdict(config.strategy)
    summary = {
        "config": cfg, "steps": step, "tokens_seen": tokens_seen, "wall_s": round(wall_s, 1), "precision": precision,
        "hardware": {"device": str(accelerator.device), "processes": accelerator.num_processes, "cpu_count": os.cpu_count(),
                     "machine": platform.processor() or platform.machine(), "torch_threads": torch.get_num_threads()},
        "val_loss": val_loss, "val_accuracy": val_acc,
    }
    try:
        if config.fp16_weights:
            unwrapped = unwrapped.half()
        try:
            unwrapped.save_pretrained(staging, safe_serialization=True)
        finally:
            if config.fp16_weights:
                unwrapped.float()
        tokenizer.save_pretrained(staging)
        (staging / SUMMARY_FILE).write_text(json.dumps(summary, indent=2))
        fault_point("final-staged")
        fsync_tree(staging)
        files = sorted(staging.iterdir(), key=lambda p: (p.name == "model.safetensors", p.name))
        for path in files:
            os.replace(path, out / path.name)
            if path.name == "config.json":
                fault_point("final-config-moved")
        fsync_path(out)
    except OSError as err:
        raise disk_error(err, f"write the finished model to '{out}' (the last checkpoint is kept; rerun with --resume)") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
