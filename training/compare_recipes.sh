#!/usr/bin/env bash
# Recipe comparison for the bundled model (issue 8): the same tokenizer and tokenized data, the same token budget
# (600 steps x 32 x 128 = 2.46 M tokens), one CPU thread per run, two runs at a time.
# Usage: training/compare_recipes.sh [RECIPE...]   (default: all); results in runs/recipes/<name>/train_log.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
C=../shared/corpora
CORPUS="$C/wikipedia-en-2015-slice/train.txt $C/wikipedia-en-2015-more/train.txt $C/gutenberg-fiction-small/train.txt"
VALID="$C/wikipedia-en-2015-slice/valid.txt $C/gutenberg-fiction-small/valid.txt"
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1
declare -A RECIPES=(
  [A-small-15]="--preset small --rate 0.15"
  [B-small-30]="--preset small --rate 0.30"
  [C-deep-15]="--preset small-deep --rate 0.15"
  [D-wide-15]="--preset small-wide --rate 0.15"
)
shared=runs/recipes/shared
if [ ! -f $shared/data/train.npy ]; then  # tokenize once (deterministic 16k WordPiece), then every run shares it
  python -m mlm_core train --corpus $CORPUS --valid $VALID --out $shared --preset small --steps 1 --save-every 1 > $shared.log 2>&1
fi
names=("$@"); [ ${#names[@]} -gt 0 ] || names=("${!RECIPES[@]}")
for name in "${names[@]}"; do
  d=runs/recipes/$name; mkdir -p $d
  ln -sfn ../shared/tokenizer $d/tokenizer; ln -sfn ../shared/data $d/data
  python -m mlm_core train --corpus $CORPUS --valid $VALID --out $d ${RECIPES[$name]} --steps 600 --eval-every 100 \
    --save-every 100000 > $d.log 2>&1 &
  while [ "$(jobs -rp | wc -l)" -ge 2 ]; do sleep 5; done
done
wait
