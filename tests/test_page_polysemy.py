"""The polysemy page driven through its widgets with Streamlit's AppTest (bundled 4-layer model)."""
import json
import os

os.environ["HF_HUB_OFFLINE"] = "1"

from pathlib import Path  # noqa: E402

from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(Path(__file__).resolve().parents[1] / "app.py")
CUSTOM = "✏️ your own word…"
TWO_SENSES = "Sense-separation metrics need at least two senses"


def open_polysemy() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/polysemy.py")
    at.run()
    assert not at.exception
    return at


def charts(at: AppTest) -> dict[str, dict]:
    return {c.key: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def table_with(at: AppTest, column: str):
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    return tables[0] if tables else None


def custom_table(at: AppTest, word: str, lines: list[str]) -> None:
    at.selectbox(key="poly_word").set_value(CUSTOM).run()
    at.text_input(key="poly_custom_word").input(word).run()
    at.text_area(key="poly_paste").input("\n".join(lines)).run()
    assert not at.exception


def test_bank_metrics_table_has_one_row_per_layer_with_values_in_range():
    at = open_polysemy()
    assert at.selectbox(key="poly_word").value == "bank"
    assert at.slider(key="poly_layer").value == 4 and at.slider(key="poly_layer").max == 4
    metrics = table_with(at, "silhouette")
    assert metrics is not None and len(metrics) == 5  # layers 0..4, 0 = static embeddings
    assert list(metrics["layer"]) == [0, 1, 2, 3, 4]
    assert metrics["layer name"][0] == "0 (static embedding)"
    assert metrics["silhouette"].between(-1, 1).all()
    assert metrics["1-NN accuracy"].between(0, 1).all()
    assert metrics[["within-sense cosine", "between-sense cosine"]].stack().between(-1, 1).all()
    figs = charts(at)
    senses = [t["name"] for t in figs["polysemy_projection"]["data"]]
    assert senses == ["finance", "river"]
    hover = figs["polysemy_projection"]["data"][0]["hovertext"][0]
    assert "<b>bank</b>" in hover
    chart = figs["polysemy_metrics"]
    assert chart["layout"]["xaxis"]["ticktext"][0] == "0 (static)"


def test_tsne_3d_and_nearest_neighbours_render():
    at = open_polysemy()
    at.radio(key="poly_method").set_value("t-SNE").run()
    assert not at.exception
    assert at.slider(key="poly_perplexity").value == 10.0
    at.radio(key="poly_dims").set_value("3-D").run()
    assert not at.exception
    projection = charts(at)["polysemy_projection"]
    assert {t["type"] for t in projection["data"]} == {"scatter3d"}
    assert "t-SNE, 3-D" in projection["layout"]["title"]["text"]
    at.selectbox(key="poly_neighbour_of").set_value(0).run()
    assert not at.exception
    neighbours = table_with(at, "cosine")
    assert len(neighbours) == 5 and neighbours["cosine"].between(-1, 1).all()
    assert list(neighbours["cosine"]) == sorted(neighbours["cosine"], reverse=True)


def test_edited_context_word_is_projected_and_highlighted():
    at = open_polysemy()
    edit = next(w for w in at.text_input if w.key.startswith("poly_edit"))
    assert edit.value == "I went to the bank to deposit money."
    edit.input("I went to the bank to watch the river.").run()
    assert not at.exception
    traces = charts(at)["polysemy_projection"]["data"]
    edited = [t for t in traces if t["name"] == "edited"]
    assert len(edited) == 1 and len(edited[0]["hovertext"]) == 1
    assert "river" in edited[0]["hovertext"][0]
    assert sum(len(t["hovertext"]) for t in traces) == 33  # 32 labelled sentences + the edited one
    assert len(table_with(at, "silhouette")) == 5  # metrics use the labelled sentences only


def test_one_sense_custom_table_shows_two_senses_message():
    at = open_polysemy()
    custom_table(at, "bank", ["money\tI went to the bank.", "money\tThe bank gave me a loan.",
                              "money\tMy bank is closed today.", "money\tShe works at a bank."])
    assert any(TWO_SENSES in box.value for box in at.info)
    assert table_with(at, "silhouette") is None
    assert "polysemy_projection" in charts(at)  # the projection still works with one sense


def test_sentences_without_the_word_are_listed_as_skipped():
    at = open_polysemy()
    custom_table(at, "bat", ["animal\tA bat flew out of the cave.", "animal\tThe bat slept all day.",
                             "sport\tHe swung the bat hard.", "sport\tShe dropped her bat.",
                             "sport\tThe ball went over the fence."])
    warning = " ".join(w.value for w in at.warning)
    assert "1 sentence(s) skipped" in warning and "The ball went over the fence." in warning
    metrics = table_with(at, "silhouette")
    assert metrics is not None and len(metrics) == 5


def test_umap_at_first_layer():
    at = open_polysemy()
    at.slider(key="poly_layer").set_value(1).run()
    at.radio(key="poly_method").set_value("UMAP").run()
    assert not at.exception
    assert at.slider(key="poly_neighbors").value == 15
    projection = charts(at)["polysemy_projection"]
    assert "UMAP, 2-D, layer 1" in projection["layout"]["title"]["text"]
    assert sum(len(t["hovertext"]) for t in projection["data"]) == 32


def test_bf16_precision_gives_nearly_the_same_separation_metrics():
    at = open_polysemy()
    exact = table_with(at, "silhouette")
    at.radio(key="precision").set_value("bf16").run()
    assert not at.exception and not at.error
    fast = table_with(at, "silhouette")
    assert list(fast["layer"]) == list(exact["layer"])
    # bf16 vectors differ from fp32 ones in the third decimal at most, so the per-layer metrics stay close
    assert (fast["silhouette"] - exact["silhouette"]).abs().max() < 0.05
    assert not fast["silhouette"].equals(exact["silhouette"])


def shown(widget):
    """What a browser shows for a widget it mounts now: the value the server sets, else the widget's default."""
    proto = widget.proto
    return list(proto.value) if proto.set_value else list(proto.default)


def test_layer_slider_shows_the_layer_drawn_for_a_custom_word():
    """The slider comes back (after runs that stop before it while the word has no sentences) at the layer drawn."""
    at = open_polysemy()
    custom_table(at, "bat", ["animal\tA bat flew out of the cave.", "animal\tThe bat slept all day.",
                             "sport\tHe swung the bat hard.", "sport\tShe dropped her bat."])
    slider = at.slider(key="poly_layer")
    assert at.subheader[0].value.startswith("'bat' at layer 4")
    assert "layer 4" in charts(at)["polysemy_projection"]["layout"]["title"]["text"]
    assert slider.value == 4 and shown(slider) == [4.0]  # not the slider's own default (0)
    slider.set_value(2).run()  # e.g. two presses of ← in the browser
    assert not at.exception
    assert at.subheader[0].value.startswith("'bat' at layer 2")
    at.text_input(key="poly_custom_word").input("").run()  # the page stops before the slider again
    at.text_input(key="poly_custom_word").input("bat").run()
    assert not at.exception
    assert at.subheader[0].value.startswith("'bat' at layer 2")
    assert shown(at.slider(key="poly_layer")) == [2.0]  # the user's layer, shown as drawn


def test_downloads_have_distinct_short_labels():
    at = open_polysemy()
    labels = [b.proto.label for b in at.get("download_button") if b.proto.label.endswith(("CSV", "JSON"))]
    assert len(labels) == 6 and len(set(labels)) == 6, labels  # vectors, metrics and the geometry table (issue 13)
    assert all(len(label) <= 14 for label in labels), labels  # fits the narrow download columns, nothing cut


def test_the_page_starts_at_the_sense_layer_stored_with_the_model(tmp_path):
    """A model whose `sense_layer.json` names layer 2 opens the page at layer 2 and says why."""
    import shutil

    from mlm_core.model.loading import BUNDLED_DIR
    from mlm_core.model.sense_layer import SenseLayer, read_sense_layer, write_sense_layer

    copy = tmp_path / "model"
    shutil.copytree(BUNDLED_DIR, copy)
    stored = read_sense_layer(BUNDLED_DIR)
    write_sense_layer(copy, SenseLayer(2, "a test table", stored.n_words, stored.n_sentences, stored.knn_by_layer))
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["model"] = str(copy)
    at.run()
    at.switch_page("pages/polysemy.py")
    at.run()
    assert not at.exception
    assert at.slider(key="poly_layer").value == 2
    assert at.subheader[0].value.startswith("'bank' at layer 2")
    assert any("Shown first: layer 2 separates word senses best" in c.value and "a test table" in c.value
               for c in at.caption)
