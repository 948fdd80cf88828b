"""The annual assessment report as HTML for print and as PDF (WeasyPrint).

WeasyPrint lays the HTML out with CSS paged media, so the report's label is printed as a running
banner at the top and bottom of every page (``@page`` margin boxes holding the banner elements),
the way a classified document must carry its marking on each page. It is a well-kept, pure-Python
HTML-to-PDF engine on Pango, which Debian ships (docs/assessment.md says why not Chromium's print).

The report fetches nothing: its charts are ``data:`` URIs, and WeasyPrint's URL fetcher is limited
to that protocol, so no text in a record can make the renderer read a file or the network.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from comity.assessment.report import Report


def report_html(report: Report) -> str:
    """The report as one standalone HTML document with its print styles and banners."""
    return render_to_string("assessment/report_pdf.html", {"report": report, "public": report.marking == "PUBLIC"})


def report_pdf(report: Report) -> bytes:
    """The report as PDF bytes (WeasyPrint is imported here: it is heavy, and only this needs it)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only inline data: URIs, and a refused one stops the rendering rather than leaving a gap.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return HTML(string=report_html(report), url_fetcher=fetcher).write_pdf()
