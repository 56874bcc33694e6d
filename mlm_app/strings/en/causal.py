"""The masked model beside its left-to-right (causal) companion."""
STRINGS = {
    "causal.unavailable": "The left-to-right companion model cannot load, so this comparison is not shown: {error}",
    "causal.section_title": "Both sides vs the left side only",
    "causal.show_toggle": "Compare with a left-to-right (causal) model",
    "causal.show_help": "The companion causal model has the same tokenizer, data and size as the bundled model, but "
                        "it reads left to right and predicts the next token. It guesses each blank from the words "
                        "to its left only.",
    "causal.compare_intro": "A **masked** model fills a blank from the words on **both sides**; a **causal** "
                            "(left-to-right) model, like GPT, can only use the words **before** it. Same blank, two "
                            "guesses:",
    "causal.mlm_chart": "{label}: masked model (both sides)",
    "causal.causal_chart": "{label}: causal model (left side only)",
    "causal.blank_chip": "▢ blank",
    "causal.mlm_reads": "The masked model reads:",
    "causal.causal_reads": "The causal model reads:",
    "causal.earlier_blanks": "A causal model has no mask token: an earlier blank is given to it as its own first "
                             "guess there, as when it writes. It never sees a hidden word.",
    "causal.col_blank": "blank",
    "causal.col_mlm": "masked model's first guess",
    "causal.col_causal": "causal model's first guess",
    "causal.col_hidden": "hidden word",
    "causal.col_mlm_p": "masked model: p(hidden word)",
    "causal.col_causal_p": "causal model: p(hidden word)",
    "causal.not_in_top": "not in its top-k",
    "causal.no_blank": "There is no blank: write [MASK] where a word should be guessed.",
    "causal.disagree_intro": "**Where the two disagree most**, picked automatically from the demo sentences and the "
                             "polysemy set: each model's probability of the actual word, the masked model with the "
                             "word masked, the causal model from the words before it.",
    "causal.disagree_spinner": "Finding the sentences where the two models disagree most…",
    "causal.disagree_none": "No sentence could be scored by both models.",
    "causal.col_sentence": "sentence [word]",
    "causal.col_word": "word",
    "causal.col_mlm_top": "masked model's guess",
    "causal.col_causal_top": "causal model's guess",
    "causal.col_better": "who is closer",
    "causal.better_mlm": "masked model (the right side helps)",
    "causal.better_causal": "causal model",
    "causal.layer": "Layer",
    "causal.head": "Head",
    "causal.axis_from": "from (query)",
    "causal.axis_to": "to (key)",
    "causal.axis_weight": "weight",
    "causal.mlm_attention": "{name} (masked): layer {layer}, head {head}",
    "causal.causal_attention": "{name} (causal): layer {layer}, head {head}",
    "causal.attention_caption": "Left: every token attends to every token, before and after it (bidirectional). "
                                "Right: each token attends only to itself and the tokens to its left, so everything "
                                "above the diagonal is zero: a triangle.",
    "causal.attention_intro": "The same sentence through the masked model and through its left-to-right companion "
                              "(same size, same tokenizer, same data).",
    "causal.tab": "Masked vs left-to-right",
}
