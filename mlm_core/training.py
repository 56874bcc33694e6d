"""Train a small masked LM from scratch (or continue a checkpoint) with any masking strategy.

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

from . import checkpoints
from .checkpoints import CHECKPOINT_DIR, STATE_FILE
from .corpus import read_lines
from .errors import MLMError
from .loading import model_construction
from .masking import MaskingStrategy
from .masking_text import TokenizerMasker
from .presets import get_preset
from .safe_files import disk_error, fault_point, fsync_path, fsync_tree, save_npy_atomic, write_bytes_atomic

LOG_FILE = "train_log.jsonl"
SUMMARY_FILE = "training_summary.json"
VALIDATION_STRATEGY = MaskingStrategy("mask-only", rate=0.15)


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


def _bf16_supported() -> bool:
    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def _encode(tokenizer, lines: list[str]) -> np.ndarray:
    """Concatenate the ids of all lines (no special tokens) into one stream."""
    backend = tokenizer.backend_tokenizer
    chunks = []
    for start in range(0, len(lines), 4096):
        for enc in backend.encode_batch(lines[start:start + 4096], add_special_tokens=False):
            chunks.append(np.asarray(enc.ids, dtype=np.int32))
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int32)


def _to_sequences(stream: np.ndarray, seq_len: int, cls_id: int, sep_id: int) -> np.ndarray:
    body = seq_len - 2
    n = len(stream) // body
    seqs = np.empty((n, seq_len), dtype=np.int32)
    seqs[:, 0], seqs[:, -1] = cls_id, sep_id
    seqs[:, 1:-1] = stream[: n * body].reshape(n, body)
    return seqs


class _Batcher:
    """Deterministic batches: epoch e uses permutation seed+e, so a resumed run sees the same order."""

    def __init__(self, seqs: np.ndarray, batch_size: int, seed: int, rank: int, world: int):
        self.seqs, self.bs, self.seed, self.rank, self.world = seqs, batch_size, seed, rank, world
        self.per_epoch = len(seqs) // (batch_size * world)
        self._perm_epoch, self._perm = -1, None

    def batch(self, step: int) -> torch.Tensor:
        epoch, k = divmod(step, self.per_epoch)
        if epoch != self._perm_epoch:
            self._perm = np.random.default_rng(self.seed + epoch).permutation(len(self.seqs))
            self._perm_epoch = epoch
        start = (k * self.world + self.rank) * self.bs
        return torch.from_numpy(self.seqs[self._perm[start:start + self.bs]].astype(np.int64))


def _adamw(groups, **kwargs) -> torch.optim.AdamW:
    """AdamW with the fused kernel (one pass over all parameters, as the HF Trainer's default uses), else the plain one."""
    try:
        return torch.optim.AdamW(groups, fused=True, **kwargs)
    except (RuntimeError, ValueError):  # a device or dtype the fused kernel does not support
        return torch.optim.AdamW(groups, **kwargs)


def _build_model(tokenizer, config: TrainConfig):
    from transformers import ModernBertConfig, ModernBertForMaskedLM

    preset = get_preset(config.preset)
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
    if tokenizer is not None:
        pass  # keep the run's vocabulary: its checkpoints were trained with it
    elif config.init_from:
        tokenizer = AutoTokenizer.from_pretrained(config.init_from)
        tokenizer.save_pretrained(tokenizer_dir)
    else:
        vocab = config.vocab_size or get_preset(config.preset).vocab_size
        log(f"training a WordPiece tokenizer ({vocab} tokens) on {len(lines):,} lines")
        tokenizer = train_wordpiece(lines, vocab, tokenizer_dir, max_length=max(512, config.seq_len))
    if tokenizer.mask_token_id is None:
        raise MLMError("The tokenizer has no mask token, so it cannot be used for masked-LM training.")
    log("tokenizing the corpus")
    cls_id = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    sep_id = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    train = _to_sequences(_encode(tokenizer, lines), config.seq_len, cls_id, sep_id)
    if config.valid:
        valid = _to_sequences(_encode(tokenizer, read_lines(config.valid)), config.seq_len, cls_id, sep_id)
    else:
        n_val = min(len(train) // 10, config.val_batches * config.batch_size)
        valid, train = train[len(train) - n_val:], train[: len(train) - n_val]
    if len(train) < config.batch_size:
        raise MLMError(
            f"The corpus gives only {len(train)} training sequences of {config.seq_len} tokens, fewer than one "
            f"batch of {config.batch_size}. Give more text, or lower the batch size or sequence length."
        )
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        save_npy_atomic(cached_valid, valid)
        save_npy_atomic(cached, train)  # last: its presence means the cache is complete
    except OSError as err:
        raise disk_error(err, f"write the tokenized corpus to '{data_dir}'") from None
    return tokenizer, train, valid


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
def _validate(model, valid_batches, tokenizer, device) -> tuple[float, float]:
    """(mean loss, top-1 accuracy) at the masked positions; the accuracy ranks only ids a fill may offer."""
    from .token_text import never_offered

    model.eval()
    total_loss, correct, count = 0.0, 0, 0
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


def train_mlm(config: TrainConfig, on_progress: Callable[[TrainProgress], None] | None = None,
              should_stop: Callable[[], bool] | None = None, log: Callable[[str], None] = lambda m: None) -> TrainResult:
    """Train (or resume) and write a save_pretrained model to config.out_dir. See module docstring."""
    from accelerate import Accelerator
    from transformers import AutoModelForMaskedLM

    if config.steps < 1 or config.batch_size < 1 or config.seq_len < 8:
        raise MLMError("steps and batch size must be at least 1 and the sequence length at least 8.")
    if config.schedule not in ("linear", "wsd"):
        raise MLMError(f"Unknown learning-rate schedule '{config.schedule}'; choose 'linear' or 'wsd'.")
    if config.eval_every < 1 or config.save_every < 1:
        raise MLMError("--eval-every and --save-every must be at least 1 step.")
    if config.init_from and Path(config.init_from).is_dir() and not list(Path(config.init_from).glob("*.safetensors")):
        raise MLMError(f"'{config.init_from}' has no safetensors weights; MLM Explorer does not load pickled "
                       "checkpoints (they can run code). Save the model with save_pretrained(safe_serialization=True).")
    out = Path(config.out_dir)
    ckpt = out / CHECKPOINT_DIR
    if config.resume and checkpoints.latest_step(out) is None:
        raise MLMError(f"Nothing to resume: '{out}' holds no complete checkpoint. Start without --resume.")
    if not config.resume and checkpoints.latest_step(out) is not None:
        raise MLMError(f"'{out}' already holds a training run. Pass --resume to continue it, or choose another output directory.")
    out.mkdir(parents=True, exist_ok=True)

    precision = config.precision
    if precision == "auto":
        precision = "bf16" if _bf16_supported() else "fp32"
    # cpu=True on machines without an accelerator also lets several CPU processes (torchrun, mpirun) join up
    no_accelerator = not (torch.cuda.is_available() or torch.backends.mps.is_available())
    # Accelerate only distributes; bf16 is plain autocast, because Accelerate's precision setting is fixed per
    # process and the app and tests train at different precisions in one process.
    accelerator = Accelerator(cpu=no_accelerator)
    autocast = torch.autocast(accelerator.device.type, dtype=torch.bfloat16, enabled=precision == "bf16")
    with accelerator.main_process_first():  # one process tokenizes; the others then read its cache
        if config.resume and accelerator.is_main_process:
            checkpoints.recover(out)  # whatever a kill during a save left: the newest complete checkpoint
        tokenizer, train_seqs, valid_seqs = _prepare_data(config, out, out / "tokenizer", log)
    masker = TokenizerMasker(tokenizer)

    start_step, tokens_seen, state = 0, 0, None
    if config.resume:
        with model_construction():
            model = AutoModelForMaskedLM.from_pretrained(ckpt, dtype=torch.float32)
        state = torch.load(ckpt / STATE_FILE, weights_only=True)
        start_step, tokens_seen = int(state["step"]), int(state["tokens_seen"])
        if start_step >= config.steps and not final_model_complete(out):
            # killed while writing the final model: write it again from the last checkpoint
            history = _read_log(out / LOG_FILE)
            last = history[-1] if history else {}
            _write_final(accelerator, model, tokenizer, config, out, start_step, tokens_seen, last.get("wall_s", 0.0),
                         precision, last.get("val_loss"), last.get("val_accuracy"))
            return TrainResult(str(out), start_step, config.steps, False, last.get("wall_s", 0.0), tokens_seen,
                               last.get("loss_ema", float("nan")), last.get("val_loss"), last.get("val_accuracy"), history)
        if start_step >= config.steps:
            raise MLMError(f"The checkpoint is already at step {start_step}; ask for more than {start_step} steps to continue.")
    elif config.init_from:
        with model_construction():
            model = AutoModelForMaskedLM.from_pretrained(config.init_from, dtype=torch.float32, use_safetensors=True)
    else:
        model = _build_model(tokenizer, config)
    model.train()

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
    model, optimizer = accelerator.prepare(model, optimizer)
    device = accelerator.device

    val_gen = torch.Generator().manual_seed(1234)
    valid_batches = []
    for i in range(0, min(len(valid_seqs), config.val_batches * config.batch_size), config.batch_size):
        ids = torch.from_numpy(valid_seqs[i:i + config.batch_size].astype(np.int64))
        valid_batches.append((ids, masker(ids, VALIDATION_STRATEGY, val_gen)))

    batcher = _Batcher(train_seqs, config.batch_size, config.seed, accelerator.process_index, accelerator.num_processes)
    log_path = out / LOG_FILE
    history: list[dict] = []
    if not config.resume:
        log_path.unlink(missing_ok=True)  # left by a run that never reached a checkpoint
    elif log_path.exists():
        history = [h for h in _read_log(log_path) if h["step"] <= start_step]
        write_bytes_atomic(log_path, "".join(json.dumps(h) + "\n" for h in history).encode())
    prior_wall = history[-1].get("wall_s", 0.0) if history else 0.0
    t0 = time.perf_counter()
    ema = state.get("loss_ema") if state is not None else None  # a resumed curve continues its smoothing
    if ema is None and history:
        ema = history[-1].get("loss_ema")
    interrupted, step = False, start_step
    val_loss = val_acc = None
    tokens_this_run = 0

    def checkpoint():
        _save_checkpoint(accelerator, model, tokenizer, optimizer, scheduler, step, tokens_seen, out, ema)

    try:
        while step < config.steps:
            if should_stop is not None and should_stop():
                interrupted = True
                break
            ids = batcher.batch(step)
            gen = torch.Generator().manual_seed(config.seed * 1_000_003 + step * 97 + accelerator.process_index)
            masked = masker(ids, config.strategy, gen)
            with autocast:
                outputs = model(input_ids=masked.input_ids.to(device), labels=masked.labels.to(device))
            loss = outputs.loss
            accelerator.backward(loss)
            accelerator.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            n_tok = ids.numel() * accelerator.num_processes
            tokens_seen += n_tok
            tokens_this_run += n_tok
            loss_value = float(loss.detach())
            if not math.isfinite(loss_value):
                raise MLMError(f"Training diverged at step {step} (loss is {loss_value}); lower the learning rate.")
            ema = loss_value if ema is None else 0.95 * ema + 0.05 * loss_value
            elapsed = time.perf_counter() - t0
            tps = tokens_this_run / max(elapsed, 1e-9)
            do_eval = step % config.eval_every == 0 or step == config.steps
            if do_eval and valid_batches:
                with autocast:
                    val_loss, val_acc = _validate(model, valid_batches, tokenizer, device)
            if step % 10 == 0 or do_eval or step == start_step + 1:
                record = {"step": step, "loss": loss_value, "loss_ema": ema, "lr": scheduler.get_last_lr()[0],
                          "tokens_per_s": tps, "tokens_seen": tokens_seen, "wall_s": prior_wall + elapsed}
                if do_eval and valid_batches:
                    record.update(val_loss=val_loss, val_accuracy=val_acc)
                history.append(record)
                if accelerator.is_main_process:
                    with log_path.open("a") as fh:
                        fh.write(json.dumps(record) + "\n")
            if on_progress is not None:
                remaining = (config.steps - step) * elapsed / max(step - start_step, 1)
                on_progress(TrainProgress(step, config.steps, ema, tps, prior_wall + elapsed, remaining,
                                          scheduler.get_last_lr()[0], val_loss if do_eval else None, val_acc if do_eval else None))
            if step % config.save_every == 0 and step < config.steps:
                checkpoint()
    except KeyboardInterrupt:
        interrupted = True
    if interrupted:
        checkpoint()
    else:
        checkpoint()
        _write_final(accelerator, model, tokenizer, config, out, step, tokens_seen, prior_wall + time.perf_counter() - t0, precision, val_loss, val_acc)
    accelerator.wait_for_everyone()
    return TrainResult(str(out), step, config.steps, interrupted, prior_wall + time.perf_counter() - t0, tokens_seen,
                       ema if ema is not None else float("nan"), val_loss, val_acc, history)


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
