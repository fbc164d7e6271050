"""QR codes for a certificate's verification page, drawn on the server as SVG (segno)."""
from __future__ import annotations

import io

from markupsafe import Markup

from app.platform.lazy import lazy_import
from app.platform.mail import external_url

segno = lazy_import("segno")


def verify_url(certificate, lang: str) -> str:
    """The public verification page, absolute on the site's address (app/platform/siteurl.py): the share link
    and what the QR code holds."""
    return external_url("verify.certificate", lang, public_id=certificate.public_id)


def qr_svg(url: str, title: str, *, standalone: bool = False) -> str:
    """`url` as SVG markup with `title` as its accessible name. No script and no style attribute, so
    it can be inlined under the site's Content Security Policy; `standalone` adds the XML declaration
    for an .svg file of its own."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", xmldecl=standalone, svgns=True, nl=False, scale=4, border=4, dark="#000",
        light="#fff", svgclass="qr-code", lineclass=None, title=title,
    )
    out = buffer.getvalue().decode("utf-8")
    if "style=" in out or "<script" in out:  # the page's CSP allows neither
        raise ValueError("unexpected markup in the QR code SVG")
    return out


def qr_markup(url: str, title: str) -> Markup:
    return Markup(qr_svg(url, title))  # segno escapes the title; the rest is its own markup
