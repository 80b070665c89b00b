"""The book's document model: the one reader of its page syntax and verification records.

- `syntax`: the only parser of the page syntax (program lines, includes, sections,
  fences, header directives);
- `catalog`: the programs under snippets/ and the pages that show them;
- `records`: verification records, read and written; content hashes; statuses;
- `run`: the sandboxed fork server that runs programs and notebooks;
- `judge` and `compare`: one judgement of a run against what it promises;
- `notebooks`: chapter notebooks generated from pages, labs read from jupytext files;
- `site`: what the MkDocs hooks in overrides/hooks/ call.
"""
