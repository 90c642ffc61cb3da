"""gzip of a body made of fixed parts with a per-reader secret between them, without compressing it per reader.

A shared page (`greencustoms.pagecache`) is the same for every reader except their CSRF token. Its gzip is built
from pieces prepared once per secret length:
- each part is raw deflate by itself, ending on a byte boundary (a sync flush; the last part ends the stream),
  with what precedes it in the page as its dictionary and every secret's place filled with NUL bytes. A page
  without NUL bytes never matches a NUL, so no match reaches into a secret, and the parts compress about as well
  as the page in one stream (7,037 bytes against 6,996 for a 25 kB lesson with three tokens). A page that holds
  a NUL byte is deflated part by part without dictionaries;
- the first copy of the secret goes in as stored (uncompressed) deflate blocks, each later copy as a match of
  the copy before it: a constant, which depends on the secret's length and not on its content.
Per request: a CRC-32 and a join. Any gzip decoder reads the joined blocks as one stream (RFC 1951, 1952).
"""

from __future__ import annotations

import struct
import zlib

# gzip's member header: deflate, no file name, mtime 0, best compression, unknown system (as gzip.compress writes it)
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
_WINDOW = 32_768  # how far back a deflate match may reach
_MAX_LENGTHS = 4  # secret lengths prepared per body (a CSRF token always has the same length)


class SplicedBody:
    """A body made of fixed parts with the same per-reader secret between each two (a shared page and the reader's
    CSRF token), and its gzip made without compressing the page again (see the module's doc)."""

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
