"""The shared sentence box and the example picker (mlm_app.sentence_box)."""
STRINGS = {
    "sentence.label": "Sentence (shared with the other pages)",
    "sentence.examples": "Example sentences",
    "sentence.examples_placeholder": "Pick an example sentence…",
}
