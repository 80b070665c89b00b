"""MkDocs hook: the build reads only regular files inside the repository.

MkDocs copies what docs/ holds and pymdownx.snippets reads what an include names, and
both follow symbolic links: a link under docs/ would publish whatever it points to.

- At the start (on_config), a link or anything that is not a regular file under
  docs/, snippets/, verification/ or overrides/, mkdocs.yml itself, or in the records
  the marks are read from, stops the build with its path.
- On every page (on_page_markdown, after the program lines are expanded), each include
  must name a program or one of its outputs exactly as the build writes it
  (``snippets/<chapter>/<name>.py``), a regular file reached through no link, holding
  no include itself: pymdownx.snippets expands includes inside included files, so a
  program printing ``--8<-- "<any file>"`` into its output would publish that file.
- A Markdown page as written must hold nothing the tests refuse (book.syntax): no
  look-alike block, include or program line, no block the tests would not run, no
  pytest marker. The tests say the same; the build says it too, so a site is never
  published from a page they would fail.
"""

from __future__ import annotations

from pathlib import Path

from .. import safe_files, syntax


def _root(config) -> Path:
    """The directory includes are relative to (pymdownx.snippets' base_path)."""
    return Path(config["config_file_path"]).resolve().parent


def tree_problems(root: Path) -> list[str]:
    """Links and irregular files in the book's tree and in the records the build reads."""
    from ..records import records_dir

    problems = safe_files.tree_problems(root)
    records = records_dir().absolute()
    if not records.is_relative_to(root / "verification"):
        problems += safe_files.tree_problems(records.parent, (records.name,))
    return problems


def include_problems(markdown: str, page: str, root: Path) -> list[str]:
    """What is wrong with the includes of a page as the build expanded it."""
    problems = []
    for found in syntax.includes(markdown):
        named = f"{page}: the include of {found.target!r}"
        if not syntax.INCLUDED_FILE.match(found.path):
            problems.append(f"{named} names no program or output (snippets/<chapter>/...)")
            continue
        try:
            text = safe_files.read_text(found.path, root=root)
        except FileNotFoundError:
            continue  # the program line's own check (and check_paths) name it
        except safe_files.UnsafeFile as error:
            problems.append(f"{named}: {error}")
            continue
        problems += [
            f"{found.path}:{inner.line}: a line pymdownx.snippets reads as an include of "
            f"{inner.target!r}; a program or output shown on a page may hold none (it "
            "would publish the file it names)"
            for inner in syntax.includes(text)
        ]
    return problems


def on_config(config):
    from mkdocs.exceptions import PluginError

    problems = tree_problems(_root(config))
    if problems:
        raise PluginError("\n".join(problems))
    return config


def page_problems(source: str, page: str) -> list[str]:
    """What the tests refuse on a Markdown page, as written (before any expansion)."""
    refused = [
        f"{b.where()}: {b.why}" for b in syntax.page_blocks(source, page) if b.kind == "refused"
    ]
    return syntax.lookalike_problems(source, page) + refused + syntax.marker_problems(source, page)


def on_page_markdown(markdown: str, page, config, files) -> str:
    from mkdocs.exceptions import PluginError

    from .program_blocks import front_matter_lines

    name = f"docs/{page.file.src_uri}"
    offset = front_matter_lines(markdown, page.file.content_string)
    problems = include_problems("\n" * offset + markdown, name, _root(config))
    if page.file.src_uri.endswith(".md"):
        problems = page_problems(page.file.content_string, name) + problems
    if problems:
        raise PluginError("\n".join(problems))
    return markdown
