"""Issue 8 evaluation of one model directory: every row of the issue's target table.

    python training/eval/run_eval.py MODEL_DIR [--json OUT] [--corpora ../shared/corpora]

Rows computed (see training/eval/README.md for the data sets):
- seed example "I went to the [MASK] to deposit money.": rank and probability of "bank", top 5;
- cloze.tsv: top-1 / top-5 (an accepted answer at rank 1 / within the first 5), overall and per category;
- `python -m mlm_core evaluate --corpus wikitext-2-raw-test/wiki.test.raw --json` (the project's own command);
- sense 1-NN per layer (leave-one-out, cosine, vector of the word = mean of its pieces) on
  senses_natural_select.tsv, senses_natural_test.tsv and senses_demo_heldout.tsv, from the project's own
  `python -m mlm_core embed --word W --sentences-file F --labels-file L --json`, run once per word and set;
  macro (mean over words) and micro (over sentences) averages; the TF-IDF bag-of-words baseline on exactly
  the sentences `embed` kept;
- the default sense layer: best macro 1-NN on senses_natural_select (ties: better micro, then the lower layer),
  and the test sets' numbers at that layer;
- size of model.safetensors (as stored, and what fp16 would take);
- with --latency (informative): latency of one forward pass with hidden states and attentions, 16 tokens, fp32, 2 threads.

The fill-mask rows load the model with transformers directly (no trust_remote_code); this script never imports
`mlm_core` (its modules are being moved); `evaluate` and `embed` run as subprocesses of the project's CLI.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
from sklearn.feature_extraction.text import TfidfVectorizer
from transformers import AutoModelForMaskedLM, AutoTokenizer

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SEED_TEXT = "I went to the [MASK] to deposit money."
SEED_ANSWER = "bank"
SENSE_SETS = {"natural_select": "senses_natural_select.tsv", "natural_test": "senses_natural_test.tsv",
              "demo_heldout": "senses_demo_heldout.tsv"}
TIE_TOLERANCE = 1e-9  # same rule as the project's senses module: ties go to the lowest index
TARGETS = {"cloze_top1": 0.50, "cloze_top5": 0.75, "wikitext_top1": 0.36, "wikitext_top5": 0.55,
           "natural_1nn": 0.92, "natural_margin_over_tfidf": 0.03, "demo_1nn": 0.92, "weights_fp16_mb": 25.0,
           "latency_ms": 15.0}


# ----------------------------------------------------------------------------- fill-mask rows

class MaskedLM:
    def __init__(self, model_dir: str):
        self.tok = AutoTokenizer.from_pretrained(model_dir)
        self.model = AutoModelForMaskedLM.from_pretrained(model_dir, dtype=torch.float32).eval()
        n_out = self.model.get_output_embeddings().weight.shape[0]
        never = torch.zeros(n_out, dtype=torch.bool)
        never[[i for i in self.tok.all_special_ids if i < n_out]] = True
        never[len(self.tok):] = True  # ids past the tokenizer (padded vocabularies)
        self.never = never

    def distribution(self, text: str) -> torch.Tensor:
        """Probabilities (softmax over every output, as the app shows them) at the single mask of `text`."""
        text = text.replace("[MASK]", self.tok.mask_token)
        enc = self.tok(text, return_tensors="pt")
        pos = (enc["input_ids"][0] == self.tok.mask_token_id).nonzero().flatten().tolist()
        if len(pos) != 1:
            raise ValueError(f"expected exactly one mask in {text!r}, found {len(pos)}")
        with torch.inference_mode():
            logits = self.model(**enc).logits[0, pos[0]].float()
        return torch.softmax(logits, dim=-1)

    def ranking(self, probs: torch.Tensor) -> torch.Tensor:
        """Token ids best first, special tokens and padded ids left out."""
        ranked = probs.masked_fill(self.never, -1.0)
        order = torch.argsort(ranked, descending=True, stable=True)
        return order[: int((~self.never).sum())]

    def token_id(self, word: str) -> int:
        ids = self.tok(word, add_special_tokens=False)["input_ids"]
        if len(ids) != 1:
            raise ValueError(f"{word!r} is not one token for this tokenizer: {self.tok.convert_ids_to_tokens(ids)}")
        return ids[0]

    def top(self, probs, order, k=5):
        return [{"token": self.tok.convert_ids_to_tokens(int(i)), "p": round(float(probs[i]), 4)} for i in order[:k]]


def seed_row(lm: MaskedLM) -> dict:
    probs = lm.distribution(SEED_TEXT)
    order = lm.ranking(probs)
    tid = lm.token_id(SEED_ANSWER)
    rank = int((order == tid).nonzero().flatten()[0]) + 1
    return {"text": SEED_TEXT, "answer": SEED_ANSWER, "rank": rank, "p": float(probs[tid]), "top5": lm.top(probs, order)}


def cloze_rows(lm: MaskedLM, path: Path) -> dict:
    items = []
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            answers = r["answers"].split("|")
            probs = lm.distribution(r["sentence"])
            order = lm.ranking(probs)
            pos = {int(t): i + 1 for i, t in enumerate(order[:1000])}
            ranks = [pos.get(lm.token_id(a), 10**6) for a in answers]
            best = min(ranks)
            items.append({"category": r["category"], "sentence": r["sentence"], "answers": answers, "rank": best,
                          "top1": best == 1, "top5": best <= 5, "top": [t["token"] for t in lm.top(probs, order)]})
    out = {"n": len(items), "top1": float(np.mean([i["top1"] for i in items])),
           "top5": float(np.mean([i["top5"] for i in items])), "by_category": {}, "items": items}
    for cat in sorted({i["category"] for i in items}):
        g = [i for i in items if i["category"] == cat]
        out["by_category"][cat] = {"n": len(g), "top1": float(np.mean([i["top1"] for i in g])),
                                   "top5": float(np.mean([i["top5"] for i in g]))}
    return out


def latency_ms(lm: MaskedLM, reps: int = 50) -> dict:
    """Median wall time of one forward pass with hidden states and attentions (what an analysis pass computes),
    16 tokens, fp32, 2 threads. Informative only: the project's own pass adds its bookkeeping."""
    old = torch.get_num_threads()
    torch.set_num_threads(2)
    model = AutoModelForMaskedLM.from_pretrained(lm.model.name_or_path, dtype=torch.float32,
                                                 attn_implementation="eager").eval()  # sdpa cannot return attentions
    try:
        ids = lm.tok("the quick brown fox jumps over the lazy dog and then it [MASK] away home", add_special_tokens=True,
                     return_tensors="pt")["input_ids"][:, :16]
        ids = torch.cat([ids, torch.full((1, 16 - ids.shape[1]), lm.tok.pad_token_id)], dim=1) if ids.shape[1] < 16 else ids
        att = torch.ones_like(ids)
        times = []
        with torch.inference_mode():
            for i in range(reps + 5):
                t0 = time.perf_counter()
                model(input_ids=ids, attention_mask=att, output_hidden_states=True, output_attentions=True)
                if i >= 5:
                    times.append((time.perf_counter() - t0) * 1000)
        return {"median_ms": statistics.median(times), "min_ms": min(times), "tokens": int(ids.shape[1]), "threads": 2}
    finally:
        torch.set_num_threads(old)


# ----------------------------------------------------------------------------- project CLI rows

def run_cli(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-m", "mlm_core", *args], cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"mlm_core {' '.join(args[:1])} failed ({proc.returncode}): {proc.stderr.strip()[-2000:]}")
    return {"json": json.loads(proc.stdout), "stderr": proc.stderr}


def evaluate_row(model_dir: str, corpus: Path, max_tokens: int | None) -> dict:
    args = ["evaluate", "--model", model_dir, "--corpus", str(corpus), "--json"]
    if max_tokens:
        args += ["--max-tokens", str(max_tokens)]
    out = run_cli(args)["json"]
    return {k: out[k] for k in ("top1", "top5", "baseline_top1", "baseline_top5", "n") if k in out}


def read_senses(path: Path) -> dict[str, list[tuple[str, str]]]:
    by_word: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            by_word[r["word"]].append((r["sense"], r["sentence"]))
    return dict(by_word)


def knn_loo(vectors: np.ndarray, labels: list[str]) -> list[bool]:
    """Leave-one-out 1-NN by cosine; zero vectors have similarity 0 to everything; ties go to the lowest index."""
    v = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    unit = np.divide(v, norms, out=np.zeros_like(v), where=norms > 0)
    sims = np.clip(unit @ unit.T, -1.0, 1.0)
    np.fill_diagonal(sims, -np.inf)
    best = sims.max(axis=1, keepdims=True)
    nearest = np.argmax(sims >= best - TIE_TOLERANCE, axis=1)
    return [labels[j] == labels[i] for i, j in enumerate(nearest)]


def word_forms(word: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(word)}(?:s|es|'s|’s)?(?!\w)", re.IGNORECASE)


def tfidf_hits(word: str, sentences: list[str], labels: list[str]) -> list[bool]:
    """Bag-of-words baseline: TF-IDF of the other words (English stop words and the target word removed),
    fitted on the same sentences, leave-one-out 1-NN by cosine."""
    forms = word_forms(word)
    docs = [forms.sub(" ", s) for s in sentences]
    try:
        x = TfidfVectorizer(stop_words="english", lowercase=True).fit_transform(docs).toarray()
    except ValueError:  # empty vocabulary
        x = np.zeros((len(docs), 1))
    return knn_loo(x, labels)


def embed_word(model_dir: str, word: str, rows: list[tuple[str, str]], layer: int | None, tmp: Path) -> dict:
    sents, labs = tmp / f"{word}.sentences.txt", tmp / f"{word}.labels.txt"
    sents.write_text("".join(s + "\n" for _, s in rows), encoding="utf-8")
    labs.write_text("".join(l + "\n" for l, _ in rows), encoding="utf-8")
    args = ["embed", "--model", model_dir, "--word", word, "--sentences-file", str(sents), "--labels-file", str(labs),
            "--json"]
    if layer is not None:
        args += ["--layer", str(layer)]
    res = run_cli(args)
    out, label_of = res["json"], {s: l for l, s in rows}
    kept_sents = [it["sentence"] for it in out["items"]]
    kept_labels = [label_of[s] for s in kept_sents]
    hits = knn_loo(np.array([it["vector"] for it in out["items"]]), kept_labels)
    per_layer = [r["knn_accuracy"] for r in out["per_layer"]]
    # our own 1-NN on the returned vectors must agree with the CLI's number at that layer
    if abs(np.mean(hits) - per_layer[out["layer"]]) > 1e-9:
        raise RuntimeError(f"{word}: 1-NN from the vectors {np.mean(hits):.4f} != embed's {per_layer[out['layer']]:.4f}")
    tf = tfidf_hits(word, kept_sents, kept_labels)
    per_sense = {}
    for sense in sorted(set(kept_labels)):
        idx = [i for i, l in enumerate(kept_labels) if l == sense]
        per_sense[sense] = {"n": len(idx), "knn": float(np.mean([hits[i] for i in idx])),
                            "tfidf": float(np.mean([tf[i] for i in idx]))}
    return {"n": len(kept_sents), "skipped": len(rows) - len(kept_sents), "layer_of_vectors": out["layer"],
            "knn_by_layer": per_layer, "silhouette_by_layer": [r["silhouette"] for r in out["per_layer"]],
            "tfidf": float(np.mean(tf)), "per_sense_at_vector_layer": per_sense,
            "stderr": [l for l in res["stderr"].splitlines() if l.startswith("warning")]}


def aggregate(words: dict) -> dict:
    n_layers = len(next(iter(words.values()))["knn_by_layer"])
    ns = np.array([w["n"] for w in words.values()], dtype=float)
    macro = [float(np.mean([w["knn_by_layer"][l] for w in words.values()])) for l in range(n_layers)]
    micro = [float(np.sum([w["knn_by_layer"][l] * w["n"] for w in words.values()]) / ns.sum()) for l in range(n_layers)]
    tf_macro = float(np.mean([w["tfidf"] for w in words.values()]))
    tf_micro = float(np.sum([w["tfidf"] * w["n"] for w in words.values()]) / ns.sum())
    return {"macro_by_layer": macro, "micro_by_layer": micro, "tfidf_macro": tf_macro, "tfidf_micro": tf_micro,
            "n_sentences": int(ns.sum()), "n_words": len(words)}


def senses_rows(model_dir: str, log) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        sets = {name: read_senses(HERE / fn) for name, fn in SENSE_SETS.items()}
        # 1) the selection set decides the default layer (vectors returned at the last layer)
        words = {}
        for w, rows in sets["natural_select"].items():
            log(f"  embed natural_select {w} ({len(rows)} sentences)")
            words[w] = embed_word(model_dir, w, rows, None, tmp)
        agg = aggregate(words)
        n_layers = len(agg["macro_by_layer"])
        default = max(range(n_layers), key=lambda l: (agg["macro_by_layer"][l], agg["micro_by_layer"][l], -l))
        out["natural_select"] = {"words": words, **agg}
        out["default_layer"] = default
        out["last_layer"] = n_layers - 1
        # 2) the reported sets, with vectors returned at the default layer (per-sense numbers at that layer)
        for name in ("natural_test", "demo_heldout"):
            words = {}
            for w, rows in sets[name].items():
                log(f"  embed {name} {w} ({len(rows)} sentences)")
                words[w] = embed_word(model_dir, w, rows, default, tmp)
            out[name] = {"words": words, **aggregate(words)}
    return out


# ----------------------------------------------------------------------------- weights

def weights_row(model_dir: str) -> dict:
    path = Path(model_dir) / "model.safetensors"
    size = path.stat().st_size
    with open(path, "rb") as f:
        header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
    n_params, dtypes = 0, set()
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        n_params += int(np.prod(meta["shape"]))
        dtypes.add(meta["dtype"])
    return {"file_bytes": size, "file_mb": size / 1e6, "stored_dtypes": sorted(dtypes), "parameters_stored": n_params,
            "fp16_mb": n_params * 2 / 1e6}


# ----------------------------------------------------------------------------- report

def fmt_layers(vals):
    return " ".join(f"{v:.3f}" for v in vals)


def report(res: dict) -> str:
    L = []
    s, c, e, w, sn = res["seed"], res["cloze"], res.get("evaluate"), res["weights"], res["senses"]
    d, last = sn["default_layer"], sn["last_layer"]
    nt, dh, ns = sn["natural_test"], sn["demo_heldout"], sn["natural_select"]
    L.append(f"Model: {res['model_dir']}")
    L.append("")
    L.append("| measure | this model | target |")
    L.append("|---|---|---|")
    L.append(f"| seed \"{SEED_TEXT}\" | bank rank {s['rank']}, {100 * s['p']:.1f}% "
             f"(top 5: {', '.join(t['token'] for t in s['top5'])}) | bank 1st |")
    L.append(f"| cloze ({c['n']} items), top-1 / top-5 | {c['top1']:.3f} / {c['top5']:.3f} | >= 0.50 / >= 0.75 |")
    if e:
        L.append(f"| evaluate wikitext-2-raw-test, top-1 / top-5 | {e['top1']:.3f} / {e['top5']:.3f} ({e['n']} positions) "
                 f"| >= 0.36 / >= 0.55 |")
    L.append(f"| sense 1-NN, natural test ({nt['n_words']} words, {nt['n_sentences']} sentences), default layer {d}, "
             f"macro / micro | {nt['macro_by_layer'][d]:.3f} / {nt['micro_by_layer'][d]:.3f} "
             f"(TF-IDF {nt['tfidf_macro']:.3f} / {nt['tfidf_micro']:.3f}; margin {nt['macro_by_layer'][d] - nt['tfidf_macro']:+.3f}) "
             f"| >= 0.92 and >= TF-IDF + 0.03 |")
    L.append(f"| sense 1-NN, demo held-out ({dh['n_words']} words, {dh['n_sentences']} sentences), default layer {d}, "
             f"macro / micro | {dh['macro_by_layer'][d]:.3f} / {dh['micro_by_layer'][d]:.3f} "
             f"(TF-IDF {dh['tfidf_macro']:.3f}) | >= 0.92 |")
    L.append(f"| weights | {w['file_mb']:.1f} MB as stored ({'/'.join(w['stored_dtypes'])}); fp16: {w['fp16_mb']:.1f} MB "
             f"| <= 25 MB fp16 |")
    if res.get("latency"):
        L.append(f"| forward pass, 16 tokens, fp32, 2 threads (informative, shared CPU) | {res['latency']['median_ms']:.1f} ms median "
                 f"| <= 15 ms |")
    L.append("")
    L.append("Cloze by category (top-1 / top-5): " + "; ".join(
        f"{k} {v['top1']:.3f} / {v['top5']:.3f} (n={v['n']})" for k, v in c["by_category"].items()))
    L.append("")
    L.append(f"Sense 1-NN by layer (0 = embeddings ... {last}); default layer = best macro on natural_select = {d}")
    L.append("| set | macro by layer | micro by layer | TF-IDF macro / micro |")
    L.append("|---|---|---|---|")
    for name in ("natural_select", "natural_test", "demo_heldout"):
        a = sn[name]
        L.append(f"| {name} | {fmt_layers(a['macro_by_layer'])} | {fmt_layers(a['micro_by_layer'])} "
                 f"| {a['tfidf_macro']:.3f} / {a['tfidf_micro']:.3f} |")
    for name in ("natural_test", "demo_heldout"):
        a = sn[name]
        L.append("")
        L.append(f"Per word, {name}: 1-NN at layer {d} / last layer {last} / TF-IDF (n); per sense at layer {d} "
                 f"(model/TF-IDF)")
        L.append("| word | n | layer d | last | TF-IDF | senses |")
        L.append("|---|---|---|---|---|---|")
        for word, r in sorted(a["words"].items()):
            flag = " **TF-IDF wins**" if r["tfidf"] > r["knn_by_layer"][d] + 1e-12 else ""
            senses = ", ".join(f"{k} {v['knn']:.2f}/{v['tfidf']:.2f} (n={v['n']})"
                               for k, v in r["per_sense_at_vector_layer"].items())
            L.append(f"| {word}{flag} | {r['n']} | {r['knn_by_layer'][d]:.3f} | {r['knn_by_layer'][last]:.3f} "
                     f"| {r['tfidf']:.3f} | {senses} |")
    L.append("")
    L.append("Cloze items missed at top-5:")
    for it in c["items"]:
        if not it["top5"]:
            L.append(f"- [{it['category']}] {it['sentence']} -> {', '.join(it['top'])} (accepted: {'|'.join(it['answers'])})")
    return "\n".join(L)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir")
    ap.add_argument("--json", dest="json_out", help="write every number (and per-item detail) to this file")
    ap.add_argument("--corpora", default=str(REPO.parent / "shared" / "corpora"))
    ap.add_argument("--max-tokens", type=int, default=None, help="pass to `evaluate` (quick runs only)")
    ap.add_argument("--skip-evaluate", action="store_true")
    ap.add_argument("--latency", action="store_true",
                    help="also time one forward pass (only meaningful on an otherwise idle machine)")
    args = ap.parse_args()
    model_dir = str(Path(args.model_dir).resolve())
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    t0 = time.time()
    res: dict = {"model_dir": model_dir}
    log("fill-mask rows")
    lm = MaskedLM(model_dir)
    res["seed"] = seed_row(lm)
    res["cloze"] = cloze_rows(lm, HERE / "cloze.tsv")
    res["latency"] = latency_ms(lm) if args.latency else None
    del lm
    res["weights"] = weights_row(model_dir)
    if not args.skip_evaluate:
        log("evaluate on wikitext-2-raw-test")
        res["evaluate"] = evaluate_row(model_dir, Path(args.corpora) / "wikitext-2-raw-test" / "wiki.test.raw",
                                       args.max_tokens)
    log("senses")
    res["senses"] = senses_rows(model_dir, log)
    sn, d = res["senses"], res["senses"]["default_layer"]
    res["summary"] = {
        "seed_bank_rank": res["seed"]["rank"], "seed_bank_p": res["seed"]["p"],
        "cloze_top1": res["cloze"]["top1"], "cloze_top5": res["cloze"]["top5"],
        "wikitext_top1": res.get("evaluate", {}).get("top1"), "wikitext_top5": res.get("evaluate", {}).get("top5"),
        "default_layer": d,
        "natural_test_macro": sn["natural_test"]["macro_by_layer"][d],
        "natural_test_micro": sn["natural_test"]["micro_by_layer"][d],
        "natural_test_tfidf_macro": sn["natural_test"]["tfidf_macro"],
        "natural_test_tfidf_micro": sn["natural_test"]["tfidf_micro"],
        "natural_test_macro_last_layer": sn["natural_test"]["macro_by_layer"][sn["last_layer"]],
        "demo_heldout_macro": sn["demo_heldout"]["macro_by_layer"][d],
        "demo_heldout_micro": sn["demo_heldout"]["micro_by_layer"][d],
        "weights_file_mb": res["weights"]["file_mb"], "weights_fp16_mb": res["weights"]["fp16_mb"],
        "latency_median_ms": res["latency"]["median_ms"] if res["latency"] else None,
        "targets": TARGETS,
    }
    res["wall_s"] = time.time() - t0
    text = report(res)
    print(text)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
