#!/usr/bin/env python3
"""Checks that every document and section the repository cites exists in it.

A citation is a Markdown path followed by a section, `docs/reference/auth.md §2.3` (several:
`§2.1, §2.3`; a range: `§2.1–2.3`), or an anchor, `docs/nginx-module.md#3-cors`. In Markdown
pages the path may be a relative link to the page. A bare `§4` is a section of the page itself in
Markdown, and of the last document cited before it in a code file. Read: the comments of
ngx_module/, worker/, shared/, t/, conf/, tools/ and the Makefile, and the text of docs/ and
README.md (code blocks and code spans left out). Sections are the numbers that start headings
(`## 2. Title`, `### 2.3 Title`); anchors are GitHub's slugs of headings. Citations of other
projects' documents are told apart by EXTERNAL_DOCUMENTS (names) and EXTERNAL_SECTION_OWNERS
(what may stand before a `§` of an external text: RFCs, OpenID specifications).

Exit status 1 with one line per broken citation, 0 when all resolve. Run by `make test`;
runnable alone: `python3 tools/check_citations.py`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMENT_FOLDERS = ("ngx_module/", "worker/", "shared/", "t/", "conf/", "tools/")
COMMENT_FILES = ("Makefile",)
DOC_FOLDERS = ("docs/",)
DOC_FILES = ("README.md",)

# Documents cited by name that are not part of this repository. Empty today: every `*.md` the
# tree cites is its own. Add a name here only for a document of another project, cited as such.
EXTERNAL_DOCUMENTS: set[str] = set()
# What may stand right before a bare `§` that belongs to an external text, not to a page here.
EXTERNAL_SECTION_OWNERS = re.compile(r"(?:RFC \d+|OpenID Back-Channel Logout(?: 1\.0)?) $")

SECTION = r"\d+(?:\.\d+)*"
SECTION_REF = re.compile(r"§(" + SECTION + r")(?:–(" + SECTION + r"))?")
CHAIN = re.compile(r"\s*§" + SECTION + r"(?:–" + SECTION + r")?(?:(?:,| and| /) §" + SECTION +
                   r"(?:–" + SECTION + r")?)*")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+?\.md)(#[\w-]+)?\)")
PATH = re.compile(r"(?<![\w./:-])((?:[\w.-]+/)*[\w-][\w.-]*\.md)(#[\w-]+)?(?![\w-])")

C_LIKE = {".cpp", ".hpp", ".c", ".h", ".mjs", ".js", ".go"}
HASH = {".py", ".conf", ".properties", ".service", ".sh", ".ldif", ".ini", ".toml", ".txt", ".cfg"}


def tracked(prefixes: tuple[str, ...], names: tuple[str, ...]) -> list[str]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split("\n")
    return [f for f in files if f and (f.startswith(prefixes) or f in names)]


def line_comment(line: str, marker: str) -> str | None:
    """The comment of a line: text after `marker` outside string literals."""
    quote = None
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'" and not (marker == "#" and c == "'" and line[i - 1:i].isalnum()):
            quote = c
        elif line.startswith(marker, i) and not (marker == "//" and line[i - 1:i] == ":"):
            return line[i + len(marker):]
        i += 1
    return None


def comment_blocks(path: str, text: str) -> list[tuple[int, str]]:
    """(first line, text) of each run of comment lines, the lines joined by spaces."""
    suffix = Path(path).suffix
    lines = text.split("\n")
    pieces: list[tuple[int, str | None]] = []
    if suffix in C_LIKE:
        in_block = False
        for n, line in enumerate(lines, 1):
            if in_block:
                end = line.find("*/")
                pieces.append((n, line if end < 0 else line[:end]))
                in_block = end < 0
                continue
            start = line.find("/*")
            comment = line_comment(line, "//")
            if start >= 0 and (comment is None or line.find("//") > start) and \
                    line_comment(line[:start] + "//", "//") == "":
                end = line.find("*/", start + 2)
                pieces.append((n, line[start + 2:] if end < 0 else line[start + 2:end]))
                in_block = end < 0
            else:
                pieces.append((n, comment))
    elif suffix == ".py":
        in_string = None
        for n, line in enumerate(lines, 1):
            if in_string:
                end = line.find(in_string)
                pieces.append((n, line if end < 0 else line[:end]))
                if end >= 0:
                    in_string = None
                continue
            m = re.search(r'("""|\'\'\')', line)
            if m and (line_comment(line[:m.start()] + "#", "#") == ""):
                rest = line[m.end():]
                end = rest.find(m.group(1))
                pieces.append((n, rest if end < 0 else rest[:end]))
                in_string = m.group(1) if end < 0 else None
            else:
                pieces.append((n, line_comment(line, "#")))
    elif suffix == ".xml":
        for n, m in ((text.count("\n", 0, m.start()) + 1, m) for m in
                     re.finditer(r"<!--(.*?)-->", text, re.S)):
            pieces.append((n, m.group(1).replace("\n", " ")))
    elif suffix in HASH or Path(path).name in COMMENT_FILES:
        pieces = [(n, line_comment(line, "#")) for n, line in enumerate(lines, 1)]
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0
    for n, piece in pieces + [(0, None)]:
        if piece is None:
            if current:
                blocks.append((first, " ".join(current)))
            current = []
            continue
        if not current:
            first = n
        current.append(piece.strip().lstrip("/#*").strip())
    return blocks


def markdown_blocks(text: str) -> list[tuple[int, str]]:
    """(line, text) of a page's lines outside code blocks, code spans removed."""
    blocks = []
    fenced = False
    for n, line in enumerate(text.split("\n"), 1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced and not line.startswith("    "):
            blocks.append((n, re.sub(r"`[^`]*`", "", line)))
    return blocks


def slug(heading: str) -> str:
    heading = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return heading.replace(" ", "-")


class Page:
    def __init__(self, path: Path):
        self.sections: set[str] = set()
        self.anchors: set[str] = set()
        fenced = False
        for line in path.read_text(encoding="utf-8").split("\n"):
            if line.lstrip().startswith("```"):
                fenced = not fenced
            m = None if fenced else re.match(r"#{1,6}\s+(.*)", line)
            if m:
                title = m.group(1)
                number = re.match(r"(" + SECTION + r")\.?\s", title)
                if number:
                    self.sections.add(number.group(1))
                self.anchors.add(slug(re.sub(r"`", "", title)))


class Checker:
    def __init__(self) -> None:
        self.pages: dict[str, Page | None] = {}
        self.errors: list[str] = []
        self.count = 0

    def page(self, relative: str) -> Page | None:
        if relative not in self.pages:
            path = ROOT / relative
            self.pages[relative] = Page(path) if path.is_file() else None
        return self.pages[relative]

    def check_sections(self, where: str, doc: str, refs: str) -> None:
        page = self.page(doc)
        for m in SECTION_REF.finditer(refs):
            for number in filter(None, (m.group(1), m.group(2))):
                self.count += 1
                if page is not None and number not in page.sections:
                    self.errors.append(f"{where}: {doc} has no section §{number}")

    def check_anchor(self, where: str, doc: str, anchor: str) -> None:
        page = self.page(doc)
        self.count += 1
        if page is not None and anchor[1:] not in page.anchors:
            self.errors.append(f"{where}: {doc} has no heading {anchor}")

    def check_file(self, path: str) -> None:
        text = (ROOT / path).read_text(encoding="utf-8", errors="replace")
        markdown = path.endswith(".md")
        blocks = markdown_blocks(text) if markdown else comment_blocks(path, text)
        last_doc: str | None = path if markdown else None
        for line, block in blocks:
            where = f"{path}:{line}"
            spans: list[tuple[int, int, str | None, str | None]] = []
            for m in LINK.finditer(block):
                target = m.group(1)
                if re.match(r"\w+://", target):
                    continue
                doc = str((Path(path).parent / target)) if markdown else target
                spans.append((m.start(), m.end(), doc, m.group(2)))
            for m in PATH.finditer(block):
                if any(a <= m.start() < b for a, b, _, _ in spans):
                    continue
                spans.append((m.start(), m.end(), m.group(1), m.group(2)))
            spans.sort()
            consumed: list[tuple[int, int]] = []
            for start, end, doc, anchor in spans:
                chain = CHAIN.match(block, end)
                if chain:
                    consumed.append((end, chain.end()))
            bare = [(m.start(), m.end(), None, m.group(0)) for m in SECTION_REF.finditer(block)
                    if not any(a <= m.start() < b for a, b in consumed)
                    and not EXTERNAL_SECTION_OWNERS.search(block[:m.start()])]
            for start, end, doc, text in sorted(spans + bare, key=lambda e: e[0]):
                if doc is None:  # a bare section
                    if last_doc is None:
                        self.errors.append(f"{where}: {text} cites no document")
                    else:
                        self.check_sections(where, last_doc, text)
                    continue
                doc = re.sub(r"(^|/)\./", r"\1", doc)
                while "/../" in doc:
                    doc = re.sub(r"[^/]+/\.\./", "", doc, count=1)
                if Path(doc).name in EXTERNAL_DOCUMENTS:
                    continue
                self.count += 1
                if self.page(doc) is None:
                    self.errors.append(f"{where}: {doc} is not a document of this repository")
                    continue
                if not markdown:
                    last_doc = doc
                if text:
                    self.check_anchor(where, doc, text)
                chain = CHAIN.match(block, end)
                if chain:
                    self.check_sections(where, doc, chain.group(0))


def main() -> int:
    checker = Checker()
    for path in tracked(COMMENT_FOLDERS, COMMENT_FILES) + tracked(DOC_FOLDERS, DOC_FILES):
        if path.endswith(".md") and not path.startswith(DOC_FOLDERS) and path not in DOC_FILES:
            continue  # a page outside docs/ (none today) would be read as a comment file
        if (ROOT / path).is_file():
            checker.check_file(path)
    for error in checker.errors:
        print(error)
    if checker.errors:
        print(f"check_citations: {len(checker.errors)} broken citation(s) "
              f"(the citation rules: docs/reference/README.md)", file=sys.stderr)
        return 1
    print(f"check_citations: {checker.count} citations resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
