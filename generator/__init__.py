"""Showcase: a static site generator for exemplary poverty-reduction models in Vietnam."""

__version__ = "0.1.0"
