"""A server stopped while a training runs: the job stops, saves its checkpoint, and the process exits cleanly."""
from __future__ import annotations

import subprocess
import sys

from mlm_core.training import checkpoints
from tests.conftest import ROOT, SAMPLE

SCRIPT = """
import sys, time
from pathlib import Path
from mlm_app.training_jobs import TrainingManager
from mlm_core.training.jobs import single_run_spec
from mlm_core.training.loop import TrainConfig
root = Path(sys.argv[2])
manager = TrainingManager(corpora=lambda: root / "corpora", models=lambda: root / "models")
out = root / "models" / "long"
config = TrainConfig(corpus=[sys.argv[1]], out_dir=str(out), steps=100000, eval_every=1000, save_every=100000,
                     preset="tiny", batch_size=8, seq_len=32, val_batches=2, vocab_size=1000, max_lines=300)
ok, message = manager.start(single_run_spec(config, "long", owner="teacher"))
assert ok, message
deadline = time.time() + 300
while time.time() < deadline:
    job = manager.running()
    if job is not None and job.runs and job.runs[0].progress is not None and job.runs[0].progress.step >= 3:
        break
    time.sleep(0.2)
print("trained", flush=True)
sys.exit(0)  # as Streamlit's server does on SIGTERM: a normal interpreter exit with the job still running
"""


def test_exiting_mid_training_saves_a_checkpoint_and_does_not_abort(tmp_path):
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(SAMPLE), str(tmp_path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert "trained" in run.stdout, run.stderr
    assert run.returncode == 0, run.stderr[-2000:]
    assert "terminate called" not in run.stderr
    step = checkpoints.latest_step(tmp_path / "models" / "long")
    assert step is not None and step >= 3
