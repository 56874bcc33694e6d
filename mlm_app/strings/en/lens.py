"""The logit lens (a section of the Fill-mask page)."""
STRINGS = {
    "lens.title": "Logit lens: the guess forming layer by layer",
    "lens.explain": (
        "The **logit lens** (nostalgebraist 2020) applies the model's own output head — with the final norm, "
        "exactly as the model applies it after its last layer — to the hidden state at the mask **after every "
        "layer**. Layer 0 is the input embedding; the last layer gives exactly the predictions above. "
        "**Caveat:** only the last layer was trained to be read by this head. The intermediate layers were not, "
        "so an early layer's ranking (often frequent or copied tokens) says as much about the head as about "
        "the layer; read it as a lens, not as what the layer 'thinks'."),
    "lens.note": ("A lens: the model's own output head applied to each layer's hidden state at the mask. Only the last "
                  "layer was trained for the head, so earlier layers are read through a head that was not made for "
                  "them."),
    "lens.toggle": "Show the logit lens: the guess forming layer by layer",
    "lens.toggle_help": "What the model's own output head reads at the mask after every layer.",
    "lens.nothing_masked": "Nothing is masked: mask a word (or type [MASK]) to see the guess form layer by layer.",
    "lens.spinner": "Reading the head at every layer…",
    "lens.what": "The logit lens",
    "lens.unavailable": "{what} is not available here: {error}",
    "lens.unavailable_model": "{what} is not available for this model ({error}).",
    "lens.pick_mask": "Mask to read through the lens",
    "lens.figure_title": "{mask}: the lens after every layer",
    "lens.known_last": "The final answer **{answer}** reaches rank 1 only at the last layer ({top}).",
    "lens.known_from": ("The final answer **{answer}** is the lens's first choice from layer **{first}** on "
                        "(of layers 0..{top})."),
    "lens.table": "The final answer's rank and probability per layer",
    "lens.download": "Lens",
    # table columns
    "lens.col_layer": "layer",
    "lens.col_layer_name": "layer name",
    "lens.embeddings_layer": "0 (embeddings)",
    "lens.col_top": "top prediction",
    "lens.col_top_probability": "top probability",
    "lens.col_rank": "rank of '{answer}'",
    # words inside the figure (mlm_core.viz.lens)
    "lens.fig_empty": "no layers",
    "lens.fig_layer": "layer {layer}",
    "lens.fig_embeddings": " (embeddings)",
    "lens.fig_top": "top predictions of the lens",
    "lens.fig_rank": "rank",
    "lens.fig_probability": "probability",
    "lens.fig_layer_axis": "layer",
}
