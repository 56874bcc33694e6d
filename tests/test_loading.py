"""Loading: every family, mask spellings, and each bad-input case gives a clear MLMError."""
import shutil

import pytest

from mlm_core.errors import MLMError
from mlm_core.model.loading import load_model
from tests.conftest import FAMILIES


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_loads_from_a_local_directory(family_dirs, family):
    lm = load_model(str(family_dirs[family]))
    assert lm.source == "local"
    assert lm.info.family == family
    assert lm.info.layers == 2 and lm.info.vocab_size == len(lm.tokenizer) > 1000
    assert lm.info.max_tokens <= 128
    assert lm.model.config._attn_implementation == "eager"
    assert not lm.model.training


def test_both_mask_spellings_become_the_models_mask_token(tiny):
    assert tiny.normalise_masks("a <mask> b [MASK] c [mask]") == "a [MASK] b [MASK] c [MASK]"


def test_missing_directory(tmp_path):
    with pytest.raises(MLMError, match="not a directory"):
        load_model(str(tmp_path / "nope" / "deeper"))


def test_directory_without_config(tmp_path):
    with pytest.raises(MLMError, match="no config.json.*bundled"):
        load_model(str(tmp_path))


def test_directory_that_is_not_a_masked_lm(tmp_path, tokenizer_dir):
    from transformers import GPT2Config, GPT2LMHeadModel

    GPT2LMHeadModel(GPT2Config(n_layer=1, n_embd=32, n_head=2, vocab_size=100)).save_pretrained(tmp_path)
    with pytest.raises(MLMError, match="not a masked language model"):
        load_model(str(tmp_path))


def test_encoder_saved_without_mlm_head(tmp_path, tokenizer_dir):
    from transformers import AutoTokenizer, BertConfig, BertModel

    tok = AutoTokenizer.from_pretrained(tokenizer_dir)
    BertModel(BertConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                         intermediate_size=64)).save_pretrained(tmp_path)
    tok.save_pretrained(tmp_path)
    with pytest.raises(MLMError, match="MLM head"):
        load_model(str(tmp_path))


def test_corrupt_weights_file(tmp_path, tiny_dir):
    bad = tmp_path / "bad"
    shutil.copytree(tiny_dir, bad)
    weights = bad / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(MLMError, match="corrupt"):
        load_model(str(bad))
    assert load_model(str(tiny_dir)).info.layers == 2  # the rest keeps working


def test_unknown_hub_id_offline_names_the_problem(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(MLMError) as err:
        load_model("no-such-user/no-such-model-xyz")
    assert "cache" in str(err.value) and "bundled" in str(err.value)


def test_invalid_model_name():
    with pytest.raises(MLMError, match="valid Hugging Face model id"):
        load_model("not a model id!")


def test_local_paths_can_be_switched_off(monkeypatch, tiny_dir):
    monkeypatch.setenv("MLM_EXPLORER_ALLOW_LOCAL_PATHS", "0")
    with pytest.raises(MLMError, match="switched off"):
        load_model(str(tiny_dir))


def test_no_remote_code_anywhere():
    from pathlib import Path

    import re

    root = Path(__file__).resolve().parents[1]
    for path in [*root.glob("mlm_core/**/*.py"), *root.glob("mlm_app/*.py"), *root.glob("pages/*.py"), root / "app.py"]:
        assert not re.search(r"trust_remote_code\s*=\s*True", path.read_text()), path
