"""Building: read -> extract -> to RDF -> check -> store, for many files in worker processes, and scoring the
result against gold facts.

Public: `build`, `BuildReport`, `extract_file`, `remove_article`, `evaluate_folder`.
"""

from kg.pipeline.builder import BuildReport, build, extract_file, remove_article
from kg.pipeline.evaluate import evaluate_folder

__all__ = ["BuildReport", "build", "evaluate_folder", "extract_file", "remove_article"]
