"""How responses travel: static files under versioned URLs with long cache lifetimes, and gzip where it is safe.

Versioned static URLs: `url_for("static", filename=...)` adds `?v=<first 12 hex digits of the file's SHA-256>`.
A request carrying the current version is cached for a year (`immutable`); any other is revalidated, so a
release never leaves an old quiz.js in a browser.

Compression (gzip) of HTML, CSS, JavaScript, JSON and SVG, when no proxy does it. BREACH-style attacks read a
secret (our CSRF token) out of the compressed size of responses that also reflect text the attacker chose. So
a dynamic page is compressed only when it answers a GET or HEAD without a query string: its content is then
decided by the path alone, which must name real content for a 200. Static files carry no secret and are always
compressed (once per file version, kept in memory), stylesheets without their comments. Error pages, redirects
and small bodies are sent as they are.

A page shared between readers (`greencustoms.pagecache`: the same bytes for everyone with its key, except each
reader's CSRF token) is compressed once, when it is stored, as a `SplicedBody`: the parts between the tokens are
deflated one by one, each ending on a byte boundary, and each reader's token goes between them in a stored
(uncompressed) deflate block. Any gzip decoder reads the joined blocks as one stream, so a signed-in reader on a
slow link costs the server a CRC-32 instead of a compression of the whole page (0.4 ms for a 25 kB lesson), and
the token's size on the wire is its length plus 5 bytes, whatever the page around it holds.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import struct
import zlib
from pathlib import Path

from flask import Flask, Response, current_app, g, request

YEAR = 365 * 24 * 3600
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/plain",
}
MIN_SIZE = 600  # below this, gzip's header costs more than it saves
_versions: dict[str, tuple[float, str]] = {}
_compressed: dict[tuple[str, str], bytes] = {}


def init_app(app: Flask) -> None:
    """Version static URLs and register the caching and compression hook."""
    app.url_defaults(_add_static_version)
    app.after_request(deliver)


def static_version(filename: str) -> str | None:
    """The version of a file under static/ (its content digest), re-read when the file changes; None if absent."""
    folder = current_app.static_folder
    if not folder:
        return None
    path = Path(folder) / filename
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    known = _versions.get(filename)
    if known is None or known[0] != mtime:
        known = _versions[filename] = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
    return known[1]


def _add_static_version(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = static_version(values["filename"])
        if version:
            values["v"] = version


def deliver(response: Response) -> Response:
    """after_request: cache lifetimes for static files, then gzip the body when the rules above allow it."""
    is_static = request.endpoint == "static"
    if is_static and response.status_code == 200:
        filename = (request.view_args or {}).get("filename", "")
        current = static_version(filename)
        if current and request.args.get("v") == current:
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        else:
            response.cache_control.no_cache = True
    if _may_compress(response, is_static):
        _compress(response, is_static)
    return response


# A CSS comment, or a quoted string (kept as it is, whatever it holds)
_CSS_COMMENT = re.compile(rb"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')|/\*.*?\*/""", re.S)
_CSS_INDENT = re.compile(rb"\n[ \t]*(?:\n[ \t]*)*")


def trim_css(data: bytes) -> bytes:
    """A stylesheet without its comments, indentation and blank lines: the same rules in fewer bytes. The
    commented source stays in static/ for people; browsers get this (about 250 bytes less per first visit)."""
    data = _CSS_COMMENT.sub(lambda found: found.group(1) or b"", data)
    return _CSS_INDENT.sub(b"\n", data).strip() + b"\n"


def _may_compress(response: Response, is_static: bool) -> bool:
    if response.status_code != 200 or "Content-Encoding" in response.headers:
        return False
    if response.mimetype not in COMPRESSIBLE or "gzip" not in request.headers.get("Accept-Encoding", ""):
        return False
    if response.is_streamed and not is_static:  # a streamed download (an export) goes out as it is made
        return False
    if not is_static and (request.method not in ("GET", "HEAD") or request.query_string):
        return False  # may reflect attacker-chosen text beside the CSRF token (BREACH)
    return True


def _compress(response: Response, is_static: bool) -> None:
    response.vary.add("Accept-Encoding")
    source = response.response
    if is_static:
        key = ((request.view_args or {}).get("filename", ""), request.args.get("v", ""))
        body = _compressed.get(key)
        if body is None:
            response.direct_passthrough = False
            data = response.get_data()
            if response.mimetype == "text/css":
                data = trim_css(data)
            body = gzip.compress(data, compresslevel=9, mtime=0)
            if key[1]:  # only a versioned URL names fixed bytes
                _compressed[key] = body
    else:
        data = response.get_data()
        if len(data) < MIN_SIZE:
            return
        spliced = g.get("spliced_body")
        body = spliced[0].gzip(spliced[1], data) if spliced else None
        if body is None:
            body = gzip.compress(data, compresslevel=6, mtime=0)
    response.direct_passthrough = False
    response.set_data(body)
    if hasattr(source, "close"):  # the static file's handle, which set_data let go of
        source.close()
    response.headers["Content-Encoding"] = "gzip"
    etag, _weak = response.get_etag()
    if etag:  # the same resource in another encoding: only weakly the same bytes
        response.set_etag(etag, weak=True)


# gzip's member header: deflate, no file name, mtime 0, best compression, unknown system (as gzip.compress writes it)
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
_WINDOW = 32_768  # how far back a deflate match may reach
_MAX_LENGTHS = 4  # secret lengths prepared per body (a CSRF token always has the same length)


class SplicedBody:
    """A body made of fixed parts with the same per-reader secret between each two (a shared page and the reader's
    CSRF token), and its gzip made without compressing the page again.

    Per secret length, once: each part is deflated by itself, ending on a byte boundary, with what precedes it in
    the page as its dictionary and each secret's place filled with NUL bytes, which a page without NUL never
    matches: so no match reaches into a secret, and the part compresses as well as in one stream. Per request, the
    first copy of the secret goes in as stored (uncompressed) blocks; each further copy is a match of the copy
    before it (a constant: it depends on the secret's length, not its content)."""

    def __init__(self, parts: list[bytes], secret_length: int = 0) -> None:
        """`secret_length`: the length of the secrets to expect (others are prepared when they come)."""
        self.parts = parts
        self._prepared: dict[int, tuple[list[bytes], list[bytes | None]]] = {}  # secret length -> (parts, later copies)
        self.size = sum(map(len, parts)) + sum(map(len, self._prepare(secret_length)[0]))  # bytes kept

    def fill(self, secret: bytes) -> bytes:
        """The body for the reader whose secret this is."""
        return secret.join(self.parts)

    def gzip(self, secret: bytes, data: bytes) -> bytes | None:
        """gzip of `data`, which must be `fill(secret)`; None when it is not (a hook changed the body)."""
        if data != self.fill(secret):
            return None
        deflated, copies = self._prepare(len(secret))
        pieces = [_GZIP_HEADER, deflated[0]]
        stored = _stored_blocks(secret)
        for index, part in enumerate(deflated[1:]):
            copy = copies[index - 1] if index else None
            pieces += (copy or stored, part)
        pieces.append(struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF))
        return b"".join(pieces)

    def _prepare(self, length: int) -> tuple[list[bytes], list[bytes | None]]:
        prepared = self._prepared.get(length)
        if prepared is None:
            prepared = _deflate_parts(self.parts, length), _copies(self.parts, length)
            if len(self._prepared) < _MAX_LENGTHS:
                self._prepared[length] = prepared
        return prepared


def _deflate_parts(parts: list[bytes], length: int) -> list[bytes]:
    """Each part as raw deflate, ending on a byte boundary (the last one ends the stream), with what comes before it
    (secrets as NUL bytes) as its dictionary; without dictionaries if the page itself holds a NUL byte."""
    mask = b"\x00" * length
    masked = b"\x00" not in b"".join(parts)
    deflated, before = [], b""
    for index, part in enumerate(parts):
        window = before[-_WINDOW:]
        if masked and window:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS, zdict=window)
        else:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        final = index == len(parts) - 1
        deflated.append(compressor.compress(part) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH))
        before = (before + part + mask)[-_WINDOW:]
    return deflated


def _copies(parts: list[bytes], length: int) -> list[bytes | None]:
    """The deflate blocks for the second and later copies of a secret of `length` bytes: a match of the copy
    before it where deflate allows one (3 to 258 bytes, at most 32 kB back), else None (sent as stored blocks)."""
    copies: list[bytes | None] = []
    for between in parts[1:-1]:
        distance = length + len(between)
        copies.append(_match_block(length, distance) if 3 <= length <= 258 and distance <= _WINDOW else None)
    return copies


def _stored_blocks(data: bytes) -> bytes:
    """`data` as stored (uncompressed) deflate blocks, which start on a byte boundary: header byte 0 (not final,
    type 00), then length and its complement, little-endian; at most 65,535 bytes a block."""
    blocks = []
    for start in range(0, len(data), 0xFFFF):
        chunk = data[start : start + 0xFFFF]
        blocks.append(b"\x00" + struct.pack("<HH", len(chunk), len(chunk) ^ 0xFFFF) + chunk)
    return b"".join(blocks)


def _code_table(first: int, plain: int, extra_limit: int) -> list[tuple[int, int]]:
    """(first value, extra bits) of each code: `plain` codes without extra bits, then four codes (lengths) or two
    (distances) per number of extra bits (RFC 1951, 3.2.5)."""
    table, base = [(first + code, 0) for code in range(plain)], first + plain
    per_width = 4 if first == 3 else 2
    for extra in range(1, extra_limit + 1):
        for _code in range(per_width):
            table.append((base, extra))
            base += 1 << extra
    return table


_LENGTHS = [*_code_table(3, 8, 5), (258, 0)]  # symbols 257-285
_DISTANCES = _code_table(1, 4, 13)  # codes 0-29


def _match_block(length: int, distance: int) -> bytes:
    """A fixed-Huffman deflate block holding one match (`length` bytes from `distance` back), then an empty stored
    block, which brings the stream back to a byte boundary (as a sync flush does)."""
    bits, count = 0, 0

    def put(value: int, width: int) -> None:  # deflate packs values from the least significant bit
        nonlocal bits, count
        bits |= value << count
        count += width

    def put_code(code: int, width: int) -> None:  # ... but Huffman codes from their most significant bit
        put(int(f"{code:0{width}b}"[::-1], 2), width)

    put(0, 1)  # not the last block
    put(1, 2)  # fixed Huffman codes
    symbol = max(index for index, (first, _extra) in enumerate(_LENGTHS) if first <= length)
    first, extra = _LENGTHS[symbol]
    symbol += 257
    put_code(symbol - 256, 7) if symbol <= 279 else put_code(0b11000000 + symbol - 280, 8)
    put(length - first, extra)
    code = max(index for index, (first, _extra) in enumerate(_DISTANCES) if first <= distance)
    first, extra = _DISTANCES[code]
    put_code(code, 5)
    put(distance - first, extra)
    put_code(0, 7)  # end of block (symbol 256)
    put(0, 3)  # an empty stored block, not the last: its length fields start on the next byte
    return bits.to_bytes((count + 7) // 8, "little") + b"\x00\x00\xff\xff"
