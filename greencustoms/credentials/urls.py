"""THE public addresses of the issuer: its profile (which publishes the keys) and its status list."""

from __future__ import annotations

from greencustoms.web import public_url

STATUS_LIST_PATH = "/credentials/status/1"
ISSUER_PATH = "/credentials/issuer"


def issuer_id() -> str:
    """The issuer's id in every credential, and the address of its profile (PUBLIC_BASE_URL + /credentials/issuer).
    Changing PUBLIC_BASE_URL changes it: credentials issued before then read "unknown issuer" (docs/credentials.md)."""
    return public_url(ISSUER_PATH)


def verification_method(multibase: str) -> str:
    """The id of a published key: the profile's address with the key's multibase as fragment."""
    return f"{issuer_id()}#{multibase}"


def status_list_url() -> str:
    """The signed Bitstring Status List credential that says which credentials are revoked."""
    return public_url(STATUS_LIST_PATH)
