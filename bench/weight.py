"""Page weight of a first visit, fetched like a browser with an empty cache: the HTML, then every stylesheet,
script, icon and image it references, then the fonts and images the stylesheets reference."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench.client import Browser

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")
KINDS = {
    ".css": "css",
    ".js": "js",
    ".mjs": "js",
    ".woff2": "font",
    ".woff": "font",
    ".ttf": "font",
    ".otf": "font",
    ".svg": "image",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".webp": "image",
    ".avif": "image",
    ".ico": "image",
}


class _References(HTMLParser):
    """URLs a browser loads while rendering the page (links to other pages are not fetched)."""

    FETCHED_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "manifest"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and self.FETCHED_RELS & set((a.get("rel") or "").lower().split()) and a.get("href"):
            self.urls.append(a["href"])
        elif tag in ("script", "img", "source", "iframe", "embed") and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "input" and a.get("type") == "image" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "object" and a.get("data"):
            self.urls.append(a["data"])
        if a.get("srcset"):
            self.urls.append(a["srcset"].split(",")[0].split()[0])


def _kind(url: str, content_type: str) -> str:
    path = urlsplit(url).path.lower()
    for suffix, kind in KINDS.items():
        if path.endswith(suffix):
            return kind
    if "css" in content_type:
        return "css"
    if "javascript" in content_type:
        return "js"
    return "font" if "font" in content_type else "image" if "image" in content_type else "other"


def first_visit(browser: Browser, path: str) -> dict:
    """Fetch `path` and everything it pulls in (same origin), once each, as a browser does (asking for gzip).
    `bytes` are the bodies as the app made them, `wire_bytes` as they travelled (the app compresses where it is
    safe, see greencustoms/delivery.py), `gzip_bytes` what a proxy compressing everything would send."""
    origin = f"http://{browser.host}:{browser.port}"
    page = _fetch(browser, path)
    if page.status != 200:
        raise RuntimeError(f"{path} answered {page.status}")
    parser = _References()
    parser.feed(page.text)
    resources = [
        {
            "url": path,
            "kind": "html",
            "status": page.status,
            "bytes": len(page.body),
            "wire_bytes": page.wire_bytes,
            "gzip_bytes": len(gzip.compress(page.body)),
        }
    ]
    queue = [urljoin(origin + path, url) for url in parser.urls]
    seen, external = {origin + path}, []
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith("data:"):
            continue
        seen.add(url)
        if not url.startswith(origin + "/"):
            external.append(url)
            continue
        relative = url[len(origin) :]
        reply = _fetch(browser, relative)
        kind = _kind(relative, reply.headers.get("content-type", ""))
        resources.append(
            {
                "url": relative,
                "kind": kind,
                "status": reply.status,
                "bytes": len(reply.body),
                "wire_bytes": reply.wire_bytes,
                "gzip_bytes": len(gzip.compress(reply.body)),
            }
        )
        if kind == "css":
            for match in CSS_URL.finditer(reply.text):
                queue.append(urljoin(url, match.group(1) or match.group(2)))
    kinds = ("html", "css", "js", "font", "image", "other")
    by_kind = {kind: sum(r["bytes"] for r in resources if r["kind"] == kind) for kind in kinds}
    return {
        "path": path,
        "html_bytes": len(page.body),
        "total_bytes": sum(r["bytes"] for r in resources),
        "wire_total_bytes": sum(r["wire_bytes"] for r in resources),
        "gzip_total_bytes": sum(r["gzip_bytes"] for r in resources),
        "requests": len(resources),
        "js_bytes": by_kind["js"],
        "bytes_by_kind": by_kind,
        "external": external,
        "resources": resources,
    }


def _fetch(browser: Browser, path: str):
    """GET with Accept-Encoding: gzip: the reply with its body decoded and `wire_bytes` as it travelled."""
    reply = browser.request("GET", path, headers={"Accept-Encoding": "gzip"})
    reply.wire_bytes = len(reply.body)
    if reply.headers.get("content-encoding") == "gzip":
        reply.body = gzip.decompress(reply.body)
    return reply


def heaviest_lesson(app) -> tuple[str, str]:
    """(url, title) of the lesson with the most HTML in the curriculum: the bench's worst-case lesson page."""
    from greencustoms.content import get_catalog

    with app.app_context():
        catalog = get_catalog()
        pairs = [
            (course, lesson)
            for course in catalog.courses.values()
            for _module, lesson in catalog.lesson_sequence(course.slug)
        ]
        best = max(pairs, key=lambda pair: len(pair[1].html))
    course, lesson = best
    return f"/courses/{course.slug}/{lesson.module_slug}/{lesson.slug}", lesson.title
