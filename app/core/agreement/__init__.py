"""Inter-coder agreement (Contract 4): alignment, unitizing and per-variable coefficients.

Pure Python + numpy; no Qt and no database. The CLI and the GUI call :func:`compute_agreement`
and hand the report to ``app.io.agreement_report.write_report``.
"""

from __future__ import annotations

from app.core.agreement.compute import ALIGNMENT_RULE, Progress, compute_agreement
from app.core.agreement.report import AgreementReport, agreement_json_schema

__all__ = ["ALIGNMENT_RULE", "AgreementReport", "Progress", "agreement_json_schema", "compute_agreement"]
