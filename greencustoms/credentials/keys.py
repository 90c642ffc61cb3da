"""The issuer's Ed25519 signing keys: kept as PEM files in the instance folder, created on first use, rotatable.

Keys are numbered (key-0001.pem, key-0002.pem, ...). The highest number signs; every key stays published in the
issuer profile so that credentials signed before a rotation still verify. Files are created with mode 0600 and
O_EXCL, so two processes starting at once cannot write two different first keys.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, load_pem_private_key
from flask import current_app

from greencustoms.credentials.proof import public_multibase

_NAME = re.compile(r"^key-(\d{4,})\.pem$")


@dataclass(frozen=True)
class IssuerKey:
    """One signing key: its number, the private key, and the Multikey that publishes its public half."""

    number: int
    private_key: Ed25519PrivateKey
    multibase: str

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


def key_folder() -> Path:
    """CREDENTIALS_KEY_FOLDER, by default <instance>/issuer-keys (created with mode 0700)."""
    folder = Path(current_app.config.get("CREDENTIALS_KEY_FOLDER") or Path(current_app.instance_path) / "issuer-keys")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def all_keys() -> list[IssuerKey]:
    """Every key, oldest first; creates the first key when there is none."""
    keys = _read(key_folder())
    return keys or [_create(key_folder(), 1)]


def signing_key() -> IssuerKey:
    """The key that signs new credentials: the newest one."""
    return all_keys()[-1]


def rotate() -> IssuerKey:
    """Create the next key, which signs from now on; the older keys stay published. Returns the new key."""
    folder = key_folder()
    keys = _read(folder)
    return _create(folder, (keys[-1].number if keys else 0) + 1)


def _read(folder: Path) -> list[IssuerKey]:
    keys = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match:
            private_key = load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(private_key, Ed25519PrivateKey):
                raise RuntimeError(f"{path} is not an Ed25519 key")
            keys.append(IssuerKey(int(match.group(1)), private_key, public_multibase(private_key.public_key())))
    return sorted(keys, key=lambda key: key.number)


def _create(folder: Path, number: int) -> IssuerKey:
    """Write key number `number` whole (a private temporary file, then a hard link, which fails if the name is
    taken); when another process wrote it first, use theirs."""
    path = folder / f"key-{number:04d}.pem"
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    temporary = folder / f".key-{number:04d}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return next(key for key in _read(folder) if key.number == number)
    finally:
        temporary.unlink()
    return IssuerKey(number, private_key, public_multibase(private_key.public_key()))
