"""The bundled polysemy set and its loader."""

import re
from collections import Counter

import pytest

from mlm_core.embeddings.polysemy_data import PolysemyItem, items_for, load_polysemy, polysemy_words
from mlm_core.errors import MLMError

WORDS = ["bank", "bat", "spring", "crane", "plant", "match"]


def test_bundled_set_shape():
    items = load_polysemy()
    assert len(items) == 192
    assert polysemy_words() == WORDS
    counts = Counter((item.word, item.sense) for item in items)
    for word in WORDS:
        senses = {sense: n for (w, sense), n in counts.items() if w == word}
        assert len(senses) == 2, word
        assert set(senses.values()) == {16}, word


def test_every_sentence_has_its_word_exactly_once():
    for item in load_polysemy():
        whole = re.findall(rf"(?<![\w]){item.word}(?![\w])", item.sentence, re.IGNORECASE)
        assert len(whole) == 1, item
        # ...and never inside another word ("banks", "embankment", "combat").
        assert item.sentence.lower().count(item.word) == 1, item
        assert 8 <= len(item.sentence.split()) <= 20, item


def test_sentences_are_unique():
    sentences = [item.sentence for item in load_polysemy()]
    assert len(set(sentences)) == len(sentences)


def test_required_bank_sentences():
    bank = items_for("bank")
    assert bank[0] == PolysemyItem("bank", "finance", "I went to the bank to deposit money.")
    assert PolysemyItem("bank", "river", "The river bank was muddy after the rain.") in bank
    assert load_polysemy()[0].word == "bank"


def test_items_for_unknown_word():
    with pytest.raises(MLMError, match="no polysemy sentences"):
        items_for("zebra")


def test_custom_file_round_trip(tmp_path):
    path = tmp_path / "set.tsv"
    path.write_text("word\tsense\tsentence\nbat\tanimal\tA bat flew by.\n\nbat\tsports\tHe swung the bat.\n")
    items = load_polysemy(str(path))
    assert [item.sense for item in items] == ["animal", "sports"]


def test_missing_file(tmp_path):
    with pytest.raises(MLMError, match="not found"):
        load_polysemy(tmp_path / "nope.tsv")


@pytest.mark.parametrize("text", ["", "word,sense,sentence\n", "word\tsense\n"])
def test_bad_header(tmp_path, text):
    path = tmp_path / "set.tsv"
    path.write_text(text)
    with pytest.raises(MLMError, match="header"):
        load_polysemy(path)


@pytest.mark.parametrize("bad_line", ["bat\tanimal", "bat\t\tA bat flew by.", "bat\tanimal\tA bird flew by."])
def test_malformed_line_names_its_number(tmp_path, bad_line):
    path = tmp_path / "set.tsv"
    path.write_text(f"word\tsense\tsentence\nbat\tanimal\tA bat flew by.\n{bad_line}\n")
    with pytest.raises(MLMError, match="line 3"):
        load_polysemy(path)
