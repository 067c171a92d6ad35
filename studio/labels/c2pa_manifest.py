"""C2PA content credentials: a signing certificate, signing a PNG/JPEG, reading a manifest back.

Signing uses the certificate and key named in settings (``c2pa_cert`` / ``c2pa_key``, PEM, ES256).
When none is configured, Studio creates a small local CA and a leaf certificate on first use under
``<data_dir>/c2pa/``. That local chain is for development and demos only: readers that do not trust
the local CA report ``signingCredential.untrusted``. Production needs a certificate issued by a CA
on the C2PA trust list (or the organisation's own trusted CA).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from studio.security.secrets import file_lock

STUDIO_AGENT = "Studio"
MANIFEST_ASSERTION = "com.studio.variant"

# IPTC digital source type IRI -> c2pa enum name
_SOURCE_TYPE_ENUM = {
    "trainedAlgorithmicMedia": "TRAINED_ALGORITHMIC_MEDIA",
    "compositeWithTrainedAlgorithmicMedia": "COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA",
    "algorithmicMedia": "ALGORITHMIC_MEDIA",
    "compositeSynthetic": "COMPOSITE_SYNTHETIC",
}

# Validation codes that mean the content no longer matches what was signed.
HASH_FAILURES = ("assertion.dataHash.mismatch", "assertion.boxesHash.mismatch", "assertion.bmffHash.mismatch",
                 "assertion.hashedURI.mismatch", "assertion.dataHash.malformed")
TRUST_CODES = ("signingCredential.untrusted",)


@dataclass(frozen=True)
class SigningCredentials:
    cert_chain_pem: bytes
    key_pem: bytes
    local: bool  # True: Studio's own development CA, not a CA-issued certificate
    ca_pem: bytes | None = None


def _ec_cert(subject, issuer, public_key, signing_key, *, ca: bool, issuer_key=None, days=3650):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key or public_key), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                          encipher_only=False, decipher_only=False), critical=True)
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def create_local_credentials(folder: Path) -> SigningCredentials:
    """A development CA + ES256 leaf (AKI, EKU emailProtection, KeyUsage digitalSignature, CA=false)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509 import Name, NameAttribute
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = Name([NameAttribute(NameOID.COMMON_NAME, "Studio Local Development CA"),
                    NameAttribute(NameOID.ORGANIZATION_NAME, "Studio (local, untrusted)")])
    ca_cert = _ec_cert(ca_name, ca_name, ca_key.public_key(), ca_key, ca=True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf_name = Name([NameAttribute(NameOID.COMMON_NAME, "Studio Content Signer"),
                      NameAttribute(NameOID.ORGANIZATION_NAME, "Studio (local, untrusted)")])
    leaf_cert = _ec_cert(leaf_name, ca_name, leaf_key.public_key(), ca_key, ca=False, issuer_key=ca_key.public_key())
    pem = serialization.Encoding.PEM
    ca_pem = ca_cert.public_bytes(pem)
    chain = leaf_cert.public_bytes(pem) + ca_pem
    key_pem = leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # The key first (never readable by others, not even for a moment), the chain last: a reader that finds
    # chain.pem finds the key that belongs to it.
    _write_atomic(folder / "signer.key", key_pem, mode=0o600)
    _write_atomic(folder / "ca.pem", ca_pem)
    _write_atomic(folder / "chain.pem", chain)
    return SigningCredentials(chain, key_pem, local=True, ca_pem=ca_pem)


def _write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def load_credentials(settings) -> SigningCredentials:
    """The configured certificate/key, else the local development chain (created on first use)."""
    cert, key = getattr(settings, "c2pa_cert", None), getattr(settings, "c2pa_key", None)
    if cert or key:
        if not (cert and key):
            raise ValueError("C2PA signing needs both STUDIO_C2PA_CERT and STUDIO_C2PA_KEY")
        for p in (cert, key):
            if not Path(p).is_file():
                raise ValueError(f"C2PA signing file not found: {p}")
        return SigningCredentials(Path(cert).read_bytes(), Path(key).read_bytes(), local=False)
    folder = Path(settings.data_dir) / "c2pa"
    # One creator at a time: parallel workers must not pair one run's chain with another run's key.
    with file_lock(folder / ".create.lock"):
        if (folder / "chain.pem").is_file() and (folder / "signer.key").is_file():
            ca = folder / "ca.pem"
            return SigningCredentials((folder / "chain.pem").read_bytes(), (folder / "signer.key").read_bytes(),
                                      local=True, ca_pem=ca.read_bytes() if ca.is_file() else None)
        return create_local_credentials(folder)


def _context():
    import c2pa

    return c2pa.Context(c2pa.Settings.from_dict({"builder": {"thumbnail": {"enabled": False}}}))


def manifest_definition(*, variant_id: str, digital_source_type: str, title: str, extra: dict | None = None) -> dict:
    return {
        "claim_generator_info": [{"name": STUDIO_AGENT, "version": studio_version()}],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": digital_source_type,
                            "softwareAgent": {"name": STUDIO_AGENT, "version": studio_version()},
                            "parameters": {"variant_id": variant_id},
                        }
                    ]
                },
            },
            {"label": MANIFEST_ASSERTION, "data": {"variant_id": variant_id, **(extra or {})}},
        ],
    }


def studio_version() -> str:
    try:
        from importlib.metadata import version

        return version("studio")
    except Exception:  # noqa: BLE001 - running from a source tree
        return "0.1.0"


def sign_bytes(data: bytes, mime: str, *, credentials: SigningCredentials, variant_id: str,
               digital_source_type: str, title: str, extra: dict | None = None) -> bytes:
    """Embed a signed manifest into an image held in memory; returns the signed file's bytes."""
    import c2pa

    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, credentials.cert_chain_pem, credentials.key_pem, None)
    )
    definition = manifest_definition(variant_id=variant_id, digital_source_type=digital_source_type,
                                     title=title, extra=extra)
    with signer, c2pa.Builder(definition, _context()) as builder:
        source, dest = io.BytesIO(data), io.BytesIO()
        builder.sign(signer, mime, source, dest)
        return dest.getvalue()


REVIEW_ASSERTION = "com.studio.review"
TRAINING_MINING = "cawg.training-mining"
# plus:DataMining preference -> CAWG training-and-data-mining "use" for every entry
_CAWG_USE = {"prohibited": "notAllowed", "prohibited_ai_training": "notAllowed", "allowed": "allowed",
             "unspecified": "constrained"}


def training_mining_assertion(data_mining: str) -> dict:
    use = _CAWG_USE.get(data_mining, "notAllowed")
    entries = {name: {"use": use} for name in ("cawg.data_mining", "cawg.ai_inference", "cawg.ai_generative_training",
                                               "cawg.ai_training")}
    if data_mining == "prohibited_ai_training":
        entries["cawg.data_mining"] = {"use": "allowed"}
        entries["cawg.ai_inference"] = {"use": "allowed"}
    return {"label": TRAINING_MINING, "data": {"entries": entries}}


def approval_definition(*, review: dict, title: str, data_mining: str) -> dict:
    """The export manifest: the generated image as parent ingredient, the human review as an action."""
    return {
        "claim_generator_info": [{"name": STUDIO_AGENT, "version": studio_version()}],
        "title": title,
        "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": [
                {"action": "c2pa.opened", "parameters": {"ingredientIds": ["generated"]}},
                {"action": "c2pa.published", "when": review["approved_at"],
                 "softwareAgent": {"name": STUDIO_AGENT, "version": studio_version()},
                 "description": "approved for publication by a human reviewer (editorial responsibility, "
                                "EU AI Act art. 50(4))",
                 "parameters": {"reviewer": review["approved_by"], "variant_id": review["variant_id"],
                                "version": review["version"], "verdict": review.get("verdict")}},
            ]}},
            {"label": REVIEW_ASSERTION, "data": {"decision": "approve", **review}},
            training_mining_assertion(data_mining),
        ],
    }


def sign_approval(source: Path, *, credentials: SigningCredentials, review: dict, title: str,
                  data_mining: str = "prohibited", components: dict[str, Path] | None = None,
                  asset: bytes | None = None) -> bytes:
    """A signed copy of `source` (a Studio image with its own manifest) whose new manifest names that
    manifest as its parent ingredient, records the approval, and lists `components` (logo, template ...)
    as componentOf ingredients. `asset`: the bytes to sign instead of the source's (the same pixels with
    updated XMP, e.g. the CN label's propagator); default the source unchanged."""
    import c2pa

    mime = _mime_of(source)
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, credentials.cert_chain_pem, credentials.key_pem, None))
    definition = approval_definition(review=review, title=title, data_mining=data_mining)
    with signer, c2pa.Builder(definition, _context()) as builder:
        with open(source, "rb") as fh:
            builder.add_ingredient({"title": source.name, "relationship": "parentOf", "label": "generated"}, mime, fh)
        for name, path in (components or {}).items():
            with open(path, "rb") as fh:
                builder.add_ingredient({"title": f"{name}: {path.name}", "relationship": "componentOf",
                                        "label": name}, _mime_of(path), fh)
        dest = io.BytesIO()
        builder.sign(signer, mime, io.BytesIO(asset if asset is not None else source.read_bytes()), dest)
        return dest.getvalue()


@dataclass
class ManifestReading:
    present: bool
    signature_valid: bool = False
    hash_matches: bool = False
    trusted: bool = False
    validation_state: str | None = None
    digital_source_type: str | None = None
    software_agent: str | None = None
    variant_id: str | None = None
    action: str | None = None
    failures: list[str] | None = None
    error: str | None = None
    review: dict | None = None  # the approval recorded on export (com.studio.review), if any
    ingredients: list[dict] | None = None  # title + relationship of the active manifest's ingredients


def read_manifest(path: Path, trust_anchors_pem: bytes | None = None) -> ManifestReading:
    """Read and validate the embedded manifest with c2pa's own Reader."""
    import c2pa

    settings: dict = {}
    if trust_anchors_pem:
        settings = {"trust": {"user_anchors": trust_anchors_pem.decode("ascii")}, "verify": {"verify_trust": True}}
    try:
        ctx = c2pa.Context(c2pa.Settings.from_dict(settings)) if settings else None
        with open(path, "rb") as fh:
            reader = c2pa.Reader(_mime_of(path), fh, None, ctx) if ctx else c2pa.Reader(_mime_of(path), fh)
            with reader:
                store = json.loads(reader.json())
    except Exception as exc:  # noqa: BLE001 - the c2pa library raises many error types
        text = str(exc)
        if "ManifestNotFound" in type(exc).__name__ or "no JUMBF" in text or "ManifestNotFound" in text:
            return ManifestReading(present=False)
        return ManifestReading(present=True, error=f"{type(exc).__name__}: {text}")
    active = store.get("manifests", {}).get(store.get("active_manifest", ""), {})
    results = store.get("validation_results", {}).get("activeManifest", {})
    failures = [item.get("code", "") for item in results.get("failure", [])]
    if not results and store.get("validation_status"):
        failures = [item.get("code", "") for item in store["validation_status"]]
    reading = ManifestReading(present=bool(active), validation_state=store.get("validation_state"), failures=failures)
    reading.hash_matches = not any(code in HASH_FAILURES or code.endswith(".mismatch") for code in failures)
    reading.signature_valid = not any(
        code.startswith(("claimSignature.", "claim.", "timeStamp.mismatch"))
        or (code.startswith("signingCredential.") and code not in TRUST_CODES)
        for code in failures
    )
    reading.trusted = not any(code in TRUST_CODES for code in failures) and reading.signature_valid
    reading.ingredients = [{"title": i.get("title"), "relationship": i.get("relationship")}
                           for i in active.get("ingredients", [])]
    # The created action and the variant live in the generated image's manifest: the active one, or the
    # parent ingredient's once an approval manifest has been added on export.
    chain, label = [], store.get("active_manifest")
    while label in store.get("manifests", {}) and label not in chain:
        chain.append(label)
        manifest = store["manifests"][label]
        parents = [i for i in manifest.get("ingredients", []) if i.get("relationship") == "parentOf"]
        label = parents[0].get("active_manifest") if parents else None
    for label in chain:
        for assertion in store["manifests"][label].get("assertions", []):
            _read_assertion(reading, assertion)
    return reading


def _read_assertion(reading: ManifestReading, assertion: dict) -> None:
    label = assertion.get("label", "")
    data = assertion.get("data", {})
    if label.startswith("c2pa.actions"):
        for action in data.get("actions", []):
            if action.get("action") == "c2pa.created" and reading.action is None:
                reading.action = "c2pa.created"
                reading.digital_source_type = action.get("digitalSourceType")
                agent = action.get("softwareAgent")
                reading.software_agent = agent.get("name") if isinstance(agent, dict) else agent
                reading.variant_id = (action.get("parameters") or {}).get("variant_id") or reading.variant_id
    elif label == MANIFEST_ASSERTION:
        reading.variant_id = reading.variant_id or data.get("variant_id")
    elif label == REVIEW_ASSERTION and reading.review is None:
        reading.review = data


def _mime_of(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    return {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}.get(
        suffix, "image/png")
