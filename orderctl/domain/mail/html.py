"""HTML mail bodies rendered to text with a real parser (beautifulsoup4, imported lazily).

Table rows become one line each with cells joined by `` | `` so an item's
title and its price stay on one line; block elements end a line. Link
targets (and image sources, which name a shop system) are collected; no
remote content is ever fetched.
"""

from __future__ import annotations

_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "tr")


def html_to_text(document: str) -> tuple[str, list[str]]:
    """(text, link targets) of an HTML document; never raises on bad markup."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(document, "html.parser")
    for tag in soup(["script", "style", "head", "title"]):
        tag.decompose()
    links = [str(a.get("href")).strip() for a in soup.find_all("a", href=True)]
    links += [str(img.get("src")).strip() for img in soup.find_all("img", src=True)]
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for row in soup.find_all("tr"):
        if row.find("tr") is not None:
            continue
        cells = [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]
        row.replace_with("\n" + " | ".join(c for c in cells if c) + "\n")
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (" ".join(line.split()) for line in soup.get_text().splitlines())
    text = "\n".join(line for line in lines if line)
    return text, [link for link in links if link.lower().startswith(("http://", "https://"))]
