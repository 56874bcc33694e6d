"""Generation, both ways: a masked LM by iterative unmasking (`unmask`, with its `schedule`), a causal LM left to
right (`left_to_right`), one token-choice rule for both (`sampling`), and measures of the texts (`measures`).
Pure functions over loaded models, results as plain dataclasses; no Streamlit."""
from .left_to_right import CausalRun, NextTokenStep, causal_generate
from .measures import TextMeasures, causal_score, repetition_rate, text_measures
from .sampling import Sampling
from .schedule import PlannedStep, reveal_schedule
from .unmask import ORDERS, UnmaskRun, UnmaskSettings, UnmaskStep, unmask_generate

__all__ = ["CausalRun", "NextTokenStep", "causal_generate", "TextMeasures", "causal_score", "repetition_rate",
           "text_measures", "Sampling", "PlannedStep", "reveal_schedule", "ORDERS", "UnmaskRun", "UnmaskSettings",
           "UnmaskStep", "unmask_generate"]
