"""Masked-token accuracy and its unigram baseline, and the sense-separation report, on real models."""
from collections import Counter

import pytest
import torch

from mlm_core.embeddings.polysemy_data import items_for
from mlm_core.errors import MLMError
from mlm_core.training.evaluation import masked_token_accuracy, mean_by_layer, sense_report


def test_accuracy_and_baseline_match_a_hand_count(tiny, sample_lines):
    lines = sample_lines[:40]
    acc = masked_token_accuracy(tiny, lines, seq_len=64, max_tokens=2000)
    tok = tiny.tokenizer
    stream = [i for enc in tok.backend_tokenizer.encode_batch(lines, add_special_tokens=False) for i in enc.ids][:2000]
    body = 62
    n_windows = len(stream) // body
    rows = torch.tensor([[tok.cls_token_id] + stream[w * body:(w + 1) * body] + [tok.sep_token_id] for w in range(n_windows)])
    chosen = (torch.rand(rows.shape, generator=torch.Generator().manual_seed(0)) < 0.15)
    chosen[:, 0] = chosen[:, -1] = False
    targets = rows[chosen]
    assert acc.n == len(targets)
    assert acc.n == pytest.approx(0.15 * n_windows * body, rel=0.15)
    common = [t for t, _ in Counter(stream[: n_windows * body]).most_common(5)]
    assert acc.baseline_top1 == pytest.approx(float((targets == common[0]).float().mean()))
    assert acc.baseline_top5 == pytest.approx(float(torch.isin(targets, torch.tensor(common)).float().mean()))
    masked = rows.clone()
    masked[chosen] = tok.mask_token_id
    with torch.no_grad():
        logits = tiny.model(input_ids=masked).logits[chosen]
    logits[:, tok.all_special_ids] = float("-inf")
    assert acc.top1 == pytest.approx(float((logits.argmax(-1) == targets).float().mean()), abs=1e-9)


def test_too_little_text(tiny):
    with pytest.raises(MLMError, match="fewer than 10 tokens"):
        masked_token_accuracy(tiny, ["hi"])


def test_sense_report_has_every_layer(tiny):
    reports = sense_report(tiny, items_for("bank") + items_for("bat"))
    assert [r.word for r in reports] == ["bank", "bat"]
    assert all(len(r.per_layer) == tiny.info.layers + 1 and r.n == 32 for r in reports)
    means = mean_by_layer(reports)
    assert [m[0] for m in means] == list(range(tiny.info.layers + 1))
    assert all(0.0 <= m[1] <= 1.0 for m in means)
