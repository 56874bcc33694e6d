"""Training and evaluating masked LMs: `loop` (train_mlm and its steps), `presets` (model sizes),
`tokenizer_training` (WordPiece), `corpus` (reading text files safely), `checkpoints` (crash-safe checkpoint
directories), `evaluation` (masked-token accuracy, sense reports), and for the app's jobs: `uploads` (upload checks
and crash-safe corpus files), `run_dirs` (run directories, owners, resumable runs, model zips), `jobs` (job state,
status and the runner) and `metrics` (the comparison of masking strategies)."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, """
.loop: TrainConfig TrainProgress TrainResult train_mlm
.presets: PRESETS get_preset
.evaluation: MaskedAccuracy evaluate_file masked_token_accuracy mean_by_layer sense_report
.jobs: JobSpec JobState JobStatus run_job
.metrics: comparison_rows comparison_spec
""")
