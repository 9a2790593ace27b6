"""Every endpoint in one table: its method and path, who may call it, what it takes; and every
page in another (``PAGES``), with who may open it.

These tables are the authorization matrix (enforced in one place, ``api.pipeline.Pipeline``),
the source of the OpenAPI description, of ``docs/api.md`` and of the pages' table in
``docs/web.md``. Row-level rules come on top and live with the data: a ``department`` officer
sees and acts on only the directives its unit leads or coordinates, and the domain refuses
commands from the wrong unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from api import schemas
from api.commands import DTI_POSTED, PETITION_POSTED, request_model
from domain.accounts.commands import ChangeProfile, ChangeRole, DisableUser, EnableUser, SaveView
from domain.calendar.commands import DeclareSwap, WithdrawSwap
from domain.directives import commands
from domain.dti.commands import PublishResults, StartAssessment
from domain.petitions.commands import ReceivePetition
from domain.shared.actors import PERMISSIONS, Command, Role
from domain.units.commands import (
    AddUnit,
    DeactivateUnit,
    MergeUnits,
    RenameUnit,
    SplitUnit,
    SucceedUnit,
)

EVERYONE = frozenset(Role)
COMMITTEE = frozenset({Role.LEADER, Role.OFFICE})
LEADER = frozenset({Role.LEADER})
# The committee's Office, which issues the periodic report (api.report_filing).
OFFICE = frozenset({Role.OFFICE})
DEPARTMENT = frozenset({Role.DEPARTMENT})
READERS = frozenset({Role.LEADER, Role.OFFICE, Role.INSPECTOR})
OVERSEERS = frozenset({Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.DEPARTMENT})
AUDITORS = frozenset({Role.INSPECTOR, Role.ADMIN})
TRAIL = frozenset({Role.LEADER, Role.OFFICE, Role.INSPECTOR, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})
# Who uploads files to file with a command: the signed directive, reports and evidence.
UPLOADERS = COMMITTEE | DEPARTMENT
# Petitions: an agency's desk (reception, head, handling officer) sees its agency's; the
# inspectorate, the Office and the leadership see every agency's.
PETITION_DESK = frozenset({Role.RECEPTION, Role.AGENCY_HEAD, Role.DEPARTMENT})
PETITION_READERS = READERS | PETITION_DESK
# Who prints a petition's receipt: the reception and the head of the agency that holds it.
RECEIPT_PRINTERS = frozenset({Role.RECEPTION, Role.AGENCY_HEAD})
# Who is shown a petition's likely earlier filings of the same matter (issue 26): the desk of
# the agency that holds it (its reception, its head, the officer handling it: the domain checks
# which) and the inspectorate and the Office, which oversee every agency.
CANDIDATE_VIEWERS = frozenset(
    {Role.RECEPTION, Role.AGENCY_HEAD, Role.DEPARTMENT, Role.INSPECTOR, Role.OFFICE}
)
# Who receives the national record of petitions for the national database (Nghị định 55/2022).
NATIONAL_RECORD = frozenset({Role.OFFICE, Role.INSPECTOR})
# The digital-transformation index: its results and assessments are read by the leadership, the
# Office, the inspectorate and the units' officers (a unit's own assessment, the appraising
# body's every one; other units' results once published: the desk decides).
DTI_READERS = READERS | DEPARTMENT


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    operation: str
    summary: str
    roles: frozenset[Role] | None  # None: public
    body: type[BaseModel] | None = None
    status: int = 200
    # The path parameter that names a unit, where a department officer may ask about its own
    # unit only (a row-level rule, as a directive's is; other roles may ask about any unit).
    own_unit: str | None = None


D = "/api/directives/{ref}"
P = "/api/petitions/{receipt}"
A = "/api/dti/assessments/{key}"

# Each command of a petition's life: its operation and what it is, in both languages.
_PETITION_OPERATIONS: dict[str, tuple[str, str]] = {
    "classify": ("classifyPetition", "Phân loại đơn / Classify"),
    "accept": ("acceptPetition", "Thụ lý, giao cán bộ giải quyết / Accept and assign"),
    "guide": ("guidePetition", "Hướng dẫn công dân / Guide the petitioner"),
    "transfer": ("transferPetition", "Chuyển đơn / Transfer"),
    "not-accept": ("notAcceptPetition", "Không thụ lý / Not accept"),
    "archive": ("archivePetition", "Lưu đơn / Archive"),
    "verify": ("recordVerification", "Ghi nhận xác minh / Record a verification"),
    "dialogue": ("holdDialogue", "Đối thoại / Hold a dialogue"),
    "extend": ("extendPetition", "Gia hạn giải quyết / Extend the handling term"),
    "suspend": ("suspendPetition", "Tạm đình chỉ giải quyết / Suspend the handling"),
    "resume": ("resumePetition", "Tiếp tục giải quyết / Resume the handling"),
    "resolve": ("resolvePetition", "Ban hành kết quả giải quyết / Resolve"),
    "publish": ("publishResult", "Công khai kết quả / Publish the result"),
    "withdraw": ("withdrawPetition", "Rút đơn / Record a withdrawal"),
    "same-matter": (
        "markSameMatter",
        "Đánh dấu cùng vụ việc với hồ sơ trước / Mark as the same matter as an earlier filing",
    ),
    "same-matter-undo": (
        "unmarkSameMatter",
        "Bỏ đánh dấu cùng vụ việc / Undo a same-matter link",
    ),
    "answer-with-earlier": (
        "answerWithEarlier",
        "Trả lời bằng kết quả đã giải quyết / Answer with the earlier result",
    ),
}
PETITION_ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/api/petitions",
        "receivePetition",
        "Tiếp nhận đơn / Receive a petition",
        PERMISSIONS[Command.RECEIVE_PETITION],
        request_model(ReceivePetition),
        201,
    ),
    Route(
        "GET",
        P,
        "getPetition",
        "Một đơn: trạng thái, thời hạn, diễn biến, người gửi nếu được xem / One petition: its "
        "status, deadline, timeline, and who filed it for those who may see it",
        PETITION_READERS,
    ),
    Route(
        "GET",
        f"{P}/receipt.pdf",
        "petitionReceipt",
        "Giấy biên nhận đơn PDF / The petition's receipt as a PDF",
        RECEIPT_PRINTERS,
    ),
    Route(
        "GET",
        f"{P}/result.pdf",
        "petitionResult",
        "Văn bản kết quả giải quyết PDF (quyết định, kết luận, trả lời) / The result as a PDF: "
        "the decision, conclusion or answer",
        PETITION_READERS,
    ),
    Route(
        "GET",
        f"{P}/candidates",
        "petitionCandidates",
        "Các đơn có thể cùng một vụ việc, ở mọi cơ quan: mã, cơ quan, ngày, trạng thái, kết quả "
        "nếu được xem, điểm và lý do / The filings likely of the same matter, at every agency: "
        "receipt, agency, day, status, result where it may be seen, score and reasons",
        CANDIDATE_VIEWERS,
    ),
    *(
        Route(
            "POST",
            f"{P}/{posted.name}",
            *_PETITION_OPERATIONS[posted.name],
            PERMISSIONS[posted.permission],
            request_model(posted.command),
            posted.status,
        )
        for posted in PETITION_POSTED
    ),
)

# Each command of an assessment's life: its operation and what it is, in both languages.
_DTI_OPERATIONS: dict[str, tuple[str, str]] = {
    "values": (
        "enterDtiValue",
        "Nhập số liệu, minh chứng / Enter a component's value and evidence",
    ),
    "submission": ("submitDtiAssessment", "Gửi kết quả tự đánh giá / Submit the self-assessment"),
    "acceptances": ("acceptDtiValue", "Chấp nhận số liệu / Accept a value"),
    "adjustments": (
        "adjustDtiValue",
        "Điều chỉnh số liệu, nêu lý do / Adjust a value, with the reason",
    ),
    "return": (
        "sendBackDtiAssessment",
        "Trả lại để giải trình, có thời hạn / Send back, with a deadline",
    ),
    "answer": ("answerDtiReturn", "Giải trình, bổ sung / Answer a return"),
    "appraisal": ("completeDtiAppraisal", "Hoàn thành thẩm định / Complete the appraisal"),
    "corrections": ("correctDtiValue", "Đính chính kết quả đã công bố / Correct a published value"),
}
DTI_ROUTES: tuple[Route, ...] = (
    Route("GET", "/api/dti/frameworks", "listDtiFrameworks", "Các bộ chỉ số chuyển đổi số và phiên bản / The digital-transformation indices and their versions", EVERYONE),
    Route("POST", "/api/dti/frameworks", "publishDtiFramework", "Ban hành bộ chỉ số (tệp JSON, docs/dti.md) / Publish a framework file as its index's next version", PERMISSIONS[Command.PUBLISH_DTI_FRAMEWORK], None, 201),
    Route("GET", "/api/dti/frameworks/{index}/{version}", "getDtiFramework", "Một phiên bản bộ chỉ số, theo mẫu tệp / One version of an index, in the form of its file", EVERYONE),
    Route("POST", "/api/dti/assessments", "startDtiAssessment", "Mở kỳ tự đánh giá / Start a unit's self-assessment", PERMISSIONS[Command.ASSESS_DTI], request_model(StartAssessment), 201),
    Route("GET", A, "getDtiAssessment", "Một kết quả tự đánh giá: số liệu, minh chứng, thẩm định, điểm / One assessment: values, evidence, appraisal, scores", DTI_READERS),
    *(
        Route("POST", f"{A}/{posted.name}", *_DTI_OPERATIONS[posted.name], PERMISSIONS[posted.permission], request_model(posted.command), posted.status)
        for posted in DTI_POSTED
    ),
    Route("POST", "/api/dti/publications", "publishDtiResults", "Công bố kết quả của kỳ đánh giá / Publish a period's appraised results", PERMISSIONS[Command.PUBLISH_DTI_RESULTS], request_model(PublishResults), 201),
    Route("GET", "/api/dti/results", "dtiResults", "Điểm, mức, thứ hạng, so với kỳ trước, theo ngày và vị trí / Scores, bands, ranks and change, as of a day and position", DTI_READERS),
    Route("GET", "/api/dti/results/rescored", "dtiRescored", "Chấm lại theo phiên bản khác, đặt cạnh nhau / Scored again under another version, side by side", DTI_READERS),
    Route("POST", "/api/dti/results/what-if", "dtiWhatIf", "Chấm thử theo bộ chỉ số chưa ban hành (trọng số khác), không ghi lại / Scored under a framework not published (other weights), nothing recorded", DTI_READERS, schemas.DtiWhatIf),
    Route("GET", "/api/dti/queue", "dtiQueue", "Việc cần làm — Chỉ số chuyển đổi số / What waits for the caller in the index", DTI_READERS),
)  # fmt: skip

ROUTES: tuple[Route, ...] = (
    Route("POST", "/api/session", "signIn", "Đăng nhập / Sign in", None, schemas.SignIn, 201),
    Route("DELETE", "/api/session", "signOut", "Đăng xuất / Revoke this token", EVERYONE),
    Route("GET", "/api/me", "me", "Tài khoản hiện tại / The signed-in account", EVERYONE),
    Route("GET", "/api/me/todo", "myTodo", "Việc cần làm / What waits for the signed-in account, queue by queue, oldest first", EVERYONE),
    Route("GET", "/api/notifications", "myNotifications", "Thông báo của tôi / The signed-in account's notifications, latest first", EVERYONE),
    Route("GET", "/api/me/views", "savedViews", "Bộ lọc đã lưu / The signed-in person's saved views of the list", EVERYONE),
    Route("POST", "/api/me/views", "saveView", "Lưu bộ lọc / Save a view of the list", EVERYONE, request_model(SaveView), 201),
    Route("DELETE", "/api/me/views/{name}", "deleteView", "Xóa bộ lọc đã lưu / Delete a saved view", EVERYONE),
    Route("POST", "/api/users", "createUser", "Tạo tài khoản / Create a user", ADMIN, schemas.NewUser, 201),
    Route("POST", "/api/users/{username}/role", "changeRole", "Đổi vai trò / Change role", ADMIN, request_model(ChangeRole)),
    Route("POST", "/api/users/{username}/disabling", "disableUser", "Khóa tài khoản / Disable", ADMIN, request_model(DisableUser)),
    Route("GET", "/api/users", "listUsers", "Danh sách tài khoản / Every account", ADMIN),
    Route("GET", "/api/users/{username}", "getUser", "Một tài khoản / One account", ADMIN),
    Route("POST", "/api/users/{username}/profile", "changeProfile", "Đổi họ tên, chức danh / Change the name and title", ADMIN, request_model(ChangeProfile)),
    Route("POST", "/api/users/{username}/enabling", "enableUser", "Mở khóa tài khoản / Enable", ADMIN, request_model(EnableUser)),
    Route("POST", "/api/users/{username}/password-reset", "resetPassword", "Cấp lại mật khẩu (hiện một lần) / Reset the password, shown once", ADMIN, schemas.PasswordResetBody),
    Route("POST", "/api/directives", "issueDirective", "Ban hành / Issue a directive", COMMITTEE, request_model(commands.IssueDirective), 201),
    Route("GET", "/api/directives", "listDirectives", "Danh sách văn bản / Directives", EVERYONE),
    Route("GET", D, "getDirective", "Một văn bản (hiện tại, theo phiên bản, theo thời điểm) / One directive, now, at a version or at a moment", EVERYONE),
    Route("GET", D + "/history", "directiveHistory", "Lịch sử / A directive's events", EVERYONE),
    Route("GET", D + "/why-late", "directiveWhyLate", "Vì sao chậm / Days per phase and who held it", EVERYONE),
    Route("POST", "/api/files", "uploadFile", "Tải tệp lên (multipart) để đính kèm / Upload a file to file with a command", UPLOADERS, None, 201),
    Route("GET", D + "/document.pdf", "directiveDocument", "Văn bản PDF như khi ban hành (mẫu Nghị định 30/2020) / The directive as issued, as a PDF in the form of Decree 30/2020", EVERYONE),
    Route("GET", D + "/document", "directiveFiledDocument", "Văn bản đã ký số: các phiên bản, bản hiện hành / The directive's signed document: its versions, the current one", EVERYONE),
    Route("POST", D + "/document", "fileDirectiveDocument", "Ký số và lưu văn bản đang chờ / Sign and file the directive's document where it is pending", COMMITTEE, schemas.DocumentFiling, 201),
    Route("POST", D + "/document/amendments", "amendDirectiveDocument", "Đính chính văn bản (phiên bản mới, ký số) / Amend the document: a new version, signed", COMMITTEE, schemas.DocumentAmendment, 201),
    Route("POST", D + "/document/replacement", "replaceDirectiveDocument", "Thay thế văn bản (phiên bản mới, ký số) / Replace the document: a new version, signed", COMMITTEE, schemas.DocumentReplacement, 201),
    Route("POST", D + "/document/revocation", "revokeDirectiveDocument", "Thu hồi văn bản đã ký số / Revoke the signed document", COMMITTEE, schemas.DocumentRevocation),
    Route("GET", D + "/files", "directiveFiles", "Tệp đính kèm (hiện tại, theo phiên bản, theo thời điểm) / A directive's files, now, at a version or at a moment", EVERYONE),
    Route("GET", D + "/files/{digest}", "downloadFile", "Tải tệp đính kèm / Download a filed file", EVERYONE),
    Route("GET", D + "/files/{digest}/proof", "fileProof", "Bằng chứng tệp đã nộp / The proof a file was the one filed", TRAIL),
    Route("POST", D + "/acknowledgement", "acknowledge", "Tiếp nhận / Acknowledge", DEPARTMENT, request_model(commands.Acknowledge)),
    Route("POST", D + "/progress-reports", "reportProgress", "Báo cáo tiến độ / Report progress", DEPARTMENT, request_model(commands.ReportProgress), 201),
    Route("POST", D + "/contributions", "contribute", "Báo cáo phối hợp / Contribute", DEPARTMENT, request_model(commands.Contribute), 201),
    Route("POST", D + "/extension-requests", "requestExtension", "Xin gia hạn / Request an extension", DEPARTMENT, request_model(commands.RequestExtension), 201),
    Route("POST", D + "/extension-requests/{n}/decision", "decideExtension", "Duyệt gia hạn / Decide an extension", LEADER, request_model(commands.DecideExtension)),
    Route("POST", D + "/completion-report", "reportCompletion", "Báo cáo hoàn thành / Report completion", DEPARTMENT, request_model(commands.ReportCompletion), 201),
    Route("POST", D + "/completion-report/decision", "decideCompletion", "Nghiệm thu / Accept or return", LEADER, request_model(commands.DecideCompletion)),
    Route("POST", D + "/reassignment", "reassign", "Chuyển giao / Reassign", COMMITTEE, request_model(commands.Reassign)),
    Route("POST", D + "/withdrawal", "withdraw", "Thu hồi / Withdraw", LEADER, request_model(commands.Withdraw)),
    Route("POST", D + "/reminders", "sendReminder", "Đôn đốc / Remind", COMMITTEE, request_model(commands.SendReminder), 201),
    Route("POST", D + "/explanation-requests", "requestExplanation", "Yêu cầu giải trình / Request an explanation", LEADER, request_model(commands.RequestExplanation), 201),
    Route("POST", D + "/explanation-requests/{n}/answer", "giveExplanation", "Giải trình / Answer", DEPARTMENT, request_model(commands.GiveExplanation)),
    Route("POST", D + "/comments", "commentOnDirective", "Thảo luận: nêu ý kiến, trả lời / Comment on a directive, or reply", PERMISSIONS[Command.COMMENT], request_model(commands.AddComment), 201),
    *PETITION_ROUTES,
    Route("GET", "/api/oversight", "oversight", "Tổng hợp / Oversight summary", OVERSEERS),
    Route("GET", "/api/oversight/index", "executionIndex", "Chỉ số thực thi / Execution index", READERS),
    Route("GET", "/api/oversight/late", "lateList", "Quá hạn / Late list", OVERSEERS),
    Route("GET", "/api/oversight/due-soon", "dueSoonList", "Sắp đến hạn / Due soon", OVERSEERS),
    Route("GET", "/api/units", "listUnits", "Đơn vị / Units", EVERYONE),
    Route("GET", "/api/units/{code}/inbox", "unitInbox", "Việc của đơn vị / Unit inbox", OVERSEERS, own_unit="code"),
    Route("POST", "/api/units/mergers", "mergeUnits", "Hợp nhất đơn vị / Merge units", ADMIN, request_model(MergeUnits), 201),
    Route("POST", "/api/units/splits", "splitUnit", "Chia tách đơn vị / Split a unit", ADMIN, request_model(SplitUnit), 201),
    Route("POST", "/api/units/successions", "succeedUnit", "Kế thừa đơn vị / A unit succeeded by another", ADMIN, request_model(SucceedUnit), 201),
    Route("POST", "/api/units/additions", "addUnit", "Thêm đơn vị / Add a unit", ADMIN, request_model(AddUnit), 201),
    Route("POST", "/api/units/renamings", "renameUnit", "Đổi tên đơn vị / Rename a unit", ADMIN, request_model(RenameUnit)),
    Route("POST", "/api/units/deactivations", "deactivateUnit", "Ngừng hoạt động đơn vị / Deactivate a unit", ADMIN, request_model(DeactivateUnit)),
    Route("GET", "/api/units/{code}/why-late", "unitWhyLate", "Vì sao chậm (đơn vị) / Why a unit's directives were late", OVERSEERS, own_unit="code"),
    Route("POST", "/api/reports/periodic", "issuePeriodicReport", "Ban hành báo cáo định kỳ: ký số, lưu, mã QR / Issue the periodic report: signed, filed, with its QR code", OFFICE, schemas.ReportIssue, 201),
    Route("GET", "/api/audit", "auditTrail", "Nhật ký kiểm toán / Audit trail", EVERYONE),
    Route("GET", "/api/audit/public-key", "auditPublicKey", "Khóa công khai / The log's public key", None),
    Route("GET", "/api/audit/checkpoint", "latestCheckpoint", "Điểm kiểm tra mới nhất / Latest signed checkpoint", EVERYONE),
    Route("POST", "/api/audit/checkpoint", "signCheckpoint", "Ký điểm kiểm tra / Sign a checkpoint now", AUDITORS, None, 201),
    Route("GET", "/api/audit/proof/inclusion", "inclusionProof", "Bằng chứng chứa / RFC 9162 inclusion proof", TRAIL),
    Route("GET", "/api/audit/proof/consistency", "consistencyProof", "Bằng chứng nhất quán / RFC 9162 consistency proof", EVERYONE),
    Route("GET", "/api/audit/verify", "verifyLog", "Kiểm tra toàn vẹn / Verify the whole log", TRAIL),
    Route("GET", "/api/events", "eventFeed", "Dòng sự kiện / Event feed (liên thông)", AUDITORS),
    Route("GET", "/api/petitions", "listPetitions", "Danh sách đơn thư / Petitions, latest first", PETITION_READERS),
    Route("GET", "/api/petitions/queue", "petitionQueue", "Việc cần làm — Đơn thư / The officer's petitions, most urgent first", PETITION_DESK),
    Route("GET", "/api/petitions/dashboard", "petitionsDashboard", "Tổng hợp đơn thư / Petitions' figures as of a day and position", PETITION_READERS),
    Route("POST", "/api/lookup", "publicLookup", "Tra cứu đơn (công khai) / Look a petition up (public)", None, schemas.Lookup),
    Route("GET", "/api/petitions/lien-thong", "petitionsLienThong", "Liên thông CSDL quốc gia về khiếu nại, tố cáo (NĐ 55/2022) / The national record of petitions", NATIONAL_RECORD),
    Route("GET", "/api/calendar", "workingCalendar", "Lịch ngày làm việc / A year's holidays and swaps of working days", EVERYONE),
    Route("POST", "/api/calendar/swaps", "declareSwap", "Hoán đổi ngày làm việc / Declare a swap of working days", ADMIN, request_model(DeclareSwap), 201),
    Route("POST", "/api/calendar/withdrawals", "withdrawSwap", "Hủy hoán đổi / Withdraw a swap of working days", ADMIN, request_model(WithdrawSwap)),
    *DTI_ROUTES,
    Route("GET", "/api/openapi.json", "openapi", "OpenAPI 3.1", None),
    Route("GET", "/healthz", "health", "Alive", None),
    Route("GET", "/readyz", "ready", "Database reachable, projections caught up", None),
    Route("GET", "/metrics", "metrics", "Prometheus metrics", None),
)  # fmt: skip

BY_KEY = {(r.method, r.path): r for r in ROUTES}


def matrix_markdown() -> str:
    """The authorization matrix as a Markdown table (docs/api.md is this, and a test says so)."""
    roles = list(Role)
    lines = [
        "| endpoint | " + " | ".join(r.value for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for route in ROUTES:
        cells = [
            "public" if route.roles is None else ("✓" if role in route.roles else "—")
            for role in roles
        ]
        lines.append(f"| `{route.method} {route.path}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- the pages ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its method and path, who may open it, and what it is."""

    method: str
    path: str
    summary: str
    roles: frozenset[Role] | None  # None: public (the page may still ask who is signed in)
    # Roles that are sent to their own home page instead (a unit's dashboard is its own page).
    sent_home: frozenset[Role] = frozenset()
    # The forms a path parameter names, each the API command it runs: the command's roles are
    # the page's (a name no form has is answered by the page: not found).
    forms: tuple[str, Mapping[str, Route]] | None = field(default=None, compare=False)
    # As a route's: the path parameter naming the one unit a department officer may open.
    own_unit: str | None = None

    def roles_for(self, params: Mapping[str, object]) -> frozenset[Role] | None:
        """Who may open the page at these path parameters."""
        if self.forms is not None:
            name, forms = self.forms
            form = forms.get(str(params.get(name, "")))
            if form is not None:
                return form.roles
        return self.roles


# The forms of a directive's page (``/directives/{ref}/{action}``), by the name in their path:
# the API command each one runs, whose roles it takes.
FORMS: dict[str, Route] = {
    name: BY_KEY[("POST", D + suffix)]
    for name, suffix in (
        ("acknowledge", "/acknowledgement"),
        ("progress", "/progress-reports"),
        ("contribute", "/contributions"),
        ("extension", "/extension-requests"),
        ("completion", "/completion-report"),
        ("decide_extension", "/extension-requests/{n}/decision"),
        ("decide_completion", "/completion-report/decision"),
        ("explain_answer", "/explanation-requests/{n}/answer"),
        ("remind", "/reminders"),
        ("explain_request", "/explanation-requests"),
        ("reassign", "/reassignment"),
        ("withdraw", "/withdrawal"),
        ("comment", "/comments"),
    )
}

# The forms of a directive's signed document, on the directive's page
# (``/directives/{ref}/document/{action}``): the API command each one runs.
DOCUMENT_FORMS: dict[str, Route] = {
    name: BY_KEY[("POST", D + suffix)]
    for name, suffix in (
        ("file", "/document"),
        ("amend", "/document/amendments"),
        ("replace", "/document/replacement"),
        ("revoke", "/document/revocation"),
    )
}

# The forms of a petition's page (``/petitions/{receipt}/{action}``): the API command each runs,
# by the name the API, the pages and the command line give it.
PETITION_FORMS: dict[str, Route] = {
    posted.name: BY_KEY[("POST", f"{P}/{posted.name}")] for posted in PETITION_POSTED
}

# The forms of the administrator's pages (``/admin/users/{username}/{action}``,
# ``/admin/units/{action}``): the API command each runs.
ADMIN_USER_FORMS: dict[str, Route] = {
    name: BY_KEY[("POST", "/api/users/{username}/" + suffix)]
    for name, suffix in (
        ("profile", "profile"),
        ("role", "role"),
        ("disable", "disabling"),
        ("enable", "enabling"),
        ("password", "password-reset"),
    )
}
ADMIN_UNIT_FORMS: dict[str, Route] = {
    name: BY_KEY[("POST", "/api/units/" + suffix)]
    for name, suffix in (
        ("add", "additions"),
        ("rename", "renamings"),
        ("deactivate", "deactivations"),
        ("merge", "mergers"),
        ("split", "splits"),
        ("succeed", "successions"),
    )
}

# The forms of an assessment's page (``/dti/assessments/{key}/{action}``): the API command each
# runs, by the name the API gives it.
DTI_FORMS: dict[str, Route] = {
    posted.name: BY_KEY[("POST", f"{A}/{posted.name}")] for posted in DTI_POSTED
}

SIGNED_IN = EVERYONE

PAGES: tuple[Page, ...] = (
    Page("GET", "/", "Trang chủ / The home page of one's role", None),
    Page("GET", "/sign-in", "Đăng nhập / Sign in", None),
    Page("POST", "/sign-in", "Đăng nhập / Sign in", None),
    Page("POST", "/sign-out", "Đăng xuất / Sign out", None),
    Page("GET", "/language", "Ngôn ngữ / Language", None),
    Page("GET", "/dashboard", "Tổng hợp / Dashboard", READERS, sent_home=DEPARTMENT),
    Page("GET", "/dashboard/export.{kind}", "Xuất tệp / Export", READERS),
    Page("GET", "/reports/periodic", "Báo cáo định kỳ / Periodic report", READERS),
    Page("POST", "/reports/periodic", "Ban hành báo cáo định kỳ (ký số, lưu) / Issue the periodic report, signed and filed", BY_KEY[("POST", "/api/reports/periodic")].roles),
    Page("GET", "/reports/periodic.pdf", "Báo cáo định kỳ PDF / The periodic report as a PDF", READERS),
    Page("GET", "/directives", "Danh sách, tìm kiếm / Directives, search", SIGNED_IN),
    Page("POST", "/directives/views", "Lưu bộ lọc / Save a view of the list", SIGNED_IN),
    Page("POST", "/directives/views/delete", "Xóa bộ lọc đã lưu / Delete a saved view", SIGNED_IN),
    Page("GET", "/directives/new", "Ban hành / Issue a directive", BY_KEY[("POST", "/api/directives")].roles),
    Page("POST", "/directives/new", "Ban hành / Issue a directive", BY_KEY[("POST", "/api/directives")].roles),
    Page("GET", "/directives/{ref}", "Một văn bản / One directive", SIGNED_IN),
    Page("GET", "/directives/{ref}/files/{digest}", "Tải tệp đính kèm / Download a filed file", SIGNED_IN),
    Page("GET", "/directives/{ref}/document.pdf", "Văn bản PDF / The directive as a PDF", SIGNED_IN),
    Page("POST", "/directives/{ref}/{action}", "Một biểu mẫu / A directive's form", SIGNED_IN, forms=("action", FORMS)),
    Page("POST", "/directives/{ref}/document/{action}", "Văn bản đã ký số: lưu, đính chính, thay thế, thu hồi / The signed document's forms", SIGNED_IN, forms=("action", DOCUMENT_FORMS)),
    Page("GET", "/petitions/new", "Tiếp nhận đơn / Receive a petition", BY_KEY[("POST", "/api/petitions")].roles),
    Page("POST", "/petitions/new", "Tiếp nhận đơn / Receive a petition", BY_KEY[("POST", "/api/petitions")].roles),
    Page("GET", "/petitions/{receipt}", "Một đơn / One petition", PETITION_READERS),
    Page("POST", "/petitions/{receipt}/{action}", "Một biểu mẫu của đơn / A petition's form", PETITION_READERS, forms=("action", PETITION_FORMS)),
    Page("GET", "/units/{code}", "Một đơn vị / A unit", OVERSEERS, own_unit="code"),
    Page("GET", "/notifications", "Thông báo của tôi / My notifications", SIGNED_IN),
    Page("GET", "/todo", "Việc cần làm / What waits for me", SIGNED_IN),
    Page("GET", "/inspector", "Thanh tra / Inspector", TRAIL),
    Page("POST", "/inspector/verify", "Kiểm tra toàn vẹn / Verify the log", TRAIL),
    Page("POST", "/inspector/checkpoint", "Ký điểm kiểm tra / Sign a checkpoint", BY_KEY[("POST", "/api/audit/checkpoint")].roles),
    Page("GET", "/inspector/checkpoint.txt", "Tải điểm kiểm tra / Download the checkpoint", TRAIL),
    Page("GET", "/inspector/public-key.{kind}", "Tải khóa công khai / Download the public key", None),
    Page("GET", "/inspector/proof/{kind}", "Tải bằng chứng / Download a proof", TRAIL),
    Page("GET", "/inspector/directives", "Tìm phiên bản / Look a directive up", TRAIL),
    Page("GET", "/inspector/directives/{ref}", "Các phiên bản / A directive's versions", TRAIL),
    Page("GET", "/petitions", "Danh sách đơn thư / Petitions", PETITION_READERS),
    Page("GET", "/petitions/export.{kind}", "Xuất danh sách đơn thư / Export the petitions", PETITION_READERS),
    Page("GET", "/petitions/queue", "Việc cần làm — Đơn thư / To do: petitions", PETITION_DESK),
    Page("GET", "/petitions/dashboard", "Tổng hợp đơn thư / Petitions dashboard", PETITION_READERS),
    Page("GET", "/petitions/dashboard/export.{kind}", "Xuất tổng hợp đơn thư / Export the petitions dashboard", PETITION_READERS),
    Page("GET", "/petitions/{receipt}/receipt", "Giấy biên nhận / A petition's receipt", RECEIPT_PRINTERS),
    Page("GET", "/petitions/{receipt}/receipt.pdf", "Giấy biên nhận PDF / The receipt as a PDF", RECEIPT_PRINTERS),
    Page("GET", "/petitions/{receipt}/result.pdf", "Kết quả giải quyết PDF / The result as a PDF", PETITION_READERS),
    Page("GET", "/tra-cuu", "Tra cứu đơn (công khai) / Look a petition up (public)", None),
    Page("POST", "/tra-cuu", "Tra cứu đơn (công khai) / Look a petition up (public)", None),
    Page("GET", "/tra-cuu/{receipt}", "Tra cứu đơn theo mã QR / Look up from a receipt's QR code", None),
    Page("GET", "/van-ban", "Xác thực văn bản (công khai) / Verify a document (public)", None),
    Page("POST", "/van-ban", "Xác thực một tệp PDF (công khai) / Check a PDF (public)", None),
    Page("GET", "/van-ban/{public_id}", "Văn bản theo mã QR (công khai) / A document from its QR code (public)", None),
    Page("POST", "/van-ban/{public_id}", "Văn bản của đơn cho người giữ mã biên nhận / A petition's document for its receipt's holder", None),
    Page("GET", "/static/{name}", "Tệp tĩnh / Static files", None),
    Page("GET", "/dti", "Chỉ số chuyển đổi số: xếp hạng, phân bố theo mức / The DTI ranking and bands", DTI_READERS),
    Page("GET", "/dti/export.{kind}", "Xuất bảng xếp hạng DTI / Export the DTI ranking", DTI_READERS),
    Page("GET", "/dti/queue", "Việc cần làm — Chỉ số CĐS / To do: the DTI", DTI_READERS),
    Page("POST", "/dti/start", "Mở kỳ tự đánh giá / Open a self-assessment", BY_KEY[("POST", "/api/dti/assessments")].roles),
    Page("POST", "/dti/publish", "Công bố kết quả DTI / Publish the DTI results", BY_KEY[("POST", "/api/dti/publications")].roles),
    Page("GET", "/dti/assessments/{key}", "Phiếu đánh giá của đơn vị / A unit's scorecard", DTI_READERS),
    Page("POST", "/dti/assessments/{key}/{action}", "Một biểu mẫu của phiếu đánh giá / A scorecard's form", DTI_READERS, forms=("action", DTI_FORMS)),
    Page("GET", "/admin/users", "Tài khoản / Accounts", ADMIN),
    Page("POST", "/admin/users", "Tạo tài khoản / Create an account", BY_KEY[("POST", "/api/users")].roles),
    Page("GET", "/admin/users/{username}", "Một tài khoản / One account", ADMIN),
    Page("POST", "/admin/users/{username}/{action}", "Một biểu mẫu của tài khoản / An account's form", ADMIN, forms=("action", ADMIN_USER_FORMS)),
    Page("GET", "/admin/units", "Danh mục đơn vị / The units", ADMIN),
    Page("POST", "/admin/units/{action}", "Một biểu mẫu của danh mục đơn vị / A form of the units", ADMIN, forms=("action", ADMIN_UNIT_FORMS)),
)  # fmt: skip

PAGE_BY_KEY = {(p.method, p.path): p for p in PAGES}


def pages_markdown() -> str:
    """The pages' table as Markdown, one row per form of a directive's or a petition's page
    (docs/web.md is this, and a test says so)."""
    roles = list(Role)
    lines = [
        "| page | " + " | ".join(r.value for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for page in PAGES:
        rows = [(f"{page.method} {page.path}", page.roles)]
        if page.forms is not None:
            name, forms = page.forms
            path = page.path.replace("{" + name + "}", "")
            rows = [(f"{page.method} {path}{form}", route.roles) for form, route in forms.items()]
        for shown, allowed in rows:
            cells = [_cell(allowed, page.sent_home, role) for role in roles]
            lines.append(f"| `{shown}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(allowed: frozenset[Role] | None, sent_home: frozenset[Role], role: Role) -> str:
    if allowed is None:
        return "public"
    if role in sent_home:
        return "home"
    return "✓" if role in allowed else "—"
