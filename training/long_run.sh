#!/usr/bin/env bash
# The long run of the next bundled model (issue 8): small preset (4 x 256), 30% BERT masking, batch 64 x 128,
# lr 1.5e-3 with a warm-up-stable-decay schedule, so the end can be set later: resume with a new --steps and only
# the final --decay-steps move. Usage: training/long_run.sh [--resume] [--steps N --decay-steps D]
set -euo pipefail
cd "$(dirname "$0")/.."
C=../shared/corpora
export TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1
d=runs/bundled2; mkdir -p $d
exec python -m mlm_core train \
  --corpus $C/wikipedia-en-2015-slice/train.txt $C/wikipedia-en-2015-more/train.txt $C/gutenberg-fiction-small/train.txt \
  --valid $C/wikipedia-en-2015-slice/valid.txt $C/gutenberg-fiction-small/valid.txt \
  --out $d --preset small --rate 0.30 --batch-size 64 --lr 1.5e-3 --schedule wsd --warmup-steps 400 \
  --eval-every 500 --save-every 250 --fp16-weights --steps 20000 --decay-steps 3000 "$@" >> $d.log 2>&1
