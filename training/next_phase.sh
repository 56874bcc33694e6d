#!/usr/bin/env bash
# Next phase of the bundled model (issue 8): from training/bundled-next (step 4,300), fresh optimizer, seed 1, at the
# lowest CPU priority so it only takes idle cycles. Usage: training/next_phase.sh [--resume]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .venv/bin/activate ] && . .venv/bin/activate
C=../shared/corpora
export TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1
d=runs/bundled3; mkdir -p $d
init=(--init-from training/bundled-next)
for a in "$@"; do [ "$a" = --resume ] && init=(); done
exec nice -n 19 python -m mlm_core train "${init[@]}" \
  --corpus $C/wikipedia-en-2015-slice/train.txt $C/wikipedia-en-2015-more/train.txt $C/gutenberg-fiction-small/train.txt \
  --valid $C/wikipedia-en-2015-slice/valid.txt $C/gutenberg-fiction-small/valid.txt \
  --out $d --rate 0.30 --batch-size 64 --lr 1.5e-3 --schedule wsd --warmup-steps 200 \
  --eval-every 500 --save-every 250 --fp16-weights --seed 1 --steps 20000 --decay-steps 3000 "$@" >> $d.log 2>&1
