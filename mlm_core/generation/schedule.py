"""Which positions an unmasking run may reveal at each step, and how many: the plan of `unmask`.

The generated text is `length` positions, cut into blocks of `block` positions decoded left to right (LLaDA's
semi-autoregressive sampling; one block when `block` is None or not smaller than the length). Each step works on
one block and reveals a fixed number of its masked positions; a block is finished before the next one starts.

Steps are given either as a total (`steps`) or as the number revealed per step (`per_step`):

* `per_step=k`: every block is revealed k positions a step (its last step reveals what is left).
* `steps=S` (default: `length`, one position a step): every block gets at least one step and the rest go, one at
  a time, to the block with the most positions per step, so the counts are as even as the blocks allow (with
  equal blocks and S a multiple of their number this is LLaDA's `steps / blocks` steps per block). Within a block
  the positions are spread evenly over its steps, the earlier steps revealing one more where it does not divide
  (as LLaDA's `get_num_transfer_tokens`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import MLMError


@dataclass(frozen=True)
class PlannedStep:
    block: int  # index of the block this step works on
    start: int  # the block's first position (0 = the first generated position)
    end: int  # one past its last position
    reveal: int  # positions revealed at this step


def blocks(length: int, block: int | None) -> list[tuple[int, int]]:
    """(start, end) of each block, left to right."""
    if block is not None and block < 1:
        raise MLMError(f"The block length must be at least 1 token (got {block}); leave it out for a single block.")
    size = length if block is None or block >= length else block
    return [(s, min(s + size, length)) for s in range(0, length, size)]


def _even(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def reveal_schedule(length: int, steps: int | None = None, block: int | None = None,
                    per_step: int | None = None) -> list[PlannedStep]:
    """The steps of an unmasking run (see the module docstring); MLMError for settings that cannot be met."""
    if length < 1:
        raise MLMError(f"The generation length must be at least 1 token (got {length}).")
    spans = blocks(length, block)
    if per_step is not None:
        if per_step < 1:
            raise MLMError(f"Each step must reveal at least 1 token (got {per_step}).")
        per_block = [-(-(e - s) // per_step) for s, e in spans]
        if steps is not None and steps != sum(per_block):
            raise MLMError(f"{steps} steps do not fit {per_step} tokens a step over {length} tokens "
                           f"({sum(per_block)} steps do); give the steps or the tokens per step, not both.")
        plan = []
        for b, (s, e) in enumerate(spans):
            left = e - s
            for _ in range(per_block[b]):
                plan.append(PlannedStep(b, s, e, min(per_step, left)))
                left -= per_step
        return plan
    steps = length if steps is None else steps
    if steps < 1:
        raise MLMError(f"The number of steps must be at least 1 (got {steps}).")
    if steps > length:
        raise MLMError(f"{steps} steps for {length} tokens: every step reveals at least one token, "
                       f"so choose at most {length} steps.")
    if steps < len(spans):
        raise MLMError(f"Blocks of {block} tokens cut {length} tokens into {len(spans)} blocks, and each needs a step "
                       f"of its own: choose at least {len(spans)} steps or longer blocks.")
    sizes = [e - s for s, e in spans]
    given = [1] * len(spans)
    for _ in range(steps - len(spans)):
        open_blocks = [b for b in range(len(spans)) if given[b] < sizes[b]]
        best = max(open_blocks, key=lambda b: (sizes[b] / given[b], -b))
        given[best] += 1
    return [PlannedStep(b, s, e, n) for b, (s, e) in enumerate(spans) for n in _even(sizes[b], given[b])]
