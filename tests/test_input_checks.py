"""Small input checks found by the audits: each a clear one-line message, nothing left behind."""
from __future__ import annotations

import pytest
import torch

from mlm_core.cli import main
from mlm_core.errors import MLMError
from mlm_core.model.run_names import is_trained_name
from mlm_core.training.corpus import check_text_bytes
from mlm_core.training.run_dirs import sanitize_name
from tests.conftest import SAMPLE


def test_utf16_text_is_told_to_be_resaved_as_utf8():
    for data in ["Some text\nand more\n".encode("utf-16"), "Some text\n".encode("utf-16-le") * 5]:
        with pytest.raises(MLMError, match="UTF-16"):
            check_text_bytes(data, "notes.txt")


def test_a_nul_byte_anywhere_is_binary():
    with pytest.raises(MLMError, match="binary"):
        check_text_bytes(b"plain text\n" * 10_000 + b"\x00tail", "late.txt")


def test_non_ascii_run_names_are_kept():
    assert sanitize_name("ñandú-模型") == "ñandú-模型"
    assert is_trained_name(sanitize_name("ñandú-模型"))
    assert sanitize_name("My model!/../x y") == "My-model-x-y"


def _train_args(out, *extra):
    return ["train", "--corpus", str(SAMPLE), "--out", str(out), "--preset", "tiny", "--steps", "2", "--batch-size", "4",
            "--seq-len", "16", "--vocab-size", "500", "--precision", "fp32", *extra]


@pytest.mark.parametrize("flag", ["--eval-every", "--save-every"])
def test_zero_intervals_are_one_line_errors(tmp_path, capsys, flag):
    assert main(_train_args(tmp_path / "run", flag, "0")) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "at least 1" in err and "Traceback" not in err
    assert not (tmp_path / "run").exists()  # a failed training leaves no directory behind


def test_a_pickle_only_checkpoint_is_refused_without_loading_it(tmp_path, tiny_dir, capsys):
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    pickled = tmp_path / "pickled"
    model = AutoModelForMaskedLM.from_pretrained(tiny_dir)
    model.config.save_pretrained(pickled)
    torch.save(model.state_dict(), pickled / "pytorch_model.bin")  # the old pickle format (transformers 5 writes none)
    AutoTokenizer.from_pretrained(tiny_dir).save_pretrained(pickled)
    assert not list(pickled.glob("*.safetensors")) and list(pickled.glob("*.bin"))
    assert main(_train_args(tmp_path / "run", "--init-from", str(pickled))) == 2
    err = capsys.readouterr().err
    assert "no safetensors weights" in err and "Unpickling" not in err
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("value", ["0", "-5"])
def test_evaluate_refuses_a_max_tokens_below_one(capsys, value):
    assert main(["evaluate", "--corpus", str(SAMPLE), "--max-tokens", value]) == 2
    assert "--max-tokens must be at least 1" in capsys.readouterr().err
