"""A program's lines shared with one shown above on its page are folded (book.site.shared_lines)."""

from __future__ import annotations

from book import syntax
from book.catalog import DOCS, REPO
from book.site import shared_lines
from book.site.program_blocks import Marks, expand_page


def page_programs(page: str) -> list[syntax.ProgramLine]:
    return syntax.program_lines((DOCS / page).read_text(), page)


def lines_of(rel: str) -> list[str]:
    return (REPO / rel).read_text().rstrip("\n").split("\n")


def test_each_fold_repeats_lines_of_a_program_shown_above_it():
    """On every page: a fold is at least MIN_LINES long, starts and ends on a line of
    code, and is line for line the lines it names in a whole program earlier on the page."""
    count = 0
    for page in sorted(p.name for p in DOCS.glob("*.md")):
        programs = page_programs(page)
        for index, fold in shared_lines.folds(programs).items():
            count += 1
            earlier = [p.path for p in programs[:index] if p.whole]
            assert fold.source in earlier, f"{page}: {fold} names no program above it"
            mine = lines_of(programs[index].path)[fold.first - 1 : fold.last]
            theirs = lines_of(fold.source)[fold.source_first - 1 :][: fold.size]
            assert mine == theirs, f"{page}: {programs[index].path} {fold}"
            assert fold.size >= shared_lines.MIN_LINES and mine[0].strip() and mine[-1].strip()
    # Reusing a trained network builds four programs on one set-up, for one.
    assert count >= 10, f"only {count} folds in the whole book"


def test_the_first_program_and_short_repeats_are_never_folded():
    programs = page_programs("reusing-a-network.md")
    folds = shared_lines.folds(programs)
    assert 0 not in folds
    freeze = next(i for i, p in enumerate(programs) if p.path.endswith("/compare_three.py"))
    fold = folds[freeze]
    assert (fold.first, fold.source.rsplit("/", 1)[1]) == (1, "freeze_body.py")
    assert fold.title(programs[freeze].path).startswith("compare_three.py, lines 1 to ")
    # Two programs sharing fewer lines than MIN_LINES (imports and a seed) stay whole.
    programs = page_programs("tensors.md")
    assert shared_lines.folds(programs) == {}


def test_a_folded_program_is_copied_whole_and_its_pieces_keep_their_indentation():
    """The page's Markdown: one wrapper whose copy text is the whole program, the fold in
    a collapsed block, and the pieces written out with their own indentation (the
    snippets extension would dedent a line range)."""
    marks = Marks()
    markdown = expand_page((DOCS / "epochs.md").read_text(), "docs/epochs.md", [], marks)
    held = marks._held["docs/epochs.md"]
    wrappers = [html for html in held.values() if 'class="shared-lines"' in html]
    assert wrappers, "epochs.md folds nothing"
    program = next(p for p in page_programs("epochs.md") if p.path.endswith("overfitting_seeds.py"))
    text = (REPO / program.path).read_text().rstrip()
    assert any(text.replace("&", "&amp;").replace('"', "&quot;").replace("\n", "&#10;")
               .replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#x27;") in w
               for w in wrappers)  # fmt: skip
    # In the collapsed block (indented four spaces), indented as in the program.
    assert "        return losses" in markdown.split("\n")
    assert '??? note "overfitting_seeds.py, lines ' in markdown
