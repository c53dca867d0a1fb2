"""Readers for .txt, .md, .html and .pdf, and what they hand to cleaning."""

from __future__ import annotations

from pathlib import Path

import pytest

from kizashi.errors import InputError
from kizashi.evidence.readers import read_document, split_plain_paragraphs

from .pdf_fixture import make_pdf

HTML = """<!doctype html>
<html><head><title>Alliance watch</title>
<meta name="author" content="Jane Roe"><link rel="canonical" href="https://example.org/a">
<script>var x = "Leave a Reply";</script></head>
<body>
<header><a href="/">Home</a> <a href="/asia">Asia</a></header>
<nav><ul><li>World</li><li>Opinion</li></ul></nav>
<article>
<h1>Alliance watch</h1>
<p>Tokyo raised its defence budget to meet the <b>2%</b> target.</p>
<ul><li>Exercises expand.</li><li>Missile defence deepens.</li></ul>
<figure><img src="x.jpg"><figcaption>Photo: Reuters</figcaption></figure>
</article>
<aside>Related: more stories</aside>
<footer>© 2025 Example</footer>
</body></html>"""


def test_plain_text_paragraphs_join_hard_wrapped_lines_only() -> None:
    text = (
        "• Research & Analysis Services I Academic I Market & Industry I Government Policy I\n"
        "Country Columnists\nA heading\n\n"
        "  • First bullet point ends here.\n  • Second bullet.\n"
    )
    assert split_plain_paragraphs(text) == [
        "• Research & Analysis Services I Academic I Market & Industry I Government Policy I "
        "Country Columnists",
        "A heading",
        "• First bullet point ends here.",
        "• Second bullet.",
    ]


def test_html_blocks_furniture_and_hints(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text(HTML, encoding="utf-8")
    raw = read_document(path)
    assert raw.paragraphs == [
        "Alliance watch",
        "Tokyo raised its defence budget to meet the 2% target.",
        "Exercises expand.",
        "Missile defence deepens.",
    ]
    assert raw.furniture == [
        ("navigation", "Home Asia"),
        ("navigation", "World Opinion"),
        ("image-credit", "Photo: Reuters"),
        ("sidebar", "Related: more stories"),
        ("footer", "© 2025 Example"),
    ]
    assert raw.hints == {
        "title": "Alliance watch",
        "author": "Jane Roe",
        "url": "https://example.org/a",
    }


def test_markdown(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "# Alliance watch\n\nTokyo raised its *defence* budget\nto meet the target.\n\n"
        "- Exercises expand.\n- Missile defence deepens.\n",
        encoding="utf-8",
    )
    assert read_document(path).paragraphs == [
        "Alliance watch",
        "Tokyo raised its defence budget to meet the target.",
        "Exercises expand.",
        "Missile defence deepens.",
    ]


def test_pdf(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(
        make_pdf(
            [
                ["Alliance watch", "", "Tokyo raised its defence budget. The U.S. welcomed it."],
                ["Second page text about LNG exports."],
            ],
            title="Alliance watch (PDF)",
        )
    )
    raw = read_document(path)
    joined = " ".join(raw.paragraphs)
    assert "Tokyo raised its defence budget. The U.S. welcomed it." in joined
    assert "Second page text about LNG exports." in joined
    assert raw.hints["title"] == "Alliance watch (PDF)"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.md", b"  \n\n ", "file is empty"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 100, "binary file"),
        ("latin1.txt", "caf\u00e9 au lait".encode("latin-1"), "not UTF-8"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "malformed PDF"),
        ("fake.pdf", b"this is not a pdf at all", "malformed PDF"),
        (
            "scripts.html",
            b"<html><head><script>x()</script></head><body></body></html>",
            "no readable text",
        ),
        ("binary.html", bytes(range(256)) * 4, "binary file"),
        ("notes.docx", b"whatever", "unsupported file type"),
    ],
)
def test_bad_files_raise_input_errors_naming_the_file(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason) as info:
        read_document(path)
    assert info.value.path == str(path)


def test_oversized_and_unreadable_files(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read_document(big, max_bytes=1000)
    missing = tmp_path / "gone.txt"
    missing.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(InputError, match="cannot read file") as info:
        read_document(missing)
    assert info.value.path == str(missing)
