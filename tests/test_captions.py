"""ann_lib.datasets.captions: scenes, their captions, the two held-out splits and the tokenizer.

Chapter 9.
"""

import numpy as np
import pytest

from ann_lib.datasets import HELD_OUT_PAIRS, Tokenizer, caption_splits, caption_tokenizer, make_caption_scenes


@pytest.fixture(scope="module")
def splits():
    return caption_splits(300, 100, 100, seed=0)


def pairs_in(caption_set):
    return [{(color, shape) for color, shape, *_ in objects} for objects in caption_set.objects]


def test_same_seed_same_data_other_seed_other_data(splits):
    again = caption_splits(300, 100, 100, seed=0)
    np.testing.assert_array_equal(again["test"].images, splits["test"].images)
    assert again["compositional"].captions == splits["compositional"].captions
    assert caption_splits(300, 100, 100, seed=1)["train"].captions != splits["train"].captions


def test_held_out_pairs_only_in_the_compositional_split(splits):
    held_out = set(HELD_OUT_PAIRS)
    for name in ("train", "test"):
        assert all(not (pairs & held_out) for pairs in pairs_in(splits[name])), name
    assert all(pairs & held_out for pairs in pairs_in(splits["compositional"]))
    # each held-out colour and shape does occur in training, in other pairs
    seen = set().union(*pairs_in(splits["train"]))
    for color, shape in HELD_OUT_PAIRS:
        assert any(c == color for c, _ in seen) and any(s == shape for _, s in seen)


def test_captions_read_left_to_right_with_the_relative_row(splits):
    for caption, objects in zip(splits["train"].captions, splits["train"].objects):
        assert 1 <= len(objects) <= 3
        columns = [column for *_, column, _ in objects]
        assert columns == sorted(columns) and len(set(columns)) == len(columns)
        words = caption.split()
        expected = []
        for index, (color, shape, size, _, row) in enumerate(objects):
            if index:
                previous_row = objects[index - 1][4]
                expected += ["above"] if previous_row < row else ["below"] if previous_row > row else ["left", "of"]
            expected += ["a", size, color, shape]
        assert words == expected


def test_images_are_float32_in_the_unit_interval_with_the_objects_drawn(splits):
    images = splits["train"].images
    assert images.shape == (300, 32, 32, 3) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    assert all((image.max(axis=2) > 0.5).sum() >= 8 for image in images)  # at least one object's pixels


def test_tokenizer_round_trip_and_special_tokens(splits):
    tokenizer = caption_tokenizer()
    assert tokenizer.vocabulary[:4] == ["<pad>", "<start>", "<end>", "<unk>"] and len(tokenizer) == 19
    ids = tokenizer.encode_batch(splits["train"].captions)
    assert (ids[:, 0] == tokenizer.start_id).all()
    assert [tokenizer.decode(row) for row in ids] == splits["train"].captions
    assert tokenizer.unk_id not in ids


def test_a_word_outside_the_vocabulary_becomes_unknown():
    tokenizer = caption_tokenizer()
    ids = tokenizer.encode("a small purple hexagon")
    assert ids == [1, tokenizer.index["a"], tokenizer.index["small"], tokenizer.unk_id, tokenizer.unk_id, 2]
    assert tokenizer.decode(ids) == "a small <unk> <unk>"
    assert Tokenizer.from_captions(["a red circle"]).encode("a blue circle")[2] == 3


def test_bad_input_names_the_argument():
    tokenizer = caption_tokenizer()
    with pytest.raises(ValueError, match="length"):
        tokenizer.encode_batch(["a large red circle"], length=3)
    with pytest.raises(TypeError, match="captions"):
        tokenizer.encode_batch("a large red circle")
    with pytest.raises(ValueError, match="captions"):
        tokenizer.encode_batch([])
    with pytest.raises(TypeError, match="rng"):
        make_caption_scenes(3, rng=0)
    with pytest.raises(ValueError, match="pairs"):
        make_caption_scenes(3, rng=np.random.default_rng(0), pairs=[("purple", "circle")])
    with pytest.raises(ValueError, match="n_test"):
        caption_splits(10, 0, 10)


def test_fewer_training_scenes_are_the_first_scenes_of_more(splits):
    """plot_caption_data.py counts the first 1,000 training scenes as the first of the captioner's 6,000."""
    fewer = caption_splits(120, 100, 100, seed=0)
    np.testing.assert_array_equal(fewer["train"].images, splits["train"].images[:120])
    assert fewer["train"].captions == splits["train"].captions[:120]
    assert fewer["compositional"].captions == splits["compositional"].captions


def test_the_data_example_shows_the_captioners_held_out_scenes(gallery_results):
    """The two chapter 9 scripts draw the same held-out splits, and the data example's counts show the split."""
    data = gallery_results("09_describing_photos", "plot_caption_data.py")
    captioner = gallery_results("09_describing_photos", "plot_captioner.py")
    for name in ("test", "compositional"):
        np.testing.assert_array_equal(data["splits"][name].images, captioner["splits"][name].images)
    colors, shapes, counts = data["colors"], data["shapes"], data["counts"]
    held_out = [(colors.index(c), shapes.index(s)) for c, s in HELD_OUT_PAIRS]
    assert all(counts[name][cell] == 0 for name in ("train", "test") for cell in held_out)
    assert sum(counts["compositional"][cell] for cell in held_out) == len(data["splits"]["compositional"].captions)
    assert (counts["train"].sum(axis=0) > 0).all() and (counts["train"].sum(axis=1) > 0).all()
