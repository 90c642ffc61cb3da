"""Split Droid Sans Fallback into small fonts by code-point range, so a certificate loads only what a name needs.

Run once when the shipped font changes:
    python scripts/split_cjk_font.py /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
It writes greencustoms/certificates/fonts/cjk/cjk-<first>-<last>.ttf (hex code points).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset, ttLib

CHUNK = 1500
OUT = Path(__file__).resolve().parent.parent / "greencustoms" / "certificates" / "fonts" / "cjk"


def main(source: str) -> None:
    font = ttLib.TTFont(source)
    codepoints = sorted(cp for cp in font.getBestCmap() if cp >= 0x2E80)
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("cjk-*.ttf"):
        old.unlink()
    for i in range(0, len(codepoints), CHUNK):
        part = codepoints[i : i + CHUNK]
        piece = ttLib.TTFont(source)
        options = subset.Options(notdef_outline=True, name_IDs=["*"], name_languages=["*"])
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=part)
        subsetter.subset(piece)
        piece.save(OUT / f"cjk-{part[0]:05x}-{part[-1]:05x}.ttf")
    print(f"{len(codepoints)} code points in {len(list(OUT.glob('cjk-*.ttf')))} files in {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
