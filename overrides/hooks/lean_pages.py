"""MkDocs hook: fewer bytes per page, nothing visible changed (book.site.lean_pages)."""

from book.site.lean_pages import on_config, on_post_build, on_post_page  # noqa: F401
