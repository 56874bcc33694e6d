"""The command line's research views: `lens`, `heads`, `ablate`, `geometry`, `pll` and `score` (see `cli`)."""
from __future__ import annotations

import sys

from .errors import MLMError


def add_parsers(command) -> None:
    """Add the research subcommands through `cli`'s `command(name, help, precision=True)`."""
    p = command("lens", "logit lens: the model's head read after every layer at each mask")
    p.add_argument("text")
    p.add_argument("--top-k", type=int, default=5)

    p = command("heads", "what each attention head attends to (Clark et al. 2019), averaged over sentences")
    p.add_argument("sentences", nargs="*")
    p.add_argument("--sentences-file", help="one sentence per line (default: 200 sentences of the bundled sample)")

    p = command("ablate", "switch attention heads off and compare each mask's top-k", precision=False)
    p.add_argument("text")
    p.add_argument("--heads", required=True, help="LAYER.HEAD pairs, e.g. 2.3,0.1")
    p.add_argument("--top-k", type=int, default=5)

    p = command("geometry", "anisotropy, self-similarity and static share of a word per layer")
    p.add_argument("--word", required=True)
    p.add_argument("sentences", nargs="*")
    p.add_argument("--sentences-file")
    p.add_argument("--centred", action="store_true", help="subtract each layer's mean vector (from a corpus sample) first")

    p = command("pll", "pseudo-log-likelihood of sentences, per token (original or word-l2r)")
    p.add_argument("sentences", nargs="*")
    p.add_argument("--sentences-file")
    p.add_argument("--variant", default="original", help="original (Salazar et al.) or word-l2r (Kauf & Ivanova)")
    p.add_argument("--pair", action="store_true", help="exactly two sentences: which one the model prefers")

    p = command("score", "log-probability of candidate words at a mask (chain rule for several pieces)")
    p.add_argument("text")
    p.add_argument("--words", required=True, help="comma-separated candidates, e.g. bank,shore")
    p.add_argument("--mask", type=int, default=0, help="which mask, 0-based in text order (default 0)")


def _sentences(args, required: bool = True) -> list[str]:
    from .cli import _read_list_file

    sentences = list(getattr(args, "sentences", []) or [])
    if getattr(args, "sentences_file", None):
        sentences += _read_list_file(args.sentences_file, "sentences")
    if required and not sentences:
        raise MLMError("Give sentences as arguments or with --sentences-file.")
    return sentences


def _pred(p) -> dict:
    return {"token": p.token, "text": p.text, "score": p.score}


def cmd_lens(args, load, emit) -> int:
    from .inference.lens import lens_of_text

    lm = load(args)
    lens = lens_of_text(lm, args.text, top_k=args.top_k)
    masks = [{"index": m.index, "final": _pred(m.final),
              "layers": [{"layer": l.layer, "predictions": [_pred(p) for p in l.predictions],
                          "final_rank": l.final_rank, "final_score": l.final_score} for l in m.layers]}
             for m in lens.masks]
    lines = []
    for m in lens.masks:
        lines.append(f"mask at token {m.index} (final answer: {m.final.text})")
        for l in m.layers:
            lines.append(f"  layer {l.layer}: " + ", ".join(f"{p.text} ({p.score:.3f})" for p in l.predictions)
                         + f"  | {m.final.text}: rank {l.final_rank}, p {l.final_score:.3f}")
    lines.append(f"note: {lens.note}")
    emit(args, {"model": lm.name, "tokens": lens.tokens, "masks": masks, "note": lens.note}, "\n".join(lines))
    return 0


def cmd_heads(args, load, emit) -> int:
    from .inference.heads import ROLES, head_roles
    from .sentences import sample_sentences

    sentences = _sentences(args, required=False) or sample_sentences(200)
    lm = load(args)
    r = head_roles(lm, sentences)
    for i, reason in r.skipped:
        print(f"warning: sentence {i + 1} skipped: {reason}", file=sys.stderr)
    dominant = r.dominant()
    payload = {"model": lm.name, "layers": r.layers, "heads": r.heads,
               "roles": {role: r.roles[role].round(6).tolist() for role in ROLES},
               "entropy": r.entropy.round(6).tolist(), "dominant": dominant, "labels": r.labels,
               "sentences": r.sentences, "tokens": r.tokens}
    lines = [f"{r.layers} layers x {r.heads} heads over {r.sentences} sentences ({r.tokens} tokens)"]
    for l in range(r.layers):
        lines.append(f"layer {l}: " + ", ".join(f"H{h} {dominant[l][h]} ({r.entropy[l, h]:.2f} nats)"
                                                for h in range(r.heads)))
    emit(args, payload, "\n".join(lines))
    return 0


def cmd_ablate(args, load, emit) -> int:
    from .inference.analysis import analyze
    from .inference.heads import ablate_heads, check_heads, parse_heads
    from .model.loading import load_model

    lm = load_model(args.model)  # the model's own weights: hooks, no traced copy
    heads = parse_heads(args.heads)
    check_heads(lm, heads)
    a = analyze(lm, args.text, top_k=args.top_k)
    result = ablate_heads(lm, a, heads, top_k=args.top_k)
    masks = [{"index": m.index, "before": [_pred(p) for p in m.before], "after": [_pred(p) for p in m.after],
              "before_after": [{"text": t, "before": b, "after": x} for t, b, x in m.before_after]}
             for m in result.masks]
    off = ", ".join(f"L{l} H{h}" for l, h in result.heads)
    lines = [f"heads off: {off}"]
    for m in result.masks:
        lines.append(f"mask at token {m.index}: " + ", ".join(f"{p.text} ({p.score:.3f})" for p in m.before)
                     + "  ->  " + ", ".join(f"{p.text} ({p.score:.3f})" for p in m.after))
    emit(args, {"model": lm.name, "tokens": a.tokens, "heads": [list(h) for h in result.heads], "masks": masks},
         "\n".join(lines))
    return 0


def cmd_geometry(args, load, emit) -> int:
    from .embeddings.geometry import word_geometry

    sentences = _sentences(args)
    lm = load(args)
    g = word_geometry(lm, args.word, sentences, centred=args.centred)
    for i, reason in g.skipped:
        print(f"warning: sentence {i + 1} skipped: {reason}", file=sys.stderr)
    rows = [{"layer": r.layer, "anisotropy": r.anisotropy, "self_similarity": r.self_similarity,
             "self_similarity_adjusted": r.self_similarity_adjusted, "static_share": r.static_share} for r in g.layers]
    text = "\n".join(f"layer {r.layer}: anisotropy {r.anisotropy:.3f}, self-similarity {r.self_similarity:.3f} "
                     f"(adjusted {r.self_similarity_adjusted:.3f}), static share {r.static_share:.3f}" for r in g.layers)
    emit(args, {"model": lm.name, "word": args.word, "sentences": g.sentences, "centred": g.centred, "layers": rows},
         text)
    return 0


def _score_json(s) -> dict:
    return {"text": s.text, "tokens": s.tokens, "texts": s.texts, "token_scores": s.token_log_probs,
            "total": s.total, "pseudo_perplexity": s.pseudo_perplexity}


def cmd_pll(args, load, emit) -> int:
    from .inference.scoring import check_variant, compare_pair, score_sentences

    variant = check_variant(args.variant)
    sentences = _sentences(args)
    lm = load(args)
    if args.pair:
        pair = compare_pair(lm, sentences, variant)
        scores = [pair.first, pair.second]
    else:
        scores = score_sentences(lm, sentences, variant)
    payload = {"model": lm.name, "variant": variant, "sentences": [_score_json(s) for s in scores]}
    lines = [f"{s.total:.3f} nats (pseudo-perplexity {s.pseudo_perplexity:.2f}): {s.text}" for s in scores]
    if args.pair:
        payload["pair"] = {"preferred": pair.preferred, "difference": pair.difference, "odds": pair.odds}
        lines.append(f"the model prefers sentence {pair.preferred + 1} by {abs(pair.difference):.3f} nats "
                     f"({pair.odds:.1f} times as likely)")
    emit(args, payload, "\n".join(lines))
    return 0


def cmd_score(args, load, emit) -> int:
    from .inference.analysis import analyze, mask_slots, score_targets

    words = [w.strip() for w in args.words.split(",") if w.strip()]
    if not words:
        raise MLMError("Give candidate words with --words, e.g. --words bank,shore.")
    lm = load(args)
    a = analyze(lm, args.text)
    slots = mask_slots(a)
    if not slots:
        raise MLMError("The text has no mask: write [MASK] (or <mask>) where the candidates should go.")
    if not 0 <= args.mask < len(slots):
        raise MLMError(f"There is no mask number {args.mask}: the text has {len(slots)} mask(s), "
                       f"numbered 0..{len(slots) - 1}.")
    slot = slots[args.mask]
    scores = score_targets(lm, a, slot, words)
    rows = [{"word": s.word, "pieces": s.pieces, "log_prob": s.log_prob, "prob": s.prob, "method": s.method}
            for s in scores]
    text = "\n".join(f"{s.word}: log p {s.log_prob:.3f} (p {s.prob:.4f}; {s.method})" for s in scores)
    emit(args, {"model": lm.name, "tokens": a.tokens, "mask": args.mask, "index": slot[0], "scores": rows}, text)
    return 0


COMMANDS = {"lens": cmd_lens, "heads": cmd_heads, "ablate": cmd_ablate, "geometry": cmd_geometry, "pll": cmd_pll,
            "score": cmd_score}
