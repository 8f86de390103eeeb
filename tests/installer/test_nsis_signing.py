"""Signing is optional but never silent: configured, it signs Lotse.exe before packaging and both
installers after (the uninstaller inside the NSIS installer too); configured halfway, or required
and not configured, the build fails. A self-signed code-signing certificate stands in for the
municipality's CA; no timestamp server (no network)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.installer.conftest import Built, make_stand_in, run_build

PASSWORD = b"nur-fuer-den-test"


def make_certificate(folder: Path) -> tuple[Path, Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Stadt Musterhausen Test-CA"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Stadt Musterhausen")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    p12 = folder / "signing.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"lotse", key, cert, None, serialization.BestAvailableEncryption(PASSWORD)))
    passfile = folder / "signing.pass"
    passfile.write_bytes(PASSWORD)
    pem = folder / "ca.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return p12, passfile, pem


def verify(path: Path, ca: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["osslsigncode", "verify", "-CAfile", str(ca), "-in", str(path)],
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def real_pe_dist(built: Built, tmp_path: Path) -> Path:
    """The stand-in's Lotse.exe must be a real PE file to be signed: an NSIS stub is one."""
    if shutil.which("osslsigncode") is None:
        pytest.fail("osslsigncode missing: apt-get install osslsigncode", pytrace=False)
    dist = make_stand_in(tmp_path)
    shutil.copyfile(built.setup, dist / "Lotse.exe")
    return dist


def test_configured_signing_signs_the_program_and_both_installers(
        built: Built, real_pe_dist: Path, tmp_path: Path) -> None:
    p12, passfile, ca = make_certificate(tmp_path)
    out = tmp_path / "out"
    result = run_build(real_pe_dist, out, tmp_path / "work", LOTSE_SIGN_PKCS12=str(p12),
                       LOTSE_SIGN_PKCS12_PASSFILE=str(passfile), LOTSE_SIGN_TIMESTAMP_URL="none")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert PASSWORD.decode() not in log
    for signed in (real_pe_dist / "Lotse.exe", out / built.setup.name, out / built.msi.name):
        check = verify(signed, ca)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "Stadt Musterhausen" in check.stdout
    # The uninstaller was signed when it was written (!uninstfinalize), inside the installer.
    assert log.count("sign: signed") >= 4, log


def test_unsigned_build_says_so_and_leaves_the_files_unsigned(
        built: Built, real_pe_dist: Path, tmp_path: Path) -> None:
    assert "signing skipped" in built.log
    _, _, ca = make_certificate(tmp_path)
    assert verify(built.setup, ca).returncode != 0


def test_signing_configured_halfway_fails_instead_of_building_unsigned(
        real_pe_dist: Path, tmp_path: Path) -> None:
    p12, passfile, _ = make_certificate(tmp_path)
    no_timestamp = run_build(real_pe_dist, tmp_path / "out1", tmp_path / "work",
                             LOTSE_SIGN_PKCS12=str(p12), LOTSE_SIGN_PKCS12_PASSFILE=str(passfile))
    assert no_timestamp.returncode != 0
    assert "LOTSE_SIGN_TIMESTAMP_URL" in no_timestamp.stderr
    wrong_password = tmp_path / "wrong.pass"
    wrong_password.write_text("falsch", encoding="utf-8")
    bad_pass = run_build(real_pe_dist, tmp_path / "out2", tmp_path / "work",
                         LOTSE_SIGN_PKCS12=str(p12), LOTSE_SIGN_PKCS12_PASSFILE=str(wrong_password),
                         LOTSE_SIGN_TIMESTAMP_URL="none")
    assert bad_pass.returncode != 0
    assert "signing" in bad_pass.stderr and "failed" in bad_pass.stderr
    required = run_build(real_pe_dist, tmp_path / "out3", tmp_path / "work",
                         LOTSE_SIGN_REQUIRED="1")
    assert required.returncode != 0
    assert "LOTSE_SIGN_REQUIRED=1" in required.stderr
    for out in ("out1", "out2", "out3"):
        assert not list((tmp_path / out).glob("Lotse*")), out
