"""Reading documents (.txt, .md, .html, .pdf) into paragraphs.

Each reader returns the document's paragraphs in reading order, the page furniture it
could already recognise from the markup (``<nav>``, ``<footer>`` ...), and metadata hints
(title, author, date, url) found in the file. Problems a user can cause (unreadable,
empty, binary, oversized or malformed files) raise :class:`kizashi.errors.InputError`
naming the file.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from kizashi.errors import InputError

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

BULLET_RE = re.compile(r"^\s*(?:[•◦▪‣·*\-–—]|\d{1,3}[.)])\s+")
SENTENCE_END_RE = re.compile(r"[.!?:;\"”’)\]]\s*$")

HTML_DROP = ("script", "style", "noscript", "template", "svg", "iframe")
HTML_FURNITURE = {
    "nav": "navigation",
    "header": "navigation",
    "footer": "footer",
    "aside": "sidebar",
    "form": "comment-form",
    "figcaption": "image-credit",
}
HTML_BLOCKS = (
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "li",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
)


@dataclass
class RawDocument:
    """What a reader extracted from a file, before cleaning."""

    path: Path
    content_hash: str
    paragraphs: list[str]
    furniture: list[tuple[str, str]] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Read a supported file into paragraphs, or raise ``InputError`` naming it."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"unsupported file type {suffix or '(none)'!r} "
            f"(supported: {', '.join(SUPPORTED_SUFFIXES)})",
            path=str(path),
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"file too large ({size:,} bytes; the limit is {max_bytes:,})", path=str(path)
            )
        data = path.read_bytes()
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc
    if not data.strip():
        raise InputError("file is empty", path=str(path))
    content_hash = hashlib.sha256(data).hexdigest()
    if suffix == ".pdf":
        paragraphs, hints = _read_pdf(data, path)
        furniture: list[tuple[str, str]] = []
    else:
        text = _decode_text(data, path)
        if suffix in (".html", ".htm"):
            paragraphs, furniture, hints = _read_html(text, path)
        elif suffix in (".md", ".markdown"):
            paragraphs, furniture, hints = _read_markdown(text, path)
        else:
            paragraphs, furniture, hints = split_plain_paragraphs(text), [], {}
    if not any(p.strip() for p in paragraphs):
        raise InputError("no readable text in file", path=str(path))
    return RawDocument(path, content_hash, paragraphs, furniture, hints)


def _decode_text(data: bytes, path: Path) -> str:
    if b"\x00" in data[:8192]:
        raise InputError("binary file (contains NUL bytes), not text", path=str(path))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (undecodable byte at offset {exc.start})", path=str(path)
        ) from exc
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192):
        raise InputError("binary file (control characters), not text", path=str(path))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_wrapped(line: str, following: str) -> bool:
    """True when ``following`` continues ``line`` (hard-wrapped prose, not a new block)."""
    stripped = line.rstrip()
    return (
        40 <= len(stripped) <= 100
        and not SENTENCE_END_RE.search(stripped)
        and not BULLET_RE.match(following)
        and bool(following.strip())
    )


def split_plain_paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs.

    Blank lines separate blocks. Inside a block each line is its own paragraph (web text
    copied to .txt keeps one paragraph, heading or bullet per line) unless the line is
    hard-wrapped prose, whose continuation lines are joined with a space.
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for line in (line for line in block.split("\n") if line.strip()):
            if current and _is_wrapped(current[-1], line):
                current.append(line.strip())
                continue
            if current:
                paragraphs.append(" ".join(current).strip())
            current = [line.strip()]
        if current:
            paragraphs.append(" ".join(current).strip())
    return paragraphs


def _normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _read_html(text: str, path: Path) -> tuple[list[str], list[tuple[str, str]], dict[str, str]]:
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml raises several types on hopeless input
        raise InputError(f"malformed HTML: {exc}", path=str(path)) from exc
    if soup.find() is None:
        raise InputError("malformed HTML: no elements found", path=str(path))
    hints: dict[str, str] = {}
    if soup.title and soup.title.string:
        hints["title"] = _normalise_space(soup.title.string)
    for name, key in (
        ("author", "author"),
        ("date", "date"),
        ("article:published_time", "date"),
        ("og:title", "title"),
        ("og:url", "url"),
    ):
        meta = soup.find("meta", attrs={"name": name}) or soup.find(
            "meta", attrs={"property": name}
        )
        if meta is not None and meta.get("content") and key not in hints:
            hints[key] = _normalise_space(str(meta["content"]))
    canonical = soup.find("link", rel="canonical")
    if canonical is not None and canonical.get("href") and "url" not in hints:
        hints["url"] = str(canonical["href"])
    for tag in soup.find_all(HTML_DROP):
        tag.decompose()
    furniture: list[tuple[str, str]] = []
    for tag in soup.find_all(list(HTML_FURNITURE)):
        if tag.decomposed:  # already removed with an ancestor
            continue
        content = _normalise_space(tag.get_text(" "))
        if content:
            furniture.append((HTML_FURNITURE[tag.name], content))
        tag.decompose()
    body = soup.body or soup
    paragraphs: list[str] = []
    for tag in body.find_all(HTML_BLOCKS):
        if tag.find(HTML_BLOCKS) is not None:
            continue  # the inner blocks are taken on their own
        content = _normalise_space(tag.get_text(" "))
        content = re.sub(r"\s+([,.;:!?])", r"\1", content)
        if content:
            paragraphs.append(content)
    if not paragraphs:
        loose = _normalise_space(body.get_text(" "))
        if loose:
            paragraphs = [loose]
    return paragraphs, furniture, hints


def _read_markdown(
    text: str, path: Path
) -> tuple[list[str], list[tuple[str, str]], dict[str, str]]:
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(text)
    paragraphs, furniture, hints = _read_html(f"<html><body>{html}</body></html>", path)
    return paragraphs, furniture, hints


def _read_pdf(data: bytes, path: Path) -> tuple[list[str], dict[str, str]]:
    """Extract the pages and title/author of a PDF; any failure is an ``InputError``.

    The PDF library raises many exception types from inside its parser (its own errors,
    ``NotImplementedError`` for filters and encryption it does not handle, its
    ``DependencyError`` for an optional package that is missing, ``AssertionError``,
    ``OverflowError``, ``RecursionError`` ...), so every ``Exception`` raised while the file
    is read is turned into one error naming the file and the reason.
    """
    from pypdf import PdfReader

    if not data.lstrip().startswith(b"%PDF-"):
        raise InputError("malformed PDF: missing %PDF header", path=str(path))
    hints: dict[str, str] = {}
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise InputError("PDF is encrypted", path=str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        if info is not None:
            if info.title:
                hints["title"] = _normalise_space(str(info.title))
            if info.author:
                hints["author"] = _normalise_space(str(info.author))
    except InputError:
        raise
    except Exception as exc:  # the PDF library's parser can raise almost anything
        raise InputError(_pdf_failure(exc), path=str(path)) from exc
    paragraphs: list[str] = []
    for page in pages:
        page = re.sub(r"(\w)-\n(\w)", r"\1\2", page)
        paragraphs.extend(split_plain_paragraphs(page))
    return paragraphs, hints


def _pdf_failure(exc: Exception) -> str:
    """The reason, for a user, that the PDF library could not read a file."""
    from pypdf.errors import DependencyError, PyPdfError

    detail = str(exc).strip()
    if isinstance(exc, DependencyError):
        return f"PDF needs an optional package that is not installed: {detail}"
    if isinstance(exc, NotImplementedError):
        return f"PDF uses a feature the PDF reader does not support: {detail or 'unknown'}"
    if isinstance(exc, RecursionError):
        return "malformed PDF: objects nested too deeply to read"
    if isinstance(exc, (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError)):
        return f"malformed PDF: {detail or exc.__class__.__name__}"
    name = exc.__class__.__name__
    return f"malformed PDF: the PDF reader failed ({name}{': ' + detail if detail else ''})"
