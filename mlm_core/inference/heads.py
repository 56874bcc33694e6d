"""What each attention head does (Clark et al. 2019, "What Does BERT Look At?") and what switching heads off changes.

`head_roles` averages, over every token of a sample of sentences, the share of each head's attention that
goes to the start token ([CLS] or <s>), the end token ([SEP] or </s>), punctuation, the previous token,
the next token and the token itself, and the attention's entropy (in nats: high = broad, low = focused).
Each query token counts once (the previous / next shares over the tokens that have one). Results are cached
per model and sentence list.

`ablate_heads` reruns an analysed text with some heads switched off (see `model.head_hooks`) and gives each
mask's top-k before and after.
"""
from __future__ import annotations

import hashlib
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
import torch

from ..errors import MLMError
from ..model.head_hooks import heads_off
from ..model.loading import LoadedModel
from ..tokens import boundary_ids, pad_batch, pad_id
from .analysis import Analysis, Prediction, _top_k, forward_at
from .attention_tools import is_punctuation
from .token_text import display_tokens

ROLES = ("cls", "sep", "punctuation", "previous", "next", "self")
DOMINANT_SHARE = 0.4  # a head's dominant role takes at least this share of its attention; below it, 'mixed'
MIXED = "mixed"
CACHE_PER_MODEL = 4
_CACHE: "weakref.WeakKeyDictionary[torch.nn.Module, OrderedDict]" = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


@dataclass
class HeadRoles:
    layers: int
    heads: int
    roles: dict[str, np.ndarray]  # ROLE -> (layers, heads) share of attention
    entropy: np.ndarray  # (layers, heads) mean entropy in nats
    sentences: int  # sentences used
    tokens: int  # query tokens averaged over
    labels: dict[str, str] = field(default_factory=dict)  # ROLE -> what a reader sees ('[CLS]', '<s>', ...)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def dominant(self) -> list[list[str]]:
        """Per head, the role with the largest share when it reaches DOMINANT_SHARE, else 'mixed'."""
        stack = np.stack([self.roles[r] for r in ROLES])  # (roles, layers, heads)
        best = stack.argmax(axis=0)
        return [[ROLES[best[l, h]] if stack[best[l, h], l, h] >= DOMINANT_SHARE else MIXED
                 for h in range(self.heads)] for l in range(self.layers)]


@dataclass
class AblatedMask:
    index: int
    before: list[Prediction]  # the full model's top-k
    after: list[Prediction]  # with the heads off
    before_after: list[tuple[str, float, float]]  # each of `before`'s tokens: (text, probability before, after)


@dataclass
class Ablation:
    heads: list[tuple[int, int]]
    masks: list[AblatedMask]


def role_labels(tokenizer) -> dict[str, str]:
    cls_id, sep_id = boundary_ids(tokenizer)
    names = tokenizer.convert_ids_to_tokens([cls_id, sep_id])
    return {"cls": names[0], "sep": names[1], "punctuation": "punctuation", "previous": "previous token",
            "next": "next token", "self": "itself"}


def _key(sentences: list[str]) -> str:
    return hashlib.sha1("\n".join(sentences).encode("utf-8")).hexdigest()


def _punctuation_ids(lm: LoadedModel, ids: torch.Tensor, special: torch.Tensor) -> torch.Tensor:
    """Bool (batch, seq): pieces that read as punctuation only."""
    flat = ids.flatten().tolist()
    texts = display_tokens(lm.tokenizer.convert_ids_to_tokens(flat), lm.tokenizer)
    punct = torch.tensor([is_punctuation(t) for t in texts], dtype=torch.bool).reshape(ids.shape)
    return punct & ~special


def _batch_sums(att: torch.Tensor, ids: torch.Tensor, mask: torch.Tensor, lm: LoadedModel, special_ids) -> dict:
    """Sums over the batch's query tokens of each role's share and the entropy; att is (layers, B, H, S, S)."""
    valid = mask.bool()
    cls_id, sep_id = boundary_ids(lm.tokenizer)
    special = torch.isin(ids, special_ids) & valid
    targets = {"cls": (ids == cls_id) & valid, "sep": (ids == sep_id) & valid,
               "punctuation": _punctuation_ids(lm, ids, special) & valid}
    q = valid.double()
    sums = {role: torch.einsum("lbhij,bj,bi->lh", att, cols.double(), q) for role, cols in targets.items()}
    later = valid[:, 1:].double()  # query i + 1 has a previous token i; query i has a next token i + 1
    sums["previous"] = (att.diagonal(offset=-1, dim1=-2, dim2=-1) * later[None, :, None]).sum(dim=(1, 3))
    sums["next"] = (att.diagonal(offset=1, dim1=-2, dim2=-1) * later[None, :, None]).sum(dim=(1, 3))
    sums["self"] = (att.diagonal(dim1=-2, dim2=-1) * q[None, :, None]).sum(dim=(1, 3))
    entropy = -(att * torch.log(att.clamp_min(1e-30))).sum(dim=-1)  # (layers, B, H, S)
    sums["entropy"] = (entropy * q[None, :, None]).sum(dim=(1, 3))
    counts = {"rows": float(q.sum()), "neighbours": float(later.sum())}
    return {"sums": sums, "counts": counts}


def head_roles(lm: LoadedModel, sentences: list[str], batch_size: int = 32) -> HeadRoles:
    """Role shares and entropy of every head, averaged over the tokens of `sentences`; cached per model."""
    sentences = [s.strip() for s in sentences if s and s.strip()]
    if not sentences:
        raise MLMError("Give at least one sentence to average the heads over.")
    key = _key(sentences)
    with _LOCK:
        cached = _CACHE.get(lm.model, {}).get(key)
    if cached is not None:
        return cached
    tok = lm.tokenizer
    encs = tok(sentences, truncation=False)["input_ids"]
    skipped = [(i, f"too long ({len(e)} tokens)") for i, e in enumerate(encs) if len(e) > lm.info.max_tokens]
    keep = sorted((i for i, e in enumerate(encs) if len(e) <= lm.info.max_tokens), key=lambda i: len(encs[i]))
    if not keep:
        raise MLMError(f"Every sentence is longer than the {lm.info.max_tokens} tokens {lm.name} reads.")
    special_ids = torch.tensor(sorted(set(tok.all_special_ids)), dtype=torch.long)
    totals: dict[str, torch.Tensor] = {}
    rows = neighbours = 0.0
    for start in range(0, len(keep), batch_size):
        ids, mask = pad_batch([encs[i] for i in keep[start:start + batch_size]], pad_id(tok))
        with torch.inference_mode():
            out = lm.model.base_model(input_ids=ids, attention_mask=mask, output_attentions=True)
        att = torch.stack(out.attentions).double()
        part = _batch_sums(att, ids, mask, lm, special_ids)
        for name, value in part["sums"].items():
            totals[name] = totals[name] + value if name in totals else value
        rows += part["counts"]["rows"]
        neighbours += part["counts"]["neighbours"]
    per = {r: (totals[r] / (neighbours if r in ("previous", "next") else rows)).numpy() for r in ROLES}
    n_layers, n_heads = per["self"].shape
    result = HeadRoles(n_layers, n_heads, per, (totals["entropy"] / rows).numpy(), len(keep), int(rows),
                       role_labels(tok), skipped)
    with _LOCK:
        per_model = _CACHE.setdefault(lm.model, OrderedDict())
        per_model[key] = result
        while len(per_model) > CACHE_PER_MODEL:
            per_model.popitem(last=False)
    return result


def check_heads(lm: LoadedModel, heads) -> dict[int, set[int]]:
    """{layer: {head, ...}} of a list of (layer, head); MLMError naming the ranges for any out of range."""
    n_layers, n_heads = lm.info.layers, lm.info.heads
    chosen: dict[int, set[int]] = {}
    for item in heads:
        layer, head = item
        for value, what, n in ((layer, "Layer", n_layers), (head, "Head", n_heads)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 <= value < n:
                raise MLMError(f"{what} {value} is out of range: this model has {what.lower()}s 0..{n - 1}.")
        chosen.setdefault(int(layer), set()).add(int(head))
    if not chosen:
        raise MLMError("Choose at least one head to switch off.")
    return chosen


def parse_heads(spec: str) -> list[tuple[int, int]]:
    """'2.3,0.1' -> [(2, 3), (0, 1)]: LAYER.HEAD pairs separated by commas."""
    out = []
    for part in (spec or "").replace(" ", "").split(","):
        if not part:
            continue
        layer, sep, head = part.partition(".")
        if not sep or not layer.lstrip("-").isdigit() or not head.lstrip("-").isdigit():
            raise MLMError(f"'{part}' is not a head: write LAYER.HEAD, e.g. 2.3 (layer 2, head 3).")
        out.append((int(layer), int(head)))
    if not out:
        raise MLMError("Choose at least one head to switch off, e.g. 2.3 (layer 2, head 3).")
    return out


def _traced(lm: LoadedModel) -> bool:
    owner = getattr(getattr(lm.model.base_model, "forward", None), "__self__", None)
    return type(owner).__name__ == "TracedEncoder"


def ablate_heads(lm: LoadedModel, analysis: Analysis, heads, top_k: int | None = None) -> Ablation:
    """Each mask's top-k with `heads` (a list of (layer, head)) switched off, beside the full model's; one pass."""
    chosen = check_heads(lm, heads)
    positions = analysis.mask_positions
    if not positions:
        raise MLMError("The text has no mask: mask a word to see what switching heads off changes.")
    if _traced(lm):
        raise MLMError("Head ablation runs on the model's own (fp32) weights, not on a traced fast copy.")
    k = top_k or max(len(m.predictions) for m in analysis.masks)
    with heads_off(lm.model, chosen, lm.info.heads, lm.info.layers):
        logits, _, _ = forward_at(lm, torch.tensor([analysis.token_ids]), [(0, p) for p in positions])
    after = _top_k(lm, logits, k)
    probs = torch.softmax(logits, dim=-1)
    masks = []
    for j, m in enumerate(analysis.masks):
        before = m.predictions[:k]
        moved = [(p.text, p.score, float(probs[j, p.token_id])) for p in before]
        masks.append(AblatedMask(m.index, before, after[j], moved))
    return Ablation(sorted((l, h) for l, hs in chosen.items() for h in hs), masks)
