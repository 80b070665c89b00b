"""MkDocs hook: lab pages show the outputs the harness recorded (book.site.labs)."""

from book.site.labs import on_files, on_post_build  # noqa: F401
