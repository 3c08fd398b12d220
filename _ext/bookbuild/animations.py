"""Matplotlib animations in gallery pages, the same bytes in every build.

sphinx-gallery embeds an animation a script leaves in its namespace
(``matplotlib_animations = (True, "jshtml")`` in ``conf.py``) through
``Animation.to_jshtml()``: every frame a PNG inside the page, matplotlib's own
player (play, pause, step, slider), no video file and no network. That player's
HTML names its elements after ``uuid.uuid4()``, so two builds of an unchanged
script would differ. :func:`matplotlib_scraper` is sphinx-gallery's scraper
with those names derived from the script's name and the animation's number in
it instead, and drops the one thing that player loads from the network, a Font
Awesome 4 stylesheet: the book's theme serves Font Awesome itself, which draws
the player's ``fa fa-play``-style icons.

sphinx-gallery also saves every animation as an animated GIF, the source of the script's
thumbnail if the script names the animation as its thumbnail image. Drawing and encoding
every frame a second time for that cost the runner's 210-frame animation 8.8 s, as much
as the player itself, for a file no page showed. :func:`still_thumbnails` writes that GIF
as one still frame instead: the thumbnail of a script whose thumbnail is its animation is
the animation's first frame.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import re
import uuid
from pathlib import Path
from types import SimpleNamespace

#: The stylesheet matplotlib's HTML player links from a CDN.
REMOTE_STYLESHEET = re.compile(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">\n?')


def stable_uuid4(name: str):
    """A ``uuid4`` stand-in: its n-th call gives a UUID made from ``name`` and n, the same in every run."""
    counter = itertools.count()
    return lambda: uuid.UUID(hashlib.md5(f"{name}:{next(counter)}".encode()).hexdigest())


@contextlib.contextmanager
def stable_ids(name: str):
    """Inside, matplotlib's HTML animation players name their elements after ``name``, not at random."""
    from matplotlib import animation

    real = animation.uuid
    animation.uuid = SimpleNamespace(uuid4=stable_uuid4(name))
    try:
        yield
    finally:
        animation.uuid = real


#: The player's picture has no alt text of its own; the Korean edition translates this one
#: (``bookbuild.gallery_korean.STRINGS_KO``).
ALT = "An animation, one frame per step; the buttons under it play, pause and step through it"
ALT_KO = "한 걸음에 한 프레임씩 보여 주는 애니메이션입니다. 아래 버튼으로 재생하고, 멈추고, 한 프레임씩 넘길 수 있습니다"


@contextlib.contextmanager
def still_thumbnails():
    """Inside, ``Animation.save`` to a ``.gif`` writes the figure as it stands (the first frame) as one still GIF."""
    from matplotlib import animation

    real = animation.Animation.save

    def save(self, filename, writer=None, fps=None, dpi=None, *args, **kwargs):
        if not str(filename).lower().endswith(".gif"):
            return real(self, filename, writer, fps, dpi, *args, **kwargs)
        import io

        from PIL import Image

        picture = io.BytesIO()
        self._fig.savefig(picture, format="png", dpi=dpi)
        Image.open(picture).convert("RGB").save(filename, format="GIF")

    animation.Animation.save = save
    try:
        yield
    finally:
        animation.Animation.save = real


def offline(html: str) -> str:
    """The player's HTML without its remote stylesheet, its picture with alt text."""
    return REMOTE_STYLESHEET.sub("", html).replace('<img id="_anim_img', f'<img alt="{ALT}" id="_anim_img')


def matplotlib_scraper(block, block_vars, gallery_conf, **kwargs):
    """sphinx-gallery's matplotlib scraper, with the animation player's ids fixed and nothing remote."""
    import matplotlib
    from sphinx_gallery.scrapers import matplotlib_scraper as scraper

    # the script and the number of images it has saved so far name this code block's animations
    name = f'{Path(block_vars["src_file"]).name}:{len(block_vars["image_path_iterator"].paths)}'
    # sphinx-gallery also saves each animation as a GIF (the thumbnail's source): one still frame
    # here (still_thumbnails). Without ffmpeg or ImageMagick it would ask matplotlib for a writer
    # that falls back to Pillow with a warning, so ask for Pillow, which is always there
    with stable_ids(name), still_thumbnails(), matplotlib.rc_context({"animation.writer": "pillow"}):
        return offline(scraper(block, block_vars, gallery_conf, **kwargs))
