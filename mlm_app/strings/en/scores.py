"""Sentence scores and minimal pairs (a section of the Fill-mask page)."""
STRINGS = {
    "scores.title": "Sentence scores: pseudo-log-likelihood, fair to long words",
    "scores.explain": (
        "An MLM gives no probability for a whole sentence, but masking **each token in turn** and adding up the "
        "log-probabilities of the real tokens gives a **pseudo-log-likelihood** (PLL, Salazar et al. 2020; natural "
        "logs, in nats: closer to 0 = more natural to the model). The **original** variant lets a word split into "
        "pieces predict each piece from its own later pieces, which rates long, rare words far too likely; "
        "**word-l2r** (Kauf & Ivanova 2023) also masks the later pieces of the same word. The two agree on words of "
        "one piece. Pseudo-perplexity = exp(−PLL / tokens). Each costs one pass per token."),
    "scores.variant_original": "original (Salazar et al. 2020)",
    "scores.variant_word_l2r": "word-l2r (Kauf & Ivanova 2023)",
    "scores.mode": "Score",
    "scores.mode_single": "This sentence",
    "scores.mode_pair": "Minimal pair",
    "scores.mode_help": "A minimal pair: two sentences that differ in one place; which one does the model prefer?",
    "scores.pair_box": "Two sentences, one per line",
    "scores.hidden": "Its bars list every word of the sentence, so they wait until the hidden words are revealed.",
    "scores.as_typed": "Scores the sentence as typed (clicked masks are not applied): “{text}”",
    "scores.type_above": "Type a sentence above to score it.",
    "scores.go_single": "Score",
    "scores.go_pair": "Compare",
    "scores.press": "Press the button to score (one pass per token).",
    # one sentence
    "scores.type_sentence": "Type a sentence to score.",
    "scores.single_spinner": "Masking each token in turn, in both variants…",
    "scores.metric_help": "pseudo-perplexity {ppl:.2f} over {n} tokens",
    "scores.variants_agree": "Both variants agree: no scored word is split into several pieces.",
    "scores.variants_differ": ("The original variant rates the sentence {diff:.2f} nats more likely than word-l2r: "
                               "the pieces of split words predict each other there."),
    "scores.single_figure_title": "log p of each token, the token masked (and, for word-l2r, its word's later pieces)",
    "scores.token_table": "Token scores as a table",
    "scores.token_download": "Token scores",
    # minimal pair
    "scores.need_two": ("A minimal pair is two sentences, one per line; got {n}. Give two versions of a "
                        "sentence that differ in one place, e.g. 'are' / 'is'."),
    "scores.variant": "Variant",
    "scores.pair_spinner": "Scoring both sentences…",
    "scores.same": "The model scores both sentences the same.",
    "scores.prefers": ("The model prefers **sentence {n}** (“{text}”) by **{diff:.2f} nats**: about {odds:,.1f} "
                       "times as likely under the pseudo-likelihood ({variant})."),
    "scores.other_variant": ("The {variant} variant prefers the other sentence: the verdict depends on how split "
                             "words are scored."),
    "scores.sentence_n": "sentence {n}",
    "scores.pair_figure_title": "log p of each token ({variant})",
    "scores.pair_download": "Pair scores",
    # table columns
    "scores.col_variant": "variant",
    "scores.col_position": "position",
    "scores.col_token": "token",
    "scores.col_piece": "piece",
    "scores.col_log_prob": "log_prob",
    "scores.col_masked": "masked",
    "scores.col_first": "sentence 1 (nats)",
    "scores.col_second": "sentence 2 (nats)",
    "scores.col_difference": "difference (1 − 2)",
    "scores.col_prefers": "prefers",
    "scores.col_odds": "times as likely",
    # words inside the figure (mlm_core.viz.scores)
    "scores.fig_empty": "no sentences",
    "scores.fig_total": "{label}: total {total:.2f} nats",
    "scores.fig_log_p": "log p",
}
