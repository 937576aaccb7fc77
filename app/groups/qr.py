"""QR codes drawn on the server as SVG (no script, no network): for projecting a join link,
printing a family link or checking a certificate."""

from __future__ import annotations

import io


def qr_svg(url: str, title: str = "") -> bytes:
    """A black-on-white SVG QR code of `url` with a quiet zone, scaled for a projector or a print.

    Its size is in px with a matching viewBox ("0 0 370 370"), so CSS can scale it to any width."""
    import segno  # here, not at import: only QR pages need it

    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    # A unit makes segno write the viewBox next to width and height.
    code.save(out, kind="svg", scale=10, border=4, dark="#000", light="#fff", xmldecl=False,
              svgns=True, title=title or None, desc=None, svgclass=None, lineclass=None, unit="px")
    return out.getvalue()
