"""The shipped left-to-right companion: its files, that it shares the bundled model's tokenizer and size, and that
it learned to predict the next token (on held-out text it never trained on)."""
import json

from mlm_core.model.causal import BUNDLED_CAUSAL_DIR, is_causal, load_causal_model
from mlm_core.model.loading import BUNDLED_DIR
from mlm_core.training.evaluation import evaluate_causal_file
from tests.conftest import SHARED


def test_shipped_companion_is_fp16_safetensors_under_15_mb_with_a_model_card():
    from safetensors import safe_open

    weights = BUNDLED_CAUSAL_DIR / "model.safetensors"
    assert weights.stat().st_size <= 15 * 1024 * 1024
    with safe_open(str(weights), "pt") as f:
        assert {str(f.get_tensor(k).dtype) for k in f.keys()} == {"torch.float16"}
    assert not list(BUNDLED_CAUSAL_DIR.glob("*.bin"))
    assert (BUNDLED_CAUSAL_DIR / "MODEL_CARD.md").exists()


def test_companion_shares_the_bundled_tokenizer_and_size(bundled):
    causal = load_causal_model("bundled-causal")
    assert is_causal(causal) and causal.name == "bundled-causal"
    assert causal.tokenizer.get_vocab() == bundled.tokenizer.get_vocab()
    mine = json.loads((BUNDLED_CAUSAL_DIR / "config.json").read_text())
    theirs = json.loads((BUNDLED_DIR / "config.json").read_text())
    for key in ("hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size", "vocab_size"):
        assert mine[key] == theirs[key], key


def test_companion_predicts_held_out_text_far_better_than_chance(tmp_path):
    causal = load_causal_model("bundled-causal")
    sample = tmp_path / "wiki.txt"
    lines = (SHARED / "wikitext-2-raw-test" / "wiki.test.raw").read_text(encoding="utf-8").splitlines()
    sample.write_text("\n".join(line for line in lines[:400] if line.strip() and not line.startswith(" =")) + "\n")
    score = evaluate_causal_file(causal, str(sample), max_tokens=4000)
    assert score.perplexity < len(causal.tokenizer) / 40  # a uniform guess scores the vocabulary size (16,000)
    assert score.top1 > 2 * score.baseline_top1 and score.top1 > 0.15
