"""The Polysemy page: the word and its sentences, the controls, the projection, neighbours and sense separation."""
STRINGS = {
    "polysemy.title": "Polysemy: one word, many contexts",
    "polysemy.intro": ("A static embedding gives **bank** one vector; a contextual model gives it a different vector in "
                       "every sentence. Do the vectors of *river bank* and *money bank* drift apart, and at which "
                       "layer?"),
    "polysemy.layer_heading": "'{word}' at layer {layer}",
    "polysemy.static_heading": "'{word}' at layer {layer} (static embedding)",
    "polysemy.separation_heading": "Sense separation by layer",
    "polysemy.downloads": "Downloads",
    # the word and its sentences
    "polysemy.word": "Word",
    "polysemy.word_help": "Preset words come with labelled sentences; edit them below or use your own word.",
    "polysemy.custom": "✏️ your own word…",
    "polysemy.your_word": "Your word",
    "polysemy.your_word_placeholder": "e.g. light",
    "polysemy.paste": ("Paste sentences, one per line: `sense<TAB>sentence` (copied from a spreadsheet) or "
                       "`sense: sentence`"),
    "polysemy.type_word": "Type the word to follow, then add sentences that use it (with a sense label each).",
    "polysemy.preset_caption": ("{n} labelled sentences for **{word}**. Edit them, change sense labels or add rows "
                                "in the table."),
    "polysemy.editor": "Sentences and sense labels (editable)",
    "polysemy.add_sentences": "Add sentences that use '{word}' to the table.",
    "polysemy.reading": "Reading {n} sentence(s)…",
    "polysemy.computing": "Computing the vectors of '{word}': {done}/{total} sentences",
    "polysemy.skipped": "{n} sentence(s) skipped:",
    "polysemy.skipped_row": "- row {row}: “{sentence}” ({reason})",
    "polysemy.notes": "Notes on {n} sentence(s)",
    # controls
    "polysemy.layer": "Layer",
    "polysemy.layer_help": "0 = the static input embedding (no context yet); higher layers have mixed in more context.",
    "polysemy.projection": "Projection",
    "polysemy.projection_help": ("PCA is linear (Euclidean); t-SNE and UMAP keep cosine neighbourhoods and can "
                                 "distort distances between clusters."),
    "polysemy.dimensions": "Dimensions",
    "polysemy.dims_2": "2-D",
    "polysemy.dims_3": "3-D",
    "polysemy.perplexity": "t-SNE perplexity (about how many neighbours each point keeps close)",
    "polysemy.perplexity_help": "Capped below the number of points.",
    "polysemy.n_neighbors": "UMAP n_neighbors (local ↔ global structure)",
    "polysemy.min_dist": "UMAP min_dist (how tightly points pack)",
    "polysemy.shown_first": "Shown first: {reason}.",
    "polysemy.shown_first_top": ("Shown first: the top layer ({layer}); this model stores no sense layer "
                                 "(`python -m mlm_core sense-layer` chooses one)."),
    # edit one context word
    "polysemy.edit": ("Edit one context word: change a word of a sentence (e.g. 'money' → 'river') and see where "
                      "its '{word}' lands"),
    "polysemy.reset": "Reset",
    "polysemy.reset_help": "Back to the first sentence of the table.",
    "polysemy.edit_missing": "The edited sentence must still contain '{word}' (and fit the model); it is not shown.",
    "polysemy.edit_recomputed": ("{method} is recomputed with the new sentence included, so the other points can move "
                                 "too: compare neighbourhoods, not absolute positions."),
    # projection and neighbours
    "polysemy.spinner_pca": "Projecting…",
    "polysemy.spinner_tsne": "Running t-SNE…",
    "polysemy.spinner_umap": "Running UMAP (its first run compiles code and may take a few seconds)…",
    "polysemy.projection_title": "{method}, {dims}-D, layer {layer}",
    "polysemy.projection_caption": ("Colour (and marker shape) = sense. Hover for the sentence; click a point to list "
                                    "its nearest neighbours (cosine similarity in the full vector space, not in the "
                                    "picture)."),
    "polysemy.neighbours_of": "Nearest neighbours of",
    "polysemy.neighbours_none": "— click a point or pick a sentence —",
    "polysemy.nearest_to": "**Nearest to:** “{sentence}” ({sense})",
    # sense separation
    "polysemy.separation_caption": (
        "Silhouette (−1…1: do same-sense vectors sit closer than other-sense ones?) and leave-one-out 1-NN "
        "accuracy (does the most similar other sentence have the same sense?), on cosine similarity. "
        "Layer 0 is the static-embedding baseline, before any attention: the word's vector there carries no "
        "context (at most a position embedding), so any separation it shows is not about meaning."),
    "polysemy.separation_title": "How well the senses of '{word}' separate",
    "polysemy.chance_caption": "Dashed line: the 1-NN accuracy expected by chance with these sense proportions.",
    "polysemy.vectors_download": "Vectors",
    "polysemy.metrics_download": "Metrics",
    # table columns
    "polysemy.col_sentence": "sentence",
    "polysemy.col_sense": "sense",
    "polysemy.col_cosine": "cosine",
    "polysemy.col_layer": "layer",
    "polysemy.col_layer_name": "layer name",
    "polysemy.col_silhouette": "silhouette",
    "polysemy.col_knn": "1-NN accuracy",
    "polysemy.col_within": "within-sense cosine",
    "polysemy.col_between": "between-sense cosine",
    # words inside the figures (mlm_core.viz.embeddings)
    "polysemy.fig_edited": "edited",
    "polysemy.fig_dimension": "dimension {n}",
    "polysemy.fig_sense": "sense",
    "polysemy.fig_silhouette": "silhouette",
    "polysemy.fig_knn": "k-NN accuracy",
    "polysemy.fig_chance": "chance",
    "polysemy.fig_layer": "layer",
    "polysemy.fig_static": "0 (static)",
}
