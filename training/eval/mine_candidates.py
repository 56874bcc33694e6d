"""Mine candidate sentences for the natural sense sets (the labels are added by hand afterwards).

For each of the 20 nouns: every sentence of the valid/test splits that holds the word exactly once, then a
seeded random sample of such sentences from the training splits. Writes one TSV per word
(id, source, sentence) to OUT_DIR; nothing here decides a sense.

    python training/eval/mine_candidates.py ../shared/corpora /tmp/cands [--per-word 150] [--seed 0]

wikitext-2-raw-test is never read.
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

WORDS = ["apple", "arm", "bank", "bass", "bow", "chair", "club", "crane", "deck", "digit", "hood", "java", "mole",
         "pitcher", "pound", "seal", "spring", "square", "trunk", "yard"]
HELD_OUT = ["wikipedia-en-2015-slice/valid.txt", "wikipedia-en-2015-slice/test.txt",
            "gutenberg-fiction-small/valid.txt", "gutenberg-fiction-small/test.txt"]
TRAIN = ["wikipedia-en-2015-slice/train.txt", "wikipedia-en-2015-more/train.txt"]
SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z])")


def patterns(word):
    any_form = re.compile(rf"(?<![\w-]){word}(?:s|es|'s|’s)?(?![\w-])", re.I)
    singular = re.compile(rf"(?<![\w-]){word}(?:'s|’s)?(?![\w-])", re.I)
    loose = re.compile(rf"{word}", re.I)
    return any_form, singular, loose


def sentences(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("="):
                continue
            for s in SPLIT.split(line):
                s = s.strip()
                n = len(s.split())
                if 6 <= n <= 50 and len(s) <= 320:
                    yield s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpora")
    ap.add_argument("out")
    ap.add_argument("--per-word", type=int, default=150)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    root, out = Path(args.corpora), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pats = {w: patterns(w) for w in WORDS}
    found = {w: {"held": [], "train": []} for w in WORDS}
    for group, files in (("held", HELD_OUT), ("train", TRAIN)):
        for rel in files:
            for s in sentences(root / rel):
                low = s.lower()
                for w, (any_form, singular, loose) in pats.items():
                    if w not in low:
                        continue
                    # exactly one occurrence of the word in any form, and it is the singular (or possessive)
                    if len(loose.findall(s)) == 1 and len(any_form.findall(s)) == 1 and singular.search(s):
                        found[w][group].append((rel, s))
    rng = random.Random(args.seed)
    for w in WORDS:
        held = found[w]["held"]
        train = list(dict.fromkeys(found[w]["train"]))
        rng.shuffle(train)
        rows = held + train[: max(0, args.per_word - len(held))]
        with open(out / f"{w}.tsv", "w", encoding="utf-8") as f:
            for i, (rel, s) in enumerate(rows):
                f.write(f"{i}\t{rel}\t{s}\n")
        print(f"{w}: {len(held)} held-out, {len(train)} train candidates; wrote {len(rows)}")
        with open(out / f"{w}.train_all.tsv", "w", encoding="utf-8") as f:
            for rel, s in train:
                f.write(f"{rel}\t{s}\n")


if __name__ == "__main__":
    main()
