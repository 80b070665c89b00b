"""MkDocs hook: each program line becomes program, output and mark (book.site.program_blocks)."""

from book.site.program_blocks import on_page_markdown  # noqa: F401
