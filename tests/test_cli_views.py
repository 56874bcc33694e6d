"""The command line's research views: JSON contracts of lens, heads, ablate, geometry, pll and score; one-line errors."""
import json

import pytest

from mlm_core.cli import main
from tests.test_cli import run


def _json(capsys, *args):
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_lens_json_contract(tiny_dir, tiny, capsys):
    out = _json(capsys, "lens", "The [MASK] sat on the [MASK].", "--top-k", "3", "--model", str(tiny_dir))
    assert set(out) >= {"model", "tokens", "masks"} and out["model"] == str(tiny_dir)
    assert [m["index"] for m in out["masks"]] == [i for i, t in enumerate(out["tokens"]) if t == "[MASK]"]
    fill = _json(capsys, "fill", "The [MASK] sat on the [MASK].", "--top-k", "3", "--model", str(tiny_dir))
    for m, f in zip(out["masks"], fill["masks"]):
        assert [l["layer"] for l in m["layers"]] == list(range(tiny.info.layers + 1))
        for layer in m["layers"]:
            assert len(layer["predictions"]) == 3 and set(layer["predictions"][0]) >= {"token", "score"}
        last = m["layers"][-1]["predictions"]
        assert [p["token"] for p in last] == [p["token"] for p in f["predictions"]]
        assert [p["score"] for p in last] == pytest.approx([p["score"] for p in f["predictions"]], abs=1e-6)
        assert m["layers"][-1]["final_rank"] == 1 and m["final"]["token"] == f["predictions"][0]["token"]


def test_heads_json_contract(tiny_dir, tiny, tmp_path, capsys):
    f = tmp_path / "s.txt"
    f.write_text("The cat sat on the mat.\nRain fell, and we waited.\n")
    out = _json(capsys, "heads", "--sentences-file", str(f), "--model", str(tiny_dir))
    assert (out["layers"], out["heads"]) == (tiny.info.layers, tiny.info.heads)
    assert set(out["roles"]) == {"cls", "sep", "punctuation", "previous", "next", "self"}
    for grid in list(out["roles"].values()) + [out["entropy"], out["dominant"]]:
        assert len(grid) == out["layers"] and all(len(row) == out["heads"] for row in grid)
    assert out["sentences"] == 2 and out["labels"]["cls"] == "[CLS]"


def test_ablate_json_contract(tiny_dir, capsys):
    out = _json(capsys, "ablate", "The [MASK] sat on the mat.", "--heads", "1.0,0.1", "--model", str(tiny_dir))
    assert out["heads"] == [[0, 1], [1, 0]] and len(out["masks"]) == 1
    m = out["masks"][0]
    assert len(m["before"]) == len(m["after"]) == 5 and m["before_after"][0]["before"] == m["before"][0]["score"]


def test_geometry_json_contract(tiny_dir, tiny, capsys):
    out = _json(capsys, "geometry", "--word", "bank", "I went to the bank.", "The river bank was muddy.",
                "The bank was closed.", "--centred", "--model", str(tiny_dir))
    assert out["word"] == "bank" and out["sentences"] == 3 and out["centred"] is True
    assert [r["layer"] for r in out["layers"]] == list(range(tiny.info.layers + 1))
    assert set(out["layers"][0]) == {"layer", "anisotropy", "self_similarity", "self_similarity_adjusted", "static_share"}


def test_pll_json_contract_and_pair(tiny_dir, tmp_path, capsys):
    f = tmp_path / "s.txt"
    f.write_text("The keys are here.\nThe keys is here.\n")
    out = _json(capsys, "pll", "--sentences-file", str(f), "--variant", "word-l2r", "--pair", "--model", str(tiny_dir))
    assert out["variant"] == "word-l2r" and len(out["sentences"]) == 2
    first, second = out["sentences"]
    assert first["total"] == pytest.approx(sum(first["token_scores"]))
    assert out["pair"]["difference"] == pytest.approx(first["total"] - second["total"])
    assert out["pair"]["preferred"] == (0 if out["pair"]["difference"] >= 0 else 1)
    one = _json(capsys, "pll", "The keys are here.", "--model", str(tiny_dir))
    assert one["variant"] == "original" and len(one["sentences"]) == 1 and "pair" not in one


def test_score_json_contract(tiny_dir, capsys):
    out = _json(capsys, "score", "The [MASK] sat on the [MASK].", "--words", "cat,hippopotamus", "--mask", "1",
                "--model", str(tiny_dir))
    assert out["mask"] == 1 and out["index"] == [i for i, t in enumerate(out["tokens"]) if t == "[MASK]"][1]
    assert [s["word"] for s in out["scores"]] == ["cat", "hippopotamus"]
    assert all(s["log_prob"] < 0 and len(s["pieces"]) >= 1 for s in out["scores"])


@pytest.mark.parametrize("args,message", [
    (["lens", "No mask here."], "no mask"),
    (["ablate", "The [MASK] sat.", "--heads", "9.0"], "Layer 9 is out of range"),
    (["ablate", "The [MASK] sat.", "--heads", "0.9"], "Head 9 is out of range"),
    (["score", "The [MASK] sat.", "--words", "cat", "--mask", "3"], "no mask number 3"),
    (["geometry", "--word", "zebra", "The cat sat."], "does not occur"),
    (["pll", "Only one sentence.", "--pair"], "minimal pair is two sentences"),
    (["pll", "A sentence.", "--variant", "best"], "Unknown scoring variant"),
])
def test_bad_input_is_one_line_and_exit_2(tiny_dir, capsys, args, message):
    assert main([*args, "--model", str(tiny_dir)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("error: ") and err.count("\n") == 1


def test_a_real_process_prints_the_error_without_a_traceback(tiny_dir):
    proc = run("lens", "No mask here.", "--model", str(tiny_dir), ok=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "no mask" in proc.stderr
