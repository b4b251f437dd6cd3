"""Reading: article files (.txt in the seeds' layout, saved .html pages) into `Article` records.

Public: `read_article` (a file), `read_text` and `read_html` (text already decoded), `article_files` (what a
list of sources names), `decode`, `file_digest`, `slug_id`. Reading never looks at entities or facts.
"""

from kg.read.files import (
           ARTICLE_SUFFIXES,
           article_files,
           decode,
           file_digest,
           read_article,
           slug_id,
           source_files,
)
from kg.read.html import read_html
from kg.read.text import read_text

__all__ = ["ARTICLE_SUFFIXES", "article_files", "decode", "file_digest", "read_article", "read_html", "read_text",
           "slug_id", "source_files"]
