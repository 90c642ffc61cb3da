"""gzip spliced around a secret (greencustoms.gzipsplice): shared pages compressed once, each reader's CSRF token
put in uncompressed. Standard decoders must read every shape back byte for byte."""

from __future__ import annotations

import gzip
import random
import struct
import zlib

from greencustoms.gzipsplice import SplicedBody


def test_a_spliced_body_unzips_to_the_page_with_each_secret_and_says_nothing_of_it():
    """SplicedBody (pages shared between readers): each part deflated once, the secret stored between them. The
    result is one gzip stream for standard decoders; its size depends on the secret's length only (BREACH)."""

    page = [b"<html><form>", b"</form><p>" + "Bâle, Basel 1989 ".encode() * 400 + b"</p><form>", b"", b"</form>"]
    spliced = SplicedBody(page)
    repetitive = b"a" * 91
    random_looking = (b"IjQ2ZDgyZTg.axLQUA.ZBCuySqCXFJUt-qcBWPzTdQingw" + b"x7Kp" * 20)[:91]
    like_the_page = (b"</form><p>" + "Bâle, Basel 1989 ".encode() * 10)[:91]
    sizes = set()
    for secret in (repetitive, random_looking, like_the_page):
        data = secret.join(page)
        packed = spliced.gzip(secret, data)
        assert gzip.decompress(packed) == zlib.decompress(packed, wbits=31) == data
        assert packed[-8:] == struct.pack("<II", zlib.crc32(data), len(data))
        assert len(packed) < len(data) / 4  # the fixed parts are compressed
        sizes.add(len(packed))
    assert len(sizes) == 1  # three secrets of 91 bytes, compressible or not, like the page or not: one size
    assert spliced.gzip(repetitive, b"something else") is None  # only the body it was made for
    long_secret = bytes(range(256)) * 300  # longer than one stored block holds
    assert gzip.decompress(spliced.gzip(long_secret, long_secret.join(page))) == long_secret.join(page)
    alone = SplicedBody([b"the same for everyone " * 50])
    assert gzip.decompress(alone.gzip(b"", b"the same for everyone " * 50)) == b"the same for everyone " * 50


def test_spliced_bodies_of_every_shape_unzip_exactly():
    """Secrets of 0 to 400 bytes (a later copy is a match only from 3 to 258 bytes), parts empty or longer than
    deflate's 32 kB window, pages with NUL bytes (no dictionaries then): zlib reads each back byte for byte."""

    rng = random.Random(2026)
    for case in range(400):
        length = rng.choice([0, 1, 2, 3, 91, 257, 258, 259, rng.randrange(400)])
        alphabet = b"<p>abc \x00" if case % 5 == 0 else b"<p>abc "
        sizes = [0, 1, 40, 3_000, 33_000 if case % 40 == 0 else 7]
        parts = [bytes(rng.choices(alphabet, k=rng.choice(sizes))) for _part in range(rng.randrange(1, 6))]
        secret = bytes(rng.randrange(256) for _byte in range(length))
        data = secret.join(parts)
        assert zlib.decompress(SplicedBody(parts).gzip(secret, data), wbits=31) == data, (case, length)
