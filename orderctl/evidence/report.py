"""The human-readable dispute report, as printable HTML and as Markdown.

Everything in the context comes from users, sellers or carriers (item
titles, seller messages, tracking descriptions), so nothing is trusted:
HTML is autoescaped, Markdown gets ``&``, ``<`` and ``>`` escaped (most
Markdown viewers render inline HTML) and link syntax neutralised, and only
``http``/``https`` URLs ever become links. The HTML is self-contained
(inline CSS, no scripts, no external assets) so it prints and archives well.

Jinja2 is imported inside the functions so the CLI starts fast.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from orderctl.evidence.names import is_safe_relative

TEMPLATE_PACKAGE = ("orderctl", "data/templates")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-])")
_WHITESPACE = re.compile(r"\s+")
_URL_UNSAFE = re.compile(r"[\s<>\"'`()\[\]\\]|[\x00-\x1f\x7f]")


def safe_url(value: Any) -> str | None:
    """``value`` when it is an absolute http(s) URL without characters that break out, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if _URL_UNSAFE.search(url):
        return None
    return url


def bundle_link(value: Any) -> str | None:
    """A link target inside the bundle (``evidence/x.jpg``), or None if it could point elsewhere."""
    if not isinstance(value, str) or ":" in value or not is_safe_relative(value):
        return None
    return value


def md_escape(value: Any) -> str:
    """Text that Markdown renders literally: no HTML, no links/images, no emphasis, one line."""
    if value is None:
        return ""
    text = str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _WHITESPACE.sub(" ", text)


def _md_finalize(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return str(value)
    return md_escape(value)


def _md_quote(value: Any) -> Any:
    """A multi-line message as a Markdown blockquote, every line escaped."""
    from markupsafe import Markup

    lines = str(value or "").splitlines() or [""]
    escaped = (_MD_LINE_START.sub(r"\1\\\2", md_escape(line)) for line in lines)
    return Markup("\n".join("> " + line for line in escaped))


def _md_link(text: Any, url: Any) -> Any:
    """``[text](url)`` for http(s) URLs; otherwise the escaped text (and the URL as plain text)."""
    from markupsafe import Markup

    label = md_escape(text) or "link"
    good = safe_url(url)
    if good:
        return Markup(f"[{label}](<{good}>)")
    if url:
        return Markup(f"{label} ({md_escape(url)})")
    return Markup(label)


def _md_bundle_link(text: Any, path: Any) -> Any:
    from markupsafe import Markup

    label = md_escape(text) or "file"
    target = bundle_link(path)
    if target:
        return Markup(f"[{label}](<{target.replace(' ', '%20')}>)")
    return Markup(label)


def _human_size(value: Any) -> str:
    try:
        size = float(value)
    except (TypeError, ValueError):
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return ""


def _environment(markdown: bool) -> Any:
    import jinja2

    kwargs: dict[str, Any] = {
        "loader": jinja2.PackageLoader(*TEMPLATE_PACKAGE),
        "undefined": jinja2.ChainableUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    if markdown:
        env = jinja2.Environment(autoescape=False, finalize=_md_finalize, **kwargs)
        env.filters["md_quote"] = _md_quote
        env.filters["md_link"] = _md_link
        env.filters["md_bundle_link"] = _md_bundle_link
    else:
        env = jinja2.Environment(autoescape=True, **kwargs)
    env.filters["safe_url"] = safe_url
    env.filters["bundle_link"] = bundle_link
    env.filters["human_size"] = _human_size
    return env


def render_reports(context: dict[str, Any]) -> tuple[str, str]:
    """Render ``(html, markdown)`` for a dispute report from the service's context dict."""
    context = dict(context)
    # ``items`` must exist: Jinja falls back from a missing key to ``dict.items``.
    order = dict(context.get("order") or {})
    order["items"] = list(order.get("items") or [])
    context["order"] = order
    html = _environment(False).get_template("report.html.j2").render(**context)
    markdown = _environment(True).get_template("report.md.j2").render(**context)
    return html, markdown
