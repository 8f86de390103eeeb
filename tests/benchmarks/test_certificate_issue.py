"""Issue and print one certificate (issue 11): the register's issue (number, seal with the
vault's ES256 key, row, audit) and the PDF/A-2b rendering with the QR code, on a real vault.
Baseline in the same run, alternating: the minutes of a small conference rendered to PDF/A
(the same fonts, page building and PDF/A step, no seal). Target: median <= 0.2 s.
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path

from app.printing import render_certificate, render_minutes
from app.services.cases.records import NewCase
from app.services.cases.write import create_case
from app.services.certificates.records import TRAINING, IssueRequest
from app.services.certificates.write import issue_certificate
from app.services.templates.read import templates
from app.vault.create import create_vault
from app.vault.kdf import KdfParams
from tests.benchmarks.harness import RESULTS, Row, timed
from tests.conftest import PASSPHRASE
from tests.support.minutes_samples import minutes

RUNS = 21
TARGET_S = 0.2
GROUP = "certificate: issue + PDF/A with QR code"


def test_issue_and_render_one_certificate(tmp_path: Path) -> None:
    from app.demo.certificate_values import values_for

    vault = create_vault(tmp_path / "v", PASSPHRASE, owner_name="Bench Fallmanagerin",
                         municipality="DO", vault_code="B3NC", kdf=KdfParams.minimum())
    try:
        case = create_case(vault, NewCase(given_names="Ayşe", family_name="Yıldız",
                                          municipality="DO"))
        template = next(t for t in templates(vault) if t.kind != TRAINING)
        values = values_for(template, random.Random(1), vault.clock.today())
        request = IssueRequest(case_ref=case, template_key=template.key, values=values)
        small = minutes(cases=1, participants=4)

        def issue_and_render() -> bytes:
            return render_certificate(issue_certificate(vault, request).document)

        issue_and_render()  # the first: key made, fonts registered, modules imported
        render_minutes(small)
        both: list[float] = []
        base: list[float] = []
        cpu: list[float] = []
        for _ in range(RUNS):
            started = time.process_time()
            seconds, data = timed(issue_and_render)
            cpu.append(time.process_time() - started)
            both.append(seconds)
            base.append(timed(lambda: render_minutes(small))[0])
        median = statistics.median(both)
        row = RESULTS.add(Row(
            GROUP, "issue + render (baseline: minutes of 1 case as PDF/A)", "s", both, base,
            target=f"median <= {TARGET_S} s", ok=median <= TARGET_S,
            note=f"{len(data) / 1024:.0f} KiB PDF/A, {RUNS} runs each; CPU time median "
                 f"{statistics.median(cpu):.3f} s"))
        print()
        print(RESULTS.table([row]))
        assert row.ok, f"issue + render: median {median:.3f} s"
    finally:
        vault.lock()
