"""Text from a causal LM, left to right: one token per step, each from the tokens before it.

Starts from the model's start token ([CLS] for the companion: every training window begins with it) and adds
exactly `length` tokens, never a special one (so the text is always as long as asked, like the unmasking run it is
compared with). Tokens are chosen by `sampling.Sampling` (greedy, or temperature and top-k, seeded). The model's
key/value cache carries the left context, so each step reads only the new token.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ..errors import MLMError
from ..inference.analysis import offerable
from ..inference.token_text import display_tokens
from ..model.causal import require_causal, start_id
from ..model.loading import LoadedModel
from .sampling import Sampling, check_sampling, choose


@dataclass
class NextTokenStep:
    index: int  # position of the token (0 = the first generated one)
    token_id: int
    token: str  # raw piece
    text: str  # display text
    probability: float  # the model's probability of it (temperature 1)
    alternatives: list[tuple[str, float]] = field(default_factory=list)  # the most likely tokens (display text, p)


@dataclass
class CausalRun:
    model_name: str
    length: int
    sampling: Sampling
    seed: int
    steps: list[NextTokenStep]
    token_ids: list[int]  # the generated tokens (the start token not included)
    tokens: list[str]
    texts: list[str]
    text: str


def max_length(lm: LoadedModel) -> int:
    """The longest text the causal model can generate: its positions less the start token."""
    return lm.info.max_tokens - 1


def check_length(lm: LoadedModel, length: int) -> None:
    require_causal(lm, "the left-to-right generator's model")
    if not isinstance(length, int) or not 1 <= length <= max_length(lm):
        raise MLMError(f"The generation length must be between 1 and {max_length(lm)} tokens for {lm.name} "
                       f"(it reads at most {lm.info.max_tokens} positions with its start token); got {length}.")


@torch.no_grad()
def causal_generate(lm: LoadedModel, length: int, sampling: Sampling = Sampling(), seed: int = 0,
                    alternatives: int = 5) -> CausalRun:
    """Generate `length` tokens left to right (see the module docstring)."""
    check_length(lm, length)
    check_sampling(sampling, lm.info.vocab_size)
    tok = lm.tokenizer
    generator = torch.Generator().manual_seed(seed)
    step_ids = torch.tensor([[start_id(lm)]])
    cache = None
    generated: list[int] = []
    steps: list[NextTokenStep] = []
    for index in range(length):
        out = lm.model(input_ids=step_ids, past_key_values=cache, use_cache=True)
        cache = out.past_key_values
        scores = offerable(lm, out.logits[:, -1].float(), float("-inf"))
        chosen, probability = choose(scores, sampling, generator)
        token_id = int(chosen[0])
        generated.append(token_id)
        top = torch.softmax(scores[0], dim=-1).topk(alternatives) if alternatives else None
        alts = []
        if top is not None:
            names = display_tokens(tok.convert_ids_to_tokens(top.indices.tolist()), tok)
            alts = [(name, float(p)) for name, p in zip(names, top.values.tolist())]
        piece = tok.convert_ids_to_tokens(token_id)
        steps.append(NextTokenStep(index, token_id, piece, display_tokens([piece], tok)[0], float(probability[0]), alts))
        step_ids = chosen[:, None]
    pieces = tok.convert_ids_to_tokens(generated)
    return CausalRun(lm.name, length, sampling, seed, steps, generated, pieces, display_tokens(pieces, tok),
                     tok.decode(generated, skip_special_tokens=True))
