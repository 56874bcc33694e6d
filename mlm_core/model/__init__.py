"""Loading a model and the forms it takes: `loading` (bundled, hub id or local directory, serialised and safe),
`precision` (fp32 / bf16 / int8 choices, bf16 support, the fast copies and their names), `traced_encoder` (per-length
TorchScript traces for the fast copies), `lm_head` (the LM head on the masked rows only, decided once at load),
`lens_head` (the model's own head on any hidden states, for the logit lens), `head_hooks` (switching attention
heads off, per call) and `run_names` (which typed or trained model names may reach the disk)."""
from .._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, """
.loading: BUNDLED LoadedModel ModelInfo load_model
.precision: MODES PRECISIONS model_key prepare_fast split_key with_precision
""")
