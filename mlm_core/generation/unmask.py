"""Text from a masked LM by iterative unmasking, as masked-diffusion language models sample (MDLM, Sahoo et al.
2024; LLaDA, Nie et al. 2025).

Start from `[CLS] + [MASK] x length + [SEP]`. At every step the model reads the whole sequence once and predicts a
token at each masked position of the current block (`Sampling`: greedy, or with a temperature and top-k); the step
then reveals the number of positions its plan promises (`schedule.reveal_schedule`) and leaves the other
predictions masked again, so later steps predict them anew with more context:

* order 'confidence' (LLaDA's low-confidence remasking): reveal the predictions the model is surest of (its
  probability of the chosen token, `sampling`), remask the least confident;
* order 'random' (MDLM's sampler, with the number revealed per step fixed instead of drawn): reveal a uniformly
  random set of the masked positions.

A revealed token is never changed again. With `block`, the text is decoded block by block, left to right (LLaDA's
semi-autoregressive mode); positions outside the current block stay masked and are not candidates. Every random
choice draws from one generator seeded with `seed`, so a seed reproduces a run exactly. Every step's state is kept
(`UnmaskStep`), so a page can replay the run step by step.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ..errors import MLMError
from ..inference.analysis import forward_at, offerable
from ..inference.token_text import display_tokens
from ..model.causal import require_masked
from ..model.loading import LoadedModel
from ..tokens import boundary_ids
from .sampling import Sampling, check_sampling, choose
from .schedule import PlannedStep, reveal_schedule

ORDERS = ("confidence", "random")


@dataclass
class UnmaskSettings:
    length: int = 16  # tokens to generate
    steps: int | None = None  # total steps (default: length, one token a step); or give per_step
    per_step: int | None = None  # tokens revealed per step
    order: str = "confidence"  # ORDERS
    block: int | None = None  # block length for block-wise left-to-right decoding (None: one block)
    temperature: float = 0.0  # 0: greedy
    top_k: int | None = None
    seed: int = 0


@dataclass
class UnmaskStep:
    """One step. Positions count the generated tokens from 0 (the start token is not counted)."""

    index: int
    block: int
    block_span: tuple[int, int]  # (start, end) of the block decoded
    revealed: list[int]  # positions fixed at this step, most confident first under order 'confidence'
    remasked: list[int]  # masked positions of the block predicted at this step but left masked
    predicted: list[int | None]  # per position: the id predicted at this step (None: not a candidate)
    confidence: list[float | None]  # per position: the model's probability of that prediction
    token_ids: list[int]  # every position after this step (the mask id where still masked)
    tokens: list[str]  # their raw pieces
    texts: list[str] = field(default_factory=list)  # their display texts


@dataclass
class UnmaskRun:
    settings: UnmaskSettings
    model_name: str
    mask_token: str
    plan: list[PlannedStep]
    steps: list[UnmaskStep]
    token_ids: list[int]  # the generated tokens
    tokens: list[str]
    texts: list[str]
    text: str  # decoded


def max_length(lm: LoadedModel) -> int:
    """The longest text the masked model can generate: its positions less the start and end tokens."""
    return lm.info.max_tokens - 2


def check_settings(lm: LoadedModel, settings: UnmaskSettings) -> list[PlannedStep]:
    """The run's plan, or MLMError for a model of the wrong kind or settings it cannot meet."""
    require_masked(lm, "the unmasking generator's model")
    if not isinstance(settings.length, int) or not 1 <= settings.length <= max_length(lm):
        raise MLMError(f"The generation length must be between 1 and {max_length(lm)} tokens for {lm.name} "
                       f"(it reads at most {lm.info.max_tokens} positions with its start and end tokens); "
                       f"got {settings.length}.")
    if settings.order not in ORDERS:
        raise MLMError(f"Unknown unmasking order '{settings.order}'; choose " + " or ".join(f"'{o}'" for o in ORDERS) + ".")
    check_sampling(Sampling(settings.temperature, settings.top_k), lm.info.vocab_size)
    return reveal_schedule(settings.length, settings.steps, settings.block, settings.per_step)


def _ranked(confidence: torch.Tensor, order: str, generator: torch.Generator) -> list[int]:
    """Candidate indices in the order they are revealed: most confident first (ties: leftmost), or a random order."""
    if order == "confidence":
        return torch.sort(confidence, descending=True, stable=True).indices.tolist()
    return torch.randperm(len(confidence), generator=generator).tolist()


def unmask_generate(lm: LoadedModel, settings: UnmaskSettings) -> UnmaskRun:
    """Generate `settings.length` tokens by iterative unmasking (see the module docstring)."""
    plan = check_settings(lm, settings)
    tok = lm.tokenizer
    mask_id = tok.mask_token_id
    start, end = boundary_ids(tok)
    n = settings.length
    content = [mask_id] * n
    sampling = Sampling(settings.temperature, settings.top_k)
    generator = torch.Generator().manual_seed(settings.seed)
    steps: list[UnmaskStep] = []
    for index, planned in enumerate(plan):
        candidates = [p for p in range(planned.start, planned.end) if content[p] == mask_id]
        ids = torch.tensor([[start] + content + [end]])
        logits, _, _ = forward_at(lm, ids, [(0, p + 1) for p in candidates])
        chosen, confidence = choose(offerable(lm, logits, float("-inf")), sampling, generator)
        order = _ranked(confidence, settings.order, generator)
        reveal = order[:planned.reveal]
        predicted: list[int | None] = [None] * n
        confidences: list[float | None] = [None] * n
        for i, p in enumerate(candidates):
            predicted[p], confidences[p] = int(chosen[i]), float(confidence[i])
        for i in reveal:
            content[candidates[i]] = int(chosen[i])
        revealed = [candidates[i] for i in reveal]
        kept = set(revealed)
        pieces = tok.convert_ids_to_tokens(content)
        steps.append(UnmaskStep(index, planned.block, (planned.start, planned.end), revealed,
                                [p for p in candidates if p not in kept], predicted, confidences, list(content), pieces,
                                display_tokens(pieces, tok)))
    pieces = tok.convert_ids_to_tokens(content)
    return UnmaskRun(settings, lm.name, tok.mask_token, plan, steps, content, pieces, display_tokens(pieces, tok),
                     tok.decode(content, skip_special_tokens=True))
