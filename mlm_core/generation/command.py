"""`python -m mlm_core generate`: the masked model by unmasking beside the causal model left to right, at the same
length, with the measures of both texts."""
from __future__ import annotations

import json
from dataclasses import asdict

from ..errors import MLMError


def add_parser(sub) -> None:
    from .unmask import UnmaskSettings

    defaults = UnmaskSettings()
    p = sub.add_parser("generate", help="generate text both ways: the masked model by unmasking, the causal one left "
                                        "to right, at the same length, with perplexity, PLL and repetition")
    p.add_argument("--mlm", default="bundled", help="the masked model ('bundled', a hub id or a directory)")
    p.add_argument("--causal", default="bundled-causal",
                   help="the causal model ('bundled-causal', a hub id or a directory)")
    p.add_argument("--length", type=int, default=defaults.length, help="tokens to generate (both models)")
    p.add_argument("--steps", type=int, default=None, help="unmasking steps (default: the length, one token a step)")
    p.add_argument("--per-step", type=int, default=None, help="tokens revealed per unmasking step (instead of --steps)")
    p.add_argument("--order", default=defaults.order,
                   help="confidence (low-confidence remasking, LLaDA) or random (MDLM's random order)")
    p.add_argument("--block", type=int, default=None, help="block length: unmask block by block, left to right")
    p.add_argument("--top-k", type=int, default=None, help="sample among the k most likely tokens (with --temperature)")
    p.add_argument("--temperature", type=float, default=defaults.temperature, help="0 (default): greedy")
    p.add_argument("--seed", type=int, default=defaults.seed)
    p.add_argument("--repetition-n", type=int, default=2, help="n of the repetition rate's n-grams")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


def _measures_line(name: str, m) -> str:
    return (f"{name}: causal perplexity {m.causal_perplexity:.1f}, pseudo-log-likelihood {m.pseudo_log_likelihood:.1f} "
            f"nats (pseudo-perplexity {m.pseudo_perplexity:.1f}), repetition rate ({m.repetition_n}-grams) "
            f"{m.repetition_rate:.3f}")


def cmd_generate(args) -> int:
    from ..model.causal import load_causal_model
    from ..model.loading import load_model
    from .left_to_right import causal_generate, check_length
    from .measures import repetition_rate, text_measures
    from .sampling import Sampling
    from .unmask import UnmaskSettings, check_settings, unmask_generate

    settings = UnmaskSettings(length=args.length, steps=args.steps, per_step=args.per_step, order=args.order,
                              block=args.block, temperature=args.temperature, top_k=args.top_k, seed=args.seed)
    if args.length < 1:  # before any model loads
        raise MLMError(f"The generation length must be at least 1 token (got {args.length}).")
    repetition_rate("", args.repetition_n)  # checks n
    mlm = load_model(args.mlm)
    causal = load_causal_model(args.causal)
    check_settings(mlm, settings)  # every setting is checked before anything is generated
    check_length(causal, args.length)
    unmasked = unmask_generate(mlm, settings)
    left = causal_generate(causal, args.length, Sampling(args.temperature, args.top_k), args.seed)
    measures = {"mlm": text_measures(unmasked.text, mlm, causal, args.repetition_n),
                "causal": text_measures(left.text, mlm, causal, args.repetition_n)}
    payload = {
        "length": args.length,
        "mlm": {"model": mlm.name, "text": unmasked.text, "tokens": unmasked.tokens, "settings": asdict(settings),
                "mask_token": unmasked.mask_token, "steps": [asdict(s) for s in unmasked.steps]},
        "causal": {"model": causal.name, "text": left.text, "tokens": left.tokens, "steps": [asdict(s) for s in left.steps]},
        "measures": {k: asdict(v) for k, v in measures.items()},
    }
    if args.json:
        print(json.dumps(payload))
        return 0
    lines = [f"masked model ({mlm.name}), {len(unmasked.steps)} unmasking steps, order {settings.order}:"]
    for s in unmasked.steps:
        lines.append(f"  step {s.index + 1}: revealed {s.revealed}: {' '.join(s.texts)}")
    lines += [f"  -> {unmasked.text}", f"causal model ({causal.name}), left to right:", f"  -> {left.text}",
              _measures_line("unmasked text", measures["mlm"]), _measures_line("left-to-right text", measures["causal"])]
    print("\n".join(lines))
    return 0
