"""Key material the stack needs (an RSA pair for legacy OpenPaaS JWTs), made at start."""

from __future__ import annotations

import subprocess
from pathlib import Path


def write_rsa_key_pair(folder: Path) -> tuple[Path, Path]:
    """PEM private key (PKCS#8) and public key under `folder`; kept when already there."""
    folder.mkdir(parents=True, exist_ok=True)
    private, public = folder / "jwt_privatekey", folder / "jwt_publickey"
    if not private.exists():
        subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                        "-out", str(private)], check=True, capture_output=True)
        private.chmod(0o600)
    if not public.exists():
        subprocess.run(["openssl", "pkey", "-in", str(private), "-pubout", "-out", str(public)],
                       check=True, capture_output=True)
    return private, public
