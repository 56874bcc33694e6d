"""Choosing a token from a model's scores: greedy, or sampled with a temperature among the top k; seeded.

Both generators use it, so the masked and the causal model choose their tokens by the same rule. The confidence
of a choice is the model's own probability of the chosen token (softmax at temperature 1 over the ids a fill may
offer), whatever the temperature or top-k used to choose it; low-confidence remasking ranks positions by it, as
LLaDA does.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from ..errors import MLMError


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.0  # 0: greedy (the most likely token); above 0: sample from softmax(scores / temperature)
    top_k: int | None = None  # when sampling: only among the k most likely tokens (None: all)


def check_sampling(sampling: Sampling, vocab_size: int) -> None:
    if not 0.0 <= sampling.temperature <= 100.0:  # also refuses NaN
        raise MLMError(f"The temperature must be between 0 (greedy) and 100 (got {sampling.temperature}).")
    if sampling.top_k is not None and not 1 <= sampling.top_k <= vocab_size:
        raise MLMError(f"top-k must be between 1 and {vocab_size} (got {sampling.top_k}).")


def choose(scores: torch.Tensor, sampling: Sampling, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """(chosen ids (M,), their probabilities (M,)) for scores (M, vocab) whose forbidden ids are already -inf."""
    scores = scores.float()
    probs = torch.softmax(scores, dim=-1)
    if sampling.temperature == 0.0:
        chosen = scores.argmax(dim=-1)
    else:
        shaped = scores / sampling.temperature
        if sampling.top_k is not None and sampling.top_k < shaped.shape[-1]:
            kth = shaped.topk(sampling.top_k, dim=-1).values[:, -1:]
            shaped = shaped.masked_fill(shaped < kth, float("-inf"))
        chosen = torch.multinomial(torch.softmax(shaped, dim=-1), 1, generator=generator)[:, 0]
    return chosen, probs.gather(1, chosen[:, None])[:, 0]
