"""The report as PDF, rendered from the HTML report with WeasyPrint."""

from __future__ import annotations

from kizashi.errors import InputError
from kizashi.report.content import ReportContent
from kizashi.report.html import render_html


def render_pdf(content: ReportContent) -> bytes:
    """The report as PDF bytes (deterministic: no creation date unless the report has one)."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # the Pango/HarfBuzz system libraries are missing
        raise InputError(
            f"PDF output needs WeasyPrint's system libraries (Pango): {exc}; "
            "on Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 (see scripts/install-browser.sh)"
        ) from None
    html = render_html(content)
    document = HTML(string=html, base_url=None).render()
    document.metadata.title = content.model.title or content.model.id
    document.metadata.created = content.date
    document.metadata.modified = content.date
    document.metadata.generator = "kizashi"
    pdf = document.write_pdf()
    assert pdf is not None
    return bytes(pdf)
