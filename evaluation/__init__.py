"""Measuring extraction quality: `python -m evaluation.dev` (make eval) scores the pipeline on the dev corpus."""
