"""JSON documents the API and the command line answer with (times ISO 8601, dates YYYY-MM-DD)."""

from __future__ import annotations

import base64
from typing import Any

from domain.accounts.account import UserAccount
from domain.directives.directive import Directive
from domain.documents.document import Document
from domain.shared.ordering import natural_key
from domain.units.registry import Unit
from projections.audit import checkpoint_document, covering_checkpoint
from readmodels.audit import AuditStore
from readmodels.index import UnitScore
from readmodels.model import BoardRow, Figures, InboxItem, LateItem, Summary, UnitRow
from readmodels.petitions import (
    MatterFigures,
    PetitionFigures,
    PetitionItem,
    PetitionSummary,
    RepeatedMatter,
)

REPEATED_LISTED = 100  # matters filed more than once an answer lists, the most filed first


def directive_document(d: Directive) -> dict[str, Any]:
    return {
        "id": str(d.id),
        "version": d.version,
        "reference": d.reference,
        "title": d.title,
        "content": d.content,
        "issuer": d.issuer,
        "issued_on": d.issued_on,
        "lead_unit": d.lead_unit,
        "coordinating_units": list(d.coordinating_units),
        "urgency": d.urgency,
        "original_deadline": d.original_deadline,
        "deadline": d.deadline,
        "status": d.status,
        "acknowledged_at": d.acknowledged_at,
        "percent": d.progress,  # shown: 100 once completion is reported (docs/oversight.md)
        "reported_percent": d.percent,  # the last progress report's
        "progress_reported_at": d.progress_reported_at,
        "progress_reports": d.progress_reports,
        "contributions": d.contributions,
        "extensions": list(d.extensions),
        "completion_reported_at": d.completion_reported_at,
        "completion_summary": d.completion_summary,
        "accepted_at": d.accepted_at,
        "returns": d.returns,
        "reassignments": d.reassignments,
        "withdrawn_at": d.withdrawn_at,
        "reminders": d.reminders,
        "last_reminder_at": d.last_reminder_at,
        "explanations": list(d.explanations),
        "comments": list(d.comments),  # the discussion, as it stood at this version
        "parent_id": str(d.parent_id) if d.parent_id else None,
        "recorded_at": d.modified_on,
    }


def filed_document(document: Document, url: str) -> dict[str, Any]:
    """A filed document: what its public page shows, every version, the current one marked, and
    the address its QR code opens (``url``)."""
    return {
        "id": str(document.id),
        "url": url,
        "kind": document.kind,
        "reference": document.reference,
        "title": document.title,
        "issuer": document.issuer,
        "public": document.public,
        "current": document.current.number,
        "revoked_at": document.revoked_at,
        "revoked_reason": document.revoked_reason or None,
        "versions": [
            {
                "number": v.number,
                "change": v.change.value,
                "reason": v.reason or None,
                "filed_at": v.filed_at,
                "signer": v.signer,
                "digest": v.file.digest,
                "name": v.file.name,
                "size": v.file.size,
            }
            for v in document.versions
        ],
    }


def board_document(row: BoardRow) -> dict[str, Any]:
    return {
        "id": str(row.directive_id),
        "reference": row.reference,
        "title": row.title,
        "lead_unit": row.lead_unit,
        "coordinating_units": list(row.coordinators),
        "issuer": row.issuer,
        "urgency": row.urgency,
        "issued_on": row.issued_on,
        "original_deadline": row.original_deadline,
        "deadline": row.deadline,
        "extensions_granted": row.extensions_granted,
        "percent": row.progress,
        "reported_percent": row.percent,
        "progress_at": row.progress_at,
        "completion_on": row.completion_on,
        "accepted": row.status == "completed",
        "awaiting_acceptance": row.awaiting_acceptance,
        "extension_pending": row.extension_pending,
        "status": row.status,
        "withdrawn": row.withdrawn,
        "version": row.version,
    }


def figures_document(f: Figures) -> dict[str, Any]:
    return {
        "completed_on_time": f.completed_on_time,
        "completed_late": f.completed_late,
        "in_progress": f.in_progress,
        "due_soon": f.due_soon,
        "overdue": f.overdue,
        "no_deadline": f.no_deadline,
        "total": f.total,
        "on_time_rate": f.on_time_rate,
        "days_overdue_total": f.days_overdue_total,
        "days_overdue_mean": f.days_overdue_mean,
        "awaiting_acceptance": f.awaiting_acceptance,
        "awaiting_acceptance_overdue": f.awaiting_acceptance_overdue,
    }


def summary_document(summary: Summary) -> dict[str, Any]:
    return {
        "as_of": summary.as_of,
        "basis": summary.basis,
        "position": summary.position,
        "city": figures_document(summary.city),
        "units": {
            code: figures_document(f)
            for code, f in sorted(summary.units.items(), key=lambda item: natural_key(item[0]))
        },
        "skipped_events": summary.skipped,
        # Units ended by a reorganisation by then: their record, under the unit that carries
        # on their work, not counted in its figures (docs/units.md).
        "carried": {
            heir: {code: figures_document(f) for code, f in sorted(held.items())}
            for heir, held in sorted(summary.carried.items())
        },
    }


def score_document(s: UnitScore) -> dict[str, Any]:
    return {
        "unit": s.unit,
        "rank": s.rank,
        "score": s.score,
        "grade": {"vi": s.grade_vi, "en": s.grade_en},
        "components": {
            "timeliness": round(s.timeliness, 4),
            "overdue": round(s.overdue, 4),
            "acknowledgement": round(s.acknowledgement, 4),
            "freshness": round(s.freshness, 4),
            "petitions": None if s.petitions is None else round(s.petitions, 4),
        },
        "on_time_rate": s.on_time_rate,
        "directives": s.directives,
    }


def late_document(item: LateItem) -> dict[str, Any]:
    return {
        "id": str(item.directive_id),
        "reference": item.reference,
        "title": item.title,
        "lead_unit": item.lead_unit,
        "urgency": item.urgency,
        "deadline": item.deadline,
        "days": item.days,
        "percent": item.percent,
        "awaiting_acceptance": None
        if item.awaiting is None
        else {
            "reported_on": item.awaiting.reported_on,
            "days": item.awaiting.days,
            "held_by": item.awaiting.held_by,
        },
    }


def inbox_document(item: InboxItem) -> dict[str, Any]:
    return {
        "id": str(item.directive_id),
        "reference": item.reference,
        "title": item.title,
        "role": item.role,
        "urgency": item.urgency,
        "deadline": item.deadline,
        "status": item.status,
        "owes": item.owes,
    }


def unit_document(unit: Unit | UnitRow) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name_vi": unit.name_vi,
        "name_en": unit.name_en,
        "parent": unit.parent,
        "active": unit.active,
        **(
            {
                "successors": list(unit.successors),
                "predecessors": list(unit.predecessors),
                "ended_on": unit.ended_on,
                "basis": unit.basis,
            }
            if isinstance(unit, Unit)
            else {}
        ),
    }


def user_document(account: UserAccount) -> dict[str, Any]:
    return {
        "username": account.username,
        "display_name": account.display_name,
        "title": account.title,
        "role": account.role,
        "unit": account.unit,
        "active": account.active,
    }


def plain(value: Any) -> Any:
    """Bytes as standard base64, recursively, for JSON (hashes, signatures, records)."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def oversight_checkpoint(
    store: AuditStore | None, application_name: str, position: int
) -> dict[str, Any] | None:
    """The signed checkpoint that covers an oversight answer's position, once one is signed."""
    if store is None or position <= 0:
        return None
    checkpoint = covering_checkpoint(store, application_name, position)
    return None if checkpoint is None else plain(checkpoint_document(checkpoint))


# --- the petitions' oversight (no personal data: none is in the read models) --------------------


def petition_figures_document(f: PetitionFigures) -> dict[str, Any]:
    return {
        "received": f.received,
        "by_kind": dict(f.by_kind),
        "by_channel": dict(f.by_channel),
        "many_signers": f.many_signers,
        "many_signers_open": f.many_signers_open,
        "repeated": f.repeated,
        "second_round": f.second_round,
        "accepted": f.accepted,
        "guided": f.guided,
        "transferred": f.transferred,
        "transferred_within": f.transferred_within,
        "not_accepted": f.not_accepted,
        "archived": f.archived,
        "withdrawn": f.withdrawn,
        "open": f.open,
        "awaiting_decision": f.awaiting_decision,
        "in_handling": f.in_handling,
        "within_deadline": f.within_deadline,
        "due_soon": f.due_soon,
        "overdue": f.overdue,
        "overdue_decision": f.overdue_decision,
        "days_overdue_total": f.days_overdue_total,
        "days_overdue_mean": f.days_overdue_mean,
        "suspended": f.suspended,
        "resolved_on_time": f.resolved_on_time,
        "resolved_late": f.resolved_late,
        "share_on_time": f.share_on_time,
    }


def petition_item_document(item: PetitionItem) -> dict[str, Any]:
    return {
        "receipt": item.receipt,
        "agency": item.agency,
        "stint": item.stint,
        "kind": item.kind,
        "field": item.field,
        "channel": item.channel,
        "status": item.status,
        "step": item.step,
        "received_on": item.received_on,
        "arrived_on": item.arrived_on,
        "due": item.due,
        "days_left": item.days_left,
        "overdue": item.overdue,
        "handler": item.handler,
        "signers": item.signers,
        "many_signers": item.many_signers,
        "relation": item.relation,
        "transferred_to": item.transferred_to,
        "suspended": item.suspended,
        "resolved_on": item.resolved_on,
        "on_time": item.on_time,
        "verdict": item.verdict,
        "days_open": item.days_open,
    }


def matter_figures_document(m: MatterFigures) -> dict[str, Any]:
    """The figures counted by matter (docs/petitions-oversight.md, "Matters")."""
    return {
        "filings": m.filings,
        "matters": m.matters,
        "repeated": m.repeated,
        "resolved_on_time": m.resolved_on_time,
        "resolved_late": m.resolved_late,
        "overdue": m.overdue,
        "overdue_handling": m.overdue_handling,
        "share_on_time": m.share_on_time,
    }


def repeated_matter_document(m: RepeatedMatter) -> dict[str, Any]:
    return {
        "receipts": list(m.receipts),
        "filings": m.filings,
        "agencies": list(m.agencies),
        "first_result_on": m.first_result_on,
        "on_time": m.on_time,
    }


def petition_summary_document(summary: PetitionSummary) -> dict[str, Any]:
    """The figures per filing (``city``, ``agencies``: each agency held to account for its own
    filings) and by matter (``matters``, ``agency_matters``, ``repeated_matters``)."""
    by_code = sorted(summary.agencies, key=natural_key)
    return {
        "as_of": summary.as_of,
        "position": summary.position,
        "due_soon_days": summary.due_soon_days,
        "city": petition_figures_document(summary.city),
        "agencies": {code: petition_figures_document(summary.agencies[code]) for code in by_code},
        "matters": matter_figures_document(summary.matters),
        "agency_matters": {
            code: matter_figures_document(summary.agency_matters[code])
            for code in by_code
            if code in summary.agency_matters
        },
        "repeated_matters": [
            repeated_matter_document(m) for m in summary.repeated_matters[:REPEATED_LISTED]
        ],
    }
