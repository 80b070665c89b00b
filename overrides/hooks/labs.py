"""MkDocs hook: lab pages show the outputs the harness recorded (book.site.labs)."""

from book.site.labs import on_files  # noqa: F401
