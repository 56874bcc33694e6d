"""The Attention page's research sections: what each head does, switching heads off, attention flow."""
STRINGS = {
    # head roles
    "heads.roles_title": "What each head does",
    "heads.roles_intro": (
        "For every head, averaged over {n} sentences of the bundled sample: the share of its attention "
        "that goes to the start token, the end token, punctuation, the previous token, the next token and the token "
        "itself, and how spread out it is (entropy, in nats: high = broad, low = focused). Clark et al. (2019), "
        "*What Does BERT Look At?*. A head is coloured by the role that takes at least {share:.0%} of its "
        "attention, grey ('{mixed}') when none does. Click a head to open it."),
    "heads.roles_spinner": "Averaging every head over {n} sentences…",
    "heads.roles_what": "The head-role summary",
    "heads.roles_map_title": "Dominant role of each head ({sentences} sentences, {tokens} tokens)",
    "heads.click_to_open": "click to open",
    "heads.roles_table": "Every head's shares as a table",
    "heads.roles_download": "Head roles",
    "heads.role_punctuation": "punctuation",
    "heads.role_previous": "previous token",
    "heads.role_next": "next token",
    "heads.role_self": "itself",
    "heads.role_mixed": "mixed",
    "heads.open_none": "— click a head in the map or pick one —",
    "heads.open_option": "layer {layer}, head {head} ({role})",
    "heads.open_head": "Open head",
    "heads.share_axis": "share of attention",
    "heads.role_bar_title": "L{layer} H{head}: attention per role",
    "heads.entropy_caption": "Entropy {value:.2f} nats (uniform over 10 tokens would be {uniform:.2f}).",
    "heads.type_sentence": "Type a sentence to see this head's lines on it.",
    "heads.out_of_range": ("Layer {layer}, head {head} is out of range for this sentence's attentions "
                           "({layers} layers × {heads} heads)."),
    "heads.head_view_title": "Layer {layer}, head {head} on this sentence",
    "heads.head_view_caption": ("Lines from each token (left) to the tokens it attends to (right); weights below 0.05 "
                                "are not drawn."),
    # switching heads off
    "heads.ablation_title": "Switch heads off",
    "heads.ablation_intro": ("Pick one or several heads to switch off (their output is zeroed before the layer's "
                             "output projection) and see how each mask's top-k changes. A head whose removal changes "
                             "little is one the prediction does not rely on — for this sentence."),
    "heads.heads_off": "Heads to switch off",
    "heads.typed": "…or type LAYER.HEAD pairs",
    "heads.typed_placeholder": "e.g. 2.3, 0.1",
    "heads.typed_help": "Layers 0..{last_layer}, heads 0..{last_head}.",
    "heads.choose_heads": "Choose at least one head to switch off.",
    "heads.nothing_masked": ("Nothing is masked: mask a word (on the Fill-mask page, or type [MASK]) to see what "
                             "switching heads off changes."),
    "heads.ablation_spinner": "Running the sentence with the heads off…",
    "heads.fp32_note": "Head ablation runs on the model's own fp32 weights, so 'all heads' here is the fp32 top-k.",
    "heads.token_n": "token {index}",
    "heads.ablation_download": "Ablation",
    # attention flow
    "heads.flow_intro": ("**Attention flow** (Abnar & Zuidema, 2020): the same per-layer matrices as rollout, read as "
                         "a flow network; the flow from input token *j* to position *i* at the top is the maximum flow "
                         "between them. Rollout multiplies the matrices (every path counts); flow is limited by each "
                         "path's narrowest edge, so its values are larger and flatter."),
    "heads.flow_too_long": "Attention flow is limited to {limit} tokens (this text has {n}); rollout above covers it.",
    "heads.flow_target": "Flow into position",
    "heads.flow_target_help": ("Flow is costly (one max-flow problem per input token), so it is computed for one "
                               "position at a time, or for every position when the text has at most {n} tokens."),
    "heads.flow_go": "Compute the flow into this position",
    "heads.flow_wait": ("The text has {n} tokens: one position's flow is {n} max-flow problems, which takes a while; "
                        "press the button to compute it."),
    "heads.flow_spinner": "Solving the max-flow problems…",
    "heads.flow_hidden": " (hidden tokens dropped, rows not rescaled)",
    "heads.flow_heatmap_title": "Attention flow over {n} layers{note}",
    "heads.flow_one_row": "The text has {n} tokens: flow is computed for the chosen position only.",
    "heads.rollout": "rollout",
    "heads.flow": "flow",
    "heads.input_token": "input token",
    "heads.share_top": "share reaching the top",
    "heads.flow_bar_title": "Into {target} at the last layer: rollout and flow",
    # table columns
    "heads.col_layer": "layer",
    "heads.col_head": "head",
    "heads.col_dominant": "dominant",
    "heads.col_entropy": "entropy (nats)",
    "heads.col_mask": "mask",
    "heads.col_token": "token",
    "heads.col_piece": "piece",
    "heads.col_all_heads": "all heads",
    "heads.col_heads_off": "heads off",
    "heads.col_change": "change",
    # words inside the figures (mlm_core.viz.heads)
    "heads.fig_cell": "layer {layer}, head {head}",
    "heads.fig_entropy": "entropy: {value:.2f} nats",
    "heads.fig_head": "head",
    "heads.fig_layer": "layer",
    "heads.fig_legend": "dominant role",
    "heads.fig_all": "all heads",
    "heads.fig_without": "without {removed}",
}
