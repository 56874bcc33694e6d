"""Load any masked-LM checkpoint (bundled, hub id or local directory) with clear errors.

Never runs remote code, prefers safetensors, and asks for eager attention so that
attention weights come back from the forward pass (sdpa returns none in transformers 5).
"""
from __future__ import annotations

import os
import re
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch

from ..errors import BUNDLED_HINT, MLMError
from .head_hooks import install_head_hooks
from .lm_head import install_rows_hook, rows_head_works
from .run_names import is_hub_id
from .sense_layer import SenseLayer, read_sense_layer

BUNDLED = "bundled"
BUNDLED_DIR = Path(__file__).parent.parent / "bundled_model"
WELL_KNOWN_MODELS = [
    "bert-base-uncased", "distilbert-base-uncased", "roberta-base", "albert-base-v2", "answerdotai/ModernBERT-base",
    "google/electra-small-generator",
]
MASK_SPELLINGS = re.compile(r"\[MASK\]|<mask>", re.IGNORECASE)
ENV_ALLOW_LOCAL = "MLM_EXPLORER_ALLOW_LOCAL_PATHS"
LOCAL_PATHS_OFF = "Loading models from local paths is switched off on this server."


@dataclass(frozen=True)
class ModelInfo:
    family: str
    layers: int
    heads: int
    hidden: int
    parameters: int
    vocab_size: int
    mask_token: str
    max_tokens: int
    sense_layer: SenseLayer | None = None  # stored with the model (`sense_layer.json`); None: use the last layer

    @property
    def default_sense_layer(self) -> int:
        """The layer the Polysemy page and `embed` start at: the stored choice, else the last layer."""
        return self.sense_layer.layer if self.sense_layer and self.sense_layer.layer <= self.layers else self.layers


@dataclass
class LoadedModel:
    """A model ready for analysis: eval mode, fp32, eager attention, fast tokenizer."""

    name: str
    source: str  # bundled | hub | local
    model: torch.nn.Module
    tokenizer: object
    info: ModelInfo
    rows_head: bool = True  # the LM head may run on gathered rows only (checked at load, see lm_head)

    def normalise_masks(self, text: str) -> str:
        """Let users write [MASK] or <mask> whatever the model's own mask token is."""
        return MASK_SPELLINGS.sub(lambda _: self.tokenizer.mask_token, text)


_CONSTRUCTION_LOCK = threading.RLock()
_CLASS_ORIGINALS: dict[str, object] = {}


@contextmanager
def model_construction():
    """Hold while building or loading a transformers model in this process.

    During `from_pretrained`, transformers swaps methods of `PreTrainedModel` class-wide (tie_weights,
    init_weights) and puts them back afterwards; two loads that overlap in threads leave them swapped for
    good, so every later model loads untied ("lacks 1 weights ... decoder.weight"). One lock per process
    serialises loads and model construction (the app's training thread builds models too), and whatever a
    failed load may have left swapped is put back, so it cannot poison the loads after it.
    """
    from transformers import PreTrainedModel

    def put_back():
        for name, original in _CLASS_ORIGINALS.items():
            if original is not None and PreTrainedModel.__dict__.get(name) is not original:
                setattr(PreTrainedModel, name, original)

    with _CONSTRUCTION_LOCK:
        for name in ("tie_weights", "init_weights"):
            _CLASS_ORIGINALS.setdefault(name, PreTrainedModel.__dict__.get(name))
        put_back()
        try:
            yield
        finally:
            put_back()


def local_paths_allowed() -> bool:
    """A deployed app sets MLM_EXPLORER_ALLOW_LOCAL_PATHS=0 to refuse arbitrary directories."""
    return os.environ.get(ENV_ALLOW_LOCAL, "1").strip().lower() not in ("0", "false", "no", "off")


def hub_reachable(timeout: float = 2.0) -> bool:
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false"):
        return False
    try:
        with socket.create_connection(("huggingface.co", 443), timeout=timeout):
            return True
    except OSError:
        return False


def _max_tokens(config, tokenizer) -> int:
    positions = getattr(config, "max_position_embeddings", None) or 512
    if getattr(config, "model_type", "") in ("roberta", "xlm-roberta", "camembert", "longformer"):
        positions -= 2  # position ids start after the padding index
    tok_max = getattr(tokenizer, "model_max_length", None)
    if tok_max and tok_max < 1_000_000:
        positions = min(positions, tok_max)
    return int(positions)


def _model_info(model, tokenizer, sense_layer: SenseLayer | None = None) -> ModelInfo:
    cfg = model.config
    return ModelInfo(
        family=getattr(cfg, "model_type", "unknown"),
        layers=getattr(cfg, "num_hidden_layers", None) or getattr(cfg, "n_layers", 0),
        heads=getattr(cfg, "num_attention_heads", None) or getattr(cfg, "n_heads", 0),
        hidden=getattr(cfg, "hidden_size", None) or getattr(cfg, "dim", 0),
        parameters=sum(p.numel() for p in model.parameters()),
        vocab_size=len(tokenizer),
        mask_token=tokenizer.mask_token,
        max_tokens=_max_tokens(cfg, tokenizer),
        sense_layer=sense_layer,
    )


def _resolve(name: str, allow_local: bool | None = None) -> tuple[str, str]:
    """(source, path-or-id) for a user-supplied model name."""
    name = (name or "").strip()
    if not name or name == BUNDLED:
        if not (BUNDLED_DIR / "config.json").exists():
            raise MLMError(f"The bundled model is missing from {BUNDLED_DIR}; reinstall the package.")
        return "bundled", str(BUNDLED_DIR)
    allowed = local_paths_allowed() if allow_local is None else allow_local
    spelled_as_path = name.startswith((".", "/", "~")) or name.count("/") > 1 or "\\" in name or ".." in name
    if not allowed:
        # decided by spelling alone, so the answer never says what exists on the server's disk
        if spelled_as_path or not is_hub_id(name):
            raise MLMError(LOCAL_PATHS_OFF, BUNDLED_HINT)
        if os.path.lexists(name):  # transformers would load this relative directory instead of the hub's model
            raise _hub_miss(name)
        return "hub", name
    if spelled_as_path or Path(name).expanduser().exists():
        path = Path(name).expanduser()
        if not path.is_dir():
            raise MLMError(f"'{name}' is not a directory holding a saved model.", BUNDLED_HINT)
        return "local", str(path)
    if not is_hub_id(name):
        raise MLMError(f"'{name}' is neither a local directory nor a valid Hugging Face model id.", BUNDLED_HINT)
    return "hub", name


def _hub_miss(name: str, reachable: bool | None = None) -> MLMError:
    """The answer for a hub id that cannot be loaded (also given, word for word, when a local file shadows it)."""
    if reachable is None:
        reachable = hub_reachable()
    if reachable:
        return MLMError(f"No model named '{name}' on the Hugging Face hub.", BUNDLED_HINT)
    return MLMError(f"'{name}' is not in the local Hugging Face cache and the hub cannot be reached (offline?).", BUNDLED_HINT)


def local_directory(name: str, allow_local: bool | None = None) -> Path | None:
    """The directory a model name loads from (bundled, trained or local); None for a hub id."""
    source, where = _resolve(name, allow_local)
    return None if source == "hub" else Path(where)


def _check_local_dir(path: Path) -> None:
    if not (path / "config.json").exists():
        raise MLMError(f"'{path}' has no config.json, so it is not a saved model directory.", BUNDLED_HINT)
    weights = list(path.glob("*.safetensors")) + list(path.glob("pytorch_model*.bin"))
    if not weights:
        raise MLMError(f"'{path}' has no weights file (model.safetensors).", BUNDLED_HINT)


@dataclass(frozen=True)
class ModelKind:
    """What a loader asks of a checkpoint: the transformers Auto class that builds it, why a config is refused
    (None: accepted), what the head is called in messages, whether a mask token and the rows-only head apply, and the
    hint its errors end with."""

    auto_class: str  # e.g. "AutoModelForMaskedLM"
    refusal: Callable[[object, str], str | None]
    head: str  # "masked-LM"
    missing_hint: str
    needs_mask_token: bool = True
    rows_head: bool = True
    hint: str | None = BUNDLED_HINT  # added to every error message


def _masked_refusal(config, where: str) -> str | None:
    from transformers.models.auto.modeling_auto import MODEL_FOR_MASKED_LM_MAPPING_NAMES

    if config.model_type not in MODEL_FOR_MASKED_LM_MAPPING_NAMES:
        return f"'{where}' is a {config.model_type} model, which is not a masked language model."
    return None


MASKED_LM = ModelKind("AutoModelForMaskedLM", _masked_refusal, "masked-LM",
                      "it is probably an encoder saved without its MLM head.")


def _from_pretrained(source: str, where: str, local_only: bool, kind: ModelKind = MASKED_LM):
    import transformers
    from transformers import AutoConfig, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    config = AutoConfig.from_pretrained(where, local_files_only=local_only, trust_remote_code=False)
    refused = kind.refusal(config, where)
    if refused:
        raise MLMError(refused, kind.hint)
    tokenizer = AutoTokenizer.from_pretrained(where, local_files_only=local_only, trust_remote_code=False)
    with model_construction():
        model, info = getattr(transformers, kind.auto_class).from_pretrained(
            where, config=config, local_files_only=local_only, trust_remote_code=False, dtype=torch.float32,
            attn_implementation="eager", output_loading_info=True,
        )
    missing = [k for k in info.get("missing_keys", []) if "position_ids" not in k]
    if missing:
        raise MLMError(f"'{where}' lacks {len(missing)} weights the {kind.head} needs (e.g. {missing[0]}); "
                       f"{kind.missing_hint}", kind.hint)
    return model, tokenizer


def load_model(name: str = BUNDLED, allow_local: bool | None = None) -> LoadedModel:
    """Load a masked LM by 'bundled', hub id or local directory; raise MLMError on any failure.

    allow_local=None follows MLM_EXPLORER_ALLOW_LOCAL_PATHS; the app passes True only for
    directories it wrote itself (models trained in the app).
    """
    return load_of_kind(name, MASKED_LM, allow_local)


def load_of_kind(name: str, kind: ModelKind, allow_local: bool | None = None) -> LoadedModel:
    """`load_model` for any `ModelKind` (the causal companion's loader uses it): the same resolution, local-path
    lockdown, serialised construction, no remote code, and the same one-line errors."""
    source, where = _resolve(name, allow_local)
    if source != "hub":
        _check_local_dir(Path(where))
    try:
        if source == "hub":
            try:
                model, tokenizer = _from_pretrained(source, where, local_only=True, kind=kind)
            except OSError:
                if not hub_reachable():
                    raise _hub_miss(name, reachable=False) from None
                model, tokenizer = _from_pretrained(source, where, local_only=False, kind=kind)
        else:
            model, tokenizer = _from_pretrained(source, where, local_only=True, kind=kind)
    except MLMError:
        raise
    except OSError as err:
        msg = str(err).splitlines()[0] if str(err) else type(err).__name__
        if source == "hub" and ("not a valid model identifier" in msg or "404" in msg or "Repository Not Found" in msg):
            raise _hub_miss(name, reachable=True) from None
        raise MLMError(f"Could not load '{name}': {msg}", kind.hint) from None
    except Exception as err:  # corrupt weights, bad config JSON, incompatible shapes...
        msg = str(err).splitlines()[0][:300] if str(err) else type(err).__name__
        raise MLMError(f"Could not load '{name}': the checkpoint looks corrupt or incompatible ({type(err).__name__}: {msg}).",
                       kind.hint) from None
    if not getattr(tokenizer, "is_fast", False):
        raise MLMError(f"'{name}' has only a slow tokenizer; MLM Explorer needs a fast one for word alignment.", kind.hint)
    if kind.needs_mask_token and tokenizer.mask_token is None:
        raise MLMError(f"'{name}' has no mask token, so it cannot fill masks.", kind.hint)
    if len(tokenizer) <= 10:
        raise MLMError(f"'{name}' has a {len(tokenizer)}-token vocabulary; the tokenizer files are broken.", kind.hint)
    model.eval()
    display = "bundled" if source == "bundled" else name
    install_head_hooks(model)  # head ablation (`head_hooks`), installed while no other thread uses the model
    info = _model_info(model, tokenizer, read_sense_layer(where) if source != "hub" else None)
    return LoadedModel(display, source, model, tokenizer, info, kind.rows_head and _rows_head(model, tokenizer))


def _rows_head(model, tokenizer) -> bool:
    """Decide once per model whether its LM head may run on the masked rows only (see `lm_head`)."""
    install_rows_hook(model)
    ids = tokenizer("the cat sat on the mat .")["input_ids"]
    return rows_head_works(model, torch.tensor([ids]))
