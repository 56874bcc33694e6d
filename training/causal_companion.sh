#!/usr/bin/env bash
# The causal companion of the bundled MLM (issue 14): same tokenizer, data, size and recipe, left to right, at the
# lowest CPU priority (NICE=2 to give it more). Usage: training/causal_companion.sh [--resume]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f .venv/bin/activate ] && . .venv/bin/activate
C=../shared/corpora
export TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1
d=runs/bundled-causal; mkdir -p $d
exec nice -n "${NICE:-19}" python -m mlm_core train --objective causal --tokenizer-from bundled \
  --corpus $C/wikipedia-en-2015-slice/train.txt $C/gutenberg-fiction-small/train.txt \
  --valid $C/wikipedia-en-2015-slice/valid.txt $C/gutenberg-fiction-small/valid.txt \
  --out $d --preset small --steps 2000 --batch-size 32 --seq-len 128 --lr 1e-3 --schedule wsd --warmup-steps 400 \
  --decay-steps 500 \
  --eval-every 500 --save-every 250 --fp16-weights "$@" >> $d.log 2>&1
