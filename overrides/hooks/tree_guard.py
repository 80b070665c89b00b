"""MkDocs hook: only regular files inside the repository are read (book.site.tree_guard)."""

from book.site.tree_guard import on_config, on_page_markdown  # noqa: F401
