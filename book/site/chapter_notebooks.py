"""MkDocs hook: a notebook for every chapter, generated at build time from the page itself.

Each chapter page (docs/<slug>.md with a snippets/<slug>/ folder) becomes
notebooks/<slug>.ipynb in the built site, and gets "Download notebook" and "Open in
Colab" links under its title. Nothing is kept by hand: the prose comes from the
page and every code cell from the snippet file the page includes, so the page, the
notebook and the tests read the same source.

How the page is turned into cells:

- prose becomes markdown cells, split at headings; links to other pages of the book
  become absolute links to the published site;
- a fence that includes a whole program (``--8<-- "snippets/<slug>/<name>.py"``)
  becomes a code cell with that program's full text; a program that declares
  ``# expected-error: X`` is tagged ``raises-exception`` (Jupyter's "Run all" goes on
  past it, and the tests check that it raises exactly X);
- the "Output" fence under a program is dropped: running the cell prints it;
- an include of a named section is an excerpt of a program that is also included
  whole, so it stays a (non-running) code block in the prose;
- ``!!! type "Title"`` admonitions become block quotes; a collapsible ``???`` block
  (the exercise solutions) becomes a short heading and cells whose code is hidden
  until the reader opens it.

The module has no MkDocs import at load time: the tests import it to build the same
notebooks and execute them (book/notebooks.py).
"""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import nbformat

from .. import safe_files, syntax
from ..syntax import ADMONITION, COMMENT_LINE, FENCE, FRONT_MATTER, HEADING, PROGRAM_LINE

LINK = syntax.LINK
NOTEBOOK_DIR = "notebooks"


@dataclass
class Block:
    """A piece of a page: prose (markdown) or one program (code)."""

    kind: str  # "markdown" or "code"
    text: str
    program: str | None = None  # the snippet a code block comes from
    hidden: bool = False  # code a reader opens on purpose (an exercise solution)
    meta: dict = field(default_factory=dict)


# The cell magic that saves a launched program beside the notebook (see _program_blocks).
WRITEFILE = "%%writefile"


@dataclass
class Context:
    """What the conversion needs to know about the book."""

    root: Path  # the directory include paths are relative to (mkdocs.yml's)
    site_url: str | None = None


def chapter_slugs(root: Path, docs_dir: Path | None = None) -> list[str]:
    """Slugs of the chapter pages: docs/<slug>.md with a snippets/<slug>/ folder."""
    docs_dir = docs_dir or root / "docs"
    snippets = root / "snippets"
    if not snippets.is_dir():
        return []
    return [
        d.name
        for d in sorted(snippets.iterdir())
        if d.is_dir() and (docs_dir / f"{d.name}.md").exists()
    ]


def colab_url(repo_url: str | None, slug: str, branch: str = "gh-pages") -> str | None:
    """The Colab link for a chapter's published notebook, when the repository is on GitHub."""
    if not repo_url:
        return None
    url = urlparse(repo_url)
    parts = [p for p in url.path.strip("/").removesuffix(".git").split("/") if p]
    if url.netloc not in ("github.com", "www.github.com") or len(parts) < 2:
        return None
    owner, repo = parts[:2]
    return (
        f"https://colab.research.google.com/github/{owner}/{repo}/blob/{branch}/"
        f"{NOTEBOOK_DIR}/{slug}.ipynb"
    )


def expected_error(source: str) -> str | None:
    """The exception a program declares in its header, if any."""
    return syntax.parse_directives(source, "program").expected_error


def _program_blocks(ctx: Context, program: syntax.ProgramLine) -> list[Block]:
    """A whole program becomes a code cell; an excerpt stays prose, captioned.

    A program its page starts with torch's launcher (`# launch:`) cannot run inside the
    notebook's own kernel: it becomes two cells, as a reader would do it in Jupyter or
    Colab, one that saves it (``%%writefile``) and one that launches it (``!torchrun``)."""
    text = syntax.read_program(ctx.root, program.path, program.section)
    if program.whole:
        launch = syntax.parse_directives(text, program.path).launch_command
        if launch is not None:
            name = Path(program.path).name
            return [
                Block("code", f"{WRITEFILE} {name}\n{text.strip(chr(10))}", program=program.path),
                Block("code", f"!{launch} {name}", meta={"launches": program.path}),
            ]
        return [Block("code", text.strip("\n"), program=program.path)]
    caption = f"*From `{program.path}` (section `{program.section}`):*"
    return [Block("markdown", f"{caption}\n\n```python\n{text.strip(chr(10))}\n```")]


def _page_url(ctx: Context, target: str) -> str:
    """An absolute URL on the published site for a link relative to docs/."""
    if not ctx.site_url or re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):
        return target
    path, hash_, anchor = target.partition("#")
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in ("md", "py", "ipynb"):  # a page (labs are .py notebooks)
        path = "" if stem == "index" else stem.removesuffix("/index") + "/"
    base = ctx.site_url if ctx.site_url.endswith("/") else ctx.site_url + "/"
    return base + path + (hash_ + anchor if hash_ else "")


def _prose(ctx: Context, line: str) -> str:
    return LINK.sub(lambda m: m["open"] + _page_url(ctx, m["target"]) + m["close"], line)


def _quote(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.split("\n"))


def _admonition_blocks(kind: str, title: str, inner: list[Block]) -> list[Block]:
    collapsible = kind.startswith("???")
    if all(b.kind == "markdown" for b in inner):
        body = "\n\n".join(b.text for b in inner)
        if collapsible:
            return [
                Block("markdown", f"<details><summary>{title}</summary>\n\n{body}\n\n</details>")
            ]
        return [Block("markdown", _quote(f"**{title}**\n\n{body}"))]
    if collapsible:
        header = (
            f"**{title}** (the code cell below is collapsed: try it yourself first, then expand it)"
        )
    else:
        header = f"**{title}**"
    blocks = [Block("markdown", header)]
    for block in inner:
        if block.kind == "code":
            block.hidden = block.hidden or collapsible
            blocks.append(block)
        elif collapsible:
            summary = f"More on the {title.lower()}"
            blocks.append(
                Block(
                    "markdown",
                    f"<details><summary>{summary}</summary>\n\n{block.text}\n\n</details>",
                )
            )
        else:
            blocks.append(Block("markdown", _quote(block.text)))
    return blocks


def convert(ctx: Context, lines: list[str]) -> list[Block]:
    """Turn the lines of a page (or of an admonition's body) into blocks."""
    blocks: list[Block] = []
    prose: list[str] = []

    def flush() -> None:
        text = "\n".join(prose).strip("\n")
        if text:
            blocks.append(Block("markdown", text))
        prose.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        admonition = ADMONITION.match(line)
        program = PROGRAM_LINE.match(line)
        if program:
            found = syntax.program_lines(line, "page")[0]
            new = _program_blocks(ctx, found)
            if new[0].kind == "code":
                flush()
                blocks.extend(new)
            else:
                prose.extend(textwrap.indent(new[0].text, program["indent"]).split("\n"))
            i += 1
            continue
        if fence:
            # A fence is prose: programs are never written into pages, only named.
            end = syntax.fence_end(lines, i, fence["fence"], 0)
            prose.extend(lines[i : end + 1])
            i = end + 1
            continue
        if admonition:
            indent = len(admonition["indent"]) + 4
            end = i + 1
            while end < len(lines) and (
                not lines[end].strip() or lines[end].startswith(" " * indent)
            ):
                end += 1
            while end > i + 1 and not lines[end - 1].strip():
                end -= 1
            body = [ln[indent:] for ln in lines[i + 1 : end]]
            title = admonition["title"]
            if title is None:
                title = admonition["type"].replace("-", " ").capitalize()
            flush()
            blocks.extend(_admonition_blocks(admonition["kind"], title, convert(ctx, body)))
            i = end
            continue
        if COMMENT_LINE.match(line):
            i += 1
            continue
        if HEADING.match(line):
            flush()
        prose.append(_prose(ctx, line))
        i += 1
    flush()
    return blocks


def build_notebook(
    markdown: str,
    *,
    root: Path,
    site_url: str | None = None,
    page_url: str | None = None,
) -> nbformat.NotebookNode:
    """The notebook for one page's Markdown source (front matter allowed)."""
    ctx = Context(root=root, site_url=site_url)
    markdown = FRONT_MATTER.sub("", markdown, count=1)
    blocks = convert(ctx, markdown.split("\n"))
    chapter = f"[this chapter]({page_url})" if page_url else "this chapter"
    note = (
        f"*This notebook is generated from {chapter} of The PyTorch Learning Book. Every "
        "code cell is a complete program from the chapter, and running it prints the output "
        "shown on the page: run the cells from top to bottom. A cell tagged "
        "`raises-exception` shows a mistake on purpose: its error is the lesson.*"
    )
    if any(block.meta.get("launches") for block in blocks):
        note = note.removesuffix("*") + (
            " A program that runs on several processes is saved by one cell and started "
            "with `torchrun` by the next, as you would start it in a terminal.*"
        )
    if blocks and blocks[0].kind == "markdown" and blocks[0].text.startswith("# "):
        title, _, rest = blocks[0].text.partition("\n")
        blocks[0].text = f"{title}\n\n{note}\n{rest}".rstrip("\n")
    else:
        blocks.insert(0, Block("markdown", note))

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    for number, block in enumerate(blocks, start=1):
        if block.kind == "code":
            cell = nbformat.v4.new_code_cell(block.text)
            if expected_error(block.text):
                cell.metadata["tags"] = ["raises-exception"]
            if block.hidden:
                cell.metadata["jupyter"] = {"source_hidden": True}
            if block.program or block.meta:
                cell.metadata["book"] = ({"program": block.program} if block.program else {}) | (
                    block.meta
                )
        else:
            cell = nbformat.v4.new_markdown_cell(block.text)
        cell["id"] = f"cell-{number}"  # stable ids: the same page gives the same file
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def chapter_notebook(
    slug: str, root: Path, site_url: str | None = None, docs_dir: Path | None = None
) -> nbformat.NotebookNode:
    """The notebook of the chapter docs/<slug>.md."""
    docs_dir = docs_dir or root / "docs"
    page_url = None
    if site_url:
        page_url = (site_url if site_url.endswith("/") else site_url + "/") + f"{slug}/"
    # The page and its programs are read as regular files inside root (book.safe_files).
    text = safe_files.read_text(docs_dir / f"{slug}.md", root=root)
    page = docs_dir / f"{slug}.md"
    rel = page.relative_to(root).as_posix() if page.is_relative_to(root) else str(page)
    missing = [p for p in syntax.program_lines(text, rel) if not (root / p.path).is_file()]
    if missing:  # named as the page names it, with its line
        raise syntax.SyntaxProblem(
            "\n".join(f"{p.where()}: '<<< {p.path}': no such program" for p in missing)
        )
    return build_notebook(text, root=root, site_url=site_url, page_url=page_url)


# ---------------------------------------------------------------------------
# The MkDocs side.
# ---------------------------------------------------------------------------


def on_config(config):
    # The labs' kernels draw their figures into the page with matplotlib's inline
    # backend, whatever the shell says: a headless CI often sets MPLBACKEND=Agg,
    # which would leave every plot out of the site without an error.
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return config


def _root(config) -> Path:
    return Path(config["config_file_path"]).resolve().parent


def on_files(files, config):
    """Add notebooks/<slug>.ipynb for every chapter to the site's files."""
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File

    root = _root(config)
    for slug in chapter_slugs(root, Path(config["docs_dir"])):
        try:
            nb = chapter_notebook(slug, root, config.get("site_url"), Path(config["docs_dir"]))
        except (OSError, ValueError) as exc:
            raise PluginError(f"notebook for docs/{slug}.md: {exc}") from exc
        files.append(
            File.generated(
                config, f"{NOTEBOOK_DIR}/{slug}.ipynb", content=nbformat.writes(nb) + "\n"
            )
        )
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Put the notebook links under the title of every chapter page."""
    src = page.file.src_uri
    slug = src.removesuffix(".md")
    if "/" in src or slug not in chapter_slugs(_root(config), Path(config["docs_dir"])):
        return markdown
    links = [
        f'[Download notebook]({NOTEBOOK_DIR}/{slug}.ipynb){{ .md-button download="{slug}.ipynb" }}'
    ]
    colab = colab_url(config.get("repo_url"), slug)
    if colab:
        links.append(f"[Open in Colab]({colab}){{ .md-button }}")
    block = '<div class="notebook-links" markdown>\n' + "\n".join(links) + "\n</div>\n"
    lines = markdown.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: i + 1], "", block, *lines[i + 1 :]])
    return block + "\n" + markdown
