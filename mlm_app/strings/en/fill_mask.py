"""Strings of the Fill-mask page (pages/fill_mask.py, mlm_app/fill_mask_view.py)."""
STRINGS = {
    # page, controls
    "fill_mask.title": "Fill-mask",
    "fill_mask.intro": "Click words to hide them behind a mask and see what the model guesses, with its probabilities.",
    "fill_mask.top_k": "Predictions per mask (top-k)",
    "fill_mask.pieces_toggle": "Work on subword pieces",
    "fill_mask.pieces_help": "Mask single word pieces (tokens) instead of whole words.",
    "fill_mask.classroom_toggle": "Classroom mode (guess first)",
    "fill_mask.classroom_help": "Hide the masked words and the model's predictions until you reveal them, word by "
                                "word, so the class can guess first.",
    "fill_mask.sentence_label": "Sentence (type [MASK] or <mask> for a blank of your own)",
    "fill_mask.sentence_help": "Press Ctrl+Enter (or click outside) to apply.",
    "fill_mask.sentence_shown_help": "Classroom mode hides the masked words: reveal them (or switch classroom mode "
                                     "off) to edit the sentence.",
    "fill_mask.empty": "The sentence is empty: type a sentence (or pick an example) above.",
    "fill_mask.nothing_masked": "Nothing is masked yet: click a word to mask it (or type [MASK] in the sentence).",
    "fill_mask.scores_expander": "Sentence scores in both variants, per token, and minimal pairs",
    # chips
    "fill_mask.chip_blank": "▢ blank {n}",
    "fill_mask.word_chips": "Click words to mask them",
    "fill_mask.piece_chips": "Click pieces to mask them",
    "fill_mask.typed_masks_one": "The sentence has {n} typed mask; typed masks are always masked, so they have no chip.",
    "fill_mask.typed_masks_many": "The sentence has {n} typed masks; typed masks are always masked, so they have no "
                                  "chip.",
    "fill_mask.split_hidden": "A hidden word is split into {n} pieces; each piece is predicted independently, so each "
                              "of its charts shows one piece, never the whole word.",
    "fill_mask.split_word": "'{word}' is split into {n} pieces; each piece is predicted independently, so every chart "
                            "below shows one piece ({pieces}), never the whole word.",
    # reading, predicting
    "fill_mask.predicting": "Predicting the masks…",
    "fill_mask.coverage_what": "{bad} of the {pieces} pieces of this text are {unk} or single characters (or parts of "
                               "characters) of a script its vocabulary lacks, so its predictions here say little.",
    "fill_mask.coverage_bundled": "The model is English-only; {what}",
    "fill_mask.coverage_other": "This model's vocabulary hardly covers this text; {what}",
    # classroom mode
    "fill_mask.hidden_blanks_one": "🙈 {n} blank hidden (one per word, however many pieces it has): make your "
                                   "guesses, then reveal the model's predictions word by word or all at once.",
    "fill_mask.hidden_blanks_many": "🙈 {n} blanks hidden (one per word, however many pieces it has): make your "
                                    "guesses, then reveal the model's predictions word by word or all at once.",
    "fill_mask.reveal_blank": "Reveal blank {n}",
    "fill_mask.reveal_all": "Reveal all",
    # predictions
    "fill_mask.independent": "**Each chart is an independent distribution for one mask**: while the model predicts "
                             "one blank, the other masks stay masked. Taking the top bar of every chart need not give "
                             "words that fit together; the joint fill below fills the blanks one at a time instead.",
    "fill_mask.axis_probability": "probability",
    "fill_mask.no_predictions": "no predictions",
    "fill_mask.no_models": "no models",
    "fill_mask.table_expander": "Predictions as a table",
    "fill_mask.downloads": "Predictions",
    # labels made by the core (mlm_core.inference.fill_mask_post.LabelWords)
    "fill_mask.label_mask": "mask {number}: {word}",
    "fill_mask.label_piece": "mask {number}: {word}, piece {k} of {n} ({piece})",
    "fill_mask.label_typed": "mask {number}: typed mask",
    "fill_mask.label_step_blank": "blank {k}",
    "fill_mask.label_generation_blank": "blank {k} of {n}",
    "fill_mask.label_single_method": "single token: probability at the mask",
    "fill_mask.label_chain_method": "{n} pieces: chain rule left to right, later pieces masked",
    # table columns (the core's row keys; downloads keep them as they are)
    "fill_mask.col_mask_index": "mask_index",
    "fill_mask.col_original": "original",
    "fill_mask.col_rank": "rank",
    "fill_mask.col_token": "token",
    "fill_mask.col_piece": "piece",
    "fill_mask.col_probability": "probability",
    "fill_mask.col_step": "step",
    "fill_mask.col_blank": "blank",
    "fill_mask.col_confidence": "confidence",
    "fill_mask.col_word": "word",
    "fill_mask.col_log_prob": "log_prob",
    "fill_mask.col_pieces": "pieces",
    "fill_mask.col_method": "method",
    # joint fill
    "fill_mask.joint_title": "Joint fill: one blank at a time",
    "fill_mask.joint_intro": "Iterative decoding: the model fills the mask it is **most confident** about, reads the "
                             "sentence again with that word in place, and repeats until no mask is left. Later choices "
                             "can now depend on earlier ones.",
    "fill_mask.joint_spinner": "Filling the masks one at a time…",
    "fill_mask.joint_result": "Joint fill: {text}",
    # target words
    "fill_mask.targets_expander": "Score your own words at a mask",
    "fill_mask.slot": "Mask slot",
    "fill_mask.targets": "Words to try (comma-separated)",
    "fill_mask.targets_placeholder": "e.g. bank, river, shop",
    "fill_mask.targets_hint": "Type one or more words; a word the tokenizer splits into pieces is scored piece by "
                              "piece (chain rule).",
    "fill_mask.scoring": "Scoring…",
    # a second model
    "fill_mask.compare_toggle": "Compare with another model",
    "fill_mask.compare_model": "Second model",
    "fill_mask.compare_placeholder": "Pick a model…",
    "fill_mask.compare_load_failed": "Could not load {model} for the comparison: {error}",
    "fill_mask.compare_load_crashed": "Could not load {model} for the comparison ({kind}: {error}).",
    "fill_mask.compare_loading": "Loading {model}…",
    "fill_mask.compare_by_word": "Masks are matched **by word**: the sentence is re-tokenized with the second model's "
                                 "tokenizer and the same words are masked. Different tokenizers can split a word into "
                                 "different pieces.",
    "fill_mask.compare_running": "Running {model}…",
    "fill_mask.compare_failed": "{model}: {error}",
    "fill_mask.compare_no_token": "{slot}: {model} has no token at this place.",
    "fill_mask.compare_split_one": "{slot}: {first} splits it into {n} piece, {second} into {n2}; the bars compare "
                                   "the first piece of each.",
    "fill_mask.compare_split_many": "{slot}: {first} splits it into {n} pieces, {second} into {n2}; the bars compare "
                                    "the first piece of each.",
    # pseudo-log-likelihood
    "fill_mask.pll_expander": "How likely is the sentence? (pseudo-log-likelihood)",
    "fill_mask.pll_intro": "An MLM gives no probability for a whole sentence, but we can mask **each token in turn** "
                           "and add up the log-probabilities of the real tokens (pseudo-log-likelihood, Salazar et "
                           "al. 2020). Pseudo-perplexity = exp(−PLL / number of tokens): lower means the model finds "
                           "the sentence more natural. It scores the sentence as typed, without the clicked masks, "
                           "and costs one pass per token.",
    "fill_mask.pll_waits": "Its table lists every word of the sentence, so it waits until the hidden words are "
                           "revealed.",
    "fill_mask.pll_button": "Compute pseudo-log-likelihood",
    "fill_mask.pll_spinner": "Masking each token in turn…",
    "fill_mask.pll_metric": "Pseudo-log-likelihood",
    "fill_mask.ppl_metric": "Pseudo-perplexity",
    # generation moved to its own page
    "fill_mask.generation_moved": "Step-by-step generation (filling a sentence of nothing but masks, beside a "
                                  "left-to-right model) has its own page.",
    "fill_mask.generation_link": "Open the Generation page",
}
