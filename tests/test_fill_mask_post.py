"""Fill-mask post-processing (`mlm_core.inference.fill_mask_post`) without Streamlit: the reading of a text by the
tokenizer alone, the chips, charts, slots and classroom blanks, and the mask mapping between two models, on the
bundled model and on the test models of every tokenizer family."""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from mlm_core.inference import fill_mask_post as post
from mlm_core.inference.analysis import analyze
from tests.family_tools import all_kinds, model_of

CAT = "The cat sat on the mat."
BANK = "I went to the bank to deposit money."


@contextmanager
def no_forward_pass(lm):
    """Fail on any forward pass of the model while inside."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the model ran a forward pass")

    handle = lm.model.register_forward_pre_hook(refuse)
    try:
        yield
    finally:
        handle.remove()


@pytest.fixture(params=all_kinds())
def family_model(request, family_dirs, native_models):
    return model_of(request.param, family_dirs, native_models)


def test_reading_is_the_analysis_tokenization_without_a_forward_pass(family_model):
    lm = family_model
    text = "The cat sat on the [MASK], unbelievably  happy!"
    with no_forward_pass(lm):
        reading = post.read_text(lm, text)
    a = analyze(lm, text)
    assert reading.text == a.text and reading.token_ids == a.token_ids and reading.offsets == a.offsets
    assert reading.special == a.special and reading.texts == a.original_texts
    assert [(w.text, w.token_indices) for w in reading.words] == [(w.text, w.token_indices) for w in a.words]
    assert reading.typed_masks == a.mask_positions and reading.raw_text == text


def test_word_chips_read_the_words_and_keep_the_raw_pieces(family_model):
    lm = family_model
    with no_forward_pass(lm):
        chips = post.word_chips(post.read_text(lm, CAT))
    assert [c.text for c in chips] == ["The", "cat", "sat", "on", "the", "mat", "."]
    for c in chips:
        assert c.pieces == tuple(lm.tokenizer.convert_ids_to_tokens([post.read_text(lm, CAT).token_ids[p]
                                                                     for p in c.positions]))
    typed = post.read_text(lm, "The [MASK] sat on the mat.")
    assert [c.text for c in post.word_chips(typed)] == ["The", "sat", "on", "the", "mat", "."]  # no chip for a typed mask
    assert all(c.key not in typed.typed_masks for c in post.piece_chips(typed))


def test_byte_level_and_sentencepiece_chips_are_clean(native_models):
    for kind, marker in (("roberta", "Ġ"), ("modernbert", "Ġ"), ("albert", "▁")):
        reading = post.read_text(native_models[kind], CAT)
        pieces = post.piece_chips(reading)
        assert not any(marker in c.text for c in pieces), kind
        assert any(raw.startswith(marker) for c in pieces for raw in c.pieces), kind


def test_split_word_gives_one_chart_per_piece_one_slot_and_one_blank(bundled):
    text = "The hippopotamus ate the grass."
    reading = post.read_text(bundled, text)
    positions = post.word_positions(reading, [1])
    assert len(positions) == 3
    [(word, pieces)] = post.split_words(reading, positions)
    assert word.text == "hippopotamus" and pieces == ["hipp", "##opotam", "##us"]
    result = post.postprocess(analyze(bundled, text, top_k=4, mask_positions=list(positions)), text,
                              bundled.tokenizer.mask_token)
    assert [c.title for c in result.charts] == [f"mask {k}: hippopotamus, piece {k} of 3 ({p})"
                                                for k, p in enumerate(pieces, start=1)]
    assert all(len(c.bars) == 4 and c.bars == sorted(c.bars, key=lambda b: -b[1]) for c in result.charts)
    assert [(s.label, s.positions) for s in result.slots] == [("mask 1: hippopotamus", positions)]
    assert result.slots[0].span == (4, 16) and text[4:16] == "hippopotamus"
    [blank] = result.blanks
    assert blank.positions == positions and blank.word_index == 1 and not blank.typed
    assert blank == post.blanks_of(reading, positions)[0]  # known before the forward pass
    assert {r["original"] for r in result.records} == set(pieces) and len(result.records) == 12
    assert result.blank_labels == {c.position: c.title for c in result.charts}


def test_classroom_blanks_hide_words_count_per_word_and_reveal_one_by_one(bundled):
    text = "The hippopotamus ate the [MASK] near the bank."
    reading = post.read_text(bundled, text)
    hippo = next(w for w in reading.words if w.text == "hippopotamus")
    bank = next(w for w in reading.words if w.text == "bank")
    blanks = post.blanks_of(reading, post.word_positions(reading, [hippo.index, bank.index]))
    assert [(b.number, b.typed, b.word_index) for b in blanks] == [(1, False, hippo.index), (2, True, None),
                                                                   (3, False, bank.index)]
    assert post.blanked_text(reading, blanks) == f"The {post.BLANK} ate the [MASK] near the {post.BLANK}."
    assert post.blanked_text(reading, blanks, [blanks[0].key]) == f"The hippopotamus ate the [MASK] near the {post.BLANK}."
    assert post.blanked_text(reading, blanks, [b.key for b in blanks]) == reading.text
    result = post.postprocess(analyze(bundled, text, mask_positions=hippo.token_indices + bank.token_indices))
    assert [c.position for c in result.charts_of([blanks[0].key])] == hippo.token_indices
    assert len(result.charts_of([b.key for b in blanks])) == 5


def test_pieces_of_a_word_are_one_blank_and_only_their_characters_hide(bundled):
    reading = post.read_text(bundled, "The hippopotamus ate.")
    positions = post.word_positions(reading, [1])[1:]  # '##opotam', '##us'
    [blank] = post.blanks_of(reading, positions)
    assert post.blanked_text(reading, [blank]) == f"The hipp{post.BLANK} ate."


def test_masks_map_between_tokenizers_by_characters(bundled, native_models):
    roberta = native_models["roberta"]
    text = "The [MASK] sat on the hippopotamus."
    first = post.read_text(bundled, text)
    positions = post.word_positions(first, [w.index for w in first.words if w.text == "hippopotamus"])
    result = post.postprocess(analyze(bundled, text, mask_positions=list(positions)), text, bundled.tokenizer.mask_token)
    assert [s.label for s in result.slots] == ["mask 1: typed mask", "mask 2: hippopotamus"]
    assert [text[a:b] for a, b in (s.span for s in result.slots)] == ["[MASK]", "hippopotamus"]

    second_reading = post.read_text(roberta, text)
    assert second_reading.text == "The <mask> sat on the hippopotamus."
    mapped = post.mapped_positions(result.slots, second_reading)
    hippo2 = next(w for w in second_reading.words if w.text == "hippopotamus")
    assert mapped == tuple(hippo2.token_indices)  # the typed mask maps itself
    second = post.postprocess(analyze(roberta, text, mask_positions=list(mapped)), text, roberta.tokenizer.mask_token)
    pairs = post.pair_slots(result, second)
    assert [(a.label, b.label) for a, b in pairs] == [("mask 1: typed mask", "mask 1: typed mask"),
                                                      ("mask 2: hippopotamus", "mask 2: hippopotamus")]
    assert len(pairs[1][1].positions) == len(hippo2.token_indices)
    assert all(not any("Ġ" in label for label, _, _ in b.bars) for _, b in pairs)


def test_generation_labels_rows_and_targets(bundled):
    ids = bundled.tokenizer("[MASK] [MASK] [MASK]")["input_ids"]
    assert post.generation_blank_labels(ids, bundled.tokenizer.mask_token_id) == {1: "blank 1 of 3", 2: "blank 2 of 3",
                                                                                  3: "blank 3 of 3"}
    assert post.sequence_text(bundled.tokenizer, bundled.tokenizer.convert_ids_to_tokens(ids)) == "▢ ▢ ▢"
    assert post.parse_targets(" bank, river,bank ,, ") == ("bank", "river")
