"""Drafting a source from an article: each module one job (extract, passages, sentences, dates, places,
names, answers, claims, render); builder/ingest.py reads the input and writes the drafted files."""
