"""`python -m mlm_core`: fill, embed, attention, mask, train, evaluate, experiment, generate (and the views of
`cli_views`: lens, heads, ablate, geometry, pll, score). Errors: one line on stderr, non-zero exit."""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

from .errors import MLMError


def _add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="bundled", help="'bundled' (default), a Hugging Face hub id, or a local directory")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


def _add_precision(p: argparse.ArgumentParser) -> None:
    from .model.precision import PRECISIONS

    p.add_argument("--precision", choices=list(PRECISIONS), default=PRECISIONS[0],
                   help="fp32 (default, exact); bf16 or int8: a faster copy whose results are close to, not equal to, fp32")


def _defaults(cls) -> dict:
    """A dataclass's field defaults (default factories called), so the flags restate no default of the core."""
    out = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
    return out


def build_parser() -> argparse.ArgumentParser:
    from .masking.strategies import MaskingStrategy
    from .training.loop import OBJECTIVES, SCHEDULES, TRAIN_PRECISIONS, TrainConfig

    masking, train = _defaults(MaskingStrategy), _defaults(TrainConfig)
    parser = argparse.ArgumentParser(prog="python -m mlm_core", description="Explore and train masked language models.")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help: str, precision: bool = True) -> argparse.ArgumentParser:
        """A subcommand with `--model` and `--json` (and `--precision` unless the command runs fp32 only)."""
        p = sub.add_parser(name, help=help)
        _add_common(p)
        if precision:
            _add_precision(p)
        return p

    p = command("fill", "predict the masked words of a text ([MASK] or <mask>)")
    p.add_argument("text")
    p.add_argument("--top-k", type=int, default=5)

    p = command("embed", "contextual vectors of a word across sentences")
    p.add_argument("--word", required=True)
    p.add_argument("sentences", nargs="*")
    p.add_argument("--sentences-file")
    p.add_argument("--labels-file", help="one sense label per line; adds per-layer sense-separation numbers")
    p.add_argument("--layer", type=int, default=None,
                   help="layer index (0 = embeddings; default: the model's sense layer (sense-layer), else the last)")

    p = command("sense-layer", "choose the layer that separates word senses best; --write stores it", precision=False)
    p.add_argument("--senses-file", required=True, help="tab-separated table with the columns word, sense, sentence")
    p.add_argument("--write", action="store_true", help="store the choice in the model directory (sense_layer.json)")

    p = command("attention", "attention weights (layers x heads x seq x seq)")
    p.add_argument("text")

    p = command("mask", "show what a masking strategy does to a text", precision=False)
    p.add_argument("text")
    p.add_argument("--strategy", default=masking["name"])
    p.add_argument("--rate", type=float, default=masking["rate"])
    p.add_argument("--seed", type=int, default=0)

    p = command("train", "train a masked LM from scratch or continue one", precision=False)
    p.add_argument("--corpus", nargs="+", required=True)
    p.add_argument("--valid", nargs="*", default=train["valid"],
                   help="validation text files (default: hold out part of the corpus)")
    p.add_argument("--out", required=True)
    p.add_argument("--strategy", default=masking["name"])
    p.add_argument("--rate", type=float, default=masking["rate"])
    p.add_argument("--preset", default=train["preset"])
    p.add_argument("--steps", type=int, default=train["steps"])
    p.add_argument("--batch-size", type=int, default=train["batch_size"])
    p.add_argument("--seq-len", type=int, default=train["seq_len"])
    p.add_argument("--lr", type=float, default=train["lr"])
    p.add_argument("--schedule", choices=list(SCHEDULES), default=train["schedule"],
                   help="linear: warm-up then linear decay to 0; wsd: warm-up, constant, then decay over the last "
                        "--decay-steps (resume with a new --steps to move the end)")
    p.add_argument("--decay-steps", type=int, default=train["decay_steps"],
                   help="wsd: steps of the final decay (default: 20%% of --steps)")
    p.add_argument("--warmup-steps", type=int, default=train["warmup_steps"],
                   help=f"warm-up steps (default: {train['warmup_fraction'] * 100:.0f}%% of --steps)")
    p.add_argument("--vocab-size", type=int, default=train["vocab_size"])
    p.add_argument("--eval-every", type=int, default=train["eval_every"])
    p.add_argument("--save-every", type=int, default=train["save_every"])
    p.add_argument("--seed", type=int, default=train["seed"])
    p.add_argument("--precision", choices=list(TRAIN_PRECISIONS), default=train["precision"])
    p.add_argument("--init-from", default=train["init_from"],
                   help="continue training this checkpoint directory instead of starting from scratch")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run in --out")
    p.add_argument("--fp16-weights", action="store_true", help="save the final weights in fp16")
    p.add_argument("--objective", choices=list(OBJECTIVES), default=train["objective"],
                   help="mlm (default): masked tokens; causal: the next token, left to right (the companion decoder)")
    p.add_argument("--tokenizer-from", default=train["tokenizer_from"],
                   help="use this model directory's tokenizer ('bundled': the bundled model's) instead of training one")

    p = command("evaluate", "masked-token accuracy against a unigram baseline; sense separation")
    p.add_argument("--corpus", help="text file for masked-token accuracy")
    p.add_argument("--labels-file", help="polysemy TSV (word, sense, sentence) for sense separation")
    p.add_argument("--max-tokens", type=int, default=None, help="evaluate at most this many tokens of the corpus")
    p.add_argument("--objective", choices=list(OBJECTIVES), default=None,
                   help="causal: perplexity and next-token accuracy of a causal model (default: from the model's config)")

    from .training.experiments import EXPERIMENTS, MIN_SEEDS_SHIPPED, SHIPPED_DIR, ExperimentSettings

    exp = _defaults(ExperimentSettings)
    p = sub.add_parser("experiment", help="reproduce a shipped masking experiment (curves and metrics as JSON)")
    p.add_argument("name", choices=list(EXPERIMENTS) + ["all"])
    p.add_argument("--seeds", type=int, default=MIN_SEEDS_SHIPPED, help="seeds per condition (0, 1, ...)")
    p.add_argument("--out", default=str(SHIPPED_DIR), help="directory for NAME.json (default: the shipped ones)")
    p.add_argument("--corpus", default=exp["corpus"], help="training text (default: the bundled sample corpus)")
    p.add_argument("--steps", type=int, default=exp["steps"])
    p.add_argument("--vocab-size", type=int, default=exp["vocab_size"])
    p.add_argument("--preset", default=exp["preset"])
    p.add_argument("--max-lines", type=int, default=exp["max_lines"])
    p.add_argument("--eval-points", type=int, default=exp["eval_points"])
    p.add_argument("--train-tokenizer", action="store_true",
                   help="train a new WordPiece vocabulary instead of the shipped one (always with another corpus, "
                        "vocabulary size or --max-lines)")
    p.add_argument("--rates", help="mask-rate only: rates in percent, e.g. 15,30,40,60,80")
    p.add_argument("--shares", help="ablation only: [MASK]/random/kept in percent, e.g. 100/0/0,80/10/10")
    p.add_argument("--jobs", type=int, default=2, help="runs trained side by side, one process each (default 2)")
    p.add_argument("--threads", type=int, default=1,
                   help="torch threads (default 1: on a model this small a second thread costs more than it gives)")
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")

    from .generation.command import add_parser as add_generate

    add_generate(sub)
    from .cli_views import add_parsers

    add_parsers(command)  # lens, heads, ablate, geometry, pll, score
    return parser


def _emit(args, payload: dict, text: str) -> None:
    print(json.dumps(payload) if args.json else text)


def cmd_train(args) -> int:
    from tqdm import tqdm

    from .masking.strategies import MaskingStrategy
    from .training.loop import TrainConfig, train_mlm

    if args.model != "bundled" and not args.init_from:
        args.init_from = args.model
    cfg = TrainConfig(
        corpus=args.corpus, valid=args.valid, out_dir=args.out, preset=args.preset,
        strategy=MaskingStrategy(args.strategy, rate=args.rate), steps=args.steps, batch_size=args.batch_size,
        seq_len=args.seq_len, lr=args.lr, schedule=args.schedule, decay_steps=args.decay_steps,
        warmup_steps=args.warmup_steps, vocab_size=args.vocab_size, eval_every=args.eval_every,
        save_every=args.save_every, seed=args.seed, precision=args.precision, init_from=args.init_from,
        resume=args.resume, fp16_weights=args.fp16_weights, objective=args.objective, tokenizer_from=args.tokenizer_from,
    )
    bar = None
    main_process = os.environ.get("RANK", "0") == "0"  # under torchrun / accelerate launch only rank 0 reports

    def progress(p):
        nonlocal bar
        if not main_process:
            return
        if bar is None:
            bar = tqdm(total=p.total_steps, initial=p.step - 1, unit="step", file=sys.stderr, dynamic_ncols=True)
        bar.update(p.step - bar.n)
        post = {"loss": f"{p.loss:.3f}", "tok/s": f"{p.tokens_per_s:,.0f}"}
        if p.val_loss is not None:
            post["val_loss"] = f"{p.val_loss:.3f}"
        bar.set_postfix(post, refresh=False)


    fresh = not Path(args.out).exists()
    try:
        result = train_mlm(cfg, on_progress=progress, log=lambda m: print(m, file=sys.stderr))
    except BaseException:
        _remove_if_nothing_to_resume(Path(args.out), fresh and main_process)
        raise
    finally:
        if bar is not None:
            bar.close()
    payload = {"out": result.out_dir, "steps": result.steps_done, "interrupted": result.interrupted,
               "loss": result.final_loss, "val_loss": result.val_loss, "val_accuracy": result.val_accuracy,
               "wall_s": round(result.wall_s, 1), "tokens_seen": result.tokens_seen}
    if not main_process:
        return 130 if result.interrupted else 0
    if result.interrupted:
        print(f"Interrupted at step {result.steps_done}; checkpoint saved in {result.out_dir}/checkpoint. "
              f"Run the same command with --resume to continue.", file=sys.stderr)
        _emit(args, payload, f"interrupted at step {result.steps_done}")
        return 130
    _emit(args, payload, f"trained {result.steps_done} steps in {result.wall_s:.0f}s; model saved to {result.out_dir}")
    return 0


def _remove_if_nothing_to_resume(out, created_here: bool) -> None:
    """A training that failed before its first checkpoint leaves nothing behind in a directory it created."""
    import shutil

    from .training.checkpoints import latest_step

    if created_here and out.is_dir() and latest_step(out) is None:
        shutil.rmtree(out, ignore_errors=True)


def _load(args):
    from .model.loading import load_model
    from .model.precision import with_precision

    return with_precision(load_model(args.model), getattr(args, "precision", "fp32"), trace=False)  # one-shot: no gain


def cmd_fill(args) -> int:
    from .inference.analysis import analyze, check_top_k

    lm = _load(args)
    check_top_k(lm, args.top_k)
    result = analyze(lm, args.text, top_k=args.top_k)
    if not result.masks:
        raise MLMError("The text has no mask: write [MASK] (or <mask>) where a word should be predicted.")
    masks = [{"index": m.index, "predictions": [{"token": p.token, "text": p.text, "score": p.score} for p in m.predictions]}
             for m in result.masks]
    lines = []
    for m in masks:
        preds = ", ".join(f"{p['text']} ({p['score']:.3f})" for p in m["predictions"])
        lines.append(f"mask at token {m['index']}: {preds}")
    if len(masks) > 1:
        lines.append("(each mask's distribution is computed independently, with the other masks still masked)")
    _emit(args, {"model": lm.name, "tokens": result.tokens, "masks": masks}, "\n".join(lines))
    return 0


def _read_list_file(path: str, what: str) -> list[str]:
    from .training.corpus import read_text_file

    return [line.strip() for line in read_text_file(path).splitlines() if line.strip()]


def cmd_embed(args) -> int:
    from .embeddings.vectors import word_vectors

    sentences = list(args.sentences)
    if args.sentences_file:
        sentences += _read_list_file(args.sentences_file, "sentences")
    if not sentences:
        raise MLMError("Give sentences as arguments or with --sentences-file.")
    labels = _read_list_file(args.labels_file, "labels") if args.labels_file else None
    if labels is not None and len(labels) != len(sentences):
        raise MLMError(f"--labels-file has {len(labels)} labels for {len(sentences)} sentences; give one label per sentence.")
    lm = _load(args)
    vecs = word_vectors(lm, sentences, args.word)
    n_layers = vecs.vectors.shape[1]
    layer = min(lm.info.default_sense_layer, n_layers - 1) if args.layer is None else args.layer
    if not 0 <= layer < n_layers:
        raise MLMError(f"Layer {layer} is out of range: this model has layers 0..{n_layers - 1} (0 = embeddings).")
    for i, reason in vecs.skipped:
        print(f"warning: sentence {i + 1} skipped: {reason}", file=sys.stderr)
    for note in vecs.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.layer is None and lm.info.sense_layer is not None:
        print(f"note: {lm.info.sense_layer.reason()}", file=sys.stderr)
    payload = {"model": lm.name, "word": args.word, "layer": layer,
               "items": [{"sentence": s, "vector": v.tolist()} for s, v in zip(vecs.sentences, vecs.at_layer(layer))]}
    text = f"{len(vecs.sentences)} vectors of '{args.word}' at layer {layer} (dimension {vecs.vectors.shape[2]})"
    if labels is not None:
        from .embeddings.senses import separation_by_layer

        kept = [labels[i] for i in vecs.indices]
        rows = separation_by_layer(vecs.vectors, kept)
        payload["per_layer"] = [{"layer": r.layer, "silhouette": r.silhouette, "knn_accuracy": r.knn_accuracy} for r in rows]
        text += "\n" + "\n".join(f"layer {r.layer}: silhouette {r.silhouette:.3f}, 1-NN accuracy {r.knn_accuracy:.3f}" for r in rows)
    _emit(args, payload, text)
    return 0


def cmd_attention(args) -> int:
    from .inference.analysis import analyze

    lm = _load(args)
    result = analyze(lm, args.text)
    payload = {"model": lm.name, "tokens": result.tokens, "attentions": result.attentions.round(6).tolist()}
    shape = "x".join(str(d) for d in result.attentions.shape)
    _emit(args, payload, f"attentions: layers x heads x seq x seq = {shape}; tokens: {' '.join(result.tokens)}")
    return 0


def cmd_mask(args) -> int:
    from .masking.masker import mask_text
    from .masking.strategies import MaskingStrategy
    from .model.loading import load_model

    strategy = MaskingStrategy(args.strategy, rate=args.rate)
    lm = load_model(args.model)
    m = mask_text(lm.tokenizer, args.text, strategy, seed=args.seed)
    payload = {"model": lm.name, "strategy": strategy.describe(), "seed": args.seed, "tokens": m.tokens,
               "masked_tokens": m.shown, "actions": m.actions, "labels": m.labels}
    text = " ".join(s if a == "untouched" else f"{s}<{a}:{t}>" for t, s, a in zip(m.tokens, m.shown, m.actions))
    _emit(args, payload, text)
    return 0


def cmd_evaluate(args) -> int:
    from .training.evaluation import evaluate_file, mean_by_layer, sense_report

    if not args.corpus and not args.labels_file:
        raise MLMError("Give --corpus FILE (masked-token accuracy) and/or --labels-file FILE (sense separation).")
    if args.max_tokens is not None and args.max_tokens < 1:
        raise MLMError(f"--max-tokens must be at least 1 (got {args.max_tokens}); leave it out to use the whole corpus.")
    if _evaluate_objective(args) == "causal":
        return _evaluate_causal(args)
    lm = _load(args)
    payload: dict = {"model": lm.name}
    lines = []
    if args.corpus:
        acc = evaluate_file(lm, args.corpus, max_tokens=args.max_tokens)
        payload.update(top1=acc.top1, top5=acc.top5, baseline_top1=acc.baseline_top1, baseline_top5=acc.baseline_top5, n=acc.n)
        lines.append(f"masked-token accuracy on {acc.n} masked tokens: top-1 {acc.top1:.3f}, top-5 {acc.top5:.3f} "
                     f"(unigram baseline: top-1 {acc.baseline_top1:.3f}, top-5 {acc.baseline_top5:.3f})")
    if args.labels_file:
        from .embeddings.polysemy_data import load_polysemy

        reports = sense_report(lm, load_polysemy(args.labels_file))
        payload["senses"] = [{"word": r.word, "n": r.n, "best_layer": r.best.layer, "knn_accuracy": r.best.knn_accuracy,
                              "silhouette": r.best.silhouette,
                              "per_layer": [{"layer": x.layer, "silhouette": x.silhouette, "knn_accuracy": x.knn_accuracy}
                                            for x in r.per_layer]} for r in reports]
        means = mean_by_layer(reports)
        payload["senses_mean_by_layer"] = [{"layer": layer, "knn_accuracy": k, "silhouette": s} for layer, k, s in means]
        for r in reports:
            lines.append(f"{r.word}: best layer {r.best.layer}, 1-NN accuracy {r.best.knn_accuracy:.3f}, silhouette {r.best.silhouette:.3f}")
        best = max(means, key=lambda m: m[1])
        lines.append(f"mean over words: best layer {best[0]}, 1-NN accuracy {best[1]:.3f}, silhouette {best[2]:.3f}")
    _emit(args, payload, "\n".join(lines))
    return 0


def _evaluate_objective(args) -> str:
    """--objective, else what the model directory's config says (a hub id or an unknown config: mlm)."""
    if args.objective:
        return args.objective
    from .model.causal import BUNDLED_CAUSAL, saved_objective
    from .model.loading import local_directory

    if args.model == BUNDLED_CAUSAL:
        return "causal"
    where = local_directory(args.model)
    return (saved_objective(where) if where is not None else None) or "mlm"


def _evaluate_causal(args) -> int:
    from .model.causal import load_causal_model
    from .training.evaluation import evaluate_causal_file

    if args.labels_file or not args.corpus:
        raise MLMError("A causal model is evaluated on --corpus FILE (perplexity, next-token accuracy); "
                       "sense separation (--labels-file) is for masked models.")
    if getattr(args, "precision", "fp32") != "fp32":
        raise MLMError("--precision bf16 / int8 is for masked models; a causal model is evaluated in fp32.")
    lm = load_causal_model(args.model)
    score = evaluate_causal_file(lm, args.corpus, max_tokens=args.max_tokens)
    payload = {"model": lm.name, "objective": "causal", "loss": score.loss, "perplexity": score.perplexity,
               "top1": score.top1, "top5": score.top5, "baseline_top1": score.baseline_top1, "n": score.n}
    _emit(args, payload, f"next-token prediction on {score.n} tokens: perplexity {score.perplexity:.1f} "
                         f"(loss {score.loss:.3f} nats), top-1 {score.top1:.3f}, top-5 {score.top5:.3f} "
                         f"(unigram baseline top-1 {score.baseline_top1:.3f})")
    return 0


def cmd_generate(args) -> int:
    from .generation.command import cmd_generate as run

    return run(args)


def cmd_sense_layer(args) -> int:
    from .embeddings.layer_choice import choose_sense_layer, read_sense_table
    from .model.loading import local_directory
    from .model.sense_layer import write_sense_layer
    from .training.corpus import read_text_file

    table = read_sense_table(read_text_file(args.senses_file), args.senses_file)
    lm = _load(args)
    where = local_directory(args.model)
    if args.write and where is None:
        raise MLMError("--write stores the choice beside the weights; give a local model directory, not a hub id.")
    choice = choose_sense_layer(lm, table, args.senses_file,
                                on_word=lambda w: print(f"embedding '{w}'", file=sys.stderr))
    payload = {"model": lm.name, **asdict(choice)}
    text = choice.reason() + "\n" + "\n".join(f"layer {i}: {k:.3f}" for i, k in enumerate(choice.knn_by_layer))
    if args.write:
        path = write_sense_layer(where, choice)
        payload["written"] = str(path)
        text += f"\nwritten to {path}"
    _emit(args, payload, text)
    return 0


def cmd_experiment(args) -> int:
    import time

    from .training.experiments import EXPERIMENTS, ExperimentSettings, parse_rates, parse_shares, run_experiments
    from .training.presets import get_preset

    exp_defaults = _defaults(ExperimentSettings)
    get_preset(args.preset)
    if args.threads < 1 or args.jobs < 1:
        raise MLMError("--threads and --jobs must be at least 1.")
    shipped_vocab = args.corpus == exp_defaults["corpus"] and args.vocab_size == exp_defaults["vocab_size"] \
        and not args.max_lines and not args.train_tokenizer
    settings = ExperimentSettings(corpus=args.corpus, steps=args.steps, vocab_size=args.vocab_size, preset=args.preset,
                                  max_lines=args.max_lines, eval_points=args.eval_points,
                                  tokenizer=exp_defaults["tokenizer"] if shipped_vocab else None)
    rates = parse_rates(args.rates) if args.rates else None
    shares = parse_shares(args.shares) if args.shares else None
    names = list(EXPERIMENTS) if args.name == "all" else [args.name]
    # run_experiments checks every setting of every experiment (rates, shares, corpus size) before the first run
    t0 = time.perf_counter()
    results = run_experiments(names, seeds=args.seeds, settings=settings, out_dir=args.out, rates=rates, shares=shares,
                              jobs=args.jobs, threads=args.threads, log=lambda m: print(m, file=sys.stderr))
    wall = time.perf_counter() - t0
    payload = []
    for result in results:
        path = os.path.join(args.out, f"{result.name}.json")
        payload.append({"name": result.name, "out": path, "wall_s": round(wall, 1),
                        "runs_wall_s": result.hardware["run_wall_s_total"], "reading": result.reading})
        if not args.json:
            print(f"{result.name}: {len(result.conditions)} conditions x {args.seeds} seeds -> {path} "
                  f"(its runs took {result.hardware['run_wall_s_total']:.0f}s in all; this command {wall:.0f}s)")
            print("\n".join("  " + line for line in result.reading))
    if args.json:
        print(json.dumps(payload))
    return 0


COMMANDS = {"fill": cmd_fill, "embed": cmd_embed, "attention": cmd_attention, "mask": cmd_mask, "train": cmd_train,
            "evaluate": cmd_evaluate, "sense-layer": cmd_sense_layer,
            "experiment": cmd_experiment, "generate": cmd_generate}


def _views() -> dict:
    from .cli_views import COMMANDS as VIEWS

    return {name: (lambda args, fn=fn: fn(args, _load, _emit)) for name, fn in VIEWS.items()}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "true")
    try:
        return (COMMANDS.get(args.command) or _views()[args.command])(args)
    except MLMError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except (OSError, RuntimeError, ValueError) as err:  # last resort: still one line, never a traceback
        print(f"error: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}", file=sys.stderr)
        return 1
