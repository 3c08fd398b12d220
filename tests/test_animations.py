"""The gallery's animations (``bookbuild.animations``): the same bytes in every build, nothing remote."""

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402

from bookbuild.animations import offline, stable_ids, still_thumbnails  # noqa: E402


def small_animation():
    fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
    image = ax.imshow(np.zeros((4, 4)), vmin=0, vmax=3)
    animation = FuncAnimation(fig, lambda t: image.set_data(np.full((4, 4), t)), frames=4, repeat=False)
    return fig, animation


def test_the_player_is_the_same_in_two_builds_and_loads_nothing_remote():
    pages = []
    for _ in range(2):
        fig, animation = small_animation()
        with stable_ids("plot_example.py"):
            pages.append(offline(animation.to_jshtml()))
        plt.close(fig)
    assert pages[0] == pages[1]
    assert pages[0].count("data:image/png;base64,") == 4  # every frame embedded
    assert "http" not in pages[0]
    fig, animation = small_animation()
    with stable_ids("plot_other.py"):
        other = animation.to_jshtml()
    plt.close(fig)
    assert other != pages[0] and "http" in other  # another script's ids differ; unfiltered, the CDN link is there


def test_without_the_fix_matplotlib_names_the_player_at_random():
    """What stable_ids is for: two plain to_jshtml() calls differ."""
    htmls = []
    for _ in range(2):
        fig, animation = small_animation()
        htmls.append(animation.to_jshtml())
        plt.close(fig)
    assert htmls[0] != htmls[1]


def test_the_thumbnail_gif_is_one_still_frame_and_other_files_are_saved_as_before(tmp_path):
    """sphinx-gallery's GIF of an animation: the first frame only, drawn once (bookbuild.animations.still_thumbnails)."""
    from PIL import Image

    fig, animation = small_animation()
    drawn = []
    animation._func = lambda t, real=animation._func: drawn.append(t) or real(t)
    with still_thumbnails():
        animation.save(tmp_path / "thumb.gif", writer="pillow", dpi=20)
    assert drawn == []  # no frame drawn again
    with Image.open(tmp_path / "thumb.gif") as gif:
        assert gif.n_frames == 1 and gif.size == (20, 20)
        still = np.asarray(gif.convert("RGB"))
    assert still.std() > 0  # a picture, not an empty image
    with still_thumbnails():
        animation.save(tmp_path / "movie.html", writer="html", dpi=20)
    assert drawn[-4:] == [0, 1, 2, 3]  # any other file: every frame, as matplotlib saves it
    with still_thumbnails():
        pass
    animation.save(tmp_path / "full.gif", writer="pillow", dpi=20)  # outside: matplotlib's own save again
    with Image.open(tmp_path / "full.gif") as gif:
        assert gif.n_frames == 4
    plt.close(fig)
