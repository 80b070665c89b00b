"""MkDocs hook: each program line becomes program, output and mark (book.site.program_blocks);
a mark the build did not write stops it."""

from book.site.program_blocks import (  # noqa: F401
    on_page_content,
    on_page_markdown,
    on_post_page,
    on_pre_build,
)
