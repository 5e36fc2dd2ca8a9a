"""Marginalia: raw news text in, annotated pages out."""

__version__ = "0.1.0"
