"""Label binding after STANAG 4778: the instance signs a label together with its content.

``bind(label_xml_canonical, content)`` answers a ``Binding``: the SHA-256 of the canonical
STANAG 4774 label, the SHA-256 of the content, and an Ed25519 signature by the instance's
signing key (``KeyProvider.signing_key``, the same key store as the master keys). A label moved
onto other content, content put under another label, or either changed by one bit, no longer
verifies: ``verify(binding, label_xml_canonical, content)`` answers ``Verdict.TAMPERED``.

What is signed is an XML-Signature ``SignedInfo`` (exclusive C14N) holding the two digests, so
the same signature value is the ``ds:SignatureValue`` of the 4778 binding document
(``core.crypto.binding_xml``): its first reference selects the label inside the document (an
XPath filter, as the 4778 schema's own example does, then exclusive C14N), its second is the
content, detached, at ``data_uri``. Algorithms: Ed25519 (RFC 9231's
``xmldsig-more#eddsa-ed25519``), SHA-256, exclusive C14N 1.0.

The label's canonical form is ``canonical_label(core.label_xml.to_element(spec))``: lxml's
exclusive C14N, which is also what the label's reference inside the binding document reduces to.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from lxml import etree

from comity.core.crypto.providers import key_provider

DS = "http://www.w3.org/2000/09/xmldsig#"
SLAB = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ED25519 = "http://www.w3.org/2021/04/xmldsig-more#eddsa-ed25519"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
#: The label's reference: every node of the label element inside the binding document.
LABEL_XPATH = "ancestor-or-self::slab:ConfidentialityLabel"
#: Where the content is when the caller does not say: detached, beside the binding.
DEFAULT_DATA_URI = "cid:content"
#: The longest data URI a binding takes.
MAX_DATA_URI = 2048

_DS = f"{{{DS}}}"


class Verdict(StrEnum):
    OK = "ok"
    TAMPERED = "tampered"


@dataclass(frozen=True, slots=True)
class Binding:
    """A signed binding of one label to one content; ``key_id`` names the signing key."""

    key_id: str
    label_digest: bytes
    content_digest: bytes
    signature: bytes
    data_uri: str = DEFAULT_DATA_URI


def canonical_label(element: etree._Element) -> bytes:
    """A label element's canonical bytes (exclusive C14N 1.0, no comments)."""
    return etree.tostring(element, method="c14n", exclusive=True, with_comments=False)


def signing_key_id(public_key: Ed25519PublicKey) -> str:
    """``sk-`` and 16 hex digits of the SHA-256 of the raw public key."""
    return "sk-" + hashlib.sha256(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def instance_public_key() -> Ed25519PublicKey:
    """The public half of this instance's signing key (what a peer verifies bindings with)."""
    return key_provider().signing_key().public_key()


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, _DS + tag, attributes)


def _reference(parent: etree._Element, uri: str, digest: bytes, *, xpath: str | None) -> None:
    reference = _sub(parent, "Reference", URI=uri)
    if xpath is not None:
        transforms = _sub(reference, "Transforms")
        selection = _sub(transforms, "Transform", Algorithm=XPATH)
        etree.SubElement(selection, _DS + "XPath", nsmap={"slab": SLAB}).text = xpath
        _sub(transforms, "Transform", Algorithm=EXC_C14N)
    _sub(reference, "DigestMethod", Algorithm=SHA256)
    _sub(reference, "DigestValue").text = base64.b64encode(digest).decode()


def signed_info(label_digest: bytes, content_digest: bytes, data_uri: str) -> etree._Element:
    """The ``ds:SignedInfo`` over the label (inside the document) and the content (at ``data_uri``)."""
    info = etree.Element(_DS + "SignedInfo", nsmap={"ds": DS})
    _sub(info, "CanonicalizationMethod", Algorithm=EXC_C14N)
    _sub(info, "SignatureMethod", Algorithm=ED25519)
    _reference(info, "", label_digest, xpath=LABEL_XPATH)
    _reference(info, data_uri, content_digest, xpath=None)
    return info


def canonical_signed_info(label_digest: bytes, content_digest: bytes, data_uri: str) -> bytes:
    """What is signed: the exclusive C14N of ``signed_info``, built by lxml (the reference form)."""
    return etree.tostring(signed_info(label_digest, content_digest, data_uri), method="c14n", exclusive=True)


#: Stand-ins cut out of the canonical ``SignedInfo`` to make ``_message``'s template.
_LABEL_STANDIN, _CONTENT_STANDIN, _URI_STANDIN = b"\x00" * 32, b"\xff" * 32, "urn:x-comity:data-uri-standin"


@cache
def _template() -> tuple[bytes, bytes, bytes, bytes]:
    """The canonical ``SignedInfo`` in four pieces, around the label digest, the data URI and the
    content digest (each stand-in occurs once: the URI's is asserted not to occur elsewhere)."""
    canonical = canonical_signed_info(_LABEL_STANDIN, _CONTENT_STANDIN, _URI_STANDIN)
    head, rest = canonical.split(base64.b64encode(_LABEL_STANDIN))
    middle, rest = rest.split(_URI_STANDIN.encode())
    before_digest, tail = rest.split(base64.b64encode(_CONTENT_STANDIN))
    return head, middle, before_digest, tail


def _c14n_attribute(value: str) -> bytes:
    """An attribute value escaped as C14N writes it (no control characters reach here: ``bind``
    refuses them), so the template's output is byte for byte lxml's."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").encode()


def _message(label_digest: bytes, content_digest: bytes, data_uri: str) -> bytes:
    """``canonical_signed_info``, from a template: a tenth of the cost of building the element
    for every signature (bench/crypto_bench.py); a test holds the two equal."""
    head, middle, before_digest, tail = _template()
    return b"".join(
        (
            head,
            base64.b64encode(label_digest),
            middle,
            _c14n_attribute(data_uri),
            before_digest,
            base64.b64encode(content_digest),
            tail,
        )
    )


def _check_data_uri(data_uri: str) -> None:
    if not data_uri or len(data_uri) > MAX_DATA_URI or any(unicodedata.category(ch)[0] == "C" for ch in data_uri):
        raise ValueError(f"data_uri must be 1 to {MAX_DATA_URI} characters, none of them a control character")


def bind(label_xml_canonical: bytes, content: bytes, *, data_uri: str = DEFAULT_DATA_URI) -> Binding:
    """Sign ``content`` under the label (see the module). ``data_uri`` says where the content
    will be found beside the binding document (a message's URN, a MIME part's ``cid:``)."""
    _check_data_uri(data_uri)
    key = key_provider().signing_key()
    label_digest = hashlib.sha256(label_xml_canonical).digest()
    content_digest = hashlib.sha256(content).digest()
    signature = key.sign(_message(label_digest, content_digest, data_uri))
    return Binding(signing_key_id(key.public_key()), label_digest, content_digest, signature, data_uri)


def verify(
    binding: Binding, label_xml_canonical: bytes, content: bytes, *, public_key: Ed25519PublicKey | None = None
) -> Verdict:
    """``OK`` when ``binding`` was made by the key (this instance's unless ``public_key`` names a
    peer's) for exactly this label and content; ``TAMPERED`` otherwise, whatever differs."""
    key = public_key or instance_public_key()
    if binding.key_id != signing_key_id(key):
        return Verdict.TAMPERED
    if not hmac.compare_digest(hashlib.sha256(label_xml_canonical).digest(), binding.label_digest):
        return Verdict.TAMPERED
    if not hmac.compare_digest(hashlib.sha256(content).digest(), binding.content_digest):
        return Verdict.TAMPERED
    try:
        key.verify(binding.signature, _message(binding.label_digest, binding.content_digest, binding.data_uri))
    except InvalidSignature:
        return Verdict.TAMPERED
    return Verdict.OK
