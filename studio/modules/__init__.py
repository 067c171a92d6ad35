"""Content modules: a kit's approved building blocks, and the composer that assembles copy from them."""
