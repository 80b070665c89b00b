"""MkDocs hook: every chapter's notebook and its links (book.site.chapter_notebooks)."""

from book.site.chapter_notebooks import on_config, on_files, on_page_markdown  # noqa: F401
