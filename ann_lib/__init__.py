"""ann_lib: the book's from-scratch neural-network library, in numpy only.

One lecture concept per module. Import the module you need, for example
``from ann_lib import activations``; this package file imports nothing else, so
that the build can tell exactly which chapters and gallery scripts depend on
which module (see ``_ext/ann_lib_deps.py``).
"""

__version__ = "0.1.0"
