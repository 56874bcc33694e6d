"""The core's shape: no Streamlit anywhere in mlm_core, the stable API importable from the package, and the job
runner independent of the metrics it reports."""
import ast
import subprocess
import sys

from tests.conftest import ROOT

CORE = ROOT / "mlm_core"


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


def _python(code: str) -> str:
    """Run `code` in a fresh interpreter at the repository root; its stripped stdout (it must exit 0)."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_mlm_core_never_imports_streamlit():
    for path in CORE.rglob("*.py"):
        assert not [m for m in _imports(path) if m.split(".")[0] == "streamlit"], path
    code = ("import importlib, pkgutil, sys, mlm_core\n"
            "for m in pkgutil.walk_packages(mlm_core.__path__, 'mlm_core.'):\n"
            "    if not m.name.endswith('__main__'):\n"
            "        importlib.import_module(m.name)\n"
            "print('streamlit' in sys.modules)")
    assert _python(code) == "False"


def test_the_stable_api_imports_from_the_package_and_the_package_stays_light():
    code = ("import sys\nimport mlm_core.errors\nlight = 'torch' not in sys.modules\n"
            "from mlm_core import (MaskingStrategy, TrainConfig, analyze, evaluate_file, iterative_fill, load_model,\n"
            "                      masked_token_accuracy, pseudo_log_likelihood, sense_report, train_mlm, word_vectors)\n"
            "from mlm_core.training import JobStatus, run_job\nfrom mlm_core.viz import topk_bar\n"
            "import mlm_core\nassert set(mlm_core.__all__) <= set(dir(mlm_core))\nprint(light)")
    assert _python(code) == "True"  # importing one light module does not pull in torch


def test_the_job_runner_does_not_import_the_comparison_metrics():
    imported = set(_imports(CORE / "training" / "jobs.py"))
    assert not {m for m in imported if m.endswith("metrics") or "inference" in m}, imported


def test_job_status_is_a_readable_string():
    import json

    from mlm_core.training.jobs import ACTIVE, JobState, JobStatus

    assert JobStatus("interrupted") is JobStatus.INTERRUPTED and JobStatus.RUNNING == "running"
    assert json.dumps({"status": JobStatus.FINISHED}) == '{"status": "finished"}' and f"{JobStatus.FAILED}" == "failed"
    assert JobState().status == JobStatus.IDLE and JobStatus.STOPPING in ACTIVE
