"""The Lesson page: the study note's steps, their explanations and widgets, and the three questions."""
STRINGS = {
    "lesson.title": "Lesson: how a masked language model learns, and what it is for",
    "lesson.intro": "A walk through the study note for the classroom, one step at a time. Every step is live on the "
                    "model picked in the sidebar. The address bar keeps the step, so a shared link opens the same "
                    "step.",
    "lesson.back": "Back",
    "lesson.next": "Next",
    "lesson.jump": "Go to step",
    "lesson.step_of": "Step {n} of {total}",
    "lesson.sentence_label": "The class's sentence (shared with the other pages)",
    "lesson.pick_blank": "Click the word to hide",
    "lesson.typed_mask_note": "The sentence has a [MASK] typed in it: that is the blank.",
    "lesson.no_words": "The sentence has no word to hide: type a sentence, or put [MASK] where the blank should be.",

    # 1. fill in the blank
    "lesson.fill.title": "Fill in the blank",
    "lesson.fill.explain": "A **masked language model** (MLM) is trained on one task: some words of a sentence are "
                           "hidden, and it must guess them. It reads the **whole** sentence at once, so the words on "
                           "**both sides** of the blank count: *deposit money*, after the blank, is what points to a "
                           "bank. Hide another word or change the sentence, and see what the model guesses.",
    "lesson.fill.reads": "The model reads: `{text}`",
    "lesson.fill.spinner": "Guessing the blank…",
    "lesson.label_mask": "blank {number}: {word}",
    "lesson.label_piece": "blank {number}: {word}, piece {k} of {n} ({piece})",
    "lesson.label_typed": "blank {number}: a typed [MASK]",
    "lesson.fill.split": "The tokenizer splits '{word}' into {n} pieces: each piece is a blank of its own, guessed on "
                         "its own, so no chart shows the whole word.",
    "lesson.fill.rank": "The hidden word '{word}' is guess number {rank} ({p}).",
    "lesson.fill.not_in_top": "The hidden word '{word}' is not among the model's top {k} guesses.",
    "lesson.fill.more": "More on the Fill-mask page: several blanks, classroom mode, other models",

    # 2. 15% and 80/10/10
    "lesson.masking.title": "15% of the tokens, and 80/10/10",
    "lesson.masking.explain": "In pre-training, BERT selects about **15%** of the tokens for the model to predict; "
                              "the loss counts only those. Of the selected tokens **80%** become [MASK], **10%** a "
                              "random token and **10%** stay as they are. Here is BERT's rule applied to the class's "
                              "sentence: draw again to see another choice. Then: what small experiments shipped with "
                              "this app measured about these numbers.",
    "lesson.masking.sees": "What the model sees",
    "lesson.masking.predicts": "What it must predict (· = nothing, no loss)",
    "lesson.masking.draw_again": "Draw again",
    "lesson.masking.legend": "Bold with a dotted border: replaced by [MASK] · wavy underline: replaced by a random "
                             "token (the original in brackets) · double underline: selected but left unchanged · "
                             "plain: not selected.",
    "lesson.masking.counts": "This draw: **{selected}** of {tokens} tokens selected, {masked} → [MASK], "
                             "{random} → a random token, {kept} left unchanged.",
    "lesson.masking.none_selected": "Nothing was selected this time (a short sentence has few tokens): draw again.",
    "lesson.masking.many_title": "The same rule over {draws} copies of the sentence",
    "lesson.masking.col_selected": "selected",
    "lesson.masking.col_mask": "of those → [MASK]",
    "lesson.masking.col_random": "→ random token",
    "lesson.masking.col_kept": "→ unchanged",
    "lesson.masking.many_caption": "In one short sentence the counts jump from draw to draw; over many draws they "
                                   "settle near 15% and 80/10/10.",
    "lesson.masking.more": "More on the Masking strategies page: whole-word and span masking, training and comparing",

    # 2b. the shipped experiments
    "lesson.exp.title": "What the shipped experiments measured",
    "lesson.exp.intro": "Tiny models (2 layers, 300 training steps, 3 seeds per setting), trained on the same text "
                        "with different choices and scored the same way. A difference counts only when it is larger "
                        "than the spread between seeds.",
    "lesson.exp.missing": "The experiment files are missing (mlm_core/data/experiments/).",
    "lesson.exp.tab_ablation": "Why 80/10/10?",
    "lesson.exp.tab_rate": "Why 15%?",
    "lesson.exp.chart_title": "Top-1 accuracy where the input shows no [MASK]",
    "lesson.exp.axis_evaluation": "evaluation",
    "lesson.exp.axis_accuracy": "top-1 accuracy",
    "lesson.exp.eval_kept": "token shown as it is",
    "lesson.exp.eval_random": "token replaced by a random one",
    "lesson.exp.legend": "[MASK] / random / unchanged",
    "lesson.exp.points": "{value} points",
    "lesson.exp.clear": "a clear difference (more than the seed spread of {spread})",
    "lesson.exp.unclear": "within the seed spread of {spread}, so no clear difference",
    "lesson.exp.kept": "**Shown the token itself**, the model trained with [MASK] only (100/0/0) gets {mask_only} "
                       "right, the one trained with 80/10/10 gets {bert}: {verdict}. Never asked to predict a token it "
                       "can see, the [MASK]-only model has not learned to pass visible tokens on, and after "
                       "pre-training every token is visible. 80/0/20 gets {no_random}: it keeps the most.",
    "lesson.exp.random": "**Given a random token in place of the original**, 80/0/20 (never a wrong token in "
                         "training) restores {no_random} of them: it copies what it sees. 80/10/10 restores {bert}: "
                         "{verdict}. At this budget even 80/10/10 rarely repairs a random token; the random share is "
                         "there so that the model does not trust every token it sees.",
    "lesson.exp.baseline": "At this small budget no model uses the context for [MASK] yet: the best gets {best} of "
                           "the [MASK] tokens right, and always guessing the most frequent token gets {unigram}. What "
                           "the settings change here is how the model treats the tokens it can see.",
    "lesson.exp.col_rate": "masking rate",
    "lesson.exp.col_loss": "[MASK] loss (lower is better)",
    "lesson.exp.col_accuracy": "[MASK] accuracy",
    "lesson.exp.col_kept": "accuracy on visible tokens",
    "lesson.exp.rate": "On the same 15% [MASK] test, the lowest loss is {best} ({best_loss}, against {loss_15} for "
                       "15%): {verdict}.",
    "lesson.exp.rate_best_15": "On the same 15% [MASK] test, 15% has the lowest loss.",
    "lesson.exp.rate_note": "15% is a convention, not a law: Wettig et al. (2023) found that masking 40% can work "
                            "better than 15% for larger models.",
    "lesson.exp.reading": "Every number of this experiment, in words (English)",

    # 3. full vs causal attention
    "lesson.attention.title": "Full vs causal attention",
    "lesson.attention.explain": "This is where the two kinds of model differ. In an MLM (an **encoder-only** model "
                                "such as BERT) every token attends to **every** token, left and right: the attention "
                                "map is a full square. A causal LM (such as GPT) lets each token see only itself and "
                                "the tokens **before** it: the map is a triangle, with the upper half empty. The "
                                "causal companion here has the same blocks, tokenizer and size as the bundled MLM, "
                                "so the direction of attention (and the training objective) is the only difference.",
    "lesson.attention.more": "More on the Attention page: every layer and head, head view, rollout",

    # 4. 'bank' in two sentences
    "lesson.bank.title": "'bank' in two sentences",
    "lesson.bank.explain": "A static word embedding gives *bank* one vector, whatever the sentence. An MLM gives it a "
                           "new vector in every sentence, built from the context on both sides, so one word with two "
                           "meanings (**polysemy**) gets two kinds of vector. At the input (layer 0) the two *bank*s "
                           "below are the same vector; at the model's sense layer they have moved apart. The "
                           "projection shows *bank* in more sentences of both senses.",
    "lesson.bank.sentence_a": "Sentence A",
    "lesson.bank.sentence_b": "Sentence B",
    "lesson.bank.spinner": "Reading the sentences…",
    "lesson.bank.missing": "'{word}' must appear in both sentences (missing in: {which}).",
    "lesson.bank.cosine_static": "cosine similarity of the two 'bank's at layer 0 (static embedding)",
    "lesson.bank.cosine_layer": "cosine similarity at layer {layer} (the sense layer)",
    "lesson.bank.layer_stored": "Layer {layer} is where this model separates word senses best (chosen on labelled "
                                "sentences and stored with the model).",
    "lesson.bank.layer_top": "This model stores no sense layer, so its top layer ({layer}) is used.",
    "lesson.bank.by_layer": "Cosine by layer: {values}.",
    "lesson.bank.point_a": "sentence A",
    "lesson.bank.point_b": "sentence B",
    "lesson.bank.sense": "sense",
    "lesson.bank.projection_title": "'{word}' at layer {layer}: PCA of {n} sentences",
    "lesson.bank.projection_caption": "Each point is '{word}' in one sentence; colour and marker shape give its sense "
                                      "(hover for the sentence). PCA keeps the two directions along which the vectors "
                                      "vary most, so distances in the picture are only approximate.",
    "lesson.bank.more": "More on the Polysemy page: other words, every layer, t-SNE and UMAP",

    # 5. the two models at the same blank
    "lesson.predictions.title": "MLM vs causal LM at the same blank",
    "lesson.predictions.explain": "Hide the same word from both models. The MLM reads the words on **both sides** of "
                                  "the blank; the causal LM reads only the words to its **left**, so for *I went to "
                                  "the ___* it must guess without *deposit money*. Compare their guesses and the "
                                  "probability each gives the hidden word: this is why MLMs are the better choice for "
                                  "understanding a given text.",

    # 6. generation
    "lesson.generation.title": "Generation",
    "lesson.generation.explain": "To write, a causal LM adds one token at a time, each chosen from the text so far: "
                                 "exactly what it was trained to do. An MLM has no such order. One can still start "
                                 "from a row of [MASK]s and fill them in one by one (iterative unmasking), but the "
                                 "length is fixed in advance and each blank was trained to be guessed from real text "
                                 "around it, so the result tends to repeat itself and not hang together. Both are "
                                 "generated here with the same length and the same rule for choosing tokens.",
    "lesson.generation.length": "Length (tokens)",
    "lesson.generation.choice": "Choice of tokens",
    "lesson.generation.greedy": "greedy (the most likely)",
    "lesson.generation.sampled": "sampled (temperature 0.8, top-k 40)",
    "lesson.generation.again": "Draw again",
    "lesson.generation.spinner": "Generating both texts…",
    "lesson.generation.mlm": "MLM, iterative unmasking",
    "lesson.generation.causal": "Causal LM, left to right",
    "lesson.generation.col_model": "model",
    "lesson.generation.col_causal": "causal perplexity",
    "lesson.generation.col_pseudo": "pseudo-perplexity",
    "lesson.generation.col_repetition": "repeated word pairs",
    "lesson.generation.caption": "Causal perplexity: how natural the causal companion finds the text; "
                                 "pseudo-perplexity: the same from the MLM, masking one token at a time (lower is more "
                                 "natural for both). Each model tends to favour its own kind of text, so read both "
                                 "columns. Repeated word pairs: the share of word pairs that already occurred earlier "
                                 "in the text.",
    "lesson.generation.more": "The Generation page: both generators step by step, with every setting",

    # 7. the three questions
    "lesson.questions.title": "Three questions",
    "lesson.questions.explain": "Answer each question in your own words first, then reveal the answer.",
    "lesson.questions.show": "Show the answer",
    "lesson.questions.hide": "Hide the answer",
    "lesson.questions.show_all": "Show all answers",
    "lesson.questions.q1": "1. What is a masked language model better at than a causal language model?",
    "lesson.questions.a1": "At **understanding** a text that is given whole. Each token's vector is built from the "
                           "context on **both sides**, so an MLM is the better base for classification (sentiment, "
                           "topic, entailment), for extraction (named entities, the answer span in question "
                           "answering), for filling in blanks, and for contextual embeddings (search, clustering, the "
                           "two senses of *bank*). A causal LM sees only the left context of each token; it is better "
                           "at **generating** text, because predicting the next token is how text is written.",
    "lesson.questions.q2": "2. Why 80/10/10, and not always [MASK]?",
    "lesson.questions.a2": "- **[MASK] never appears after pre-training.** In fine-tuning and in use the input is "
                           "ordinary text. A model that only ever predicted at [MASK] positions has learned nothing "
                           "about the tokens it can see: pre-training and use would not match.\n"
                           "- **10% random tokens**: any visible token might be wrong, so the model has to check "
                           "every token against its context, not only the [MASK]s.\n"
                           "- **10% unchanged tokens**: the model also predicts words it can see, which pulls each "
                           "token's representation toward the word actually observed.\n\n"
                           "Step 2's experiment shows the first point: trained with [MASK] only, the tiny model gets "
                           "far fewer visible tokens right than with 80/10/10.",
    "lesson.questions.q3": "3. Why can BERT not simply generate text?",
    "lesson.questions.a3": "- **No left-to-right factorisation.** A causal LM writes p(text) = p(w₁)·p(w₂ | w₁)·…, "
                           "one next token at a time. BERT gives no probability of a whole text: it predicts each "
                           "blank **independently**, given the rest.\n"
                           "- **A fixed length, and blanks that depend on each other.** The number of [MASK]s must "
                           "be chosen in advance, and blanks guessed at the same time need not fit together.\n"
                           "- **It was not trained to continue text.** It learned to fill about 15% of blanks in "
                           "otherwise real text, never to write from almost nothing; among mostly [MASK]s it has "
                           "little context to go on. Step 6 shows the result.",
}
