"""Strings of the Generation page (pages/generate.py, mlm_app/generate_view.py)."""
STRINGS = {
    "generate.title": "Generation, both ways",
    "generate.intro": (
        "The same number of tokens generated two ways, side by side. On the left the **masked model** starts from a "
        "row of [MASK] tokens and reveals a few at each step, as masked-diffusion language models do (MDLM, 2024; "
        "LLaDA, 2025). On the right the small **causal companion** writes left to right, one token at a time. Replay "
        "each run step by step, then compare the measures below: they show why one text reads better than the other."),
    "generate.no_causal": "The causal companion could not load, so only the masked side runs: {reason}",
    "generate.causal_missing": "The causal companion is not available, so this side is skipped.",
    # settings
    "generate.length": "Length (tokens, the same for both models)",
    "generate.length_help": "From 1 to {limit} tokens: the most both models can read with their special tokens.",
    "generate.mlm_settings": "Masked model: iterative unmasking",
    "generate.causal_settings": "Causal model: left to right",
    "generate.schedule": "Schedule",
    "generate.schedule_steps": "number of steps",
    "generate.schedule_per_step": "tokens per step",
    "generate.steps": "Steps",
    "generate.steps_help": "How many model passes reveal the text; at most the length (used with 'number of steps').",
    "generate.per_step": "Tokens per step",
    "generate.per_step_help": "How many tokens each step reveals (used with 'tokens per step').",
    "generate.order": "Which masked tokens a step reveals",
    "generate.order_confidence": "the most confident ones; remask the rest (low-confidence remasking, LLaDA)",
    "generate.order_random": "a random set (random order, MDLM)",
    "generate.order_help": (
        "Every step predicts all masked positions. Low-confidence remasking keeps the predictions the model is "
        "surest of and masks the others again; random order keeps a random set."),
    "generate.block": "Block length (0: one block)",
    "generate.block_help": (
        "Cut the text into blocks of this many tokens and unmask them one after another, left to right "
        "(LLaDA's semi-autoregressive decoding). 0 unmasks the whole text at once."),
    "generate.decoding": "Choosing each token",
    "generate.decoding_greedy": "greedy",
    "generate.decoding_temperature": "sample (temperature)",
    "generate.decoding_top_k": "sample among the top-k",
    "generate.temperature": "Temperature",
    "generate.temperature_help": "Used when sampling: below 1 sharpens the distribution, above 1 flattens it.",
    "generate.top_k": "k",
    "generate.top_k_help": "Used with 'sample among the top-k': only the k most likely tokens can be drawn.",
    "generate.seed": "Seed",
    "generate.generate": "Generate",
    "generate.running": "Generating both texts and measuring them…",
    "generate.empty_text": "One of the texts is empty, so it has no measures.",
    # results
    "generate.press_generate": "Choose the settings and press **Generate**.",
    "generate.made_by": "{length} tokens each: masked model {mlm}, causal model {causal}.",
    "generate.mlm_heading": "Masked model: unmasking",
    "generate.causal_heading": "Causal model: left to right",
    "generate.final_text": "Generated text",
    "generate.step_back": "Step back",
    "generate.play": "Play",
    "generate.pause": "Pause",
    "generate.step_forward": "Step forward",
    "generate.step": "Step",
    "generate.mlm_step_zero": "**Before step 1 of {n}:** every position is masked.",
    "generate.mlm_step": (
        "**Step {k} of {n}:** {revealed} revealed, {remasked} predicted and masked again (block {block}: "
        "positions {start}–{end})."),
    "generate.causal_step_zero": "**Before token 1 of {n}:** nothing written yet.",
    "generate.causal_step": "**Token {k} of {n}:** '{token}', with probability {p:.2f}.",
    "generate.chip_masked": "still masked",
    "generate.chip_revealed": "revealed at this step",
    "generate.chip_remasked": "predicted at this step, masked again",
    "generate.chip_outside": "waiting for a later block",
    "generate.chip_kept_mlm": "revealed at an earlier step",
    "generate.chip_kept_causal": "written earlier",
    "generate.chip_pending": "not written yet",
    "generate.probability": "probability",
    "generate.confidence": "confidence",
    "generate.alternatives": "most likely",
    "generate.position": "position",
    "generate.step_axis": "step",
    "generate.grid_title": "When each position was revealed, and how confident the model was",
    "generate.strip_title": "The causal model's probability of each token it wrote",
    # measures
    "generate.measures_heading": "Measures of both texts",
    "generate.col_output": "output",
    "generate.col_text": "text",
    "generate.col_perplexity": "causal perplexity",
    "generate.col_pll": "pseudo-log-likelihood",
    "generate.col_pseudo_perplexity": "pseudo-perplexity",
    "generate.col_repetition": "repetition rate (bigrams)",
    "generate.row_mlm": "masked model (unmasking)",
    "generate.row_causal": "causal model (left to right)",
    "generate.explain_perplexity": (
        "**Causal perplexity** (lower is better): how surprised the left-to-right model is by the text, token by "
        "token; a low value means the text reads like the text it was trained on."),
    "generate.explain_pll": (
        "**Pseudo-log-likelihood** (higher, closer to 0, is better): the masked model hides each token in turn and "
        "scores it from both sides; the pseudo-perplexity is the same measure per token (lower is better)."),
    "generate.explain_repetition": (
        "**Repetition rate** (lower is better): the share of word pairs that already appeared earlier in the same "
        "text; 0 means no pair repeats."),
    # note
    "generate.why_heading": "Why BERT-style models struggle to generate",
    "generate.why_text": (
        "A masked model was trained to fill a few blanks in otherwise real text. Starting from nothing but [MASK], it "
        "predicts every blank **independently** given the rest, yet the blanks depend on each other: two blanks can "
        "each pick a likely word that makes no sense next to the other, which gives repeated and generic words. "
        "Iterative unmasking softens this: each step reveals only some positions, so later steps predict the rest "
        "with more real context. **Steps** and **tokens per step** set how many positions are decided together "
        "(fewer per step: fewer clashes, more passes). **Low-confidence remasking** (LLaDA) decides the positions "
        "the model is surest of first; **random order** (MDLM) decides them in any order. **Blocks** go left to "
        "right, bringing back part of the causal model's order. The causal model never faces the problem: each "
        "token is chosen knowing all the tokens before it."),
}
