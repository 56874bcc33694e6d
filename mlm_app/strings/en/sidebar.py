"""The shared sidebar (mlm_app.sidebar): model picker, model card, precision and display options; the offline
message of mlm_app.models."""
STRINGS = {
    "sidebar.model": "Model",
    "sidebar.picker": "Masked language model",
    "sidebar.other_hub": "Another hub id…",
    "sidebar.local_dir": "A local directory…",
    "sidebar.needs_network": " · needs the network (not downloaded)",
    "sidebar.bundled": "bundled (offline default)",
    "sidebar.trained": "trained here: {name}",
    "sidebar.hub_offline": "The Hugging Face hub cannot be reached (offline?): the hub models marked *needs the "
                           "network* are not downloaded and cannot load until it can. The bundled model works offline.",
    "sidebar.hub_id": "Hub id",
    "sidebar.hub_placeholder": "e.g. bert-large-uncased",
    "sidebar.load": "Load",
    "sidebar.directory": "Directory written by save_pretrained",
    "sidebar.directory_placeholder": "/path/to/model",
    "sidebar.loading": "Loading {name}…",
    "sidebar.could_not_switch": "Could not switch to {name}: {reason}",
    "sidebar.fallback": "{reason} Falling back to the bundled model.",
    "sidebar.card": "**{label}** · family **{family}** · {layers} layers × {heads} heads · hidden {hidden} · "
                    "{parameters:.1f} M parameters · vocabulary {vocab:,} · mask token `{mask}` · up to {max_tokens} "
                    "tokens",
    "sidebar.large_fonts": "Large fonts (projector)",
    "sidebar.large_fonts_help": "Larger text, headings and charts and the full width, for a projector. It applies to "
                                "every page and is part of the shared link.",
    "sidebar.precision": "Precision",
    "sidebar.precision_fp32": "exact (the model's own weights)",
    "sidebar.precision_bf16": "faster; on the bundled model 99% of the top-10 agree with fp32, probabilities "
                              "typically within 1%",
    "sidebar.precision_int8": "fastest; on the bundled model 93% of the top-10 agree with fp32, probabilities "
                              "typically within 7%",
    "sidebar.precision_help": "{choices}. It applies to every page and is part of the shared link. Training always "
                              "uses its own settings.",
    "sidebar.precision_note": "{precision}: {help}. Probabilities can differ from fp32, int8's more than bf16's: the "
                              "Fill-mask page can compare the two side by side.",
    "sidebar.no_native_bf16": " This CPU has no native bf16, so bf16 may be slower here; int8 is the faster choice.",
    "sidebar.preparing_copy": "Preparing the {precision} copy of {label}…",
    "sidebar.copy_failed": "Could not make a {precision} copy of {label} ({reason}); using fp32.",
    "sidebar.offline": "{name} is not downloaded and the Hugging Face hub cannot be reached (offline?), so it cannot "
                       "load here now. The bundled model and models trained here work offline.",
}
