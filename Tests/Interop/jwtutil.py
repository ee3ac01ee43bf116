"""Compact JWS (JWT) signing for the gateway tests, with `cryptography` only.

A JWT library would refuse to make most of the tokens the tests need (`alg: none`, HS256
keyed with a public key's PEM, a payload changed after signing), so this module builds
them by hand: base64url(header) "." base64url(payload) "." base64url(signature), with the
signature of RFC 7518 section 3 for HS*/RS*/PS*/ES* and RFC 8037 for EdDSA (Ed25519).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

_HASHES = {"256": (hashlib.sha256, hashes.SHA256), "384": (hashlib.sha384, hashes.SHA384),
           "512": (hashlib.sha512, hashes.SHA512)}
_EC_SIZES = {"ES256": 32, "ES384": 48, "ES512": 66}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(value) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def signature(alg: str, key, signing_input: bytes) -> bytes:
    """The JWS signature of `signing_input` by `key` (bytes for HS*, a private key object
    otherwise; ignored for `none`)."""
    if alg.lower() == "none":
        return b""
    family, bits = alg[:2], alg[2:]
    if family == "HS":
        return hmac.new(key, signing_input, _HASHES[bits][0]).digest()
    if family == "RS":
        return key.sign(signing_input, padding.PKCS1v15(), _HASHES[bits][1]())
    if family == "PS":
        digest = _HASHES[bits][1]()
        return key.sign(signing_input, padding.PSS(mgf=padding.MGF1(digest),
                                                   salt_length=digest.digest_size), digest)
    if family == "ES":
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(_HASHES[bits][1]())))
        size = _EC_SIZES[alg]
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")
    if alg == "EdDSA":
        return key.sign(signing_input)
    raise ValueError(f"unknown alg {alg}")


def sign(claims: dict, alg: str, key, *, kid: str | None = None, header: dict | None = None) -> str:
    """A compact JWS of `claims`. `header` entries are added to (or replace) alg/typ/kid."""
    head = {"alg": alg, "typ": "JWT"}
    if kid is not None:
        head["kid"] = kid
    head.update(header or {})
    signing_input = f"{b64url_json(head)}.{b64url_json(claims)}"
    return f"{signing_input}.{b64url(signature(alg, key, signing_input.encode('ascii')))}"


def replace_payload(token: str, claims: dict) -> str:
    """`token` with its payload replaced and its signature kept (so it no longer verifies)."""
    head, _, sig = token.split(".")
    return f"{head}.{b64url_json(claims)}.{sig}"


def public_pem(private_key) -> bytes:
    return private_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)


def ed25519_jwk(private_key: ed25519.Ed25519PrivateKey, kid: str) -> dict:
    raw = private_key.public_key().public_bytes(serialization.Encoding.Raw,
                                                serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": kid, "alg": "EdDSA", "use": "sig"}


@dataclass
class IssuerKeys:
    """An issuer's key pairs, with the public halves written where the server reads them:
    `rsa.pem` and `ec-p256.pem` (jwt-public-key-file) and `jwks.json` (jwt-jwks-file, one
    Ed25519 key named `ed_kid`)."""

    rsa: rsa.RSAPrivateKey
    ec: ec.EllipticCurvePrivateKey
    ed: ed25519.Ed25519PrivateKey
    ed_kid: str
    rsa_pem_path: Path
    ec_pem_path: Path
    jwks_path: Path

    @classmethod
    def generate(cls, directory: Path, ed_kid: str = "ed-key-1") -> "IssuerKeys":
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ec_key = ec.generate_private_key(ec.SECP256R1())
        ed_key = ed25519.Ed25519PrivateKey.generate()
        rsa_path = directory / "issuer-rsa.pem"
        ec_path = directory / "issuer-ec-p256.pem"
        jwks_path = directory / "issuer-jwks.json"
        rsa_path.write_bytes(public_pem(rsa_key))
        ec_path.write_bytes(public_pem(ec_key))
        jwks_path.write_text(json.dumps({"keys": [ed25519_jwk(ed_key, ed_kid)]}, indent=2))
        return cls(rsa_key, ec_key, ed_key, ed_kid, rsa_path, ec_path, jwks_path)
