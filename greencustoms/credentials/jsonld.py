"""JSON-LD with bundled contexts only: the document loader, RDF canonicalization, and the undefined-term check.

Nothing is fetched: a context URL that is not bundled in contexts/ is refused (UnknownContext). A member that
the contexts do not define would be dropped by expansion (or land in the VC "issuer-dependent" vocabulary) and so
be left out of the signature while still shown to a reader; `check_terms` refuses it (UndefinedTerm).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from pyld import jsonld

CONTEXT_FOLDER = Path(__file__).parent / "contexts"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
BUNDLED = {
    CREDENTIALS_V2: "credentials-v2.json",
    OPEN_BADGES_V3: "ob-v3p0-context-3.0.3.json",
    "https://w3id.org/security/data-integrity/v2": "security-data-integrity-v2.json",
    MULTIKEY_V1: "security-multikey-v1.json",
}
# Where the VC v2 context sends a term it does not define (its @vocab): such a member means nothing to anyone else.
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"


class CredentialFormatError(ValueError):
    """The document cannot be read as a credential of ours; the message says why (for a person, translated when
    shown: it may be a lazy string)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownContext(CredentialFormatError):
    """The document names a JSON-LD context that is not bundled (it would have to be fetched)."""


class UndefinedTerm(CredentialFormatError):
    """The document has a member that its contexts do not define, so the signature would not cover it."""

    def __init__(self, message, **names):
        super().__init__(_l(message, **names))
        self.member = names.get("name")


_UNDEFINED = "The member “%(name)s” is not defined by the contexts."


@cache
def _bundled(url: str) -> dict:
    return json.loads((CONTEXT_FOLDER / BUNDLED[url]).read_text(encoding="utf-8"))


def make_loader(extra: dict[str, dict] | None = None):
    """A pyld document loader that serves the bundled contexts (and `extra`, for tests) and refuses any other URL."""
    extra = extra or {}

    def load(url: str, options: dict | None = None) -> dict:
        if url in extra:
            document = copy.deepcopy(extra[url])
        elif url in BUNDLED:
            document = copy.deepcopy(_bundled(url))
        else:
            raise UnknownContext(_l("The JSON-LD context %(url)s is not one this platform knows.", url=url[:200]))
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def _options(loader) -> dict:
    return {"documentLoader": loader or make_loader()}


def canonize(document: dict, loader=None) -> str:
    """The RDF Dataset Canonicalization (RDFC-1.0, the algorithm pyld names URDNA2015) of `document`, as N-Quads."""
    try:
        return jsonld.normalize(
            document, {**_options(loader), "algorithm": "URDNA2015", "format": "application/n-quads"}
        )
    except jsonld.JsonLdError as exc:
        raise _unwrap(exc) from None


def check_terms(document: dict, loader=None) -> None:
    """Raise UndefinedTerm when a member of `document` (at any depth) is not defined by its contexts: expansion
    drops it, or maps it into the issuer-dependent vocabulary. Raise UnknownContext for a context not bundled."""
    try:
        expanded = jsonld.expand(document, _options(loader))
        compacted = jsonld.compact(expanded, {"@context": document.get("@context")}, _options(loader))
    except jsonld.JsonLdError as exc:
        raise _unwrap(exc) from None
    for iri in _property_iris(expanded):
        if iri.startswith(ISSUER_DEPENDENT):
            raise UndefinedTerm(_UNDEFINED, name=iri[len(ISSUER_DEPENDENT) :][:80])
    missing = _member_paths(document) - _member_paths(compacted)
    if missing:
        path = sorted(missing)[0]
        raise UndefinedTerm(_UNDEFINED, name=".".join(path)[:120])


def _unwrap(exc: Exception) -> CredentialFormatError:
    """pyld wraps our loader's refusal several times; find it, or describe the JSON-LD error."""
    pending: list[BaseException | None] = [exc]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if isinstance(current, CredentialFormatError):
            return current
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        details = getattr(current, "details", None)
        pending += [current.__cause__, current.__context__, *(details.values() if isinstance(details, dict) else ())]
    return CredentialFormatError(
        _l("The document is not valid JSON-LD (%(error)s).", error=getattr(exc, "type", "error"))
    )


def _property_iris(node) -> set[str]:
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _property_iris(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if not key.startswith("@"):
                found.add(key)
            found |= _property_iris(value)
    return found


def _member_paths(node, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every member name with the names above it (array positions ignored), leaving out @context."""
    paths: set[tuple[str, ...]] = set()
    if isinstance(node, list):
        for item in node:
            paths |= _member_paths(item, prefix)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                continue
            paths.add((*prefix, key))
            paths |= _member_paths(value, (*prefix, key))
    return paths
