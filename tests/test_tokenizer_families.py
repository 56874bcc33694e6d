"""Real tokenizers of the other families (byte-level BPE as RoBERTa and ModernBERT ship it, SentencePiece-style
Unigram as ALBERT): target scoring on the tokenizer's own pieces, words without spaces, padded vocabularies,
display text of tokens, and a note for scripts the vocabulary does not cover. Real tokenizers, real forward passes.

New APIs are imported inside the tests, so that each test fails on its own against code that lacks them.
"""
from __future__ import annotations

import pytest
import torch

from mlm_core.inference.analysis import all_mask_ids, analyze, iterative_fill, mask_slots, score_targets
from tests.conftest import NATIVE_FAMILIES, NATIVE_VOCAB, VOCAB_PADDING

SENTENCE = "The cat sat on the [MASK]."
TARGETS = ["mat", "hippopotamus", "cat", "Thames", "river"]


def _trimmed(text: str, span: tuple[int, int]) -> str:
    return text[span[0]:span[1]].strip()


def own_pieces(tok, sentence: str, start: int, word: str) -> tuple[list[int], list[int]]:
    """(ids of `sentence`, positions of the tokens covering the characters of `word` at `start`), by the
    tokenizer's own char_to_token: what the tokenizer gives for the word in this context."""
    enc = tok(sentence)
    positions = sorted({enc.char_to_token(i) for i in range(start, start + len(word))} - {None})
    return list(enc["input_ids"]), positions


def chain_rule(lm, ids: list[int], positions: list[int]) -> float:
    """log p of the tokens at `positions`, left to right, later ones masked, by full forward passes."""
    ids = list(ids)
    pieces = [ids[p] for p in positions]
    for p in positions:
        ids[p] = lm.tokenizer.mask_token_id
    total = 0.0
    for p, piece in zip(positions, pieces):
        with torch.no_grad():
            logits = lm.model(input_ids=torch.tensor([ids])).logits[0, p]
        total += float(torch.log_softmax(logits, -1)[piece])
        ids[p] = piece
    return total


# ---------------------------------------------------------------- 0. the fixtures are what they claim


def test_family_tokenizers_are_real_and_behave_like_the_released_ones(native_models):
    expected_offsets = {"roberta": "cat", "modernbert": " cat", "albert": "cat"}
    expected_piece = {"roberta": "Ġcat", "modernbert": "Ġcat", "albert": "▁cat"}
    expected_names = {"roberta": ("<s>", "</s>", "<mask>"), "modernbert": ("[CLS]", "[SEP]", "[MASK]"),
                      "albert": ("[CLS]", "[SEP]", "[MASK]")}
    families = {"roberta": "roberta", "modernbert": "modernbert", "albert": "albert"}
    for kind in NATIVE_FAMILIES:
        lm = native_models[kind]
        tok = lm.tokenizer
        assert tok.is_fast and len(tok) == NATIVE_VOCAB  # the trained vocabulary, never a 5-token one
        assert lm.info.family == families[kind]
        assert (tok.cls_token, tok.sep_token, tok.mask_token) == expected_names[kind]
        enc = tok("The cat sat.", return_offsets_mapping=True)
        pieces = tok.convert_ids_to_tokens(enc["input_ids"])
        k = pieces.index(expected_piece[kind])
        a, b = enc["offset_mapping"][k]
        assert "The cat sat."[a:b] == expected_offsets[kind], kind
        # the mask token strips the space before it (lstrip), as the released tokenizers do
        masked = tok(f"on the {tok.mask_token}.")["input_ids"]
        assert masked[masked.index(tok.mask_token_id) - 1] == tok.convert_tokens_to_ids(
            "Ġthe" if kind != "albert" else "▁the")
        assert lm.info.hidden == 64 and lm.info.layers == 2
    padded = native_models["modernbert"]
    assert padded.model.config.vocab_size == len(padded.tokenizer) + VOCAB_PADDING
    assert native_models["roberta"].model.config.vocab_size == len(native_models["roberta"].tokenizer)


# ---------------------------------------------------------------- 1. offsets: targets, words, clicked words


@pytest.mark.parametrize("kind", NATIVE_FAMILIES)
def test_target_is_scored_on_the_tokenizers_own_pieces_in_context(native_models, kind):
    lm = native_models[kind]
    tok = lm.tokenizer
    text = lm.normalise_masks(SENTENCE)
    a = analyze(lm, text)
    slot = mask_slots(a)[0]
    start = text.index(tok.mask_token)
    for score in score_targets(lm, a, slot, TARGETS):
        sentence = text.replace(tok.mask_token, score.word)
        ids, positions = own_pieces(tok, sentence, start, score.word)
        assert score.pieces == tok.convert_ids_to_tokens([ids[p] for p in positions]), (kind, score.word)
        assert score.log_prob == pytest.approx(chain_rule(lm, ids, positions), abs=1e-4), (kind, score.word)


@pytest.mark.parametrize("kind", NATIVE_FAMILIES)
def test_clicked_word_is_scored_on_its_own_pieces_with_the_other_masks_kept(native_models, kind):
    lm = native_models[kind]
    tok = lm.tokenizer
    text = "The cat sat on the mat near the river."
    base = analyze(lm, text)
    words = {w.text: w for w in base.words}
    positions = words["mat"].token_indices + words["river"].token_indices  # two clicked words
    a = analyze(lm, text, mask_positions=positions)
    slots = mask_slots(a)
    assert slots == [words["mat"].token_indices, words["river"].token_indices]
    start = text.index("mat")
    for score in score_targets(lm, a, slots[0], ["bank", "hippopotamus"]):
        sentence = text[:start] + score.word + text[start + 3:]
        ids, pieces = own_pieces(tok, sentence, start, score.word)
        assert score.pieces == tok.convert_ids_to_tokens([ids[p] for p in pieces]), (kind, score.word)
        # the other clicked word stays masked: its pieces, found in the substituted sentence
        _, river = own_pieces(tok, sentence, sentence.index("river"), "river")
        for p in river:
            ids[p] = tok.mask_token_id
        assert score.log_prob == pytest.approx(chain_rule(lm, ids, pieces), abs=1e-4), (kind, score.word)


@pytest.mark.parametrize("kind", NATIVE_FAMILIES)
def test_words_have_no_surrounding_whitespace_and_masks_cover_exactly_the_word(native_models, kind):
    lm = native_models[kind]
    tok = lm.tokenizer
    text = "The cat sat on the mat, unbelievably  happy!"
    a = analyze(lm, text)
    enc = tok(text)
    texts = [w.text for w in a.words]
    assert texts == ["The", "cat", "sat", "on", "the", "mat", ",", "unbelievably", "happy", "!"], kind
    for w in a.words:
        assert w.text == w.text.strip() and text[w.start:w.end] == w.text
        covering = {enc.char_to_token(i) for i in range(w.start, w.end)} - {None}
        assert set(w.token_indices) == covering, (kind, w.text)
        masked = analyze(lm, text, mask_positions=w.token_indices)
        assert masked.mask_positions == w.token_indices
        assert mask_slots(masked) == [w.token_indices]
    for a_, b_ in a.offsets:
        assert text[a_:b_] == text[a_:b_].strip()  # no offset starts or ends with a space


@pytest.mark.parametrize("kind", NATIVE_FAMILIES)
def test_clicked_word_chips_read_the_word(native_models, kind):
    from mlm_app.fill_mask_view import mask_label, word_chip_options

    lm = native_models[kind]
    a = analyze(lm, "The cat sat on the mat.")
    assert list(word_chip_options(a).values()) == ["The", "cat", "sat", "on", "the", "mat", "."]
    cat = next(w for w in a.words if w.text == "cat")
    masked = analyze(lm, "The cat sat on the mat.", mask_positions=cat.token_indices)
    assert mask_label(masked, cat.token_indices[0], 1) == "mask 1: cat"


# ---------------------------------------------------------------- 2. padded vocabulary


def test_padded_vocabulary_ids_are_never_offered(padded_model):
    lm = padded_model
    n_tok = len(lm.tokenizer)
    for text in [SENTENCE, "[MASK] [MASK] went to the [MASK].", "It was a [MASK] day on the river."]:
        a = analyze(lm, text, top_k=20)
        for m in a.masks:
            assert len(m.predictions) == 20
            for p in m.predictions:
                assert p.token is not None and 0 <= p.token_id < n_tok, p
                assert p.token_id not in lm.tokenizer.all_special_ids


def test_all_mask_fill_with_a_padded_vocabulary_yields_real_tokens(padded_model):
    lm = padded_model
    ids = all_mask_ids(lm, 4)
    for order in ("confidence", "left-to-right"):
        fill = iterative_fill(lm, ids, order=order)
        assert len(fill.steps) == 4
        assert None not in fill.tokens and all(s.token is not None for s in fill.steps)
        filled = lm.tokenizer.convert_tokens_to_ids(fill.tokens)
        assert all(0 <= i < len(lm.tokenizer) for i in filled)
        assert fill.text.strip() and "None" not in fill.text


def test_evaluation_accuracy_ranks_only_real_tokens(padded_model, sample_lines):
    from mlm_core.training.evaluation import masked_token_accuracy

    lm = padded_model
    tok = lm.tokenizer
    lines = sample_lines[:40]
    acc = masked_token_accuracy(lm, lines, seq_len=64, max_tokens=2000)
    stream = [i for enc in tok.backend_tokenizer.encode_batch(lines, add_special_tokens=False) for i in enc.ids][:2000]
    body = 62
    rows = torch.tensor([[tok.cls_token_id] + stream[w * body:(w + 1) * body] + [tok.sep_token_id]
                         for w in range(len(stream) // body)])
    chosen = torch.rand(rows.shape, generator=torch.Generator().manual_seed(0)) < 0.15
    chosen[:, 0] = chosen[:, -1] = False
    targets = rows[chosen]
    masked = rows.clone()
    masked[chosen] = tok.mask_token_id
    with torch.no_grad():
        logits = lm.model(input_ids=masked).logits[chosen]
    logits[:, len(tok):] = float("-inf")  # ids past the tokenizer
    logits[:, tok.all_special_ids] = float("-inf")
    top5 = logits.topk(5, -1).indices
    assert acc.n == len(targets)
    assert acc.top1 == pytest.approx(float((top5[:, 0] == targets).float().mean()), abs=1e-9)
    assert acc.top5 == pytest.approx(float((top5 == targets[:, None]).any(-1).float().mean()), abs=1e-9)
    assert acc.top5 > 0.05  # the fixture predicts frequent tokens: real ones are found once padded ids are out


def test_never_offered_is_specials_and_ids_past_the_tokenizer(padded_model):
    from mlm_core.tokens import never_offered

    tok = padded_model.tokenizer
    n_out = padded_model.model.config.vocab_size
    banned = never_offered(tok, n_out)
    assert banned.shape == (n_out,) and banned.dtype == torch.bool
    assert banned[len(tok):].all() and int(banned[len(tok):].sum()) == VOCAB_PADDING
    assert set(torch.nonzero(banned[:len(tok)]).flatten().tolist()) == set(tok.all_special_ids)


# ---------------------------------------------------------------- 3. display text of tokens


@pytest.mark.parametrize("kind,marker", [("roberta", "Ġ"), ("albert", "▁"), ("modernbert", "Ġ")])
def test_predictions_and_tokens_have_clean_display_text(native_models, kind, marker):
    lm = native_models[kind]
    a = analyze(lm, "The cat sat on the [MASK] of the river.", top_k=50)
    preds = a.masks[0].predictions
    assert any(p.token.startswith(marker) for p in preds)  # the raw pieces keep their markers ...
    for p in preds:
        assert p.text and marker not in p.text and p.text == p.text.strip()  # ... the display text does not
        bare = p.token.replace(marker, " ").strip()
        if bare.isascii() and bare.isprintable() and bare:
            assert p.text == bare
    assert not any(marker in t for t in a.token_texts)
    assert a.token_texts[0] == lm.tokenizer.cls_token and a.token_texts[-1] == lm.tokenizer.sep_token  # own names
    cat = a.tokens.index(marker + "cat")
    assert a.token_texts[cat] == "cat"


def test_display_rules():
    from mlm_core.inference.token_text import SPACE_SYMBOL, display_tokens, token_text

    assert token_text("ĠAward", byte_level=True) == "Award"
    assert token_text("Ã©t", byte_level=True) == "ét"
    assert token_text("í", byte_level=True) == "<0xED>"  # one byte of a Hangul syllable
    assert token_text("Ġ", byte_level=True) == SPACE_SYMBOL
    assert token_text("▁take") == "take" and token_text("▁") == SPACE_SYMBOL
    assert token_text("##opotam") == "##opotam"  # WordPiece continuation stays visible
    assert token_text("<s>", byte_level=True) == "<s>" and token_text("[CLS]") == "[CLS]"
    assert display_tokens(["<s>", "The", "Ġcat", "</s>"]) == ["<s>", "The", "cat", "</s>"]  # guessed byte-level


def test_special_token_label_uses_the_models_own_names(native_models, bundled):
    from mlm_core.inference.token_text import special_token_names, special_tokens_label

    assert special_token_names(native_models["roberta"].tokenizer) == ["<s>", "</s>"]
    assert special_tokens_label(native_models["roberta"].tokenizer) == "<s> / </s>"
    assert special_tokens_label(native_models["albert"].tokenizer) == "[CLS] / [SEP]"
    assert special_tokens_label(bundled.tokenizer) == "[CLS] / [SEP]"


@pytest.mark.parametrize("kind,marker", [("roberta", "Ġ"), ("albert", "▁")])
def test_figures_show_clean_labels_and_the_raw_piece_on_hover(native_models, kind, marker):
    from mlm_core.viz import attention_heatmap, head_view, topk_bar

    lm = native_models[kind]
    a = analyze(lm, "The cat sat on the [MASK].", top_k=10)
    tokens = a.tokens  # what pages/attention.py passes
    heat = attention_heatmap(a.attentions[0, 0], tokens)
    ticks = list(heat.layout.xaxis.ticktext)
    assert not any(marker in t for t in ticks)
    assert "cat" in ticks and ticks[0] == lm.tokenizer.cls_token.replace("<", "&lt;").replace(">", "&gt;")
    cat = tokens.index(marker + "cat")
    assert f"(piece {marker}cat)" in heat.data[0].text[cat][cat]
    view = head_view(a.attentions[0], tokens)
    labels = [tr for tr in view.data if (tr.meta or {}).get("kind") == "tokens"]
    assert all(marker not in t for tr in labels for t in tr.text)
    assert any(f"{marker}cat" in h for h in labels[0].hovertext)
    preds = a.masks[0].predictions
    raw_bar = topk_bar([(p.token, p.score) for p in preds])  # raw pairs, as the masking page passes
    clean_bar = topk_bar([(p.text, p.score, p.token) for p in preds])  # as the fill-mask page passes
    for bar in (raw_bar, clean_bar):
        assert not any(marker in t for t in bar.layout.yaxis.ticktext)
    assert any(marker in c for c in clean_bar.data[0].customdata)  # the raw piece on hover


# ---------------------------------------------------------------- 4. scripts the vocabulary does not cover


def test_coverage_flags_korean_in_english_only_vocabularies(native_models, bundled):
    from mlm_core.inference.analysis import coverage

    korean = "나는 오늘 학교에 갔습니다."
    for lm in [bundled, native_models["roberta"], native_models["albert"], native_models["modernbert"]]:
        cov = coverage(lm, analyze(lm, korean))
        assert cov.poor, (lm.name, cov)
        assert not coverage(lm, analyze(lm, "I went to the bank to deposit money.")).poor
        assert not coverage(lm, analyze(lm, "The [MASK] sat on the mat.")).poor
    assert coverage(native_models["albert"], analyze(native_models["albert"], korean)).unknown > 0


def test_coverage_note_text(bundled, native_models):
    from mlm_app.fill_mask_view import coverage_note

    note = coverage_note(bundled, analyze(bundled, "안녕하세요 세계"))
    assert note and note.startswith("The model is English-only;")
    assert coverage_note(bundled, analyze(bundled, "Paris is the capital of [MASK].")) is None
    assert "vocabulary" in coverage_note(native_models["albert"], analyze(native_models["albert"], "안녕하세요 세계"))
