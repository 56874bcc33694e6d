"""The home page (app.py): what masked language modelling is, and where each page is."""
STRINGS = {
    "home.intro": """
A **masked language model** (MLM) learns by filling in blanks. During training about **15% of the tokens** are
selected; of those, **80%** are replaced by a `[MASK]` token, **10%** by a random token and **10%** are left
unchanged, and the model must recover the originals. Because it reads the whole sentence at once, the model uses
**bidirectional context**: words on both sides of the blank.

Models trained this way are **encoder-only** Transformers, such as **BERT**, **RoBERTa**, **ALBERT**,
**DistilBERT**, **ELECTRA**'s generator and **ModernBERT**. They give rich contextual word vectors, but they are
**not built to generate text**: they predict each blank from the words around it, with no left-to-right order
and a fixed number of blanks, so "writing" with one means guessing many blanks that depend on each other
(the Generation page writes by unmasking beside a left-to-right model, so you can see why that goes wrong).

Everything here runs on the **bundled model**, a small model trained by this project, with no network; pick another
model in the sidebar at any time.
""",
    "home.pages": "Pages",
    "home.link_lesson": "Lesson: the study note's story, step by step, for a class",
    "home.link_fill_mask": "Fill-mask: click words to mask them and see the model's guesses",
    "home.link_attention": "Attention: heatmaps, head view, model view, rollout",
    "home.link_polysemy": "Polysemy: how 'bank' gets different vectors in different contexts",
    "home.link_masking": "Masking strategies: see them and train small models with them",
    "home.link_generate": "Generation: writing by unmasking beside a left-to-right model, step by step",
    "home.link_train": "Train: your own small MLM on your own text",
}
