"""The app's torch threads (one forward pass per session, side by side) and the training process's (one core left
for the pages): the settings are read, and a fresh app process and a training child really use them."""
from __future__ import annotations

import os
import subprocess
import sys

from mlm_app.models import server_torch_threads
from mlm_core.training.job_process import training_threads
from tests.conftest import ROOT


def _cores() -> int:
    return len(os.sched_getaffinity(0))


def test_the_settings_and_their_defaults(monkeypatch):
    monkeypatch.delenv("MLM_EXPLORER_TORCH_THREADS", raising=False)
    monkeypatch.delenv("MLM_EXPLORER_TRAINING_THREADS", raising=False)
    assert server_torch_threads() == max(1, _cores() // 4)
    assert training_threads() == max(1, _cores() - 1)
    monkeypatch.setenv("MLM_EXPLORER_TORCH_THREADS", "3")
    monkeypatch.setenv("MLM_EXPLORER_TRAINING_THREADS", "2")
    assert server_torch_threads() == 3 and training_threads() == 2
    monkeypatch.setenv("MLM_EXPLORER_TORCH_THREADS", "many")
    assert server_torch_threads() == max(1, _cores() // 4)


def test_an_app_process_runs_its_passes_on_the_threads_it_was_given():
    code = ("import torch; before = torch.get_num_threads(); import mlm_app.models; "
            "print(before, torch.get_num_threads())")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "MLM_EXPLORER_TORCH_THREADS": "1", "OMP_NUM_THREADS": "2"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["2", "1"]
