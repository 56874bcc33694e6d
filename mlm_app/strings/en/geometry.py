"""The Polysemy page's geometry section: how crowded the vector space is, and centring the vectors."""
STRINGS = {
    # centring
    "geometry.vectors": "Vectors",
    "geometry.centring_none": "raw vectors",
    "geometry.centring_corpus": "centre on the corpus mean",
    "geometry.centring_word": "centre on the word's own mean",
    "geometry.centring_help": (
        "Contextual vectors share a common direction, so almost every cosine between them is high and "
        "the difference between senses hides in the third decimal. **Corpus mean**: subtract each layer's "
        "mean vector, estimated on 1000 words of a corpus sample (Ethayarajh 2019's anisotropy removed). "
        "**Word's own mean**: subtract the mean of this word's vectors, which leaves only what differs "
        "between its sentences (cosines between senses turn negative). The projection, the nearest "
        "neighbours and the separation numbers all use the chosen vectors."),
    "geometry.no_word_vectors": "There are no vectors of the word yet to take the mean of; showing raw vectors.",
    "geometry.baseline_spinner": "Estimating each layer's mean vector on a corpus sample (once per model)…",
    "geometry.baseline_failed": "Could not estimate the corpus mean ({error}); showing raw vectors.",
    "geometry.baseline_mismatch": "The corpus means do not match these vectors' layers; showing raw vectors.",
    "geometry.centred_on": "Centred on the mean of {words:,} word occurrences in {sentences} sentences.",
    # how crowded is the vector space
    "geometry.title": "How crowded is the vector space?",
    "geometry.intro": (
        "Ethayarajh (2019), *How Contextual are Contextualized Word Representations?*, per layer: "
        "**anisotropy**, the mean cosine between vectors of random words in random contexts (near 0: directions "
        "spread out; near 1: everything points the same way, so a high cosine between two words means little); "
        "the **self-similarity** of '{word}', the mean cosine between its vectors in different sentences; and its "
        "**static share**, the share of its vectors' variance that a single static vector could explain."),
    "geometry.choose_word": "Choose a word to measure.",
    "geometry.centre_toggle": "Centre the vectors first (subtract each layer's corpus mean)",
    "geometry.centre_toggle_help": "Removes the direction every vector shares; the anisotropy drops to about 0.",
    "geometry.too_few": ("'{word}' was found in {found} of the {n} sentence(s); self-similarity needs it in at "
                         "least two."),
    "geometry.too_few_missing": ("'{word}' was found in {found} of the {n} sentence(s) ({missing} do not contain it "
                                 "or could not be read); self-similarity needs it in at least two."),
    "geometry.spinner": "Measuring the vector space (the corpus sample is read once per model)…",
    "geometry.chart_title": "'{word}' in {n} sentences",
    "geometry.chart_centred": ", centred vectors",
    "geometry.caption": (
        "Layer 0 is the static input embedding: the same word gets (almost) the same vector in every "
        "sentence there, so its self-similarity and static share are near 1. Self-similarity well above "
        "the anisotropy means the word's vectors stay alike across contexts; a falling static share means "
        "context matters more."),
    "geometry.download": "Geometry",
    # table columns
    "geometry.col_layer": "layer",
    "geometry.col_layer_name": "layer name",
    "geometry.static_layer": "0 (static embedding)",
    "geometry.col_anisotropy": "anisotropy",
    "geometry.col_self_similarity": "self-similarity",
    "geometry.col_adjusted": "self-similarity − anisotropy",
    "geometry.col_static_share": "static share",
    # words inside the figure (mlm_core.viz.geometry)
    "geometry.fig_anisotropy": "anisotropy (random words)",
    "geometry.fig_self_similarity": "self-similarity of '{word}'",
    "geometry.fig_static_share": "static share of '{word}'",
    "geometry.fig_layer": "layer",
    "geometry.fig_static": "0 (static)",
    "geometry.fig_y": "cosine / share",
    "geometry.fig_y_centred": "cosine / share (centred vectors)",
}
