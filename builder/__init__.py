"""Build a source-anchored explainer site from YAML facts and verbatim articles."""

__version__ = "1.0.0"
