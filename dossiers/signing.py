"""Digital signatures on decisions: the chair's PKCS#12 certificate, the organisation's, and pyHanko.

A decision carries two PAdES signatures (Nghị định 30/2020, Điều 13 and Phụ lục I): the person
who signs it, and the issuing organisation (its seal, "chữ ký số của cơ quan, tổ chức").
Real deployments load each chair's certificate issued by a recognised CA into
`<SIGNING_DIR>/signers/<user id>.p12` and each body's organisation certificate into
`<SIGNING_DIR>/bodies/<body id>.p12` (SIGNING_DIR defaults to `<VAR_DIR>/signing`; compose mounts
a volume there). For the demo and the tests, `ensure_signer` issues both from a local demo CA (kept
under the same folder, never in the repository). Every key there is encrypted with
SIGNING_KEY_PASSPHRASE, a secret of its own, so rotating SECRET_KEY leaves them readable. The
signed PDF is returned byte for byte; callers store it unchanged with its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

DEMO_CA_NAME = "CA minh họa (không có giá trị pháp lý)"


class SigningUnavailable(Exception):
    """The signer has no certificate on this server."""


def signing_dir() -> Path:
    return Path(settings.SIGNING_DIR or Path(settings.VAR_DIR) / "signing")


def signer_path(user: Any) -> Path:
    return signing_dir() / "signers" / f"{user.pk}.p12"


def _passphrase() -> bytes:
    return settings.SIGNING_KEY_PASSPHRASE.encode()


def _legacy_passphrase(user: Any) -> bytes:
    # Keys written before SIGNING_KEY_PASSPHRASE were locked with a digest of SECRET_KEY.
    return hashlib.sha256(f"{settings.SECRET_KEY}:signer:{user.pk}".encode()).hexdigest().encode()


def _rewrap(path: Path, user: Any) -> None:
    """Re-encrypt a key file still under the legacy passphrase with SIGNING_KEY_PASSPHRASE."""
    try:
        pkcs12.load_key_and_certificates(path.read_bytes(), _passphrase())
        return  # already under the signing passphrase (or unreadable with it: left as it is)
    except ValueError:
        pass
    try:
        key, cert, cas = pkcs12.load_key_and_certificates(path.read_bytes(), _legacy_passphrase(user))
    except ValueError:
        return
    if not isinstance(key, rsa.RSAPrivateKey):
        return
    _write_private(
        path,
        pkcs12.serialize_key_and_certificates(
            name=user.username.encode(),
            key=key,
            cert=cert,
            cas=cas,
            encryption_algorithm=serialization.BestAvailableEncryption(_passphrase()),
        ),
    )


def _write_private(path: Path, content: bytes) -> None:
    # Written beside, then renamed: a crash never leaves half a key.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(content)
    partial.chmod(0o600)
    partial.replace(path)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _demo_ca() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    folder = signing_dir()
    key_path, cert_path = folder / "demo-ca.key", folder / "demo-ca.crt"
    if key_path.exists() and cert_path.exists():
        pem = key_path.read_bytes()
        encrypted = pem.startswith(b"-----BEGIN ENCRYPTED")
        key = serialization.load_pem_private_key(pem, password=_passphrase() if encrypted else None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise SigningUnavailable("Khóa của CA minh họa không đúng loại.")
        if not encrypted:  # written in clear before SIGNING_KEY_PASSPHRASE: encrypt it now
            _write_private(key_path, _ca_pem(key))
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
    folder.mkdir(parents=True, exist_ok=True)
    key = _new_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_CA_NAME),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(key_path, _ca_pem(key))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def _ca_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    )


def organisation_path(body: Any) -> Path:
    return signing_dir() / "bodies" / f"{body.pk}.p12"


def _issue(path: Path, *, common_name: str, organisation: str, friendly_name: str) -> Path:
    """A PKCS#12 file at `path` with a new key and a certificate from the demo CA."""
    ca_key, ca_cert = _demo_ca()
    key = _new_key()
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.COMMON_NAME, _within_64_bytes(common_name)),
    ]
    if organisation:
        attributes.insert(1, x509.NameAttribute(NameOID.ORGANIZATION_NAME, _within_64_bytes(organisation)))
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(
        path,
        pkcs12.serialize_key_and_certificates(
            name=friendly_name.encode(),
            key=key,
            cert=cert,
            cas=[ca_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(_passphrase()),
        ),
    )
    return path


def _within_64_bytes(text: str) -> str:
    """X.509 limits a common name to 64 bytes of UTF-8; Vietnamese letters take two or three."""
    while len(text.encode()) > 64:
        text = text[:-1]
    return text.rstrip()


def ensure_organisation_signer(body: Any) -> Path:
    """The organisation certificate of `body` (its seal), issued by the demo CA when it has none."""
    path = organisation_path(body)
    if path.exists():
        return path
    return _issue(path, common_name=body.name, organisation=body.name, friendly_name=f"body-{body.pk}")


def ensure_signer(user: Any, *, organisation: str = "") -> Path:
    """The PKCS#12 file of `user`, issued by the demo CA when the user has none yet; the user's
    body gets its organisation certificate too (a decision carries both signatures)."""
    if getattr(user, "body_id", None) is not None:
        ensure_organisation_signer(user.body)
    path = signer_path(user)
    if path.exists():
        return path
    return _issue(path, common_name=user.display_name, organisation=organisation, friendly_name=user.username)


def _load_signer(path: Path, missing: str) -> Any:
    from pyhanko.sign import signers

    if not path.exists():
        raise SigningUnavailable(missing)
    signer = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
        pfx_file=str(path), passphrase=_passphrase()
    )
    if signer is None:
        raise SigningUnavailable("Không đọc được chứng thư số của người ký.")
    return signer


def _sign_with(pdf: bytes, signer: Any, *, field: str, reason: str, location: str, name: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    # PAdES (ETSI.CAdES.detached), the profile Vietnamese e-documents use, rather than adbe.pkcs7.
    metadata = signers.PdfSignatureMetadata(
        field_name=field, reason=reason, location=location, name=name, subfilter=SigSeedSubFilter.PADES
    )
    output = signers.sign_pdf(writer, metadata, signer=signer)
    return bytes(output.getvalue())


def sign_pdf(pdf: bytes, *, user: Any, reason: str, location: str) -> bytes:
    """`pdf` signed with `user`'s certificate (an approval signature pdfsig can verify)."""
    path = signer_path(user)
    if path.exists():
        _rewrap(path, user)
    signer = _load_signer(path, "Người ký chưa có chứng thư số trên hệ thống.")
    return _sign_with(pdf, signer, field="ChuKySo", reason=reason, location=location, name=user.display_name)


def sign_official_pdf(
    pdf: bytes, *, person: Any, organisation_body: Any, reason: str, location: str
) -> bytes:
    """`pdf` signed twice, incrementally: first by `person` (the chair), then by the organisation
    `organisation_body` (its seal). Both are approval signatures that pdfsig verifies; the
    organisation's covers the person's. Refused (SigningUnavailable) when either certificate is
    missing, before anything is signed."""
    org_signer = _load_signer(
        organisation_path(organisation_body),
        f"{organisation_body.name} chưa có chứng thư số của cơ quan (chữ ký số của tổ chức) trên hệ thống.",
    )
    signed = sign_pdf(pdf, user=person, reason=reason, location=location)
    return _sign_with(
        signed,
        org_signer,
        field="ChuKySoCoQuan",
        reason=reason,
        location=location,
        name=organisation_body.name,
    )
