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


def test_a_hostile_program_cannot_close_its_fence_or_its_copy_attribute():
    """A program is a stranger's text: a line of backticks in it cannot end the code
    block it is shown in (the fence is longer than any run of backticks in the program),
    and quotes, markup and line breaks cannot leave the wrapper's data-copy attribute."""
    program = syntax.program_lines("<<< snippets/x/evil.py\n", "docs/x.md")[0]
    shared = "\n".join(f"a{i} = {i}" for i in range(20))
    whole = shared + '\n```\n<script>alert(1)</script>\ns = "\'\\" >"\n````` end\n'
    fold = shared_lines.Fold(1, 20, "snippets/x/first.py", 1)
    held: list[str] = []
    lines = shared_lines.folded_block(program, fold, lambda h: held.append(h) or "HELD", whole)
    fence = "`" * 6  # one more than the longest run of backticks in the program (5)
    fences = [line for line in lines if line.lstrip().startswith(fence)]
    assert len(fences) == 4, lines  # the folded block and the rest: open and close each
    assert [f.strip() for f in fences[1::2]] == [fence, fence]
    assert "```" in lines and "````` end" in lines  # the program's own lines, inside
    wrapper = held[0]
    attribute = wrapper.split('data-copy="', 1)[1].rsplit('"', 1)[0]
    assert '"' not in attribute and "<" not in attribute and "\n" not in attribute
    assert wrapper.count('"') == 4  # class="..." and data-copy="...", nothing else
