"""The Masking strategies page (pages/masking.py, mlm_app.masking_view)."""
STRINGS = {
    # the page
    "masking.title": "Masking strategies",
    "masking.intro": "During pre-training a masked language model only learns from the tokens that were **selected**. "
                     "*How* they are chosen and hidden is the masking strategy. Below, the same sentence goes through "
                     "every strategy; then the strategies are measured on a corpus sample; then small models are "
                     "trained with them and compared.",
    "masking.one_sentence": "One sentence, four strategies",
    "masking.measured": "Measured on a corpus sample",
    "masking.shipped": "Experiments that ship with the app",
    "masking.train_compare": "Train and compare",
    "masking.compare_intro": "Train one small model per strategy on the **same corpus** with the **same budget** (tiny "
                             "preset, same steps, batch, seed and validation data), then compare them, scored as the "
                             "shipped experiments are and judged against their seed-to-seed spread. The default pair, "
                             "bert and mask-only, differs clearly within the default budget: on the tokens a model sees "
                             "unmasked.",
    # the strategies
    "masking.strategy_bert": "each token on its own; 80% → [MASK], 10% → random, 10% kept",
    "masking.strategy_mask_only": "each token on its own; every selected token → [MASK]",
    "masking.strategy_whole_word": "all pieces of a word together (no word is half-hidden)",
    "masking.strategy_span": "runs of whole words (SpanBERT), lengths drawn from a geometric distribution",
    # settings
    "masking.rate": "Selection rate",
    "masking.rate_help": "Share of (non-special) tokens the model must predict.",
    "masking.mask_pct": "…of which → [MASK] (%)",
    "masking.random_pct": "…→ random token (%)",
    "masking.random_help": "The rest are kept unchanged (BERT's 80-10-10 by default). mask-only ignores both.",
    "masking.shares_capped": "[MASK] + random is {total}%; using {random}% random so the shares add up to 100%.",
    "masking.seed": "Seed",
    "masking.seed_help": "The same seed gives the same masking; re-roll for another draw.",
    "masking.reroll": "Re-roll",
    "masking.kept_note": "Kept unchanged: {kept}% of the selected tokens.",
    # one sentence, every strategy
    "masking.sees": "What the model sees",
    "masking.predicts": "What it must predict",
    "masking.predicted_count": "{predicted} of {tokens} tokens predicted",
    "masking.span_lengths": " · span lengths (words): {lengths}",
    "masking.nothing_selected": " · nothing selected this time: re-roll",
    "masking.no_prediction": "“·” means no prediction (and no loss) at that position. Every strategy predicts the "
                             "*original* token, also where it was kept or replaced by a random one.",
    # measured statistics
    "masking.measuring": "Measuring the strategies on the sample corpus…",
    "masking.measured_caption": "About {tokens:,} tokens of the bundled sample corpus (public-domain fiction), "
                                "tokenized by **{model}**, in sequences of 128 tokens, same seed as above.",
    "masking.no_spans": "— (no spans)",
    "masking.col_strategy": "strategy",
    "masking.col_tokens": "tokens",
    "masking.col_selected": "selected rate",
    "masking.col_masked": "→ [MASK]",
    "masking.col_random": "→ random",
    "masking.col_kept": "kept",
    "masking.col_split": "words split",
    "masking.col_span": "mean span (words)",
    "masking.span_help": "Mean length of the spans placed, in words; only the span strategy places spans.",
    "masking.configured": "Configured: {rate:.0%} selected. *→ [MASK] / → random / kept* are shares of the selected "
                          "tokens. *Words split*: words with some pieces selected and others not — token-level "
                          "strategies give the model half a word as a hint; whole-word and span never do.",
    "masking.statistics": "statistics",
    "masking.share_title": "What happens to the tokens",
    "masking.span_title": "span: span lengths drawn, placed and the target",
    "masking.span_caption": "Span lengths are drawn from SpanBERT's distribution: Geometric(0.2) truncated at 10 words "
                            "by renormalising (mean 3.8). A span that would pass the 15% budget or the end of a "
                            "sequence is shortened where it is placed, so placed spans are a little shorter than drawn "
                            "ones.",
    # shipped experiments
    "masking.no_shipped": "No shipped experiments found (mlm_core/data/experiments/).",
    "masking.shipped_intro": "Tiny models (2 layers × 128, a 2,000-token vocabulary, 300 steps of 16 × 64 tokens of "
                             "the sample corpus), **3 seeds per setting**, every run scored the same way on the same "
                             "held-out text: 15% of the tokens → [MASK] one by one (*token*), in whole words "
                             "(*whole-word*) or in spans (*span*), and two scores with no [MASK] at all: tokens left as "
                             "they are (*kept*: how the model treats the tokens it sees, as in fine-tuning) and tokens "
                             "replaced by a random one (*random*). Bands and error bars run from the lowest to the "
                             "highest seed; a difference inside them is **no clear difference**.",
    "masking.accuracy_title": "After training: top-1 accuracy per evaluation",
    "masking.losses_title": "After training: loss under each [MASK] evaluation (lower is better)",
    "masking.reading": "What the numbers say",
    "masking.reproduce": "Reproduce it (its {runs} runs took {duration} of training in all, {jobs} at a time on "
                         "{cpus} CPU cores; made {created}):",
    "masking.final_metrics": "final metrics (mean and spread per setting)",
    "masking.metric": "{kind} ({evaluation})",
    "masking.metric_loss": "loss",
    "masking.metric_accuracy": "top-1 accuracy",
    "masking.eval_token": "15% of the tokens → [MASK]",
    "masking.eval_whole_word": "15% of the tokens, in whole words → [MASK]",
    "masking.eval_span": "15% of the tokens, in SpanBERT spans of words → [MASK]",
    "masking.eval_kept": "15% of the tokens to predict, left unchanged (no [MASK] anywhere)",
    "masking.eval_random": "15% of the tokens replaced by a random token, the original to predict",
    # train and compare
    "masking.strategies": "Strategies (2 to 4)",
    "masking.steps": "Steps per model",
    "masking.steps_help": "Each step is {batch} sequences of {seq} tokens.",
    "masking.corpus": "Corpus",
    "masking.budget": "Budget: {steps} steps × {batch} × {seq} tokens per model ({tokens:,} tokens), tiny preset, "
                      "masking as set above ({rate:.0%} selected, {mask}/{random}/{kept}). Roughly {duration} on 2 CPU "
                      "cores. One training runs at a time on this server.",
    "masking.reference_applies": "With these settings the shipped experiment (3 seeds) is the reference: its "
                                 "seed-to-seed spread decides whether a difference is clear.",
    "masking.reference_not": "The shipped experiments' spread is the reference only with the default settings "
                             "(sample corpus, {steps} steps, 15% selected, 80/10/10); with these, the table ranks "
                             "without a verdict.",
    "masking.start": "Train and compare",
    "masking.busy_own_compare": "Your comparison is running (progress below); a new one can start when it ends.",
    "masking.busy_own_train": "Your training is running (progress on the Train page); a comparison can start when it "
                              "ends.",
    "masking.busy_other": "Another session's training is running on this server; a new comparison can start when it "
                          "ends.",
    "masking.choose_two": "Choose at least two strategies.",
    # progress
    "masking.compare_title": "Compare {names}",
    "masking.status_running": "Training",
    "masking.status_stopping": "Stopping",
    "masking.status_finished": "Finished",
    "masking.status_failed": "Failed",
    "masking.status_interrupted": "Cancelled",
    "masking.run_pending": "pending",
    "masking.run_running": "running",
    "masking.run_finished": "finished",
    "masking.run_interrupted": "interrupted",
    "masking.run_failed": "failed",
    "masking.run_skipped": "skipped",
    "masking.run_step": " · {label}: step {step}/{total} · loss {loss:.2f} · {speed:,.0f} tokens/s · about {left} left",
    "masking.run_preparing": " · {label}: preparing the tokenizer and data…",
    "masking.loss_all_title": "Training loss (smoothed), all runs",
    "masking.cancel": "Cancel",
    "masking.cancelling": "Stopping after the current step…",
    # results
    "masking.cancelled": "The comparison was cancelled; runs that had not finished were deleted.",
    "masking.clear": "Clear results",
    "masking.clear_help": "Your results stay here, whoever trains next, until you clear them; the models stay in the "
                          "sidebar.",
    "masking.results": "Results",
    "masking.col_model": "model",
    "masking.col_steps": "steps",
    "masking.col_val_accuracy": "val masked-token accuracy",
    "masking.col_val_loss": "val loss",
    "masking.col_ppl": "pseudo-perplexity",
    "masking.col_train_loss": "train loss",
    "masking.col_time": "time (s)",
    "masking.col_eval": "{evaluation} eval {kind}",
    "masking.col_verdict": "verdict ({column})",
    "masking.kind_loss": "loss",
    "masking.kind_accuracy": "accuracy",
    "masking.verdict_caption": "**Verdict** on {metric}: a difference counts as clear only when it is larger than the "
                               "seed-to-seed spread of the shipped runs with the same settings ({spread:.1f} points); "
                               "within it the table says *no clear difference* instead of ranking noise. *kept eval "
                               "accuracy*: tokens the model must predict while it sees them unchanged (no [MASK] "
                               "anywhere), as in fine-tuning. At this budget no model has yet learned to use the "
                               "context for [MASK] (they mostly guess frequent tokens), so the [MASK] losses mostly end "
                               "within the spread.",
    "masking.validation_caption": "Validation and the *token / whole-word / span eval* columns: 15% of held-out tokens "
                                  "replaced by [MASK] (the same positions for every model), one by one, in whole words "
                                  "or in spans; higher accuracy and lower loss are better. Pseudo-perplexity (lower is "
                                  "better) masks each token of these sentences in turn: {sentences}",
    "masking.results_label": "results",
    "masking.val_over_shipped": "Validation loss: now (×) over the shipped runs' seed bands",
    "masking.metric_now": "{metric}: now (×) and the shipped runs",
    "masking.val_title": "Validation loss (15% mask-only)",
    "masking.val_axis": "validation loss",
    "masking.guesses": "Each model's guesses for the same masked sentence",
    "masking.probe": "Sentence with one [MASK]",
    "masking.write_mask": "Write [MASK] in the sentence to see the models' guesses.",
    "masking.top5": "Top-5 guesses at the first [MASK]",
    "masking.kept_models": "The comparison models are kept as trained models: pick them in the sidebar as {names}.",
    # figure words (mlm_core.viz.masking.TEXTS; {x} / {y} are the hovered values)
    "masking.fig_no_spans": "no spans",
    "masking.fig_no_strategies": "no strategies",
    "masking.fig_no_runs": "no runs",
    "masking.fig_span_length": "span length (words)",
    "masking.fig_count": "count",
    "masking.fig_share_of_spans": "share of spans",
    "masking.fig_share_of_tokens": "share of tokens",
    "masking.fig_hover_count": "length {x}: {y}",
    "masking.fig_drawn": "drawn (mean {mean})",
    "masking.fig_placed": "placed (mean {mean})",
    "masking.fig_target": "target: Geometric({p}) truncated at {max} (mean {mean})",
    "masking.fig_hover_drawn": "length {x}: {y} of spans drawn",
    "masking.fig_hover_placed": "length {x}: {y} of spans placed",
    "masking.fig_hover_target": "length {x}: {y} expected",
    "masking.fig_step": "step",
    "masking.fig_evaluation": "evaluation",
    "masking.fig_axis": "{kind}, {evaluation} evaluation",
    "masking.fig_kind_accuracy": "top-1 accuracy",
    "masking.fig_kind_loss": "loss",
    "masking.fig_seed_range": "{name} seed range",
    "masking.fig_shipped": "{name} (shipped, {n} seeds)",
    "masking.fig_hover_mean": "{name} step {x}: mean {y} (seeds {low}–{high})",
    "masking.fig_now": "{name} (now)",
    "masking.fig_hover_now": "{name} now, step {x}: {y}",
    "masking.fig_hover_final": "{name}, {x} evaluation: mean {y}",
    "masking.fig_action_masked": "masked",
    "masking.fig_action_random": "random",
    "masking.fig_action_kept": "kept",
    "masking.fig_action_untouched": "untouched",
    "masking.fig_action_selected": "selected",
    "masking.fig_desc_masked": "replaced by the mask token",
    "masking.fig_desc_random": "replaced by a random token",
    "masking.fig_desc_kept": "selected but left unchanged",
    "masking.fig_desc_untouched": "not selected (no loss)",
    "masking.fig_cue_masked": "bold, dotted border",
    "masking.fig_cue_random": "wavy underline",
    "masking.fig_cue_kept": "double underline",
    "masking.fig_cue_untouched": "plain",
    "masking.fig_piece": "piece",
    # the shipped experiments (mlm_core.training.experiments.EXPERIMENTS), by name
    "masking.exp_title_strategies": "Four masking strategies at 15%",
    "masking.exp_question_strategies": "Does it matter how the 15% are chosen: single tokens (bert, mask-only), whole "
                                       "words, or spans of words?",
    "masking.exp_title_mask_rate": "Masking rate: 15% to 80%",
    "masking.exp_question_mask_rate": "Should you mask 15%? (Wettig et al. 2023) The same budget of steps, more or "
                                      "fewer tokens to predict.",
    "masking.exp_title_ablation": "Why 80/10/10? What the random and kept shares are for",
    "masking.exp_question_ablation": "BERT replaces only 80% of the selected tokens by [MASK]; 10% become a random "
                                     "token and 10% stay. What do the random and kept shares buy? Measured where no "
                                     "[MASK] is shown: tokens left as they are (kept) and tokens replaced by a random "
                                     "one (random).",
}
