"""The Attention page: selectors, the five tabs and their figures."""
STRINGS = {
    "attention.title": "Attention",
    "attention.caveat": ("Attention weights show where a head looks, not why the model predicts what it does — "
                         "attention is not an explanation."),
    "attention.sentence_help": "Edits here carry over to the Fill-mask page, and back.",
    "attention.tab_heatmap": "Heatmap",
    "attention.tab_head_view": "Head view & token focus",
    "attention.tab_model_view": "Model view",
    "attention.tab_rollout": "Head average, rollout & flow",
    "attention.tab_roles": "Head roles & switching heads off",
    "attention.masked_here": "The words masked on the Fill-mask page are masked here too: {words}",
    # selectors
    "attention.layer": "Layer",
    "attention.layer_help": "0 is the first attention layer.",
    "attention.head": "Head",
    "attention.head_average": "average of all heads",
    "attention.head_n": "head {head}",
    "attention.hide": "Hide {specials} / punctuation",
    "attention.hide_help": ("Drops those rows and columns and rescales each remaining row to sum to 1. "
                            "Many heads park attention on {specials} or '.', which hides the rest."),
    "attention.hidden_note": " (special tokens and punctuation hidden, rows rescaled)",
    "attention.nothing_left": ("Every token is a special token or punctuation, so nothing would be left; "
                               "showing all tokens."),
    "attention.opened_from_model_view": "Opened layer {layer}, head {head} from the model view.",
    # heatmap
    "attention.heatmap_caption": ("Rows: the token that looks (query); columns: the tokens it looks at (key). "
                                  "Each row sums to 1."),
    "attention.heatmap_title": "Layer {layer}, {head}{note}",
    "attention.weights_download": "weights",
    # head view
    "attention.heads_to_draw": "Heads to draw",
    "attention.heads_to_draw_help": "One colour per head. Follows the Head selector above until you pick heads here.",
    "attention.follow": "Follow the Head selector",
    "attention.follow_help": "Draw the head chosen above again (all heads for the average).",
    "attention.threshold": "Threshold: hide weights below",
    "attention.threshold_help": "Lines in the head view are drawn only for weights at or above this value.",
    "attention.focus": "Click a token to see where it attends",
    "attention.no_heads": "Choose at least one head to draw.",
    "attention.head_view_caption": ("Layer {layer}: lines from each token (left) to the tokens it attends to (right); "
                                    "darker = more weight; weights below {threshold:.2f} are not drawn."),
    "attention.head_view_title": "Layer {layer}{note}",
    "attention.focus_source": "'{token}' (layer {layer}, {head})",
    # model view
    "attention.model_view_caption": ("Every head of every layer at once (rows: layers, columns: heads). Click a small "
                                     "map to open that layer and head in the selectors above, or pick them there."),
    # head average and rollout
    "attention.average_intro": "**Head average, layer {layer}**: the mean of the layer's {n} heads.",
    "attention.average_title": "Layer {layer}, average of heads{note}",
    "attention.rollout_intro": ("**Attention rollout** (Abnar & Zuidema, 2020): average the heads of each layer, add "
                                "the identity for the residual connection, rescale rows, and multiply the layers from "
                                "first to last. Row *i* estimates how much each input token flows into position *i* "
                                "at the top. It is still only an approximation of information flow."),
    "attention.residual": "Account for the residual connection",
    "attention.rollout_title": "Rollout over {n} layers{note}",
    # words inside the figures (mlm_core.viz.attention)
    "attention.fig_weight": "weight",
    "attention.fig_to": "to (key)",
    "attention.fig_from": "from (query)",
    "attention.fig_heads": "head",
    "attention.fig_click": "click to open",
    "attention.fig_where": "Where {source} attends",
}
