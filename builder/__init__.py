"""Build a source-anchored explainer site from YAML facts and verbatim articles."""
