"""Precision of a loaded model: the choices (`PRECISIONS`), bf16 support, and the opt-in fast copies in bf16 or
with int8 Linear layers.

`prepare_fast(lm, "bf16")` casts every weight to bfloat16 (half the memory traffic; CPUs with
AVX512-BF16 or AMX also multiply faster). `prepare_fast(lm, "int8")` applies PyTorch's dynamic
quantization to every Linear layer, the LM head's decoder included (int8 weights with one scale
per output channel, activations quantized on the fly); embeddings and layer norms stay fp32.
Reading the decoder's weights is much of what a one-mask pass costs at short lengths, so int8 is
the faster mode; bf16 stays closer to fp32. On small models Python overhead dominates instead, so
the copy's encoder also replays per-length traces for one-sentence passes (`traced_encoder`).

`with_precision(lm, "fp32" | "bf16" | "int8")` is what the CLI's and the app's precision choice call.
Both modes return a new LoadedModel; the original stays untouched, and `analyze`, `forward_at` and
`word_vectors` work on the copy unchanged (they only use lm.model, lm.tokenizer and lm.info).
The predictions are close to, not identical with, fp32: compare with `top_k_agreement`.
"""
from __future__ import annotations

import copy
import warnings

import torch

from ..errors import MLMError
from .loading import LoadedModel
from .traced_encoder import install_traced_encoder

MODES = ("bf16", "int8")
PRECISIONS = ("fp32",) + MODES
PRECISION_HELP = {  # agreement measured on the bundled model, 292 masked sentences (python bench/run.py analysis)
    "fp32": "exact (the model's own weights)",
    "bf16": "faster; on the bundled model 99% of the top-10 agree with fp32, probabilities typically within 1%",
    "int8": "fastest; on the bundled model 93% of the top-10 agree with fp32, probabilities typically within 7%",
}


def bf16_supported(device: str = "cpu") -> bool:
    """Whether `device` ('cpu' or 'cuda') multiplies bfloat16 natively; otherwise bf16 only saves memory and may be
    slower. The one answer for the sidebar's bf16 note, the benchmarks and training's precision 'auto'. On a CPU
    it is oneDNN's own check (AVX512-BF16 or AMX)."""
    if device == "cuda":
        return torch.cuda.is_available() and torch.cuda.is_bf16_supported()
    try:
        return bool(torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a torch build without the oneDNN check
        return False


def model_key(name: str, precision: str = "fp32") -> str:
    """The name of a model at a precision: 'bundled' for fp32, 'bundled (int8)' for a fast copy. `prepare_fast`
    names its copies so, and the app passes models around by this key; `split_key` reads it back."""
    return name if precision not in MODES else f"{name} ({precision})"


def split_key(key: str) -> tuple[str, str]:
    """(model name, precision) of a `model_key`."""
    for mode in MODES:
        if key.endswith(f" ({mode})"):
            return key[: -len(mode) - 3], mode
    return key, "fp32"


def prepare_fast(lm: LoadedModel, mode: str = "bf16", trace: bool = True) -> LoadedModel:
    """A copy of `lm` for faster CPU inference: mode 'bf16' (bfloat16 weights) or 'int8' (dynamic int8 Linear layers).

    bf16 stays closer to fp32 than int8; `python bench/run.py analysis` reports the top-10 agreement of both with
    fp32 on the bundled model. trace=True adds the per-length traced encoder, which pays off over repeated passes
    (the app); a one-shot command does better without it."""
    mode = str(mode).strip().lower()
    if mode not in MODES:
        raise MLMError(f"Unknown fast mode '{mode}'.", f"Choose one of: {', '.join(MODES)}.")
    if _is_fast(lm.model):
        raise MLMError(f"{lm.name} is already a bf16 or int8 copy.", "Make the faster copy from the fp32 model.")
    model = copy.deepcopy(lm.model)
    model.eval()
    if mode == "bf16":
        model = model.to(torch.bfloat16)
    else:
        _quantize_linear_layers(model)
    for p in model.parameters():
        p.requires_grad_(False)
    if trace:
        install_traced_encoder(model)
    return LoadedModel(model_key(lm.name, mode), lm.source, model, lm.tokenizer, lm.info, lm.rows_head)


def with_precision(lm: LoadedModel, precision: str = "fp32", trace: bool = True) -> LoadedModel:
    """`lm` itself for 'fp32', else the `prepare_fast` copy in that mode."""
    precision = str(precision).strip().lower()
    if precision == "fp32":
        return lm
    if precision not in PRECISIONS:
        raise MLMError(f"Unknown precision '{precision}'.", f"Choose one of: {', '.join(PRECISIONS)}.")
    return prepare_fast(lm, precision, trace=trace)


def _is_fast(model: torch.nn.Module) -> bool:
    from torch.ao.nn.quantized.dynamic import Linear as DynamicLinear

    return any(p.dtype == torch.bfloat16 for p in model.parameters()) or \
        any(isinstance(m, DynamicLinear) for m in model.modules())


def _quantize_linear_layers(model: torch.nn.Module) -> None:
    """Dynamic int8 quantization of every Linear layer (in place): per-channel int8 weights, fp32 activations in and out."""
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization deprecation notices
        quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8, inplace=True)


def top_k_agreement(reference: list[list[int]], other: list[list[int]]) -> tuple[float, float]:
    """(mean share of the reference's top-k ids that `other` also ranks in its top-k, share of equal top-1)."""
    if len(reference) != len(other) or not reference:
        raise MLMError("Compare the same, non-empty list of predictions.")
    overlap = [len(set(a) & set(b)) / max(len(a), 1) for a, b in zip(reference, other)]
    top1 = [a[:1] == b[:1] for a, b in zip(reference, other)]
    return sum(overlap) / len(overlap), sum(top1) / len(top1)
