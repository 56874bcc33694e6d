"""Per-length TorchScript traces of a model's encoder, for the one-sentence passes of the fast modes.

On a small model a forward pass is mostly Python: module calls, output-capturing hooks, mask
building. A trace records the tensor operations once and replays them without Python, which
halves the pass of the bundled model (and more when the caches are cold, as after a click in the app).

A trace is only valid for the shapes and the control flow it saw, so it is used only for one
sequence (batch 1) with no padding and no extra inputs, and kept per (length, outputs asked for).
Every new trace is checked once against the eager encoder on a different input of the same length;
a length whose trace disagrees stays eager. Anything else (batches, padding, other arguments)
calls the eager encoder unchanged.

Tracing a length takes 0.1-0.5 s, so by default it happens in a background thread, half a second
after the first pass at a new length (which runs eager): nobody waits for it, and later passes at
that length replay the trace.
"""
from __future__ import annotations

import copy
import threading
import warnings
from collections import OrderedDict

import torch
from transformers.modeling_outputs import BaseModelOutput

MAX_TRACES = 64
TRACE_DELAY_S = 0.5  # a background trace starts this long after the pass that asked for it
CHECK_TOLERANCE = 1e-3  # relative to the largest hidden value; int8/bf16 traces replay the same kernels, so ~0

# Tracing runs in background threads, where warnings.catch_warnings is not safe; silence just the notices it raises.
# torch.jit.trace is deprecated in torch 2.13: if a later torch drops it, _trace fails and every length stays eager.
warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
warnings.filterwarnings("ignore", message=r"`torch\.jit\.trace", category=DeprecationWarning)
warnings.filterwarnings("ignore", message=r"`is_gradient_checkpointing` is deprecated", category=FutureWarning)


class TracedEncoder:
    """Replaces `base.forward` (the encoder of a MaskedLM) with a per-length traced fast path."""

    def __init__(self, base: torch.nn.Module, max_traces: int = MAX_TRACES, background: bool = True):
        self.base = base
        self.eager = type(base).forward.__get__(base)  # the class's own forward, whatever is installed
        self.max_traces = max_traces
        self.background = background
        self.traces: OrderedDict[tuple[int, bool, bool], torch.jit.ScriptModule | None] = OrderedDict()
        self.pending: dict[tuple[int, bool, bool], threading.Timer] = {}
        self.lock = threading.Lock()

    def __deepcopy__(self, memo):
        """A deep copy of the model gets a fresh encoder wrapper with no traces (they hold the old weights)."""
        return TracedEncoder(copy.deepcopy(self.base, memo), self.max_traces, self.background)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the traces being made in the background (benchmarks and tests call this; the app never does)."""
        for thread in list(self.pending.values()):
            thread.join(timeout)

    def install(self) -> "TracedEncoder":
        self.base.forward = self.forward
        return self

    def forward(self, *args, **kwargs):
        key = self._fast_key(args, kwargs)
        if key is None:
            return self.eager(*args, **kwargs)
        input_ids = args[0] if args else kwargs["input_ids"]
        traced = self._trace_for(key, input_ids)
        if traced is None:
            return self.eager(*args, **kwargs)
        last, attentions, hidden = traced(input_ids)
        return BaseModelOutput(last_hidden_state=last, attentions=attentions if key[1] else None,
                               hidden_states=hidden if key[2] else None)

    @staticmethod
    def _fast_key(args, kwargs) -> tuple[int, bool, bool] | None:
        """(length, attentions?, hidden states?) when the call is one unpadded sequence with nothing else; else None."""
        if len(args) > 1 or (args and "input_ids" in kwargs):
            return None
        kwargs = dict(kwargs)
        input_ids = args[0] if args else kwargs.pop("input_ids", None)
        mask = kwargs.pop("attention_mask", None)
        attentions = bool(kwargs.pop("output_attentions", False))
        hidden = bool(kwargs.pop("output_hidden_states", False))
        if kwargs.pop("return_dict", True) is not True or any(v is not None for v in kwargs.values()):
            return None
        if not isinstance(input_ids, torch.Tensor) or input_ids.dim() != 2 or input_ids.shape[0] != 1:
            return None
        if mask is not None and not bool(mask.bool().all()):
            return None
        return int(input_ids.shape[1]), attentions, hidden

    def _trace_for(self, key, input_ids: torch.Tensor):
        """The trace for `key`, or None to run eager (no trace yet, or none possible)."""
        with self.lock:
            if key in self.traces:
                self.traces.move_to_end(key)
                return self.traces[key]
            if self.background:
                if key not in self.pending:
                    # Started a moment later, so that it does not compete (for the GIL) with this pass and the
                    # page drawing its result; not a daemon, since a process exiting mid-trace aborts in torch's C++.
                    timer = threading.Timer(TRACE_DELAY_S, self._trace_and_keep, args=(key, input_ids.clone()))
                    timer.name, timer.daemon = f"trace-encoder-{key[0]}", False
                    self.pending[key] = timer
                    timer.start()
                return None
        return self._trace_and_keep(key, input_ids)

    def _trace_and_keep(self, key, input_ids: torch.Tensor):
        traced = self._trace(key, input_ids)
        with self.lock:
            self.traces[key] = traced
            self.pending.pop(key, None)
            while len(self.traces) > self.max_traces:
                self.traces.popitem(last=False)
        return traced

    def _trace(self, key, input_ids: torch.Tensor):
        _, attentions, hidden = key
        runner = _Runner(self.base, self.eager, attentions, hidden).eval()
        try:
            with torch.no_grad():
                traced = torch.jit.trace(runner, (input_ids,), check_trace=False, strict=False)
                other = input_ids.flip(1)  # same length, different tokens: catches values frozen into the trace
                if not _close(runner(other), traced(other)):
                    return None
        except Exception:  # noqa: BLE001 - a model the tracer cannot follow simply stays eager
            return None
        return traced


class _Runner(torch.nn.Module):
    """The encoder as a function of input_ids only, returning plain tensors and tuples (what a trace can hold)."""

    def __init__(self, base: torch.nn.Module, eager, attentions: bool, hidden: bool):
        super().__init__()
        self.base = base
        self.eager = eager
        self.attentions = attentions
        self.hidden = hidden

    def forward(self, input_ids: torch.Tensor):
        out = self.eager(input_ids=input_ids, attention_mask=torch.ones_like(input_ids),
                         output_attentions=self.attentions, output_hidden_states=self.hidden)
        return out.last_hidden_state, tuple(out.attentions or ()), tuple(out.hidden_states or ())


def _close(a, b) -> bool:
    flat_a = [a[0], *a[1], *a[2]]
    flat_b = [b[0], *b[1], *b[2]]
    if len(flat_a) != len(flat_b):
        return False
    scale = max(float(a[0].float().abs().max()), 1.0)
    return all(x.shape == y.shape and float((x.float() - y.float()).abs().max()) <= CHECK_TOLERANCE * scale
               for x, y in zip(flat_a, flat_b))


def encoder_of(model: torch.nn.Module) -> TracedEncoder | None:
    """The traced encoder installed on `model`, if any."""
    current = getattr(model.base_model.forward, "__self__", None)
    return current if isinstance(current, TracedEncoder) else None


def install_traced_encoder(model: torch.nn.Module, background: bool = True) -> TracedEncoder:
    """Give `model.base_model` the traced fast path (in place; meant for the copies made by `prepare_fast`).
    A model that already has one keeps it."""
    return encoder_of(model) or TracedEncoder(model.base_model, background=background).install()
