"""Measures of a generated text: the causal model's perplexity, the masked model's pseudo-log-likelihood, and the
repetition rate.

* causal perplexity: exp of the mean negative log-likelihood of the text's tokens, each predicted by the causal
  model from the start token and the tokens before it (natural logs over the whole output layer);
* pseudo-log-likelihood: `inference.scoring.sentence_score` (Salazar et al. 2020, 'original' variant): each token
  masked in turn and scored by the masked model from both sides; with its pseudo-perplexity;
* repetition rate (`repetition_rate`): see there.

The measures read the text as a user sees it, so they tokenize it again.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import torch

from ..errors import MLMError
from ..inference.token_text import display_tokens
from ..model.causal import require_causal, start_id
from ..model.loading import LoadedModel

_WORDS = re.compile(r"\w+|[^\w\s]")


def text_words(text: str) -> list[str]:
    """The words `repetition_rate` counts: lowercased runs of letters and digits, and each other mark alone."""
    return _WORDS.findall((text or "").lower())


def repetition_rate(text: str, n: int = 2) -> float:
    """The share of the text's word n-grams that repeat an n-gram seen earlier in the same text:
    1 - (distinct n-grams) / (all n-grams), Welleck et al. 2020's seq-rep-n. Words are `text_words`. 0.0 means no
    n-gram occurs twice; 'the cat the cat the cat' has 5 bigrams of which 2 are distinct, so its rate is 0.6.
    0.0 for a text of fewer than n words."""
    if n < 1:
        raise MLMError(f"The n-gram length must be at least 1 (got {n}).")
    words = text_words(text)
    grams = [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]
    if not grams:
        return 0.0
    return 1.0 - len(set(grams)) / len(grams)


@dataclass
class CausalScore:
    tokens: list[str]  # raw pieces scored
    token_log_probs: list[float]
    total: float  # nats
    perplexity: float
    texts: list[str] = field(default_factory=list)


@torch.no_grad()
def causal_score(lm: LoadedModel, text: str) -> CausalScore:
    """Log-likelihood and perplexity of a text under a causal model (see the module docstring)."""
    require_causal(lm, "the perplexity's model")
    tok = lm.tokenizer
    ids = list(tok((text or "").strip(), add_special_tokens=False)["input_ids"])
    if not ids:
        raise MLMError("The text is empty: there is nothing to score.")
    if len(ids) + 1 > lm.info.max_tokens:
        raise MLMError(f"The text is {len(ids)} tokens long but {lm.name} reads at most {lm.info.max_tokens - 1} "
                       "after its start token.")
    seq = torch.tensor([[start_id(lm)] + ids])
    logp = torch.log_softmax(lm.model(input_ids=seq).logits[0, :-1].float(), dim=-1)
    scores = logp.gather(1, seq[0, 1:, None])[:, 0].tolist()
    total = float(sum(scores))
    pieces = tok.convert_ids_to_tokens(ids)
    return CausalScore(pieces, scores, total, math.exp(-total / len(scores)), display_tokens(pieces, tok))


@dataclass
class TextMeasures:
    text: str
    causal_log_likelihood: float | None  # nats (None without a causal model)
    causal_perplexity: float | None
    pseudo_log_likelihood: float | None  # nats (None without a masked model)
    pseudo_perplexity: float | None
    repetition_rate: float
    repetition_n: int


def text_measures(text: str, mlm: LoadedModel | None = None, causal: LoadedModel | None = None,
                  n: int = 2) -> TextMeasures:
    """Every measure of one text, with the models given (either may be None)."""
    from ..inference.scoring import sentence_score

    c = causal_score(causal, text) if causal is not None else None
    p = sentence_score(mlm, text) if mlm is not None else None
    return TextMeasures(text, c.total if c else None, c.perplexity if c else None, p.total if p else None,
                        p.pseudo_perplexity if p else None, repetition_rate(text, n), n)
