"""Every word the pages show, in Vietnamese (the default) and English.

A template asks ``t("key")``; a key missing from either language is a test failure, never a bare
key on the page. Values that come from the domain (statuses, urgencies, categories, phases, what a
unit owes) are translated by ``term(kind, value)``.

A refusal is said from what the error carries, never from its English text: the rule its class
stands for (``rule.<code>``) and, in words of its own, the case it is with its values
(``refusal.<code>.<case>``, ``REFUSALS``), written the reader's way (``api.web.formats``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from api.web import formats
from api.web.formats import day, moment, number
from domain.petitions.law import LABELS, ArchiveGround, NotAcceptedGround
from domain.shared.errors import DomainError, InvalidTextError

if TYPE_CHECKING:
    from projections.audit import Coverage

Language = formats.Language
LANGUAGES: tuple[Language, ...] = ("vi", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    # --- frame
    "app.name": ("Thucthi — Điều hành thực thi", "Thucthi — Executive governance"),
    "app.city": ("UBND Thành phố Hồ Chí Minh", "Ho Chi Minh City People's Committee"),
    "skip": ("Bỏ qua, đến nội dung chính", "Skip to the main content"),
    "nav.label": ("Điều hướng chính", "Main navigation"),
    "nav.dashboard": ("Tổng hợp", "Dashboard"),
    "nav.directives": ("Văn bản", "Directives"),
    "nav.issue": ("Ban hành", "Issue"),
    "nav.inbox": ("Việc của đơn vị", "Unit inbox"),
    "nav.inspector": ("Thanh tra", "Inspector"),
    "nav.petitions": ("Đơn thư", "Petitions"),
    "nav.receive": ("Tiếp nhận đơn", "Receive a petition"),
    "search.label": ("Tìm văn bản", "Search directives"),
    "search.placeholder": ("Số hiệu, trích yếu, đơn vị…", "Reference, title, unit…"),
    "search.button": ("Tìm", "Search"),
    "lang.switch": ("English", "Tiếng Việt"),
    "lang.switch.label": ("Switch to English", "Chuyển sang tiếng Việt"),
    "signed_in_as": ("Đang đăng nhập", "Signed in as"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "done": ("Đã ghi nhận.", "Recorded."),
    "position": ("vị trí nhật ký", "log position"),
    "position.label": ("Vị trí nhật ký", "Log position"),
    "checkpoint": ("điểm kiểm tra đã ký", "signed checkpoint"),
    "checkpoint.none": ("chưa có điểm kiểm tra đã ký", "no signed checkpoint yet"),
    "none": ("—", "—"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "days": ("ngày", "days"),
    "show": ("Xem", "Show"),
    "all": ("Tất cả", "All"),
    "more": ("Xem tiếp", "More"),
    "back": ("Quay lại", "Back"),
    "error.title": ("Không thực hiện được", "That did not work"),
    "error.fields": ("Vui lòng sửa các trường sau:", "Please correct these fields:"),
    "error.request_id": ("Mã yêu cầu", "Request id"),
    "error.page": ("Lỗi", "Error"),
    # --- sign-in
    "signin.title": ("Đăng nhập", "Sign in"),
    "signin.username": ("Tên đăng nhập", "User name"),
    "signin.password": ("Mật khẩu", "Password"),
    "signin.submit": ("Đăng nhập", "Sign in"),
    "signin.failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "signin.expired": (
        "Biểu mẫu đăng nhập đã hết hạn hoặc không phải của trình duyệt này. Vui lòng đăng nhập lại.",
        "The sign-in form has expired or is not this browser's. Please sign in again.",
    ),
    "signin.too_many": (
        "Quá nhiều lần thử. Vui lòng thử lại sau {seconds} giây.",
        "Too many attempts. Please try again in {seconds} seconds.",
    ),
    "signin.lead": (
        "Văn bản chỉ đạo và kết quả thực hiện",
        "Directives and how they are carried out",
    ),
    "signin.intro": (
        "Hệ thống theo dõi việc thực hiện văn bản chỉ đạo của UBND Thành phố.",
        "Follows how the City People's Committee's directives are carried out.",
    ),
    # --- dashboard
    "dash.title": ("Tổng hợp tình hình thực hiện", "Execution overview"),
    "dash.as_of": ("Số liệu đến hết ngày", "Figures as of the end of"),
    "dash.skipped": (
        "Số liệu này chưa tính {count} sự kiện đã lưu không đưa được vào (thucthi projections "
        "status nêu vị trí của chúng).",
        "These figures leave out {count} stored events that could not be taken in (thucthi "
        "projections status names their positions).",
    ),
    "dash.filters": ("Bộ lọc", "Filters"),
    "dash.unit": ("Đơn vị chủ trì", "Lead unit"),
    "dash.issuer": ("Người ký", "Signed by"),
    "dash.urgency": ("Độ khẩn", "Urgency"),
    "dash.issued": ("Kỳ ban hành", "Issued in"),
    "dash.period.hint": (
        "năm, quý hoặc tháng: 2024, 2024-Q3, 2024-07",
        "year, quarter or month: 2024, 2024-Q3, 2024-07",
    ),
    "dash.basis": ("Căn cứ thời hạn", "Deadline basis"),
    "dash.basis.in_force": ("Hạn hiện hành (đã gia hạn)", "Deadline in force (after extensions)"),
    "dash.basis.original": ("Hạn ban đầu", "Original deadline"),
    "dash.tiles": ("Số liệu theo loại", "Totals per category"),
    "dash.total": ("Tổng số văn bản", "All directives"),
    "dash.on_time_rate": ("Tỷ lệ đúng hạn", "On-time rate"),
    "dash.due_soon": ("sắp đến hạn (3 ngày)", "due within 3 days"),
    "dash.mean_overdue": ("trung bình {days} ngày quá hạn", "{days} days overdue on average"),
    "dash.ranking": ("Xếp hạng chỉ số thực thi", "Execution index ranking"),
    "dash.rank": ("Hạng", "Rank"),
    "dash.score": ("Điểm", "Score"),
    "dash.grade": ("Xếp loại", "Grade"),
    "dash.directives": ("Số văn bản", "Directives"),
    "dash.chart": (
        "Đúng hạn, trễ hạn và quá hạn theo đơn vị",
        "On time, late and overdue per unit",
    ),
    "dash.chart.caption": (
        "Mỗi thanh là một đơn vị chủ trì: hoàn thành đúng hạn, hoàn thành trễ hạn, đang quá hạn.",
        "One bar per lead unit: completed on time, completed late, overdue now.",
    ),
    "dash.chart.empty": ("Chưa có văn bản đến hạn.", "No directive has fallen due yet."),
    "dash.late": ("Danh sách quá hạn", "Overdue list"),
    "dash.late.empty": ("Không có văn bản quá hạn.", "No directive is overdue."),
    "dash.late.days": ("Số ngày quá hạn", "Days overdue"),
    "dash.late.more": ("Xem tất cả {count} văn bản quá hạn", "See all {count} overdue directives"),
    "dash.export": ("Xuất dữ liệu đang xem", "Export what is shown"),
    "dash.export.csv": ("Tải CSV", "Download CSV"),
    "dash.export.xlsx": ("Tải Excel (XLSX)", "Download Excel (XLSX)"),
    "forecast": (
        "Ngày này chưa đến: đây là dự báo, số liệu sẽ như vậy nếu không có gì thay đổi từ nay "
        "đến hết ngày đó.",
        "This day is still to come: this is a forecast, the figures as they will be if nothing "
        "changes from now until its end.",
    ),
    "dash.reproduce": (
        "Báo cáo này được lập từ nhật ký đến vị trí {position}.",
        "This report was made from the log up to position {position}.",
    ),
    # --- categories (the brief's)
    "category.completed_on_time": ("Hoàn thành đúng hạn", "Completed on time"),
    "category.completed_late": ("Hoàn thành trễ hạn", "Completed late"),
    "category.in_progress": ("Đang thực hiện trong hạn", "In progress, within the deadline"),
    "category.overdue": ("Quá hạn", "Overdue"),
    "category.no_deadline": ("Không thời hạn", "No deadline"),
    # --- reported complete, awaiting acceptance: beside the categories, not one of them
    "awaiting.title": (
        "Đã báo cáo hoàn thành, chờ nghiệm thu",
        "Reported complete, awaiting acceptance",
    ),
    "awaiting.sheet": ("Chờ nghiệm thu", "Awaiting acceptance"),
    "awaiting.tile": (
        "đã báo cáo hoàn thành; chờ lãnh đạo, không phải đơn vị",
        "reported complete; waiting on the leaders, not the unit",
    ),
    "awaiting.explain": (
        "Đơn vị chủ trì đã báo cáo hoàn thành; văn bản đang chờ lãnh đạo nghiệm thu. Theo cách "
        "thống kê, văn bản vẫn thuộc loại hiện tại (quá hạn nếu đã qua hạn) cho đến khi được "
        "nghiệm thu, nhưng thời gian chờ này không phải do đơn vị.",
        "The lead unit has reported the work complete; the directive awaits the leader's "
        "acceptance. The statistics keep it in its category (overdue once past the deadline) "
        "until it is accepted, but this wait is not the unit's delay.",
    ),
    "awaiting.overdue": (
        "Chờ nghiệm thu, đã quá hạn",
        "Awaiting acceptance, past the deadline",
    ),
    "awaiting.of_overdue": (
        "trong đó {count} đã báo cáo hoàn thành, chờ nghiệm thu",
        "of which {count} reported complete, awaiting acceptance",
    ),
    "awaiting.late_note": (
        "Trong danh sách có {count} văn bản đơn vị đã báo cáo hoàn thành, đang chờ lãnh đạo "
        "nghiệm thu: xem cột “Đang chờ”.",
        "{count} of these the unit has reported complete; they await the leader's acceptance: "
        "see the “Waiting on” column.",
    ),
    "awaiting.waiting_on": ("Đang chờ", "Waiting on"),
    "awaiting.the_unit": ("Đơn vị chủ trì thực hiện", "The lead unit's work"),
    "awaiting.since": (
        "Lãnh đạo nghiệm thu ({leader}): đơn vị báo cáo hoàn thành ngày {day}, đã chờ {days} ngày",
        "The leader's acceptance ({leader}): reported complete on {day}, waiting {days} days",
    ),
    "awaiting.reported_on": ("Ngày báo cáo hoàn thành", "Reported complete on"),
    "awaiting.days": ("Số ngày chờ nghiệm thu", "Days awaiting acceptance"),
    "awaiting.held_by": ("Lãnh đạo nghiệm thu", "To be accepted by"),
    "awaiting.late_at_report": (
        "Số ngày báo cáo sau hạn",
        "Days reported after the deadline",
    ),
    "awaiting.reported_in_time": ("báo cáo trong hạn", "reported in time"),
    "awaiting.empty": (
        "Không có báo cáo hoàn thành nào đang chờ nghiệm thu.",
        "No completion report awaits acceptance.",
    ),
    "awaiting.more": (
        "Trang này hiện {shown} văn bản đầu; tệp xuất có đủ {count} văn bản.",
        "This page shows the first {shown}; the exports hold all {count}.",
    ),
    "awaiting.mark": ("chờ nghiệm thu {days} ngày", "awaiting acceptance for {days} days"),
    "awaiting.fact": (
        "Đơn vị báo cáo hoàn thành ngày {day}; đã chờ lãnh đạo nghiệm thu {days} ngày ({leader})",
        "Reported complete on {day}; awaiting the leader's acceptance for {days} days ({leader})",
    ),
    # --- what progress means once completion is reported; extensions decided
    "directive.progress.last_report": (
        "báo cáo tiến độ gần nhất: {percent}%",
        "last progress report: {percent}%",
    ),
    "directive.progress_chart.rule": (
        "Báo cáo hoàn thành tính là 100%; nếu bị trả lại, tiến độ trở về báo cáo tiến độ gần nhất.",
        "A completion report counts as 100%; if it is returned, progress falls back to the last "
        "progress report.",
    ),
    "directive.extension.granted_line": (
        "Lần {number}: xin đến {requested} — đã duyệt đến {granted}",
        "No. {number}: asked for {requested} — granted until {granted}",
    ),
    # --- actions that cannot be undone ask to be confirmed in the form
    "field.confirm": ("Xác nhận", "Confirmation"),
    "confirm.withdraw": (
        "Tôi xác nhận thu hồi văn bản này. Việc thu hồi không thể hoàn tác.",
        "I confirm withdrawing this directive. A withdrawal cannot be undone.",
    ),
    "confirm.decide_completion": (
        "Tôi xác nhận nghiệm thu: văn bản sẽ đóng lại, không thể hoàn tác (không cần khi trả lại).",
        "I confirm the acceptance: the directive closes for good (not needed to return it).",
    ),
    "confirm.missing": (
        "Hãy đánh dấu ô xác nhận: việc này không thể hoàn tác.",
        "Tick the confirmation: this cannot be undone.",
    ),
    "rule.confirmation-required": (
        "Việc này không thể hoàn tác nên cần được xác nhận.",
        "This cannot be undone, so it must be confirmed.",
    ),
    # --- statuses
    "status.issued": ("Chờ tiếp nhận", "Awaiting acknowledgement"),
    "status.in_progress": ("Đang thực hiện", "In progress"),
    "status.completion_reported": ("Chờ nghiệm thu", "Awaiting acceptance"),
    "status.completed": ("Đã hoàn thành", "Completed"),
    "status.withdrawn": ("Đã thu hồi", "Withdrawn"),
    # --- urgencies
    "urgency.normal": ("Thường", "Normal"),
    "urgency.urgent": ("Khẩn", "Urgent"),
    "urgency.very_urgent": ("Thượng khẩn", "Very urgent"),
    "urgency.immediate": ("Hỏa tốc", "Immediate"),
    # --- roles
    "role.leader": ("Lãnh đạo UBND", "Committee leader"),
    "role.office": ("Văn phòng UBND", "Committee office"),
    "role.department": ("Cán bộ đơn vị", "Unit officer"),
    "role.inspector": ("Thanh tra", "Inspector"),
    "role.admin": ("Quản trị", "Administrator"),
    "role.reception": ("Cán bộ tiếp công dân", "Reception officer"),
    "role.agency_head": ("Thủ trưởng cơ quan", "Head of agency"),
    # --- inbox
    "owes.acknowledge": ("Tiếp nhận", "Acknowledge"),
    "owes.answer_explanation": ("Giải trình", "Give an explanation"),
    "owes.report_progress": ("Báo cáo tiến độ", "Report progress"),
    "owes.await_decision": ("Chờ UBND quyết định", "Awaiting the committee's decision"),
    "owes.contribute": ("Báo cáo phối hợp", "Report the contribution"),
    "owes.await_lead": ("Chờ đơn vị chủ trì", "Awaiting the lead unit"),
    "owes.decide_extension": ("Chờ quyết định gia hạn", "Awaiting the extension decision"),
    "inbox.title": ("Việc cần làm của đơn vị", "What the unit owes"),
    "inbox.empty": ("Đơn vị không còn việc tồn đọng.", "The unit owes nothing."),
    "inbox.role": ("Vai trò", "Role"),
    "inbox.owes": ("Việc tiếp theo", "Next step"),
    "inbox.lead": ("Chủ trì", "Lead"),
    "inbox.coordinator": ("Phối hợp", "Coordinator"),
    "inbox.due": ("Còn / quá hạn", "Due in / overdue by"),
    "inbox.left": ("còn {days} ngày", "{days} days left"),
    "inbox.today": ("hạn hôm nay", "due today"),
    "inbox.overdue": ("quá {days} ngày", "{days} days overdue"),
    "unit.figures": ("Số liệu của đơn vị", "The unit's figures"),
    # --- notifications
    "nav.notifications": ("Thông báo", "Notifications"),
    "notify.title": ("Thông báo của tôi", "My notifications"),
    "notify.about": (
        "Văn bản mới giao đơn vị, sắp đến hạn, quá hạn, gia hạn, nghiệm thu và yêu cầu giải "
        "trình; gửi qua thư điện tử mỗi ngày một thư nếu tài khoản có địa chỉ thư.",
        "New directives for your unit, deadlines near and passed, extensions, acceptances and "
        "explanation requests; also sent by e-mail, one mail a day, when your account has an "
        "address.",
    ),
    "notify.day": ("Ngày", "Day"),
    "notify.what": ("Nội dung", "What"),
    "notify.by_mail": ("Thư điện tử", "E-mail"),
    "notify.mailed": ("đã đưa vào thư", "in a digest"),
    "notify.in_app": ("chỉ trên ứng dụng", "in the app only"),
    "notify.empty": ("Chưa có thông báo nào.", "No notifications yet."),
    # --- directive
    "directive.reference": ("Số hiệu", "Reference"),
    "directive.title": ("Trích yếu", "Title"),
    "directive.content": ("Nội dung chỉ đạo", "Instructions"),
    "directive.issuer": ("Người ký", "Signed by"),
    "directive.issued_on": ("Ngày ban hành", "Issued on"),
    "directive.lead_unit": ("Đơn vị chủ trì", "Lead unit"),
    "directive.coordinators": ("Đơn vị phối hợp", "Coordinating units"),
    "directive.urgency": ("Độ khẩn", "Urgency"),
    "directive.status": ("Tình trạng", "Status"),
    "directive.category": ("Đánh giá", "Assessment"),
    "directive.percent": ("Tiến độ", "Progress"),
    "directive.deadlines": ("Thời hạn", "Deadlines"),
    "directive.original_deadline": ("Hạn ban đầu", "Original deadline"),
    "directive.deadline": ("Hạn hiện hành", "Deadline in force"),
    "directive.no_deadline": ("Không thời hạn", "No deadline"),
    "directive.extensions": ("Gia hạn", "Extensions"),
    "directive.extension.line": (
        "Lần {number}: xin đến {requested} — {status}",
        "No. {number}: asked for {requested} — {status}",
    ),
    "extension.pending": ("chờ quyết định", "awaiting a decision"),
    "extension.granted": ("đã duyệt", "granted"),
    "extension.denied": ("từ chối", "denied"),
    "extension.lapsed": ("không còn hiệu lực", "lapsed"),
    "directive.progress_chart": ("Tiến độ theo thời gian", "Progress over time"),
    "directive.progress_chart.caption": (
        "Phần trăm hoàn thành theo từng báo cáo; đường đỏ là thời hạn.",
        "Percent done at each report; the red line is the deadline.",
    ),
    "directive.progress.none": ("Chưa có báo cáo tiến độ.", "No progress reported yet."),
    "directive.timeline": ("Diễn biến", "Timeline"),
    "directive.why_late": ("Vì sao chậm", "Why late"),
    "directive.why_late.none": (
        "Văn bản không chậm so với thời hạn hiện hành.",
        "The directive is not late against the deadline in force.",
    ),
    "directive.why_late.days": ("Chậm {days} ngày.", "{days} days late."),
    "directive.actions": ("Thao tác", "Actions"),
    "directive.actions.none": (
        "Vai trò của bạn không có thao tác nào với văn bản này lúc này.",
        "Your role has no action on this directive now.",
    ),
    "directive.history_link": ("Xem các phiên bản (thanh tra)", "See every version (inspector)"),
    "directive.explanations": ("Yêu cầu giải trình", "Explanation requests"),
    "phase.awaiting_acknowledgement": ("Chờ tiếp nhận", "Awaiting acknowledgement"),
    "phase.in_progress": ("Đang thực hiện", "In progress"),
    "phase.waiting_for_coordinators": ("Chờ đơn vị phối hợp", "Waiting for coordinators"),
    "phase.extension_pending": ("Chờ duyệt gia hạn", "Extension pending"),
    "phase.awaiting_acceptance": ("Chờ nghiệm thu", "Awaiting acceptance"),
    "phase.returned_for_rework": ("Trả lại để làm lại", "Returned for rework"),
    "holder.lead": ("Đơn vị chủ trì", "Lead unit"),
    "holder.coordinator": ("Đơn vị phối hợp", "Coordinators"),
    "holder.committee": ("UBND Thành phố", "The committee"),
    "why.phase": ("Giai đoạn", "Phase"),
    "why.holder": ("Trách nhiệm", "Held by"),
    "why.from": ("Từ", "From"),
    "why.to": ("Đến", "To"),
    "why.days": ("Số ngày", "Days"),
    "why.after_deadline": ("Sau thời hạn", "After the deadline"),
    "timeline.when": ("Thời điểm", "When"),
    "timeline.what": ("Nội dung", "What"),
    # --- actions
    "action.acknowledge": ("Tiếp nhận văn bản", "Acknowledge receipt"),
    "action.progress": ("Báo cáo tiến độ", "Report progress"),
    "action.contribute": ("Báo cáo kết quả phối hợp", "Report the contribution"),
    "action.extension": ("Xin gia hạn", "Ask for an extension"),
    "action.completion": ("Báo cáo hoàn thành", "Report completion"),
    "action.decide_extension": ("Quyết định gia hạn", "Decide the extension"),
    "action.decide_completion": ("Nghiệm thu", "Decide on completion"),
    "action.withdraw": ("Thu hồi văn bản", "Withdraw the directive"),
    "action.remind": ("Đôn đốc", "Send a reminder"),
    "action.explain_request": ("Yêu cầu giải trình", "Ask for an explanation"),
    "action.explain_answer": ("Giải trình", "Give the explanation"),
    "action.reassign": ("Chuyển giao đơn vị chủ trì", "Reassign the lead"),
    # Issue 28: the directive's signed document, on its page (api.filing).
    "action.document_file": ("Ký số và lưu văn bản", "Sign and file the document"),
    "action.document_amend": ("Đính chính văn bản", "Amend the document"),
    "action.document_replace": ("Thay thế văn bản", "Replace the document"),
    "action.document_revoke": ("Thu hồi văn bản đã ký số", "Revoke the signed document"),
    "confirm.document_revoke": (
        "Tôi xác nhận thu hồi văn bản đã ký số: mọi phiên bản đều hết hiệu lực, không lưu thêm "
        "phiên bản nào.",
        "I confirm the revocation of the signed document: every version loses effect and no "
        "further version is filed.",
    ),
    "signed.title": ("Văn bản đã ký số", "The signed document"),
    "signed.public": ("Trang tra cứu công khai (mã QR):", "Its public page (the QR code):"),
    "signed.none": (
        "Văn bản chưa được ký số và lưu (chờ lưu): người ký chưa có chứng thư số, hoặc việc ký "
        "chưa thành công.",
        "The document is not signed nor filed yet (pending): its signer had no certificate, or "
        "signing failed.",
    ),
    "signed.revoked": ("Đã thu hồi lúc {when}: {reason}", "Revoked on {when}: {reason}"),
    "signed.amend.hint": (
        "Để trống tiêu đề hoặc nội dung để giữ như khi ban hành.",
        "Leave the title or the content empty to keep them as issued.",
    ),
    "field.title": ("Trích yếu", "Title"),
    "field.content": ("Nội dung", "Content"),
    "field.percent": ("Phần trăm hoàn thành (0–100)", "Percent done (0–100)"),
    "field.narrative": ("Nội dung báo cáo", "Report"),
    "field.new_deadline": ("Thời hạn mới", "New deadline"),
    "field.reason": ("Lý do", "Reason"),
    "field.summary": ("Kết quả thực hiện", "What was done"),
    "field.decision": ("Quyết định", "Decision"),
    "field.note": ("Ghi chú", "Note"),
    "field.message": ("Nội dung đôn đốc", "Message"),
    "field.question": ("Nội dung cần giải trình", "Question"),
    "field.answer": ("Nội dung giải trình", "Answer"),
    "field.to_unit": ("Đơn vị chủ trì mới", "New lead unit"),
    "field.number": ("Lần", "Number"),
    "field.deadline": ("Thời hạn", "Deadline"),
    "field.deadline_in_working_days": (
        "Hoặc thời hạn tính bằng số ngày làm việc",
        "Or a deadline in working days",
    ),
    "field.day_off": ("Ngày nghỉ", "Day off"),
    "field.make_up_day": ("Ngày làm bù", "Make-up day"),
    "field.decision_reference": ("Số hiệu văn bản quyết định", "Decision reference"),
    "field.coordinating_units": ("Đơn vị phối hợp", "Coordinating units"),
    "field.issued_on": ("Ngày ban hành", "Issued on"),
    "field.parent_reference": ("Văn bản cấp trên", "Parent directive"),
    "field.display_name": ("Tên hiển thị", "Display name"),
    "field.view_name": ("Tên bộ lọc", "View name"),
    "field.view_query": ("Điều kiện lọc", "The list's question"),
    "field.name_vi": ("Tên tiếng Việt", "Vietnamese name"),
    "field.name_en": ("Tên tiếng Anh", "English name"),
    "field.code": ("Mã đơn vị", "Unit code"),
    "field.parent": ("Đơn vị cấp trên", "Parent unit"),
    "field.unit": ("Đơn vị", "Unit"),
    "field.request_id": ("Mã yêu cầu", "Request id"),
    "field.actor": ("Người thực hiện", "Actor"),
    "field.full_name": ("Họ và tên", "Full name"),
    "field.id_number": ("Số định danh cá nhân", "Personal identification number"),
    "field.address": ("Địa chỉ", "Address"),
    "field.phone": ("Số điện thoại", "Phone"),
    "decision.grant": ("Đồng ý gia hạn", "Grant"),
    "decision.deny": ("Không đồng ý", "Deny"),
    "decision.accept": ("Công nhận hoàn thành", "Accept"),
    "decision.return": ("Trả lại để làm tiếp", "Return for rework"),
    "submit": ("Gửi", "Submit"),
    # --- issuing
    "issue.title": ("Ban hành văn bản chỉ đạo", "Issue a directive"),
    "issue.submit": ("Ban hành", "Issue"),
    "issue.coordinators.hint": (
        "Giữ Ctrl (hoặc ⌘) để chọn nhiều đơn vị.",
        "Hold Ctrl (or ⌘) to choose several units.",
    ),
    "issue.deadline.hint": ("Để trống nếu không có thời hạn.", "Leave empty for no deadline."),
    "issue.working_days.hint": (
        "Thời hạn là ngày làm việc thứ N sau ngày ban hành (trừ thứ Bảy, Chủ nhật, ngày lễ, "
        "Tết và ngày nghỉ hoán đổi). Không ghi cùng với thời hạn ở trên.",
        "The deadline is the N-th working day after the issue day (weekends, public holidays "
        "and swapped days off left out). Not together with a deadline above.",
    ),
    # --- list and search
    "list.title": ("Văn bản chỉ đạo", "Directives"),
    "list.results": ("{count} văn bản", "{count} directives"),
    "list.search_results": (
        "Kết quả tìm “{q}”: {count} văn bản",
        "Results for “{q}”: {count} directives",
    ),
    "list.empty": ("Không có văn bản nào.", "No directive."),
    "list.category": ("Loại", "Category"),
    "list.filter.issuer": ("Người ký", "Signed by"),
    "list.filter.urgency": ("Độ khẩn", "Urgency"),
    "list.filter.issued": ("Kỳ ban hành", "Issued in"),
    "list.filter.basis": ("Căn cứ thời hạn", "Deadline basis"),
    "list.status": ("Tình trạng", "Status"),
    "list.status.open": ("Chưa hoàn thành", "Not completed"),
    "list.status.issued": ("Chờ tiếp nhận", "Awaiting acknowledgement"),
    "list.status.in_progress": ("Đang thực hiện", "In progress"),
    "list.status.awaiting_acceptance": ("Chờ nghiệm thu", "Awaiting acceptance"),
    "list.status.extension_pending": ("Chờ quyết định gia hạn", "Extension awaiting a decision"),
    "list.status.completed": ("Đã hoàn thành", "Completed"),
    "list.status.withdrawn": ("Đã thu hồi", "Withdrawn"),
    "list.unit": ("Đơn vị", "Unit"),
    "list.role": ("Vai trò của đơn vị", "The unit's role"),
    "list.role.lead": ("Chủ trì", "Lead"),
    "list.role.coordinating": ("Phối hợp", "Coordinating"),
    "list.due_from": ("Hạn từ ngày", "Due from"),
    "list.due_to": ("Hạn đến ngày", "Due by"),
    "list.sort": ("Sắp xếp theo", "Sort by"),
    "list.sort.issued": ("Ngày ban hành", "Issue date"),
    "list.sort.reference": ("Số hiệu", "Reference"),
    "list.sort.title": ("Trích yếu", "Title"),
    "list.sort.lead_unit": ("Đơn vị chủ trì", "Lead unit"),
    "list.sort.deadline": ("Hạn xử lý", "Deadline"),
    "list.sort.urgency": ("Độ khẩn", "Urgency"),
    "list.sort.category": ("Đánh giá", "Assessment"),
    "list.sort.progress": ("Tiến độ", "Progress"),
    "list.sort.status": ("Tình trạng", "Status"),
    "list.sort.relevance": ("Mức độ phù hợp", "Relevance"),
    "list.asc": ("(tăng dần)", "(ascending)"),
    "list.desc": ("(giảm dần)", "(descending)"),
    "list.pages": ("Các trang của danh sách", "Pages of the list"),
    "list.next": ("Trang sau", "Next page"),
    "list.first": ("Về trang đầu", "First page"),
    "views.title": ("Bộ lọc đã lưu", "Saved views"),
    "views.name": ("Lưu điều kiện đang xem với tên", "Save what is shown under the name"),
    "views.save": ("Lưu bộ lọc", "Save the view"),
    "views.delete": ("Xóa", "Delete"),
    "views.delete_named": ("Xóa bộ lọc “{name}”", "Delete the view “{name}”"),
    "views.saved": ("Đã lưu bộ lọc.", "The view was saved."),
    "views.deleted": ("Đã xóa bộ lọc.", "The view was deleted."),
    # --- inspector
    "insp.title": ("Thanh tra — nhật ký và toàn vẹn", "Inspector — audit trail and integrity"),
    "insp.verify": ("Kiểm tra toàn vẹn nhật ký", "Verify the log's integrity"),
    "insp.verify.intro": (
        "Kiểm tra rằng không sự kiện nào trong nhật ký bị sửa, xóa, chèn thêm hay đảo thứ tự "
        "kể từ khi được ghi, và rằng nhật ký vẫn khớp với mọi điểm kiểm tra đã ký.",
        "Checks that no event in the log has been edited, deleted, inserted or reordered since "
        "it was recorded, and that the log still matches every signed checkpoint.",
    ),
    "insp.verify.kept": (
        "Điểm kiểm tra bạn đã lưu (không bắt buộc)",
        "A checkpoint you kept (optional)",
    ),
    "insp.verify.kept.hint": (
        "Nếu bạn đã tải và cất giữ một điểm kiểm tra, dán nguyên văn vào đây: hệ thống sẽ chứng "
        "minh nhật ký hôm nay vẫn chứa đúng những gì đã được ký khi đó.",
        "If you downloaded and kept a checkpoint, paste it here as it is: the system proves that "
        "the log still holds exactly what was signed then.",
    ),
    "insp.verify.button": ("Kiểm tra toàn vẹn", "Verify integrity"),
    "insp.verify.ok": (
        "Toàn vẹn: {events} sự kiện và {checkpoints} điểm kiểm tra đều khớp.",
        "Intact: {events} events and {checkpoints} checkpoints all match.",
    ),
    "insp.verify.failed": ("KHÔNG toàn vẹn: phát hiện sai lệch.", "NOT intact: tampering found."),
    "insp.verify.kept.ok": (
        "Điểm kiểm tra đã lưu (kích thước {size}) khớp với nhật ký hiện tại.",
        "The kept checkpoint (size {size}) matches the log as it stands.",
    ),
    "insp.problem": (
        "{kind} tại vị trí {position}: {detail}",
        "{kind} at position {position}: {detail}",
    ),
    "insp.checkpoint": ("Điểm kiểm tra đã ký", "Signed checkpoints"),
    "insp.checkpoint.size": ("Số sự kiện được ký", "Events signed"),
    "insp.checkpoint.root": ("Gốc cây (SHA-256, hex)", "Tree root (SHA-256, hex)"),
    "insp.checkpoint.signed_at": ("Ký lúc", "Signed at"),
    "insp.checkpoint.download": ("Tải điểm kiểm tra", "Download the checkpoint"),
    "insp.public_key.download": (
        "Tải khóa xác minh (cho thucthi_verify.py)",
        "Download the verifier key (for thucthi_verify.py)",
    ),
    "insp.public_key.pem": ("Khóa công khai dạng PEM", "The public key as PEM"),
    "insp.sign_now": ("Ký điểm kiểm tra ngay", "Sign a checkpoint now"),
    "insp.proofs": (
        "Bằng chứng cho công cụ kiểm tra độc lập",
        "Proofs for the independent verifier",
    ),
    "insp.proofs.inclusion": (
        "Chứng minh một sự kiện có trong nhật ký đã ký",
        "Prove that one event is in the signed log",
    ),
    "insp.proofs.consistency": (
        "Chứng minh nhật ký chỉ được ghi thêm giữa hai lần ký",
        "Prove that the log was only added to between two signings",
    ),
    "insp.proofs.position": ("Vị trí của sự kiện trong nhật ký", "The event's position in the log"),
    "insp.proofs.size": (
        "Số sự kiện của điểm kiểm tra (mặc định: điểm kiểm tra mới nhất)",
        "Events in the checkpoint (default: the latest checkpoint)",
    ),
    "insp.proofs.from": ("Số sự kiện của điểm kiểm tra trước", "Events in the earlier checkpoint"),
    "insp.proofs.to": ("Số sự kiện của điểm kiểm tra sau", "Events in the later checkpoint"),
    "insp.proofs.download": ("Tải", "Download"),
    "insp.trail": ("Tra cứu nhật ký kiểm toán", "Search the audit trail"),
    "insp.trail.actor": ("Người thực hiện", "Actor"),
    "insp.trail.unit": ("Đơn vị", "Unit"),
    "insp.trail.directive": ("Số hiệu văn bản", "Directive reference"),
    "insp.trail.action": ("Hành động", "Action"),
    "insp.trail.from": ("Từ ngày", "From"),
    "insp.trail.to": ("Đến ngày", "To"),
    "insp.trail.newest": ("Mới nhất trước", "Newest first"),
    "insp.trail.changes": ("Thay đổi", "Changes"),
    "insp.trail.empty": ("Không có bản ghi nào khớp.", "No entry matches."),
    "insp.trail.altered": (
        "sự kiện đã bị sửa sau khi được ghi",
        "the event was altered after it was recorded",
    ),
    "insp.trail.proof": ("bằng chứng", "proof"),
    "insp.history": ("Lịch sử một văn bản", "A directive's history"),
    "insp.history.open": ("Mở", "Open"),
    "insp.version": ("Phiên bản", "Version"),
    "insp.version.of": ("Phiên bản {version} / {last}", "Version {version} of {last}"),
    "insp.version.event": ("Sự kiện của phiên bản này", "This version's event"),
    "insp.version.state": ("Trạng thái sau phiên bản này", "State after this version"),
    "insp.version.changes": (
        "Thay đổi so với phiên bản trước",
        "Changes from the previous version",
    ),
    "insp.field": ("Thông tin", "What"),
    "insp.before": ("Trước", "Before"),
    "insp.after": ("Sau", "After"),
    "problem.edited": ("Bị sửa", "Edited"),
    "problem.reordered": ("Bị đảo thứ tự", "Reordered"),
    "problem.missing": ("Bị xóa", "Missing"),
    "problem.truncated": ("Bị cắt cụt", "Truncated"),
    "problem.inserted": ("Bị chèn thêm", "Inserted"),
    "problem.chain": ("Chuỗi băm sai", "Chain altered"),
    "problem.tree": ("Cây Merkle sai", "Tree altered"),
    "problem.checkpoint": ("Điểm kiểm tra không khớp", "Checkpoint mismatch"),
    "problem.signature": ("Chữ ký không hợp lệ", "Bad signature"),
    "problem.entry": ("Mục nhật ký bị sửa", "Trail entry altered"),
    "problem.published": ("Nhật ký điểm kiểm tra hỏng", "Checkpoint log unreadable"),
    # --- names, people and the inspector's words (issue 24: items 7 and 9)
    "issue.issuer": ("Người ký (lãnh đạo UBND)", "Signed by (a committee leader)"),
    "issue.issuer.hint": (
        "Tên đăng nhập của lãnh đạo ký văn bản; để trống nếu chính bạn ký.",
        "The user name of the leader who signs it; leave it empty if you sign it yourself.",
    ),
    "cover.covered": (
        "Số liệu này nằm trong điểm kiểm tra số {number} (ký lúc {signed_at}), bao phủ các sự "
        "kiện 1–{last}.",
        "These figures are within checkpoint no. {number} (signed {signed_at}), which covers "
        "events 1–{last}.",
    ),
    "cover.all": (
        "Điểm kiểm tra mới nhất (số {number}, ký lúc {signed_at}) bao phủ toàn bộ nhật ký: các "
        "sự kiện 1–{last}.",
        "The latest checkpoint (no. {number}, signed {signed_at}) covers the whole log: events "
        "1–{last}.",
    ),
    "cover.latest": (
        "Điểm kiểm tra mới nhất (số {number}, ký lúc {signed_at}) bao phủ các sự kiện 1–{last}; "
        "{pending} sự kiện mới nhất chưa được bao phủ — sẽ có trong điểm kiểm tra kế tiếp.",
        "The latest checkpoint (no. {number}, signed {signed_at}) covers events 1–{last}; the "
        "{pending} newest events are not covered yet — they will be in the next checkpoint.",
    ),
    "insp.technical": ("Chi tiết kỹ thuật", "Technical details"),
    "insp.checkpoint.intro": (
        "Hệ thống định kỳ ký xác nhận toàn bộ nhật ký đến thời điểm ký: đó là một điểm kiểm "
        "tra. Tải một điểm kiểm tra về và cất giữ ở nơi khác; sau này, đối chiếu với nó sẽ chứng "
        "minh nhật ký không bị sửa.",
        "The system regularly signs the whole log as it stands: that is a checkpoint. Download "
        "one and keep it elsewhere; checking the log against it later proves nothing was "
        "altered.",
    ),
    "insp.checkpoint.position": ("Sự kiện cuối cùng được ký", "Last event signed"),
    "insp.proofs.intro": (
        "Các tệp dưới đây dành cho công cụ kiểm tra độc lập (docs/inspectors/thucthi_verify.py): "
        "chúng cho phép kiểm tra trên máy của bạn, không cần tin vào máy chủ này.",
        "These files are for the independent verifier (docs/inspectors/thucthi_verify.py): "
        "they let you check on your own computer, without trusting this server.",
    ),
    "insp.history.intro": (
        "Xem một văn bản qua từng phiên bản: ai đã làm gì, khi nào, và văn bản thay đổi ra sao.",
        "Walk through a directive's versions: who did what, when, and how it changed.",
    ),
    "insp.request": ("Mã yêu cầu", "Request id"),
    "state.item": ("{field} lần {number}", "{field} no. {number}"),
    "state.redacted": ("(đã thay đổi, không hiển thị)", "(changed, not shown)"),
    "state.extension.asked": ("xin đến {day}", "asked for {day}"),
    "state.extension.granted": ("{status}, hạn mới {day}", "{status}, new deadline {day}"),
    "state.said.reason": ("lý do: “{text}”", "reason: “{text}”"),
    "state.said.note": ("ghi chú: “{text}”", "note: “{text}”"),
    "state.quoted": ("“{text}”", "“{text}”"),
    "state.explanation.open": ("chưa trả lời", "not answered yet"),
    "state.explanation.answer": ("trả lời: “{text}”", "answer: “{text}”"),
    "state.unit.named": ("{name} (mã {code})", "{name} (code {code})"),
    "state.unit.parent": ("thuộc {name}", "under {name}"),
    "state.unit.inactive": ("đã ngừng hoạt động", "deactivated"),
    "state.reference": ("Số hiệu", "Reference"),
    "state.title": ("Trích yếu", "Title"),
    "state.content": ("Nội dung chỉ đạo", "Instructions"),
    "state.issuer": ("Người ký", "Signed by"),
    "state.issued_on": ("Ngày ban hành", "Issued on"),
    "state.lead_unit": ("Đơn vị chủ trì", "Lead unit"),
    "state.coordinating_units": ("Đơn vị phối hợp", "Coordinating units"),
    "state.original_deadline": ("Hạn ban đầu", "Original deadline"),
    "state.deadline": ("Hạn hiện hành", "Deadline in force"),
    "state.urgency": ("Độ khẩn", "Urgency"),
    "state.parent_id": ("Văn bản cấp trên", "Parent directive"),
    "state.status": ("Tình trạng", "Status"),
    "state.acknowledged_at": ("Tiếp nhận lúc", "Acknowledged at"),
    "state.percent": ("Tiến độ", "Progress"),
    "state.progress_reported_at": ("Báo cáo tiến độ gần nhất lúc", "Last progress report at"),
    "state.progress_reports": ("Số lần báo cáo tiến độ", "Progress reports"),
    "state.contributions": ("Số báo cáo phối hợp", "Contributions reported"),
    "state.extensions": ("Gia hạn", "Extension"),
    "state.completion_reported_at": ("Báo cáo hoàn thành lúc", "Completion reported at"),
    "state.completion_summary": ("Kết quả thực hiện", "What was done"),
    "state.accepted_at": ("Nghiệm thu lúc", "Accepted at"),
    "state.returns": ("Số lần bị trả lại", "Times returned"),
    "state.reassignments": ("Số lần chuyển giao", "Times reassigned"),
    "state.withdrawn_at": ("Thu hồi lúc", "Withdrawn at"),
    "state.reminders": ("Số lần đôn đốc", "Reminders"),
    "state.last_reminder_at": ("Đôn đốc gần nhất lúc", "Last reminder at"),
    "state.explanations": ("Yêu cầu giải trình", "Explanation request"),
    "state.number": ("Lần", "Number"),
    "state.requested_deadline": ("Hạn xin", "Deadline asked for"),
    "state.granted_deadline": ("Hạn được duyệt", "Deadline granted"),
    "state.reason": ("Lý do", "Reason"),
    "state.note": ("Ghi chú", "Note"),
    "state.requested_at": ("Gửi lúc", "Sent at"),
    "state.requested_by": ("Người gửi", "Sent by"),
    "state.decided_at": ("Quyết định lúc", "Decided at"),
    "state.decision_note": ("Ghi chú quyết định", "Note on the decision"),
    "state.question": ("Câu hỏi", "Question"),
    "state.answer": ("Trả lời", "Answer"),
    "state.answered_at": ("Trả lời lúc", "Answered at"),
    "state.username": ("Tên đăng nhập", "User name"),
    "state.display_name": ("Họ tên", "Name"),
    "state.account.title": ("Chức danh", "Title"),
    "state.role": ("Vai trò", "Role"),
    "state.unit": ("Đơn vị", "Unit"),
    "state.active": ("Đang hoạt động", "Active"),
    "state.units": ("Đơn vị", "Unit"),
    "state.swaps": ("Hoán đổi ngày làm việc", "Swap of working days"),
    "state.day_off": ("Ngày nghỉ", "Day off"),
    "state.make_up_day": ("Ngày làm bù", "Make-up day"),
    "state.decision_reference": ("Theo văn bản", "Per decision"),
    "state.declared_at": ("Khai báo lúc", "Declared at"),
    "state.declared_by": ("Người khai báo", "Declared by"),
    "state.code": ("Mã đơn vị", "Unit code"),
    "state.name_vi": ("Tên tiếng Việt", "Vietnamese name"),
    "state.name_en": ("Tên tiếng Anh", "English name"),
    "state.parent": ("Đơn vị cấp trên", "Parent unit"),
    # --- the rules a command can break (domain error codes), and the API's own problems
    "rule.not-permitted": (
        "Vai trò của bạn không được làm việc này.",
        "Your role may not do this.",
    ),
    "rule.not-lead-unit": (
        "Chỉ cán bộ của đơn vị chủ trì được làm việc này.",
        "Only an officer of the lead unit may do this.",
    ),
    "rule.not-coordinator": (
        "Chỉ cán bộ của đơn vị phối hợp được báo cáo phối hợp.",
        "Only an officer of a coordinating unit may contribute.",
    ),
    "rule.not-your-unit": (
        "Đơn vị chỉ xem được việc của chính mình.",
        "A unit sees its own work only.",
    ),
    "rule.directive-not-found": (
        "Không có văn bản này, hoặc bạn không được xem.",
        "No such directive, or you may not see it.",
    ),
    "rule.version-not-found": (
        "Văn bản không có phiên bản này.",
        "The directive has no such version.",
    ),
    "rule.unknown-unit": ("Không có đơn vị mang mã này.", "No unit has this code."),
    "rule.duplicate-reference": (
        "Số hiệu này đã được ban hành.",
        "A directive with this reference was already issued.",
    ),
    "rule.inactive-unit": ("Đơn vị đã ngừng hoạt động.", "The unit has been deactivated."),
    "rule.directive-closed": (
        "Văn bản đã hoàn thành hoặc đã thu hồi: chỉ còn xem được.",
        "The directive is completed or withdrawn: it can only be read.",
    ),
    "rule.already-acknowledged": (
        "Đơn vị chủ trì đã tiếp nhận văn bản.",
        "The lead unit has already acknowledged receipt.",
    ),
    "rule.not-acknowledged": (
        "Đơn vị chủ trì phải tiếp nhận văn bản trước khi báo cáo.",
        "The lead unit must acknowledge receipt before reporting.",
    ),
    "rule.completion-pending": (
        "Báo cáo hoàn thành đang chờ nghiệm thu.",
        "A completion report awaits the leader's decision.",
    ),
    "rule.no-completion-report": (
        "Không có báo cáo hoàn thành nào chờ nghiệm thu.",
        "No completion report awaits a decision.",
    ),
    "rule.no-deadline": (
        "Văn bản không có thời hạn nên không thể gia hạn.",
        "The directive has no deadline to extend.",
    ),
    "rule.extension-too-late": (
        "Phải xin gia hạn trước hoặc đúng ngày hết hạn.",
        "An extension must be asked for on or before the deadline.",
    ),
    "rule.extension-already-pending": (
        "Đã có một đề nghị gia hạn đang chờ quyết định.",
        "An extension request is already pending.",
    ),
    "rule.no-pending-extension": (
        "Không có đề nghị gia hạn nào mang số này đang chờ.",
        "No pending extension request has that number.",
    ),
    "rule.deadline-not-later": (
        "Thời hạn mới phải sau thời hạn hiện hành.",
        "The new deadline must be later than the one in force.",
    ),
    "rule.no-open-explanation": (
        "Không có yêu cầu giải trình nào mang số này đang mở.",
        "No open explanation request has that number.",
    ),
    "rule.same-lead-unit": ("Phải chọn một đơn vị chủ trì khác.", "Choose a different lead unit."),
    "rule.invalid-percent": (
        "Tiến độ là số nguyên từ 0 đến 100.",
        "Progress is a whole percentage from 0 to 100.",
    ),
    "rule.invalid-directive": (
        "Thông tin văn bản không hợp lệ.",
        "The directive's fields are malformed.",
    ),
    "rule.parent-not-found": (
        "Không có văn bản cấp trên này.",
        "The parent directive does not exist.",
    ),
    "rule.version-mismatch": (
        "Văn bản đã thay đổi kể từ khi bạn mở trang. Trang dưới đây là trạng thái mới nhất.",
        "The directive changed since you opened the page. This page shows its latest state.",
    ),
    "rule.concurrency-conflict": (
        "Văn bản đang được cập nhật liên tục; vui lòng thử lại.",
        "The directive kept changing; please try again.",
    ),
    "rule.invalid-fields": ("Một số trường chưa hợp lệ.", "Some fields are invalid."),
    "rule.invalid-text": (
        "Một trường chữ trống, quá dài, sai dạng hoặc có ký tự không được phép.",
        "A text field is empty, too long, malformed, or holds a character it may not.",
    ),
    "rule.ambiguous-reference": (
        "Chuỗi này vừa là mã của một văn bản vừa là số hiệu của văn bản khác: hãy dùng mã.",
        "This is one directive's id and another's reference: ask for one by its id.",
    ),
    # --- why a text was refused (domain.shared.text, domain.directives.references)
    "text.not_text": ("Phải là chữ.", "Must be text."),
    "text.empty": ("Không được để trống.", "Must not be empty."),
    "text.too_long": (
        "Dài {length} ký tự, quá mức {limit} ký tự cho phép.",
        "Is {length} characters long, more than the {limit} allowed.",
    ),
    "text.control": (
        "Có ký tự điều khiển ({character}) ở vị trí {at}, không được phép.",
        "Holds a control character ({character}) at character {at}, which is not allowed.",
    ),
    "text.surrogate": (
        "Có mã {character} ở vị trí {at}, không phải là một ký tự.",
        "Holds {character} at character {at}, which is not a character.",
    ),
    "text.line_break": (
        "Chỉ được viết trên một dòng: có dấu xuống dòng hoặc tab ({character}) ở vị trí {at}.",
        "Is one line: a line break or tab ({character}) at character {at}.",
    ),
    "text.format": (
        "Không đúng dạng số/ký hiệu văn bản, ví dụ {example}.",
        "Is not a document number such as {example}.",
    ),
    "rule.not-found": ("Không tìm thấy trang này.", "There is no such page."),
    "rule.bad-form-token": (
        "Biểu mẫu đã hết hạn. Vui lòng tải lại trang và gửi lại.",
        "The form has expired. Please reload the page and send it again.",
    ),
    "rule.no-checkpoint": (
        "Chưa có điểm kiểm tra nào được ký.",
        "No checkpoint has been signed yet.",
    ),
    "rule.no-proof": ("Không lập được bằng chứng này.", "No such proof."),
    "rule.no-signing-key": (
        "Máy chủ được khởi động mà không có khóa ký.",
        "This server was started without its key.",
    ),
    "rule.no-read-models": (
        "Cần SQLite hoặc PostgreSQL để xem số liệu.",
        "The figures need SQLite or PostgreSQL.",
    ),
    "rule.database-unavailable": (
        "Chưa kết nối được cơ sở dữ liệu; vui lòng thử lại sau giây lát.",
        "The database cannot be reached just now; please try again in a moment.",
    ),
    "rule.internal-error": (
        "Có lỗi phía hệ thống; mã yêu cầu cho biết nơi cần xem.",
        "Something went wrong on our side; the request id says where to look.",
    ),
    # --- why a field is invalid (pydantic's error types)
    "invalid.missing": ("Bắt buộc phải có.", "Required."),
    "invalid.empty": ("Không được để trống.", "Must not be empty."),
    "invalid.string_too_short": (
        "Cần ít nhất {min_length} ký tự.",
        "At least {min_length} characters.",
    ),
    "invalid.string_too_long": ("Tối đa {max_length} ký tự.", "At most {max_length} characters."),
    "invalid.string_pattern_mismatch": ("Không đúng định dạng.", "Not in the expected form."),
    "invalid.date": ("Không phải là một ngày hợp lệ.", "Not a valid date."),
    "invalid.date_missing": ("Chưa chọn ngày.", "The date is missing."),
    "invalid.int": ("Phải là một số nguyên.", "Must be a whole number."),
    "invalid.int_missing": ("Chưa nhập số.", "The number is missing."),
    "invalid.too_long": ("Tối đa {max_length} mục.", "At most {max_length} items."),
    "invalid.other": ("Giá trị không hợp lệ.", "Not a valid value."),
    "invalid.less_than_equal": ("Không được lớn hơn {le}.", "Must be at most {le}."),
    "invalid.greater_than_equal": ("Không được nhỏ hơn {ge}.", "Must be at least {ge}."),
    "invalid.choice": ("Không phải một lựa chọn hợp lệ.", "Not one of the choices."),
    # --- what a query or path parameter must be (api.params)
    "param.unknown": (
        "Danh sách không nhận tham số này.",
        "The list takes no such parameter.",
    ),
    "param.once": ("Chỉ được cho tham số này một lần.", "Give this parameter once only."),
    "param.required": ("Cần có tham số này.", "This parameter is required."),
    "param.text": (
        "Tối đa {max_length} ký tự, không có ký tự điều khiển.",
        "At most {max_length} characters, with no control characters.",
    ),
    "param.integer": (
        "Một số nguyên từ {low} đến {high}, viết bằng các chữ số 0–9.",
        "A whole number from {low} to {high}, written in the digits 0-9.",
    ),
    "param.day": (
        "Một ngày dạng YYYY-MM-DD, từ {first} đến {last}.",
        "A day written YYYY-MM-DD, from {first} to {last}.",
    ),
    "param.moment": (
        "Một thời điểm ISO 8601 (ví dụ 2024-05-01T17:00:00+07:00) hoặc một ngày YYYY-MM-DD, từ {first} đến {last}.",
        "A moment in ISO 8601 (e.g. 2024-05-01T17:00:00+07:00) or a day YYYY-MM-DD, from {first} to {last}.",
    ),
    "param.period": (
        "Một năm (2024), quý (2024-Q3) hoặc tháng (2024-07), từ năm {first} đến năm {last}.",
        "A year (2024), a quarter (2024-Q3) or a month (2024-07), from {first} to {last}.",
    ),
    "param.relevance_unsearched": (
        "Chỉ sắp xếp theo mức độ phù hợp khi có từ khóa tìm kiếm.",
        "A list is sorted by relevance only when it is searched.",
    ),
    "param.choice": ("Một trong các giá trị: {choices}.", "One of: {choices}."),
    "param.cursor": (
        "Con trỏ trang không phải do hệ thống này cấp.",
        "The cursor is not one this API gave.",
    ),
    "rule.invalid-cursor": (
        "Con trỏ trang không phải do hệ thống này cấp.",
        "The cursor is not one this API gave.",
    ),
    # --- errors by status
    "status.400": ("Yêu cầu không hợp lệ", "Bad request"),
    "status.401": ("Cần đăng nhập", "Sign in first"),
    "status.403": ("Không có quyền", "Not permitted"),
    "status.404": ("Không tìm thấy", "Not found"),
    "status.409": ("Xung đột", "Conflict"),
    "status.412": ("Phiên bản đã thay đổi", "Version changed"),
    "status.422": ("Dữ liệu không hợp lệ", "Invalid input"),
    "status.429": ("Quá nhiều yêu cầu", "Too many requests"),
    "status.500": ("Lỗi hệ thống", "Something went wrong on our side"),
    "status.503": ("Tạm thời không phục vụ được", "Unavailable"),
    # --- petitions: the desk's pages (intake form, case page)
    "petition.nav": ("Đơn thư", "Petitions"),
    "petition.nav.list": ("Danh sách đơn", "All petitions"),
    "petition.nav.queue": ("Đơn cần xử lý", "My queue"),
    "petition.nav.dashboard": ("Tổng hợp đơn thư", "Petitions dashboard"),
    "petition.nav.new": ("Tiếp nhận đơn mới", "Receive a petition"),
    "petition.new.title": ("Tiếp nhận đơn", "Receive a petition"),
    "petition.new.agency": ("Cơ quan tiếp nhận: {agency}", "Received by: {agency}"),
    "petition.new.fix": (
        "Có {count} chỗ cần sửa, ghi ngay bên dưới từng ô. Những gì đã nhập vẫn được giữ.",
        "{count} fields need correcting, each marked below it. What was typed is kept.",
    ),
    "petition.new.add_row": ("Thêm người gửi đơn", "Add another petitioner"),
    "petition.new.anonymous.hint": (
        "Đơn không ghi tên người gửi: để trống các ô người gửi đơn.",
        "The petition names no one: leave the petitioners' fields blank.",
    ),
    "petition.new.signers.hint": (
        "Để trống nếu bằng số người đã ghi; từ {many} người trở lên là đơn đông người.",
        "Leave blank if it is the number named; {many} or more make a petition of many signers.",
    ),
    "petition.new.what": ("Nội dung đơn", "What it is about"),
    "petition.new.subject.hint": (
        "Quyết định, hành vi bị khiếu nại; hoặc cơ quan, cá nhân bị tố cáo.",
        "The decision or act complained of, or who is denounced.",
    ),
    "petition.new.decision_known_on.hint": (
        "Với đơn khiếu nại: ngày người khiếu nại nhận được hoặc biết được quyết định, hành vi.",
        "For a complaint: the day the complainant received or learned of the decision or act.",
    ),
    "petition.new.previous.hint": (
        "Nếu đơn gửi lại hoặc khiếu nại lần hai: mã biên nhận của đơn trước.",
        "If the matter was filed before, or this is a second round: the earlier receipt code.",
    ),
    "petition.new.how": ("Tiếp nhận", "Reception"),
    "petition.new.submit": ("Ghi nhận đơn", "Register the petition"),
    "petition.new.check": ("Tìm hồ sơ cùng vụ việc", "Look for the same matter"),
    "petition.new.same.lead": (
        "Đơn chưa được ghi nhận. Các hồ sơ trước giống nhất, ở mọi cơ quan của Thành phố; sau "
        "khi ghi nhận, có thể đánh dấu cùng vụ việc trên trang của hồ sơ.",
        "The petition is not registered yet. The most similar earlier filings, at every agency "
        "of the city; once it is registered, mark the same matter on its page.",
    ),
    "petition.petitioners": ("Người gửi đơn", "Petitioners"),
    "petition.petitioner.number": ("Người gửi đơn {number}", "Petitioner {number}"),
    "petition.saved": ("Đã tiếp nhận đơn. Mã biên nhận:", "Petition registered. Receipt code:"),
    "petition.saved.hint": (
        "Trao giấy biên nhận cho công dân: với mã này, công dân tra cứu tình trạng đơn.",
        "Hand the receipt to the petitioner: with this code they can look the petition up.",
    ),
    "petition.print_receipt": ("In giấy biên nhận", "Print the receipt"),
    "petition.another": ("Tiếp nhận đơn khác", "Receive another petition"),
    "petition.state": ("Tình trạng đơn", "Where the petition stands"),
    "petition.status": ("Trạng thái", "Status"),
    "petition.transferred_from": ("Chuyển đến từ", "Transferred from"),
    "petition.anonymous": ("Đơn nặc danh", "Anonymous"),
    "petition.anonymous.long": (
        "Đơn nặc danh: không ghi tên người gửi.",
        "An anonymous petition: it names no one.",
    ),
    "petition.many_signers": ("Đơn đông người", "Many signers"),
    "petition.erased": (
        "Thông tin cá nhân của người này đã được xóa theo yêu cầu.",
        "This person's details were erased on request.",
    ),
    "petition.deadline": ("Thời hạn", "Deadline"),
    "petition.deadline.due": ("Hạn của bước hiện tại", "Due for this step"),
    "petition.deadline.left": ("Còn lại", "Left"),
    "petition.deadline.term": ("Căn cứ", "Term"),
    "petition.suspended": (
        "Việc giải quyết đang tạm đình chỉ từ ngày {since}: thời hạn tạm dừng, những ngày chờ "
        "không tính vào thời hạn.",
        "The handling is suspended since {since}: the term stands still, and the days it waits "
        "do not count.",
    ),
    "petition.deadline.closed": (
        "Đơn đã kết thúc xử lý: không còn thời hạn.",
        "The petition is closed: no term runs.",
    ),
    "petition.left.working": ("còn {days} ngày làm việc", "{days} working days left"),
    "petition.left.days": ("còn {days} ngày", "{days} days left"),
    "petition.overdue.working": ("quá hạn {days} ngày làm việc", "{days} working days overdue"),
    "petition.overdue.days": ("quá hạn {days} ngày", "{days} days overdue"),
    "petition.term.working": (
        "{days} ngày làm việc kể từ {start}",
        "{days} working days from {start}",
    ),
    "petition.term.days": ("{days} ngày kể từ {start}", "{days} days from {start}"),
    "petition.handling.due": ("Hạn giải quyết", "Handling term ended"),
    "petition.on_time": ("đúng hạn", "on time"),
    "petition.late": ("quá hạn", "late"),
    "petition.result": ("Kết quả giải quyết", "Result"),
    "petition.published": ("Công khai", "Published"),
    "petition.not_published": ("chưa công khai", "not yet"),
    "petition.actions": ("Xử lý đơn", "What can be done now"),
    "petition.actions.none": (
        "Ở bước này, bạn không có việc gì phải làm với đơn.",
        "Nothing is yours to do on this petition at this step.",
    ),
    "petition.timeline": ("Diễn biến", "Timeline"),
    "petition.transfer.outside": (
        "— Cơ quan ngoài hệ thống (ghi tên bên dưới) —",
        "— A body outside the system (name it below) —",
    ),
    "petition.handler.hint": (
        "Tên đăng nhập của cán bộ được giao giải quyết.",
        "The user name of the officer who handles it.",
    ),
    "petition.confirm.withdraw": (
        "Công dân đã rút đơn; việc này không hoàn tác được.",
        "The petitioner withdrew it; this cannot be undone.",
    ),
    "petition.action.receive": ("Tiếp nhận đơn", "Receive the petition"),
    "petition.action.classify": ("Phân loại đơn", "Classify"),
    "petition.action.accept": ("Thụ lý, giao cán bộ giải quyết", "Accept and assign"),
    "petition.action.guide": ("Hướng dẫn công dân", "Guide the petitioner"),
    "petition.action.transfer": ("Chuyển đơn", "Transfer"),
    "petition.action.not-accept": ("Không thụ lý", "Do not accept"),
    "petition.action.archive": ("Lưu đơn", "Archive"),
    "petition.action.verify": ("Ghi nhận kết quả xác minh", "Record a verification"),
    "petition.action.dialogue": ("Ghi nhận buổi đối thoại", "Record a dialogue"),
    "petition.action.extend": ("Gia hạn giải quyết", "Extend the handling term"),
    "petition.action.suspend": ("Tạm đình chỉ giải quyết", "Suspend the handling"),
    "petition.action.resume": ("Tiếp tục giải quyết", "Resume the handling"),
    "petition.action.resolve": ("Ban hành kết quả giải quyết", "Issue the result"),
    "petition.action.publish": ("Công khai kết quả", "Publish the result"),
    "petition.action.withdraw": ("Ghi nhận rút đơn", "Record a withdrawal"),
    "petition.action.same-matter": ("Đánh dấu cùng vụ việc", "Mark as the same matter"),
    "petition.action.same-matter-undo": ("Bỏ đánh dấu cùng vụ việc", "Undo the same-matter mark"),
    "petition.action.answer-with-earlier": (
        "Trả lời bằng kết quả đã giải quyết",
        "Answer with the earlier result",
    ),
    # Issue 26: the panel of the earlier filings of the same matter on a case's page.
    "petition.same.title": ("Hồ sơ có thể cùng vụ việc", "Filings that may be the same matter"),
    "petition.same.linked": ("Đã đánh dấu cùng vụ việc", "Marked as the same matter"),
    "petition.same.linked.none": (
        "Hồ sơ này chưa được đánh dấu cùng vụ việc với hồ sơ nào.",
        "This filing is not marked as the same matter as any other.",
    ),
    "petition.same.candidates": ("Hồ sơ trước giống nhất", "The most similar earlier filings"),
    "petition.same.candidates.lead": (
        "Tìm trong hồ sơ của mọi cơ quan trên địa bàn Thành phố, hồ sơ giống nhất trước. Hồ sơ "
        "của cơ quan khác không hiển thị thông tin người gửi đơn. Đánh dấu không gộp hồ sơ: mỗi "
        "hồ sơ giữ nguyên diễn biến, và việc đánh dấu có thể bỏ, kèm lý do.",
        "Found among the filings of every agency of the city, the most similar first. Another "
        "agency's filing shows nothing of who filed it. A mark merges nothing: each filing "
        "keeps its own story, and the mark can be undone, with a reason.",
    ),
    "petition.same.candidates.none": (
        "Không tìm thấy hồ sơ trước nào giống hồ sơ này.",
        "No earlier filing resembles this one.",
    ),
    "petition.same.score": ("Mức độ giống", "Score"),
    "petition.same.score.said": ("giống {score}", "{score} alike"),
    "petition.same.reasons": ("Vì sao giống:", "Why it matched:"),
    "petition.same.against": ("Điểm khác:", "Against:"),
    "petition.same.no_result": ("chưa có", "none yet"),
    "petition.same.result_hidden": (
        "đã có, chưa công khai",
        "given, not yet published",
    ),
    "petition.same.answered": (
        "Đã trả lời bằng kết quả giải quyết của hồ sơ {earlier}",
        "Answered with the result of {earlier}",
    ),
    "petition.same.form.same-matter": ("Đánh dấu cùng vụ việc", "Mark as the same matter"),
    "petition.same.form.same-matter-undo": ("Bỏ đánh dấu", "Undo the mark"),
    "petition.same.form.answer-with-earlier": (
        "Trả lời bằng kết quả đã giải quyết",
        "Answer with the earlier result",
    ),
    "petition.same.other": (
        "Đánh dấu cùng vụ việc với hồ sơ khác (theo mã biên nhận)",
        "Mark as the same matter as another filing (by its receipt code)",
    ),
    "petition.label.same-matter.earlier": (
        "Mã biên nhận của hồ sơ trước",
        "The earlier filing's receipt code",
    ),
    "petition.label.same-matter.reason": (
        "Lý do xác định cùng vụ việc",
        "Why it is the same matter",
    ),
    "petition.label.same-matter-undo.reason": ("Lý do bỏ đánh dấu", "Why the mark is wrong"),
    "petition.label.answer-with-earlier.note": ("Ghi chú (nếu có)", "A note, if any"),
    "field.earlier": ("Hồ sơ trước", "Earlier filing"),
    "petition.channel.in_person": ("Trực tiếp tại nơi tiếp công dân", "In person"),
    "petition.channel.post": ("Qua bưu chính", "By post"),
    "petition.channel.online": ("Trực tuyến", "Online"),
    "petition.channel.transferred": ("Cơ quan khác chuyển đến", "From another agency"),
    "petition.field.land": ("Đất đai", "Land"),
    "petition.field.compensation": (
        "Bồi thường, giải phóng mặt bằng",
        "Compensation and site clearance",
    ),
    "petition.field.construction": ("Trật tự xây dựng", "Construction order"),
    "petition.field.environment": ("Môi trường", "Environment"),
    "petition.field.conduct": ("Tác phong, đạo đức công vụ", "Officials' conduct"),
    "petition.field.social_policy": ("Chính sách xã hội", "Social policy"),
    "petition.field.other": ("Khác", "Other"),
    "petition.relation.second_round": ("khiếu nại lần hai", "a second round"),
    "petition.relation.repeat": ("gửi lại cùng nội dung", "the same matter again"),
    "petition.label.verify.summary": ("Kết quả xác minh", "What the verification found"),
    "petition.label.dialogue.summary": ("Nội dung buổi đối thoại", "What was said"),
    "petition.label.resolve.summary": ("Nội dung kết quả giải quyết", "The result"),
    "petition.label.withdraw.reason": ("Lý do rút đơn", "Why the petitioner withdrew"),
    "petition.label.suspend.reason": (
        "Căn cứ tạm đình chỉ",
        "Why the handling waits",
    ),
    "petition.label.extend.reason": (
        "Lý do gia hạn (vụ việc phức tạp)",
        "Why it is extended (a complex case)",
    ),
    "petition.label.guide.body": ("Cơ quan có thẩm quyền giải quyết", "The competent body"),
    "petition.label.transfer.body": (
        "Tên cơ quan ngoài hệ thống (nếu có)",
        "A body outside the system, if any",
    ),
    "field.agency": ("Cơ quan đang giữ đơn", "Held by"),
    "field.anonymous": ("Đơn nặc danh", "Anonymous"),
    "field.signers": ("Số người ký đơn", "Signed by (people)"),
    "field.petition_content": ("Nội dung đơn", "What the petition says"),
    "field.subject": ("Đối tượng khiếu nại, tố cáo", "Decision, act or person concerned"),
    "field.decision_known_on": ("Ngày biết quyết định, hành vi", "Decision known on"),
    "field.previous_receipt": ("Mã biên nhận đơn trước", "Earlier receipt code"),
    "field.channel": ("Hình thức tiếp nhận", "Received"),
    "field.received_on": ("Ngày nhận đơn", "Received on"),
    "field.kind": ("Loại đơn", "Kind"),
    "field.field": ("Lĩnh vực", "Field"),
    "field.competence": ("Thẩm quyền", "Competence"),
    "field.several_places": (
        "Tố cáo cần xác minh ở nhiều địa điểm",
        "A denunciation to be checked in several places",
    ),
    "field.competent_body": ("Cơ quan có thẩm quyền", "Competent body"),
    "field.handler": ("Cán bộ giải quyết", "Handling officer"),
    "field.excused_delay": (
        "Trở ngại khách quan (nếu đơn quá thời hiệu)",
        "Obstacle that excuses a late complaint",
    ),
    "field.body": ("Cơ quan, tổ chức nhận đơn", "Body it goes to"),
    "field.to_agency": ("Chuyển đến cơ quan", "Transfer to"),
    "field.ground": ("Lý do", "Ground"),
    "field.held_on": ("Ngày đối thoại", "Held on"),
    "field.verdict": ("Kết luận", "Verdict"),
    "field.resolved_on": ("Ngày có kết quả", "Resolved on"),
    # --- files filed with a directive's steps (issue 27, item 4)
    "files.title": ("Tệp đính kèm", "Files"),
    "files.none": ("Chưa có tệp nào được nộp.", "No file has been filed."),
    "files.attach": ("Tệp báo cáo, minh chứng", "Report or evidence files"),
    "files.hint": (
        "PDF, ảnh hoặc văn bản Office; mỗi tệp tối đa {most} MB.",
        "PDF, images or office documents; at most {most} MB each.",
    ),
    "files.signed": ("Văn bản đã ký số (PDF)", "The signed directive (PDF)"),
    "files.signed.hint": ("Một tệp PDF, tối đa {most} MB.", "One PDF, at most {most} MB."),
    "files.size": ("{size} kB", "{size} kB"),
    "files.step.Issued": ("nộp khi ban hành", "filed when issued"),
    "files.step.ProgressReported": ("kèm báo cáo tiến độ", "with a progress report"),
    "files.step.ContributionReported": ("kèm báo cáo phối hợp", "with a contribution"),
    "files.step.CompletionReported": ("kèm báo cáo hoàn thành", "with the completion report"),
    "files.step.ExplanationGiven": ("kèm giải trình", "with an explanation"),
    "field.file_name": ("Tên tệp", "File name"),
    "field.files": ("Tệp đính kèm", "Files"),
    "rule.invalid-file": (
        "Tệp này không nộp được: kiểm tra loại và dung lượng tệp.",
        "This file cannot be filed: check its kind and size.",
    ),
    "rule.file-not-found": ("Không có tệp này.", "There is no such file."),
    "units.carried": (
        "Hồ sơ của đơn vị đã sắp xếp",
        "The record of reorganised units",
    ),
    "units.carried.rule": (
        "Văn bản đã hoàn thành của đơn vị trước sắp xếp được ghi dưới đơn vị kế thừa, "
        "không cộng vào số liệu của đơn vị kế thừa.",
        "Directives a unit completed before it was reorganised are shown under its successor, "
        "not added to the successor's figures.",
    ),
    "units.heir": ("Đơn vị kế thừa", "Successor"),
    "units.predecessor": ("Đơn vị trước sắp xếp", "Former unit"),
    "units.carried_from": ("chuyển từ {unit}", "carried from {unit}"),
    # --- the administrator's pages (issue 27, item 6)
    "nav.admin": ("Quản trị", "Administration"),
    "admin.nav": ("Quản trị", "Administration"),
    "admin.users": ("Tài khoản", "Accounts"),
    "admin.units": ("Danh mục đơn vị", "Units"),
    "admin.registry": ("Các đơn vị", "The registry"),
    "admin.actions": ("Thao tác", "Actions"),
    "admin.changes": ("Các thay đổi của tài khoản", "The account's changes"),
    "admin.state": ("Trạng thái", "State"),
    "admin.active": ("Đang hoạt động", "Active"),
    "admin.disabled": ("Đã khóa", "Disabled"),
    "admin.inactive": ("Ngừng hoạt động", "Deactivated"),
    "admin.ended": ("Đã sắp xếp từ {day}: {successors}", "Reorganised from {day}: {successors}"),
    "admin.choose": ("Chọn đơn vị này", "Choose this unit"),
    "admin.no_unit": ("— không thuộc đơn vị —", "— no unit —"),
    "admin.units.hint": (
        "Giữ phím Ctrl (Cmd trên Mac) để chọn nhiều đơn vị.",
        "Hold Ctrl (Cmd on a Mac) to choose several units.",
    ),
    "admin.confirm": (
        "Tôi xác nhận: việc này không hoàn tác được.",
        "I confirm: this cannot be undone.",
    ),
    "admin.password.made": (
        "Mật khẩu do hệ thống tạo, chỉ hiện một lần sau khi tạo tài khoản.",
        "The system makes the password and shows it once, when the account is created.",
    ),
    "admin.password.once": (
        "Mật khẩu mới, chỉ hiện một lần này. Hãy trao tận tay người dùng; hệ thống không lưu "
        "mật khẩu ở dạng đọc được.",
        "The new password, shown this once. Hand it to the person; the system keeps no "
        "readable copy.",
    ),
    "admin.password.hint": (
        "Cấp mật khẩu mới và kết thúc mọi phiên đăng nhập của tài khoản.",
        "Gives a new password and ends every session of the account.",
    ),
    "admin.action.new": ("Tạo tài khoản", "Create an account"),
    "admin.action.profile": ("Đổi họ tên, chức danh", "Change the name and title"),
    "admin.action.role": ("Đổi vai trò, đơn vị", "Change the role and unit"),
    "admin.action.disable": ("Khóa tài khoản", "Disable the account"),
    "admin.action.enable": ("Mở khóa tài khoản", "Enable the account"),
    "admin.action.password": ("Cấp lại mật khẩu", "Reset the password"),
    "admin.action.add": ("Thêm đơn vị", "Add a unit"),
    "admin.action.rename": ("Đổi tên đơn vị", "Rename a unit"),
    "admin.action.deactivate": ("Ngừng hoạt động đơn vị", "Deactivate a unit"),
    "admin.action.merge": ("Hợp nhất, sáp nhập đơn vị", "Merge units"),
    "admin.action.split": ("Chia tách đơn vị", "Split a unit"),
    "admin.action.succeed": ("Kế thừa đơn vị", "A unit succeeded by another"),
    "admin.done.new": ("Đã tạo tài khoản.", "The account was created."),
    "admin.done.profile": ("Đã đổi họ tên, chức danh.", "The name and title were changed."),
    "admin.done.role": ("Đã đổi vai trò.", "The role was changed."),
    "admin.done.disable": ("Đã khóa tài khoản.", "The account was disabled."),
    "admin.done.enable": ("Đã mở khóa tài khoản.", "The account was enabled."),
    "admin.done.password": ("Đã cấp mật khẩu mới.", "A new password was given."),
    "admin.done.add": ("Đã thêm đơn vị.", "The unit was added."),
    "admin.done.rename": ("Đã đổi tên đơn vị.", "The unit was renamed."),
    "admin.done.deactivate": ("Đơn vị đã ngừng hoạt động.", "The unit was deactivated."),
    "admin.done.merge": ("Đã ghi nhận việc hợp nhất.", "The merger was recorded."),
    "admin.done.split": ("Đã ghi nhận việc chia tách.", "The split was recorded."),
    "admin.done.succeed": ("Đã ghi nhận việc kế thừa.", "The succession was recorded."),
    "admin.field.username": ("Tên đăng nhập", "User name"),
    "admin.field.display_name": ("Họ và tên", "Name"),
    "admin.field.title": ("Chức danh", "Title"),
    "admin.field.role": ("Vai trò", "Role"),
    "admin.field.unit": ("Đơn vị", "Unit"),
    "admin.field.code": ("Mã đơn vị", "Unit code"),
    "admin.field.name_vi": ("Tên tiếng Việt", "Vietnamese name"),
    "admin.field.name_en": ("Tên tiếng Anh", "English name"),
    "admin.field.parent": ("Đơn vị cấp trên", "Parent unit"),
    "admin.field.reason": ("Lý do", "Reason"),
    "admin.field.predecessors": ("Các đơn vị chấm dứt", "The units that end"),
    "admin.field.predecessor": ("Đơn vị chấm dứt", "The unit that ends"),
    "admin.field.successor": ("Đơn vị kế thừa", "The successor"),
    "admin.field.successors": (
        "Các đơn vị tiếp nhận (đơn vị đầu tiên nhận việc đang mở)",
        "The successors (the first takes the open work)",
    ),
    "admin.field.effective_on": ("Ngày có hiệu lực", "Effective on"),
    "admin.field.basis": ("Căn cứ (số quyết định, nghị quyết)", "Legal basis (the decision)"),
    "admin.field.confirm": ("Xác nhận", "Confirmation"),
    "admin.label.add.code": ("Mã đơn vị mới", "The new unit's code"),
    "admin.label.add.parent": ("Đơn vị cấp trên (nếu có)", "Parent unit, if any"),
    # --- what waits ("Việc cần làm": api.web.pages.todo)
    "nav.todo": ("Việc cần làm", "To do"),
    "todo.title": ("Việc cần làm", "To do"),
    "todo.count": ("{count} việc", "{count} waiting"),
    "todo.about.leader": (
        "Báo cáo hoàn thành chờ nghiệm thu và đề nghị gia hạn chờ quyết định, của các văn bản do "
        "đồng chí ký; việc chờ lâu nhất ở trên.",
        "Completion reports awaiting your acceptance and extension requests awaiting your "
        "decision, on the directives you signed; the longest waiting first.",
    ),
    "todo.about.office": (
        "Văn bản quá hạn chưa được đôn đốc trong {quiet} ngày qua, và giải trình được trả lời "
        "trong {quiet} ngày qua.",
        "Overdue directives with no reminder in the last {quiet} days, and explanations answered "
        "in the last {quiet} days.",
    ),
    "todo.about.department": (
        "Văn bản đơn vị chủ trì cần tiếp nhận, giải trình, hoặc báo cáo tiến độ (chưa báo cáo "
        "trong {progress} ngày); đơn thư được giao giải quyết.",
        "Directives your unit leads that it must acknowledge, explain, or report progress on (no "
        "report for {progress} days); the petitions assigned to you.",
    ),
    "todo.about.reception": (
        "Đơn đã tiếp nhận chờ phân loại, hạn gần nhất ở trên.",
        "Petitions received and awaiting classification, the nearest term first.",
    ),
    "todo.about.agency_head": (
        "Đơn chờ quyết định thụ lý và hồ sơ đang giải quyết chờ ban hành kết quả, hạn gần nhất ở "
        "trên.",
        "Petitions awaiting your decision to accept, and cases in handling awaiting their "
        "result, the nearest term first.",
    ),
    "todo.about.none": ("Vai trò này không có việc phải xử lý.", "This role has no steps to take."),
    "todo.empty": ("Không còn việc nào chờ xử lý.", "Nothing is waiting."),
    "todo.queue_empty": ("Không có.", "None."),
    "todo.more": ("Hiện {shown} trên {count} việc.", "{shown} of {count} shown."),
    "todo.queue.decide_completion": (
        "Báo cáo hoàn thành chờ nghiệm thu",
        "Completion reports to accept",
    ),
    "todo.queue.decide_extension": (
        "Đề nghị gia hạn chờ quyết định",
        "Extension requests to decide",
    ),
    "todo.queue.remind": ("Quá hạn, chưa đôn đốc", "Overdue, not reminded"),
    "todo.queue.read_explanation": ("Giải trình đã trả lời", "Explanations answered"),
    "todo.queue.acknowledge": ("Chờ tiếp nhận", "To acknowledge"),
    "todo.queue.answer_explanation": ("Chờ giải trình", "Explanations to give"),
    "todo.queue.report_progress": ("Đến kỳ báo cáo tiến độ", "Progress reports due"),
    "todo.queue.classify": ("Đơn chờ phân loại", "Petitions to classify"),
    "todo.queue.decide": ("Đơn chờ quyết định thụ lý", "Petitions to decide on"),
    "todo.queue.handle": ("Hồ sơ được giao giải quyết", "Cases assigned to you"),
    "todo.queue.resolve": ("Hồ sơ chờ ban hành kết quả", "Cases awaiting their result"),
    "todo.step.remind": ("Đôn đốc", "Send a reminder"),
    "todo.step.read_explanation": ("Đọc giải trình", "Read the explanation"),
    "todo.step.answer_explanation": ("Giải trình", "Give the explanation"),
    "todo.step.report_progress": ("Báo cáo tiến độ", "Report progress"),
    "todo.step.classify": ("Phân loại", "Classify"),
    "todo.step.decide": ("Quyết định thụ lý", "Decide"),
    "todo.step.handle": ("Giải quyết", "Handle"),
    "todo.step.resolve": ("Ban hành kết quả", "Resolve"),
    "todo.since.decide_completion": (
        "báo cáo ngày {day}, đã chờ {days} ngày",
        "reported {day}, waiting {days} days",
    ),
    "todo.since.decide_extension": (
        "đề nghị ngày {day}, đã chờ {days} ngày",
        "asked {day}, waiting {days} days",
    ),
    "todo.since.remind": ("quá hạn từ {day}, {days} ngày", "overdue since {day}, {days} days"),
    "todo.since.read_explanation": ("trả lời ngày {day}", "answered {day}"),
    "todo.since.acknowledge": (
        "giao ngày {day}, đã chờ {days} ngày",
        "assigned {day}, waiting {days} days",
    ),
    "todo.since.answer_explanation": (
        "yêu cầu ngày {day}, đã chờ {days} ngày",
        "asked {day}, waiting {days} days",
    ),
    "todo.since.report_progress": (
        "báo cáo lần cuối ngày {day}, {days} ngày trước",
        "last reported {day}, {days} days ago",
    ),
    "todo.since.classify": ("nhận ngày {day}", "arrived {day}"),
    "todo.since.decide": ("nhận ngày {day}", "arrived {day}"),
    "todo.since.handle": ("nhận ngày {day}", "arrived {day}"),
    "todo.since.resolve": ("nhận ngày {day}", "arrived {day}"),
    "todo.deadline": ("hạn {day}", "due {day}"),
    "todo.number": ("đề nghị số {number}", "request no. {number}"),
    "todo.accept": ("Nghiệm thu", "Accept"),
    "todo.confirm_accept": ("Đã xem báo cáo, nghiệm thu", "I have read the report: accept it"),
    "todo.grant": ("Duyệt gia hạn như đề nghị", "Grant as requested"),
    "todo.other.decide_completion": ("Trả lại…", "Return…"),
    "todo.other.decide_extension": ("Từ chối hoặc đổi hạn…", "Deny or set another date…"),
    # --- the discussion of a directive (issue 27)
    "discussion.title": ("Thảo luận", "Discussion"),
    "discussion.none": ("Chưa có ý kiến nào.", "No comments yet."),
    "discussion.reply_to": ("trả lời ý kiến số {number}", "in reply to comment {number}"),
    "discussion.new_topic": ("Ý kiến mới", "A new comment"),
    "discussion.option": ("Ý kiến số {number} của {who}", "Comment {number} by {who}"),
    "discussion.readers": (
        "Đơn vị chủ trì, đơn vị phối hợp, Văn phòng và lãnh đạo UBND trao đổi tại đây; "
        "vai trò của bạn chỉ xem.",
        "The lead unit, the coordinating units, the Office and the committee's leaders "
        "discuss here; your role reads only.",
    ),
    "action.comment": ("Gửi ý kiến", "Post the comment"),
    "field.text": ("Nội dung ý kiến", "Comment"),
    "field.reply_to": ("Trả lời", "In reply to"),
    "state.comments": ("Thảo luận", "Discussion"),
    "state.author": ("Người nêu", "Author"),
    "state.reply_to": ("Trả lời ý kiến số", "In reply to comment"),
    "state.text": ("Nội dung", "Text"),
    "state.at": ("Thời điểm", "When"),
    "rule.not-participant": (
        "Chỉ đơn vị chủ trì, đơn vị phối hợp, Văn phòng và lãnh đạo UBND tham gia thảo luận.",
        "Only the lead unit, the coordinating units, the Office and the leaders discuss it.",
    ),
    "rule.no-such-comment": (
        "Ý kiến được trả lời phải là một ý kiến đã có trong thảo luận của văn bản.",
        "A reply answers a comment already in the directive's discussion.",
    ),
}

# --- each case of a refusal, with its values (domain.shared.errors: ``code`` and ``case``), and the
# rules of the HTTP side a page can meet. Values named in ``UNIT_VALUES`` are shown as the unit's
# name; days, moments and numbers the reader's way.
REFUSALS: dict[str, tuple[str, str]] = {
    "refusal.not-permitted.role": (
        "Vai trò {role} không được {command}.",
        "The role {role} may not {command}.",
    ),
    "refusal.not-permitted.route": (
        "Trang hoặc thao tác này không dành cho vai trò {role}.",
        "This page or action is not for the role {role}.",
    ),
    "refusal.not-your-unit.own": (
        "Bạn là cán bộ của {unit}: chỉ xem được việc của {unit}.",
        "You are an officer of {unit}: you see the work of {unit} only.",
    ),
    "refusal.not-lead-unit.not_lead": (
        "Chỉ đơn vị chủ trì ({lead_unit}) được làm việc này; {unit} thì không.",
        "Only the lead unit, {lead_unit}, may do this; {unit} may not.",
    ),
    "refusal.not-coordinator.not_coordinator": (
        "{unit} không phải đơn vị phối hợp thực hiện văn bản {reference}.",
        "{unit} does not coordinate on {reference}.",
    ),
    "refusal.directive-not-found.unknown": (
        "Không tìm thấy văn bản số {reference}.",
        "There is no directive {reference} that you may see.",
    ),
    "refusal.duplicate-reference.issued": (
        "Văn bản số {reference} đã được ban hành trước đây.",
        "A directive numbered {reference} was already issued.",
    ),
    "refusal.duplicate-reference.issued_earlier": (
        "Văn bản số {reference} đã được ban hành trước đây, ghi là “{earlier}”.",
        "A directive numbered {reference} was already issued, written “{earlier}”.",
    ),
    "refusal.directive-closed.completed": (
        "Văn bản {reference} đã hoàn thành: chỉ còn xem được.",
        "Directive {reference} is completed: it can only be read.",
    ),
    "refusal.directive-closed.withdrawn": (
        "Văn bản {reference} đã bị thu hồi: chỉ còn xem được.",
        "Directive {reference} was withdrawn: it can only be read.",
    ),
    "refusal.already-acknowledged.acknowledged": (
        "{unit} đã tiếp nhận văn bản {reference} rồi.",
        "{unit} already acknowledged {reference}.",
    ),
    "refusal.not-acknowledged.not_acknowledged": (
        "{unit} cần tiếp nhận văn bản {reference} trước.",
        "{unit} must acknowledge {reference} first.",
    ),
    "refusal.completion-pending.awaiting": (
        "Báo cáo hoàn thành văn bản {reference} đang chờ lãnh đạo nghiệm thu.",
        "The completion report on {reference} awaits the leader's decision.",
    ),
    "refusal.completion-pending.before_reassigning": (
        "Báo cáo hoàn thành văn bản {reference} đang chờ nghiệm thu: hãy công nhận hoặc trả lại "
        "trước khi chuyển giao.",
        "The completion report on {reference} awaits a decision: accept or return it before "
        "reassigning.",
    ),
    "refusal.completion-pending.nothing_to_remind": (
        "Đơn vị đã báo cáo hoàn thành văn bản {reference}, đang chờ lãnh đạo nghiệm thu: không "
        "có việc gì để đôn đốc đơn vị.",
        "{reference} was reported complete and awaits the leader's decision: there is nothing "
        "to remind the unit of.",
    ),
    "refusal.no-completion-report.none": (
        "Văn bản {reference} không có báo cáo hoàn thành nào đang chờ nghiệm thu.",
        "Directive {reference} has no completion report awaiting a decision.",
    ),
    "refusal.no-deadline.no_deadline": (
        "Văn bản {reference} không có thời hạn nên không cần gia hạn.",
        "Directive {reference} has no deadline to extend.",
    ),
    "refusal.extension-too-late.passed": (
        "Thời hạn {deadline} đã qua: phải xin gia hạn trước hoặc đúng ngày hết hạn.",
        "The deadline, {deadline}, has passed: an extension must be asked for on or before it.",
    ),
    "refusal.extension-already-pending.pending": (
        "Đề nghị gia hạn lần {number} vẫn đang chờ quyết định.",
        "Extension request no. {number} is still awaiting a decision.",
    ),
    "refusal.no-pending-extension.none_pending": (
        "Văn bản {reference} không có đề nghị gia hạn lần {number} nào đang chờ quyết định.",
        "Directive {reference} has no extension request no. {number} awaiting a decision.",
    ),
    "refusal.deadline-not-later.requested": (
        "Thời hạn xin gia hạn ({requested}) phải sau thời hạn hiện hành ({deadline}).",
        "The deadline asked for, {requested}, must be later than the one in force, {deadline}.",
    ),
    "refusal.deadline-not-later.granted": (
        "Thời hạn mới ({granted}) phải sau thời hạn hiện hành ({deadline}).",
        "The new deadline, {granted}, must be later than the one in force, {deadline}.",
    ),
    "refusal.no-open-explanation.none_open": (
        "Văn bản {reference} không có yêu cầu giải trình lần {number} nào đang mở.",
        "Directive {reference} has no open explanation request no. {number}.",
    ),
    "refusal.same-lead-unit.same": (
        "{unit} đang là đơn vị chủ trì văn bản {reference}.",
        "{unit} already leads {reference}.",
    ),
    "refusal.invalid-percent.below_zero": (
        "Tiến độ không được nhỏ hơn 0 (đã nhập {percent}).",
        "Progress cannot be below 0 ({percent} was given).",
    ),
    "refusal.invalid-percent.above_hundred": (
        "Tiến độ không được lớn hơn 100 (đã nhập {percent}).",
        "Progress cannot be above 100 ({percent} was given).",
    ),
    "refusal.invalid-percent.not_whole": (
        "Tiến độ là một số nguyên từ 0 đến 100 (đã nhập {percent}).",
        "Progress is a whole number from 0 to 100 ({percent} was given).",
    ),
    "refusal.invalid-attachment.not_a_digest": (
        "Tệp đính kèm được ghi bằng mã băm sha256: và 64 chữ số hệ 16, không phải “{digest}”.",
        "An attachment is named by its digest, sha256: and 64 hex digits, not “{digest}”.",
    ),
    "refusal.invalid-directive.issuer_needed": (
        "Văn phòng ban hành thay mặt lãnh đạo: hãy ghi rõ cơ quan ban hành.",
        "The office issues on a leader's behalf: name the issuer.",
    ),
    "refusal.invalid-directive.issued_in_future": (
        "Ngày ban hành {issued_on} ở sau hôm nay ({today}).",
        "The issue date, {issued_on}, is after today ({today}).",
    ),
    "refusal.invalid-directive.deadline_before_issue": (
        "Thời hạn {deadline} sớm hơn ngày ban hành {issued_on}.",
        "The deadline, {deadline}, is before the issue date, {issued_on}.",
    ),
    "refusal.invalid-directive.lead_also_coordinates": (
        "{unit} không thể vừa chủ trì vừa phối hợp.",
        "{unit} cannot both lead and coordinate.",
    ),
    "refusal.invalid-directive.committee_unit": (
        "Không thể giao văn bản cho {unit}: đó là chính Ủy ban.",
        "{unit} is the committee itself and cannot be given a directive.",
    ),
    "refusal.ambiguous-reference.ambiguous": (
        "“{text}” vừa là mã của một văn bản vừa là số hiệu của văn bản khác: hãy tìm bằng mã.",
        "“{text}” is one directive's id and another's reference: ask for one by its id.",
    ),
    "refusal.parent-not-found.unknown": (
        "Không có văn bản cấp trên số {reference}.",
        "There is no directive {reference} to be the parent.",
    ),
    "refusal.version-not-found.from_one": (
        "Phiên bản được đánh số từ 1; không có phiên bản {version}.",
        "Versions are numbered from 1; there is no version {version}.",
    ),
    "refusal.version-not-found.past_last": (
        "Văn bản {reference} có {versions} phiên bản; không có phiên bản {version}.",
        "Directive {reference} has {versions} versions; there is no version {version}.",
    ),
    "refusal.version-not-found.before_issue": (
        "Văn bản {reference} được ban hành sau {at}.",
        "Directive {reference} was issued after {at}.",
    ),
    "refusal.version-mismatch.moved_on": (
        "Văn bản {reference} đã sang phiên bản {version}; trang bạn gửi là phiên bản {expected}.",
        "Directive {reference} is at version {version} now; the page you sent was version "
        "{expected}.",
    ),
    "refusal.concurrency-conflict.gave_up": (
        "Đã thử {attempts} lần nhưng văn bản vẫn liên tục thay đổi.",
        "Tried {attempts} times, and the directive kept changing.",
    ),
    "refusal.unknown-unit.unknown": (
        "Không có đơn vị mang mã {code}.",
        "No unit has the code {code}.",
    ),
    "refusal.inactive-unit.inactive": (
        "{code} đã ngừng hoạt động.",
        "{code} has been deactivated.",
    ),
    "refusal.duplicate-unit.exists": ("Đã có đơn vị {code}.", "The unit {code} already exists."),
    "refusal.invalid-unit.code_form": (
        "Mã đơn vị gồm chữ in hoa và chữ số nối bằng dấu gạch ngang; “{code}” thì không.",
        "A unit code is upper-case letters and digits joined by hyphens; “{code}” is not.",
    ),
    "refusal.invalid-unit.same_names": (
        "{code} đã mang đúng các tên này.",
        "{code} already has these names.",
    ),
    "refusal.invalid-unit.active_children": (
        "Hãy cho các đơn vị trực thuộc của {code} ngừng hoạt động trước: {children}.",
        "Deactivate the units under {code} first: {children}.",
    ),
    "refusal.invalid-saved-view.too_many": (
        "Mỗi tài khoản lưu tối đa {limit} bộ lọc: hãy xóa bớt một bộ lọc trước.",
        "An account keeps at most {limit} saved views: delete one first.",
    ),
    "refusal.saved-view-not-found.unknown": (
        "Không có bộ lọc đã lưu tên “{name}”.",
        "There is no saved view named “{name}”.",
    ),
    "refusal.user-not-found.unknown": (
        "Không có tài khoản {username}.",
        "There is no account {username}.",
    ),
    "refusal.duplicate-user.exists": (
        "Đã có tài khoản {username}.",
        "The account {username} already exists.",
    ),
    "refusal.invalid-user.username_form": (
        "Tên đăng nhập dài 2–63 ký tự gồm chữ thường, chữ số, “.”, “_” hoặc “-”; “{username}” thì không.",
        "A user name is 2–63 lower-case letters, digits, “.”, “_” or “-”; “{username}” is not.",
    ),
    "refusal.invalid-user.same_role": (
        "Tài khoản {username} đã có vai trò {role}.",
        "The account {username} already has the role {role}.",
    ),
    "refusal.invalid-user.same_role_in_unit": (
        "Tài khoản {username} đã có vai trò {role} tại {unit}.",
        "The account {username} already has the role {role} in {unit}.",
    ),
    "refusal.invalid-user.not_disabled": (
        "Tài khoản {username} không bị khóa.",
        "The account {username} is not disabled.",
    ),
    "refusal.invalid-user.unit_needed": (
        "Cán bộ của một cơ quan (cán bộ đơn vị, tiếp công dân, thủ trưởng) phải thuộc một đơn vị.",
        "An officer of an agency (unit officer, reception, head) belongs to a unit.",
    ),
    "refusal.invalid-user.unit_not_allowed": (
        "Chỉ cán bộ của một cơ quan mới thuộc một đơn vị; vai trò {role} thì không.",
        "Only officers of an agency belong to a unit; the role {role} does not.",
    ),
    "refusal.invalid-user.no_token": ("Không có phiên đăng nhập này.", "There is no such session."),
    "refusal.account-disabled.disabled": (
        "Tài khoản {username} đã bị khóa.",
        "The account {username} is disabled.",
    ),
    "refusal.account-disabled.already_disabled": (
        "Tài khoản {username} đã bị khóa từ trước.",
        "The account {username} was already disabled.",
    ),
    "refusal.invalid-person.phone": (
        "Số điện thoại gồm 8 đến 15 chữ số, có dấu + phía trước nếu là số quốc tế.",
        "A phone number is 8 to 15 digits, after a + for an international number.",
    ),
    "refusal.person-erased.erased": (
        "Dữ liệu cá nhân của người {person_id} đã bị xóa: không thể lưu lại.",
        "The personal data of {person_id} was erased: it cannot be kept again.",
    ),
    "refusal.nothing-to-erase.none_named": (
        "Lệnh xóa phải nêu người cần xóa hoặc một số định danh cá nhân.",
        "An erasure names persons, or a personal identification number.",
    ),
    "refusal.nothing-to-erase.no_person": (
        "Không lưu dữ liệu của ai có số định danh cá nhân này.",
        "No person's details are kept under that personal identification number.",
    ),
    "refusal.invalid-directive.deadline_and_working_days": (
        "Chỉ ghi thời hạn ({deadline}) hoặc số ngày làm việc ({days}), không ghi cả hai.",
        "Give a deadline ({deadline}) or a number of working days ({days}), not both.",
    ),
    "refusal.invalid-directive.working_days_not_positive": (
        "Thời hạn tính bằng ngày làm việc phải ít nhất 1 ngày, không phải {days}.",
        "A deadline in working days is at least 1 day, not {days}.",
    ),
    "refusal.invalid-swap.day_off_not_working": (
        "Ngày {day} đã là ngày nghỉ: chỉ hoán đổi được ngày làm việc thành ngày nghỉ.",
        "{day} is already a day off: only a working day can be swapped off.",
    ),
    "refusal.invalid-swap.make_up_not_off": (
        "Ngày {day} đã là ngày làm việc: ngày làm bù phải là một ngày nghỉ.",
        "{day} is already a working day: a make-up day is a day off worked instead.",
    ),
    "refusal.invalid-swap.already_swapped": (
        "Ngày {day} đã thuộc hoán đổi của ngày nghỉ {swapped}: hãy hủy hoán đổi đó trước.",
        "{day} is already in the swap of {swapped}: withdraw that one first.",
    ),
    "refusal.swap-not-found.none": (
        "Không có hoán đổi nào đang áp dụng cho ngày nghỉ {day}.",
        "No swap in force makes {day} a day off.",
    ),
    "refusal.outside-calendar.outside": (
        "Ngày {day} nằm ngoài lịch ngày làm việc (từ {first} đến {last}).",
        "{day} is outside the working-day calendar, which covers {first} to {last}.",
    ),
    # --- what a role may be refused (domain.shared.actors.Command)
    "command.issue": ("ban hành văn bản", "issue a directive"),
    "command.acknowledge": ("tiếp nhận văn bản", "acknowledge receipt"),
    "command.report_progress": ("báo cáo tiến độ", "report progress"),
    "command.contribute": ("báo cáo kết quả phối hợp", "report a contribution"),
    "command.request_extension": ("xin gia hạn", "ask for an extension"),
    "command.decide_extension": ("quyết định gia hạn", "decide on an extension"),
    "command.report_completion": ("báo cáo hoàn thành", "report completion"),
    "command.decide_completion": ("nghiệm thu", "decide on completion"),
    "command.reassign": ("chuyển giao đơn vị chủ trì", "reassign the lead"),
    "command.withdraw": ("thu hồi văn bản", "withdraw a directive"),
    "command.send_reminder": ("đôn đốc", "send a reminder"),
    "command.request_explanation": ("yêu cầu giải trình", "ask for an explanation"),
    "command.give_explanation": ("giải trình", "give an explanation"),
    "command.manage_units": ("quản lý danh mục đơn vị", "manage the units"),
    "command.manage_users": ("quản lý tài khoản", "manage accounts"),
    "command.erase_personal_data": ("xóa dữ liệu cá nhân", "erase personal data"),
    "command.manage_calendar": ("quản lý lịch ngày làm việc", "manage the working-day calendar"),
    # --- the rules no page had words for: they said the API's English title instead
    "rule.duplicate-unit": ("Đã có đơn vị mang mã này.", "A unit with this code already exists."),
    "rule.invalid-unit": ("Thông tin đơn vị không hợp lệ.", "The unit's fields are malformed."),
    "rule.invalid-attachment": (
        "Tệp đính kèm không được ghi đúng cách.",
        "An attachment is not named as it must be.",
    ),
    "rule.user-not-found": ("Không có tài khoản này.", "There is no such account."),
    "rule.invalid-saved-view": ("Không lưu được bộ lọc.", "The view cannot be saved."),
    "rule.saved-view-not-found": ("Không có bộ lọc đã lưu này.", "There is no such saved view."),
    "rule.invalid-swap": (
        "Hoán đổi ngày làm việc không hợp lệ.",
        "A swap makes a working day a day off and a day off a working day.",
    ),
    "rule.swap-not-found": (
        "Không có hoán đổi ngày làm việc này.",
        "No swap in force makes this day a day off.",
    ),
    "rule.outside-calendar": (
        "Ngày nằm ngoài lịch ngày làm việc.",
        "The day is outside the working-day calendar.",
    ),
    "rule.duplicate-user": ("Đã có tài khoản này.", "This account already exists."),
    "rule.invalid-user": (
        "Thông tin tài khoản không hợp lệ.",
        "The account's fields are malformed.",
    ),
    "rule.account-disabled": ("Tài khoản đã bị khóa.", "The account is disabled."),
    "rule.person-erased": (
        "Dữ liệu cá nhân của người này đã bị xóa.",
        "This person's personal data was erased.",
    ),
    "rule.nothing-to-erase": (
        "Không có dữ liệu cá nhân nào để xóa.",
        "There is no personal data to erase.",
    ),
    "rule.unauthenticated": ("Vui lòng đăng nhập trước.", "Please sign in first."),
    "rule.sign-in-failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "rule.too-many-sign-ins": (
        "Quá nhiều lần đăng nhập sai; vui lòng thử lại sau.",
        "Too many failed sign-ins; please try again later.",
    ),
    "rule.method-not-allowed": (
        "Trang này không nhận yêu cầu kiểu này.",
        "This page does not take this kind of request.",
    ),
    "rule.body-too-large": (
        "Nội dung gửi lên quá lớn (trên 1 MiB).",
        "What was sent is over 1 MiB.",
    ),
    "rule.unsupported-media-type": (
        "Nội dung gửi lên không phải một biểu mẫu.",
        "What was sent is not a form.",
    ),
    "rule.malformed-json": ("Nội dung gửi lên không đọc được.", "What was sent cannot be read."),
    "rule.length-required": (
        "Yêu cầu cần cho biết độ dài nội dung.",
        "The request must say how long its body is.",
    ),
    "rule.signing-refused": (
        "Không ký được điểm kiểm tra: nhật ký không còn khớp với điểm kiểm tra đã công bố. Hãy chạy "
        "kiểm tra toàn vẹn.",
        "The checkpoint was not signed: the log no longer matches the checkpoints published. Run "
        "the integrity check.",
    ),
    "rule.empty-log": (
        "Nhật ký còn trống: chưa có gì để ký.",
        "The log is empty: there is nothing to sign.",
    ),
    "rule.idempotency-key-reused": (
        "Khóa chống gửi trùng này đã dùng cho một yêu cầu khác.",
        "This idempotency key was used for another request.",
    ),
    "rule.idempotency-key-busy": (
        "Yêu cầu đầu tiên vẫn đang chạy; vui lòng gửi lại sau.",
        "The first request is still running; please send it again later.",
    ),
    "rule.invalid-idempotency-key": (
        "Khóa chống gửi trùng dài từ 1 đến 255 ký tự.",
        "An idempotency key is 1-255 characters.",
    ),
    "rule.domain-error": ("Yêu cầu vi phạm một quy tắc.", "The request broke a rule."),
    # --- the parameters of the pages' addresses and forms, named in the fields to correct
    "param.label.as_of": ("Ngày xem số liệu", "As of"),
    "param.label.issuer": ("Cơ quan ban hành", "Issuer"),
    "param.label.urgency": ("Độ khẩn", "Urgency"),
    "param.label.issued": ("Kỳ ban hành", "Issued in"),
    "param.label.due": ("Kỳ đến hạn", "Due in"),
    "param.label.basis": ("Căn cứ thời hạn", "Deadline basis"),
    "param.label.category": ("Loại", "Category"),
    "param.label.q": ("Từ khóa tìm kiếm", "Search words"),
    "param.label.actor": ("Người thực hiện", "Actor"),
    "param.label.directive": ("Số hiệu văn bản", "Directive reference"),
    "param.label.action": ("Hành động", "Action"),
    "param.label.from": ("Từ", "From"),
    "param.label.to": ("Đến", "To"),
    "param.label.order": ("Thứ tự", "Order"),
    "param.label.after": ("Sau vị trí", "After position"),
    "param.label.before": ("Trước vị trí", "Before position"),
    "param.label.limit": ("Số dòng", "Rows"),
    "param.label.position": ("Vị trí bản ghi", "Record position"),
    "param.label.size": ("Kích thước cây", "Tree size"),
    "param.label.version": ("Phiên bản", "Version"),
    "param.label.n": ("Lần", "Number"),
    "param.label.ref": ("Số hiệu văn bản", "Directive reference"),
    "param.label.code": ("Mã đơn vị", "Unit code"),
    "param.label.kind": ("Loại tệp", "Kind of file"),
    "param.label.lang": ("Ngôn ngữ", "Language"),
    "param.label.next": ("Trang tiếp theo", "Next page"),
    "param.label.back": ("Trang quay lại", "Page to go back to"),
    "param.label.done": ("Việc vừa làm", "What was done"),
    "param.label.at": ("Thời điểm", "Moment"),
    "param.label.cursor": ("Con trỏ trang", "Page cursor"),
    "param.label.unit": ("Đơn vị", "Unit"),
    "param.label.role": ("Vai trò của đơn vị", "The unit's role"),
    "param.label.sort": ("Sắp xếp theo", "Sort by"),
    "param.label.due_from": ("Hạn từ ngày", "Due from"),
    "param.label.due_to": ("Hạn đến ngày", "Due by"),
    "param.label.window": ("Số ngày", "Days"),
    "param.label.due_soon_days": ("Số ngày sắp đến hạn", "Days counted as due soon"),
    "param.label.deadline_from": ("Hạn từ ngày", "Deadline from"),
    "param.label.deadline_to": ("Hạn đến ngày", "Deadline to"),
    # --- petitions: their rules
    "rule.petition-not-found": ("Không có đơn này.", "There is no such petition."),
    "rule.duplicate-receipt": ("Mã biên nhận này đã được cấp.", "This receipt code was given."),
    "rule.invalid-petition": (
        "Nội dung tiếp nhận chưa đủ để ghi nhận là một đơn.",
        "What was received cannot be recorded as a petition.",
    ),
    "rule.invalid-person": (
        "Thông tin người gửi đơn chưa đúng.",
        "The petitioner's details are not right.",
    ),
    "rule.not-our-agency": (
        "Chỉ cán bộ của cơ quan đang giữ đơn được làm việc này.",
        "Only an officer of the agency that holds the petition may do this.",
    ),
    "rule.not-handler": (
        "Chỉ cán bộ được giao giải quyết hoặc thủ trưởng cơ quan được làm việc này.",
        "Only the officer assigned to the petition, or the head of the agency, may do this.",
    ),
    "rule.petition-closed": (
        "Đơn đã kết thúc xử lý; không thực hiện thêm bước nào.",
        "The petition is closed; it takes no further step.",
    ),
    "rule.same-matter": (
        "Hai hồ sơ cùng vụ việc được liên kết một lần, bởi cơ quan đang giữ hồ sơ sau, và chỉ "
        "bỏ liên kết ở nơi đã đánh dấu; chỉ trả lời bằng kết quả đã có.",
        "Two filings of one matter are linked once, by the agency holding the later one, and "
        "unlinked only where the link was made; only an existing result answers a repeat.",
    ),
    "rule.wrong-step": (
        "Đơn chưa ở bước này.",
        "The petition is not at this step.",
    ),
    "rule.competence": (
        "Quyết định không phù hợp với thẩm quyền đã phân loại.",
        "The decision does not fit the competence the petition was classified with.",
    ),
    "rule.transferred-once": (
        "Đơn cùng nội dung chỉ được chuyển một lần.",
        "A petition with the same content is transferred only once.",
    ),
    "rule.ground": (
        "Lý do không thụ lý không phù hợp.",
        "The ground for not accepting does not fit.",
    ),
    "rule.filing-limit": (
        "Đơn khiếu nại đã quá thời hiệu.",
        "The complaint came after the time limit.",
    ),
    "rule.extension-limit": (
        "Đã hết số lần gia hạn luật cho phép.",
        "The law allows no further extension.",
    ),
    "rule.dialogue": (
        "Chỉ đối thoại khi giải quyết khiếu nại.",
        "A dialogue is held on a complaint.",
    ),
    "rule.outcome": (
        "Kết quả không phù hợp với loại đơn.",
        "The result does not fit the kind of petition.",
    ),
    # --- petitions: their terms
    "petition.kind.complaint": ("Khiếu nại", "Complaint"),
    "petition.kind.denunciation": ("Tố cáo", "Denunciation"),
    "petition.kind.proposal": ("Kiến nghị, phản ánh", "Proposal or feedback"),
    "petition.kind.mixed": ("Đơn có nhiều nội dung", "Mixed"),
    "petition.kind.None": ("Chưa phân loại", "Not classified"),
    "petition.status.received": (
        "Đã tiếp nhận, chờ phân loại",
        "Received, awaiting classification",
    ),
    "petition.status.classified": ("Đã phân loại, chờ xử lý", "Classified, awaiting a decision"),
    "petition.status.in_handling": ("Đang giải quyết", "Being handled"),
    "petition.status.resolved": ("Đã có kết quả giải quyết", "Resolved"),
    "petition.status.guided": ("Đã hướng dẫn", "Guided"),
    "petition.status.transferred": ("Đã chuyển đơn", "Transferred"),
    "petition.status.not_accepted": ("Không thụ lý", "Not accepted"),
    "petition.status.archived": ("Lưu đơn", "Archived"),
    "petition.status.withdrawn": ("Đã rút đơn", "Withdrawn"),
    "petition.competence.ours": ("Thuộc thẩm quyền", "Ours to handle"),
    "petition.competence.city_agency": (
        "Thuộc thẩm quyền cơ quan khác của Thành phố",
        "Another agency of the city",
    ),
    "petition.competence.outside_city": ("Ngoài Thành phố", "Outside the city"),
    "petition.competence.None": ("Chưa xác định", "Not yet determined"),
    "petition.verdict.right": ("Đúng", "Right"),
    "petition.verdict.partly_right": ("Đúng một phần", "Partly right"),
    "petition.verdict.wrong": ("Sai", "Wrong"),
    "petition.verdict.answered": ("Đã trả lời", "Answered"),
    # --- petitions: each case of their rules
    "refusal.petition-not-found.unknown": (
        "Không có đơn {receipt}.",
        "There is no petition {receipt}.",
    ),
    "refusal.duplicate-receipt.used": (
        "Mã biên nhận {receipt} đã được cấp.",
        "The receipt code {receipt} was already given.",
    ),
    "refusal.invalid-petition.receipt_code": (
        "Mã biên nhận có dạng {example}, không phải “{given}”.",
        "A receipt code looks like {example}, not “{given}”.",
    ),
    "refusal.invalid-petition.received_in_future": (
        "Không thể ghi ngày {received_on}, sau hôm nay ({today}).",
        "The day {received_on} is after today ({today}).",
    ),
    "refusal.invalid-petition.signers": (
        "Số người ký ({signers}) ít hơn số người gửi đơn đã ghi ({named}).",
        "{signers} signers is fewer than the {named} petitioners named.",
    ),
    "refusal.invalid-petition.no_petitioner": (
        "Đơn chưa có người gửi: nếu là đơn nặc danh, hãy đánh dấu nặc danh.",
        "The petition names no one: if it is anonymous, mark it anonymous.",
    ),
    "refusal.invalid-petition.anonymous_named": (
        "Đơn nặc danh không ghi tên người gửi.",
        "An anonymous petition names no petitioner.",
    ),
    "refusal.invalid-petition.known_after_receipt": (
        "Ngày biết được quyết định ({known_on}) sau ngày nhận đơn ({received_on}).",
        "The decision was known on {known_on}, after the petition was received on {received_on}.",
    ),
    "refusal.invalid-petition.previous_unknown": (
        "Không có đơn trước {receipt} để liên kết.",
        "There is no earlier petition {receipt} to follow.",
    ),
    "refusal.invalid-petition.previous_is_self": (
        "Đơn không thể liên kết với chính nó.",
        "A petition cannot follow itself.",
    ),
    "refusal.invalid-petition.other_unknown": (
        "Không có hồ sơ {receipt}.",
        "There is no petition {receipt}.",
    ),
    "refusal.same-matter.self": (
        "Hồ sơ {receipt} không thể cùng vụ việc với chính nó.",
        "{receipt} cannot be the same matter as itself.",
    ),
    "refusal.same-matter.linked": (
        "Hồ sơ {receipt} đã được đánh dấu cùng vụ việc với hồ sơ {earlier}.",
        "{receipt} is already marked as the same matter as {earlier}.",
    ),
    "refusal.same-matter.not_linked": (
        "Hồ sơ {receipt} không được đánh dấu cùng vụ việc với hồ sơ {earlier}.",
        "{receipt} is not marked as the same matter as {earlier}.",
    ),
    "refusal.same-matter.answered": (
        "Hồ sơ {receipt} đã được trả lời bằng kết quả của hồ sơ {earlier}; liên kết được giữ.",
        "{receipt} was answered with the result of {earlier}: the link stays.",
    ),
    "refusal.same-matter.not_resolved": (
        "Hồ sơ {earlier} chưa có kết quả giải quyết để trả lời hồ sơ {receipt}.",
        "{earlier} has no result yet to answer {receipt} with.",
    ),
    "refusal.same-matter.first_round": (
        "Hồ sơ {earlier} mới giải quyết lần đầu: khiếu nại tiếp theo là khiếu nại lần hai, "
        "phải được giải quyết, không trả lời bằng kết quả lần đầu.",
        "{earlier} was decided at first round: a complaint after it is the second round, to "
        "be handled, not answered with the first.",
    ),
    "refusal.invalid-petition.attachment": (
        "Tệp đính kèm được ghi bằng mã băm sha256:<64 ký tự>, không phải “{digest}”.",
        "An attachment is named by its digest, sha256:<64 hex>, not “{digest}”.",
    ),
    "refusal.not-our-agency.holder": (
        "Đơn {receipt} do {agency} đang giữ, không phải {unit}.",
        "{receipt} is held by {agency}, not {unit}.",
    ),
    "refusal.not-handler.handler": (
        "Đơn {receipt} do {handler} giải quyết, không phải {user}.",
        "{receipt} is handled by {handler}, not {user}.",
    ),
    "refusal.petition-closed.closed": (
        "Đơn {receipt} đã kết thúc ({status}).",
        "{receipt} is closed ({status}).",
    ),
    "refusal.wrong-step.not_classified": (
        "Đơn {receipt} cần được phân loại trước khi xử lý.",
        "{receipt} must be classified before a decision is taken on it.",
    ),
    "refusal.wrong-step.decided": (
        "Đơn {receipt} đã được xử lý; không phân loại lại được.",
        "{receipt} was already decided on; it can no longer be classified.",
    ),
    "refusal.wrong-step.not_in_handling": (
        "Đơn {receipt} không ở bước giải quyết (hiện: {status}).",
        "{receipt} is not being handled (it is {status}).",
    ),
    "refusal.wrong-step.not_resolved": (
        "Đơn {receipt} chưa có kết quả để công khai.",
        "{receipt} has no result to publish yet.",
    ),
    "refusal.wrong-step.no_result": (
        "Đơn {receipt} chưa có kết quả giải quyết: chưa có văn bản kết quả.",
        "{receipt} has no result yet: there is no document of it.",
    ),
    "refusal.wrong-step.published": (
        "Kết quả đơn {receipt} đã được công khai.",
        "The result of {receipt} is already published.",
    ),
    "refusal.wrong-step.suspended": (
        "Việc giải quyết đơn {receipt} đang tạm đình chỉ từ ngày {since}: hãy cho tiếp tục trước.",
        "The handling of {receipt} is suspended since {since}: resume it first.",
    ),
    "refusal.wrong-step.not_suspended": (
        "Việc giải quyết đơn {receipt} không bị tạm đình chỉ.",
        "The handling of {receipt} is not suspended.",
    ),
    "refusal.competence.not_ours": (
        "Đơn {receipt} đã phân loại là không thuộc thẩm quyền ({competence}): hãy hướng dẫn "
        "hoặc chuyển đơn.",
        "{receipt} was classified as not ours to handle ({competence}): guide or transfer it.",
    ),
    "refusal.competence.ours": (
        "Đơn {receipt} thuộc thẩm quyền: hãy thụ lý, hoặc phân loại lại.",
        "{receipt} is ours to handle: accept it, or classify it again.",
    ),
    "refusal.competence.target_needed": (
        "Hãy ghi cơ quan hoặc tổ chức nhận đơn.",
        "Say which agency or body the petition goes to.",
    ),
    "refusal.competence.same_agency": (
        "Đơn {receipt} đang ở {agency}.",
        "{receipt} is already at {agency}.",
    ),
    "refusal.competence.outside_in_city": (
        "Đơn {receipt} thuộc thẩm quyền cơ quan khác của Thành phố: hãy chọn cơ quan đó.",
        "{receipt} is for another agency of the city: name that agency.",
    ),
    "refusal.transferred-once.transferred": (
        "Đơn {receipt} đã được chuyển một lần (từ {agency}): hãy hướng dẫn công dân hoặc xử lý "
        "tại đây.",
        "{receipt} was already transferred once (from {agency}): guide the petitioner or "
        "decide on it here.",
    ),
    "refusal.ground.kind": (
        "Lý do này không áp dụng cho đơn loại {kind}.",
        "This ground does not apply to a petition of kind {kind}.",
    ),
    "refusal.ground.within_limit": (
        "Đơn gửi sau {days} ngày kể từ khi biết quyết định, vẫn trong thời hiệu {limit} ngày.",
        "The complaint came {days} days after the decision was known, within the {limit} days "
        "allowed.",
    ),
    "refusal.ground.not_yet_law": (
        "Lý do “{ground}” chỉ áp dụng cho đơn nhận từ ngày {since}.",
        "The ground “{ground}” applies only to petitions received from {since}.",
    ),
    "refusal.filing-limit.late": (
        "Đơn gửi sau {days} ngày kể từ khi biết quyết định, quá thời hiệu {limit} ngày: hãy ghi "
        "lý do khách quan, hoặc không thụ lý.",
        "The complaint came {days} days after the decision was known, past the {limit} days "
        "allowed: record the obstacle that excuses it, or do not accept it.",
    ),
    "refusal.extension-limit.none": (
        "Thời hạn giải quyết đơn loại {kind} không được gia hạn.",
        "The handling term of a petition of kind {kind} cannot be extended.",
    ),
    "refusal.extension-limit.used": (
        "Đơn {receipt} đã gia hạn {allowed} lần, đủ số lần luật cho phép.",
        "{receipt} has had the {allowed} extension(s) the law allows.",
    ),
    "refusal.dialogue.kind": (
        "Chỉ đối thoại khi giải quyết khiếu nại, không phải đơn loại {kind}.",
        "A dialogue is held on a complaint, not on a petition of kind {kind}.",
    ),
    "refusal.outcome.verdict": (
        "Đơn loại {kind} không có kết quả “{verdict}”.",
        "A petition of kind {kind} is not resolved as “{verdict}”.",
    ),
    "refusal.invalid-person.id_number": (
        "Số định danh cá nhân gồm đúng 12 chữ số.",
        "A personal identification number has exactly 12 digits.",
    ),
    "refusal.invalid-person.name_needed": (
        "Người gửi đơn có ký tên cần ghi họ và tên.",
        "A petitioner who signs needs a full name.",
    ),
    "refusal.invalid-file.empty": ("Tệp rỗng, không có nội dung.", "The file is empty."),
    "refusal.invalid-file.too_large": (
        "Tệp nặng {size} byte, vượt mức {limit} byte cho phép.",
        "The file is {size} bytes, more than the {limit} allowed.",
    ),
    "refusal.invalid-file.kind": (
        "Nội dung tệp không thuộc loại được nhận ({kinds}).",
        "The file's content is none of the kinds accepted ({kinds}).",
    ),
    "refusal.invalid-file.name": (
        "Tên tệp “{name}” không khớp nội dung, là tệp {kind} (đuôi {expected}).",
        "“{name}” is named as another kind than its content, a {kind} ({expected}).",
    ),
    "refusal.invalid-file.not_pdf": (
        "Văn bản đã ký được nộp dưới dạng PDF, không phải {kind}.",
        "The signed directive is filed as a PDF, not a {kind}.",
    ),
    "refusal.invalid-file.not_stored": (
        "Chưa tải lên tệp có mã băm {digest}: hãy tải lên trước.",
        "No file with the digest {digest} was uploaded: upload it first.",
    ),
    "refusal.invalid-file.digest": (
        "Tệp được ghi bằng mã băm sha256: và 64 chữ số hệ 16, không phải “{digest}”.",
        "A file is named by its digest, sha256: and 64 hex digits, not “{digest}”.",
    ),
    "refusal.file-not-found.unknown": (
        "Văn bản {reference} không có tệp {digest}.",
        "{reference} has no file {digest}.",
    ),
    "refusal.file-not-found.not_yet": (
        "Lúc {at}, văn bản {reference} chưa có tệp {digest}: tệp được nộp sau đó.",
        "{reference} had no file {digest} at {at}: it was filed later.",
    ),
    "refusal.file-not-found.bytes_missing": (
        "Kho tệp không còn nội dung của tệp {digest}.",
        "The bytes of {digest} are not in the file store.",
    ),
    "refusal.invalid-unit.no_predecessor": (
        "Một lần sắp xếp phải chấm dứt ít nhất một đơn vị.",
        "A reorganisation ends at least one unit.",
    ),
    "refusal.invalid-unit.committee": (
        "{code} là chính Ủy ban, không chấm dứt.",
        "{code} is the committee itself, which never ends.",
    ),
    "refusal.invalid-unit.own_successor": (
        "{code} không thể kế thừa chính mình.",
        "{code} cannot succeed itself.",
    ),
    "refusal.invalid-unit.split_in_two": (
        "{code} chỉ chia tách thành hai đơn vị trở lên.",
        "{code} splits into two or more units.",
    ),
    "refusal.invalid-unit.in_future": (
        "Việc sắp xếp có hiệu lực chậm nhất vào ngày ghi nhận ({today}), không phải {effective_on}.",
        "A reorganisation takes effect by the day it is recorded ({today}), not on {effective_on}.",
    ),
    "refusal.invalid-user.same_profile": (
        "Tài khoản {username} đã có họ tên và chức danh này.",
        "{username} already has this name and title.",
    ),
    "refusal.not-participant.not_participant": (
        "{unit} không chủ trì, không phối hợp thực hiện văn bản {reference}: "
        "không tham gia thảo luận.",
        "{unit} neither leads nor coordinates {reference}, so it takes no part in its discussion.",
    ),
    "refusal.no-such-comment.unknown": (
        "Văn bản {reference} không có ý kiến số {number} để trả lời.",
        "{reference} has no comment {number} to reply to.",
    ),
    # --- the digital-transformation index (domain.dti)
    "refusal.invalid-framework.not_json": (
        "Tệp bộ chỉ số không phải JSON hợp lệ (dòng {line}, cột {column}).",
        "The framework file is not JSON (line {line}, column {column}).",
    ),
    "refusal.invalid-framework.too_deep": (
        "Tệp bộ chỉ số lồng nhau quá {limit} cấp.",
        "The framework file nests deeper than {limit} levels.",
    ),
    "refusal.invalid-framework.repeated_key": (
        "Khóa {given} xuất hiện hai lần trong cùng một đối tượng.",
        "The key {given} is given twice in one object.",
    ),
    "refusal.invalid-framework.too_large": (
        "Tệp bộ chỉ số dài {size} byte, quá mức {limit} byte cho phép.",
        "The framework file is {size} bytes, more than the {limit} allowed.",
    ),
    "refusal.invalid-framework.format": (
        "{at} ghi định dạng {given}; phiên bản này đọc định dạng {expected}.",
        "{at} names the format {given}; this version reads {expected}.",
    ),
    "refusal.invalid-framework.missing": ("Thiếu mục {at}.", "{at} is missing."),
    "refusal.invalid-framework.unknown": (
        "Mục {at} không thuộc định dạng tệp bộ chỉ số.",
        "{at} is not a field of the format.",
    ),
    "refusal.invalid-framework.not_object": (
        "Mục {at} phải là một đối tượng (trong dấu {{ }}).",
        "{at} must be an object.",
    ),
    "refusal.invalid-framework.not_list": (
        "Mục {at} phải là một danh sách (trong dấu [ ]).",
        "{at} must be a list.",
    ),
    "refusal.invalid-framework.not_text": ("Mục {at} phải là văn bản.", "{at} must be text."),
    "refusal.invalid-framework.not_whole": (
        "Mục {at} phải là số nguyên.",
        "{at} must be a whole number.",
    ),
    "refusal.invalid-framework.not_number": (
        "Mục {at} phải là một số, tối đa {places} chữ số thập phân.",
        "{at} must be a number with at most {places} decimal places.",
    ),
    "refusal.invalid-framework.not_bool": (
        "Mục {at} chỉ nhận true (có) hoặc false (không).",
        "{at} must be true or false.",
    ),
    "refusal.invalid-framework.empty": ("Danh sách {at} đang trống.", "{at} lists nothing."),
    "refusal.invalid-framework.too_many": (
        "Danh sách {at} có {count} mục, quá mức {limit} cho phép.",
        "{at} lists {count} items, more than the {limit} allowed.",
    ),
    "refusal.invalid-framework.code": (
        "{at}: mã chỉ gồm chữ cái, chữ số, dấu chấm và gạch ngang; {given} không hợp lệ.",
        "{at}: a code is letters, digits, dots and dashes, not {given}.",
    ),
    "refusal.invalid-framework.index_key": (
        "{at}: tên bộ chỉ số gồm chữ thường không dấu, chữ số và gạch ngang; {given} không hợp lệ.",
        "{at}: an index is named in lower-case letters, digits and dashes, not {given}.",
    ),
    "refusal.invalid-framework.duplicate": (
        "{at}: mã {given} xuất hiện hai lần.",
        "{at}: the code {given} is given twice.",
    ),
    "refusal.invalid-framework.period": (
        "{at}: kỳ đánh giá là một năm từ {first} đến {last}, không phải {given}.",
        "{at}: a period is a year from {first} to {last}, not {given}.",
    ),
    "refusal.invalid-framework.version": (
        "{at}: phiên bản là số nguyên từ 1 trở lên, không phải {given}.",
        "{at}: a version is a whole number from 1, not {given}.",
    ),
    "refusal.invalid-framework.not_positive": (
        "{at} phải lớn hơn 0, không phải {given}.",
        "{at} must be more than 0, not {given}.",
    ),
    "refusal.invalid-framework.negative": (
        "{at} không được âm ({given}).",
        "{at} must be 0 or more, not {given}.",
    ),
    "refusal.invalid-framework.group": (
        "{at}: {given} không phải khối đơn vị (departments: sở, ban, ngành; localities: "
        "phường, xã, đặc khu; others: đơn vị khác).",
        "{at}: {given} is not a group of units (departments, localities, others).",
    ),
    "refusal.invalid-framework.group_twice": (
        "{at}: khối {given} được khai báo hai lần.",
        "{at}: the group {given} is given twice.",
    ),
    "refusal.invalid-framework.kind": (
        "{at}: {given} không phải cách chấm điểm (scale: thang điểm; yes_no: có/không; "
        "share: tỷ lệ; thresholds: mốc số lượng).",
        "{at}: {given} is not a scoring rule (scale, yes_no, share, thresholds).",
    ),
    "refusal.invalid-framework.max_sum": (
        "{at}: tổng điểm tối đa của các thành phần là {total}, khác {given}.",
        "{at}: its parts' maxima add up to {total}, not {given}.",
    ),
    "refusal.invalid-framework.scale_ends": (
        "{at}: hai đầu thang điểm (zero_at, full_at) phải khác nhau.",
        "{at}: a scale's zero_at and full_at must differ.",
    ),
    "refusal.invalid-framework.share_full": (
        "{at}: tỷ lệ đạt điểm tối đa (full_at) lớn hơn 0 và không quá 1, không phải {given}.",
        "{at}: a share's full_at is above 0 and at most 1, not {given}.",
    ),
    "refusal.invalid-framework.not_for_rule": (
        "{at} không dùng cho cách chấm điểm {kind}.",
        "{at} is not a setting of a {kind} rule.",
    ),
    "refusal.invalid-framework.steps": (
        "{at}: các mốc phải tăng dần, cả số lượng (at_least) lẫn điểm (points).",
        "{at}: thresholds rise: each at_least and each points above the one before.",
    ),
    "refusal.invalid-framework.step_over": (
        "{at}: một mốc cho {given} điểm, quá điểm tối đa {most} của chỉ số thành phần.",
        "{at}: a threshold gives {given} points, more than the component's {most}.",
    ),
    "refusal.invalid-framework.bands_start": (
        "{at}: mức xếp loại đầu tiên bắt đầu từ 0, không phải {given}.",
        "{at}: the first band starts at 0, not {given}.",
    ),
    "refusal.invalid-framework.bands_rise": (
        "{at}: mỗi mức xếp loại phải bắt đầu cao hơn mức trước.",
        "{at}: each band starts above the one before.",
    ),
    "refusal.invalid-framework.band_over": (
        "{at}: mức xếp loại bắt đầu từ {given}, cao hơn điểm tối đa {most} của khối.",
        "{at}: a band starts at {given}, above the group's maximum {most}.",
    ),
    "refusal.invalid-framework.measure": (
        "{at}: {given} không phải số liệu Thucthi đo được ({names}).",
        "{at}: {given} is not a measure of Thucthi ({names}).",
    ),
    "refusal.invalid-framework.not_for_measure": (
        "{at} không dùng cho số liệu đo {name}.",
        "{at} is not a setting of the measure {name}.",
    ),
    "refusal.invalid-framework.basis": (
        "{at}: {given} không phải thời hạn để đối chiếu (in_force: thời hạn đang áp dụng; "
        "original: thời hạn ban đầu).",
        "{at}: {given} is not a deadline to judge by (in_force, original).",
    ),
    "refusal.invalid-framework.measure_rule": (
        "{at}: số liệu đo {name} không chấm được theo cách {kind} (tỷ lệ chấm theo share; "
        "số ngày theo scale hoặc thresholds).",
        "{at}: the measure {name} is not scored by a {kind} rule (a share by share; "
        "days by scale or thresholds).",
    ),
    "refusal.invalid-framework.measure_not_automatic": (
        "{at}: chỉ số thành phần do Thucthi đo là chỉ số tự động, không thể đặt false.",
        "{at}: a measured component is automatic; it cannot be false.",
    ),
    "refusal.framework-not-found.unknown": (
        "Chưa ban hành bộ chỉ số {index}.",
        "No index {index} has been published.",
    ),
    "refusal.framework-not-found.no_version": (
        "Bộ chỉ số {index} không có phiên bản {version}.",
        "{index} has no version {version}.",
    ),
    "refusal.framework-not-found.no_group": (
        "Phiên bản {version} của bộ chỉ số {index} không có khối {group}.",
        "{index} version {version} has no group {group}.",
    ),
    "refusal.framework-version.first": (
        "Phiên bản đầu tiên của bộ chỉ số {index} là 1, không phải {version}.",
        "The first version of {index} is 1, not {version}.",
    ),
    "refusal.framework-version.not_next": (
        "Bộ chỉ số {index} đang ở phiên bản {latest}: bản sửa đổi là phiên bản {expected}, "
        "không phải {version}.",
        "{index} is at version {latest}: a revision is version {expected}, not {version}.",
    ),
    "refusal.assessment-not-found.unknown": (
        "Không có kết quả tự đánh giá {key}.",
        "No assessment {key}.",
    ),
    "refusal.assessment-not-found.key": (
        "Kết quả tự đánh giá được gọi theo dạng bộ chỉ số~phiên bản~năm~đơn vị, ví dụ {example}; "
        "{given} không đúng dạng.",
        "An assessment is named index~version~period~unit, like {example}, not {given}.",
    ),
    "refusal.assessment-exists.started": (
        "Kỳ tự đánh giá {key} đã được mở.",
        "{key} was already started.",
    ),
    "refusal.invalid-assessment.period_before": (
        "Phiên bản {version} của bộ chỉ số {index} đánh giá từ năm {first}, không áp dụng cho "
        "năm {period}.",
        "{index} version {version} assesses periods from {first}, not {period}.",
    ),
    "refusal.invalid-assessment.period_future": (
        "Kỳ đánh giá năm {period} chưa bắt đầu.",
        "The period {period} has not begun.",
    ),
    "refusal.invalid-assessment.committee": (
        "{unit} là UBND Thành phố, không thuộc diện đánh giá.",
        "{unit} is the committee itself, which is not assessed.",
    ),
    "refusal.invalid-assessment.unknown_component": (
        "{component} không phải chỉ số thành phần của bộ chỉ số này.",
        "{component} is not a component of this index.",
    ),
    "refusal.invalid-assessment.automatic": (
        "Chỉ số {component} do Thucthi đo tự động, đơn vị không nhập.",
        "{component} is measured by Thucthi, not entered by the unit.",
    ),
    "refusal.invalid-assessment.not_measured": (
        "Chỉ số {component} không phải chỉ số Thucthi đo.",
        "{component} is not a component Thucthi measures.",
    ),
    "refusal.invalid-assessment.link": (
        "Đường dẫn phải là địa chỉ http(s); {link} không hợp lệ.",
        "A link is an http(s) address, not {link}.",
    ),
    "refusal.invalid-assessment.too_many_links": (
        "{count} đường dẫn là quá mức {limit} cho phép.",
        "{count} links is more than the {limit} allowed.",
    ),
    "refusal.invalid-assessment.nothing_entered": (
        "Chưa nhập số liệu nào: hãy nhập số liệu các chỉ số thành phần trước khi gửi.",
        "Nothing was entered: enter the components' values before submitting.",
    ),
    "refusal.invalid-assessment.working_days": (
        "Thời hạn giải trình từ 1 đến {limit} ngày làm việc, không phải {days}.",
        "The unit is given 1 to {limit} working days to answer, not {days}.",
    ),
    "refusal.invalid-value.yes_no": (
        "Chỉ số {component} nhận 1 (có) hoặc 0 (không), không phải {number}.",
        "{component} is answered 1 (yes) or 0 (no), not {number}.",
    ),
    "refusal.invalid-value.negative": (
        "Chỉ số {component} không nhận số âm ({number}).",
        "{component} takes no value below 0, not {number}.",
    ),
    "refusal.invalid-value.whole": (
        "Chỉ số {component} đếm số nguyên, không phải {number}.",
        "{component} counts whole numbers, not {number}.",
    ),
    "refusal.invalid-value.precision": (
        "Chỉ số {component} nhận tối đa {places} chữ số thập phân và {digits} chữ số.",
        "{component} takes at most {places} decimal places and {digits} digits.",
    ),
    "refusal.invalid-value.no_whole": (
        "Chỉ số {component} là tỷ lệ: hãy nhập cả tổng số (mẫu số).",
        "{component} is a share: give the whole it is a part of.",
    ),
    "refusal.invalid-value.not_share": (
        "Chỉ số {component} không phải tỷ lệ: không nhập tổng số (mẫu số).",
        "{component} is not a share: it takes no whole.",
    ),
    "refusal.invalid-value.whole_zero": (
        "Chỉ số {component} là tỷ lệ trên một tổng số lớn hơn 0, không phải {of}.",
        "{component} is a share of a whole above 0, not {of}.",
    ),
    "refusal.invalid-value.part_over": (
        "Chỉ số {component}: phần {number} lớn hơn tổng số {of}.",
        "{component}: the part {number} is more than the whole {of}.",
    ),
    "refusal.assessment-unit.own": (
        "Chỉ cán bộ của {unit} tự đánh giá cho {unit}.",
        "Only an officer of {unit} assesses {unit}.",
    ),
    "refusal.assessment-unit.appraiser": (
        "Chỉ cơ quan thẩm định ({appraiser}) thẩm định bộ chỉ số này.",
        "Only the appraising body, {appraiser}, appraises this index.",
    ),
    "refusal.assessment-stage.not_open": (
        "Kết quả {key} đang ở bước {stage}: đơn vị không còn sửa được.",
        "{key} is {stage}: the unit no longer changes it.",
    ),
    "refusal.assessment-stage.not_draft": (
        "Kết quả {key} đang ở bước {stage}: chỉ gửi được bản đang tự đánh giá.",
        "{key} is {stage}: only a draft is submitted.",
    ),
    "refusal.assessment-stage.not_submitted": (
        "Kết quả {key} đang ở bước {stage}, không chờ thẩm định.",
        "{key} is {stage}, not awaiting appraisal.",
    ),
    "refusal.assessment-stage.not_returned": (
        "Kết quả {key} đang ở bước {stage}: không bị trả lại để giải trình.",
        "{key} is {stage}: it was not sent back to the unit.",
    ),
    "refusal.assessment-stage.not_appraised": (
        "Kết quả {key} đang ở bước {stage}, chưa thẩm định xong.",
        "{key} is {stage}, not appraised.",
    ),
    "refusal.assessment-stage.not_published": (
        "Kết quả {key} đang ở bước {stage}: chỉ đính chính kết quả đã công bố.",
        "{key} is {stage}: a correction is made to published results.",
    ),
    "refusal.assessment-stage.no_value": (
        "Chỉ số {component} chưa có số liệu để chấp nhận.",
        "{component} has no value for the appraisal to accept.",
    ),
    "refusal.evidence-missing.missing": (
        "Các chỉ số {components} cần minh chứng: hãy bổ sung trước khi gửi.",
        "{components} require evidence: attach it before submitting.",
    ),
    "refusal.nothing-to-publish.none": (
        "Chưa có kết quả đã thẩm định nào của bộ chỉ số {index} phiên bản {version}, năm "
        "{period} chờ công bố.",
        "No appraised assessment of {index} version {version} for {period} awaits publication.",
    ),
}
MESSAGES.update(REFUSALS)
# --- petitions: the receipt and the public look-up (api.web.pages.public)
PUBLIC: dict[str, tuple[str, str]] = {
    "nav.lookup": ("Tra cứu đơn", "Look up a petition"),
    "lookup.title": ("Tra cứu đơn", "Look up a petition"),
    "lookup.lead": (
        "Khiếu nại, tố cáo, kiến nghị, phản ánh",
        "Complaints, denunciations, proposals and feedback",
    ),
    "lookup.intro": (
        "Nhập mã biên nhận in trên giấy biên nhận và 4 chữ số cuối số định danh cá nhân của "
        "người gửi đơn. Trang này chỉ cho biết tình trạng của đơn, bước đang xử lý, thời hạn "
        "và kết quả giải quyết đã được công khai.",
        "Enter the code printed on the receipt and the last 4 digits of the petitioner's "
        "personal identification number. This page tells only the petition's status, the step "
        "it is at, its deadline and the result once published.",
    ),
    "lookup.code": ("Mã biên nhận", "Receipt code"),
    "lookup.digits": (
        "4 chữ số cuối số định danh cá nhân",
        "Last 4 digits of the personal identification number",
    ),
    "lookup.digits.help": (
        "Đơn không ghi số định danh cá nhân (kể cả đơn nặc danh): nhập mã tra cứu 4 chữ số "
        "in trên giấy biên nhận.",
        "A petition with no identification number (an anonymous one too): enter the 4-digit "
        "look-up PIN printed on the receipt.",
    ),
    "lookup.digits.invalid": ("Vui lòng nhập đúng 4 chữ số.", "Please enter exactly 4 digits."),
    "lookup.submit": ("Tra cứu", "Look up"),
    "lookup.not_found": (
        "Không tìm thấy đơn nào có mã biên nhận và 4 chữ số này. Vui lòng kiểm tra lại giấy "
        "biên nhận.",
        "No petition has this receipt code and these 4 digits. Please check the receipt.",
    ),
    "lookup.too_many": (
        "Quá nhiều lần tra cứu không thành công. Vui lòng thử lại sau {wait}.",
        "Too many unsuccessful look-ups. Please try again in {wait}.",
    ),
    "lookup.wait.seconds": ("{n} giây", "{n} seconds"),
    "lookup.wait.minutes": ("{n} phút", "{n} minutes"),
    "lookup.wait.hours": ("{n} giờ", "{n} hours"),
    "lookup.found": ("Tình trạng đơn {code}", "Petition {code}"),
    "lookup.status": ("Tình trạng", "Status"),
    "lookup.step": ("Bước đang xử lý", "Current step"),
    "lookup.agency": ("Cơ quan đang giải quyết", "Agency holding it"),
    "lookup.deadline": ("Thời hạn của bước này", "Deadline of this step"),
    "lookup.term.working": (
        "{days} ngày làm việc, theo {citation}",
        "{days} working days, under {citation}",
    ),
    "lookup.term.days": ("{days} ngày, theo {citation}", "{days} days, under {citation}"),
    "lookup.term.unclassified.working": (
        "{days} ngày làm việc: thời hạn ngắn nhất luật định, cho đến khi đơn được phân loại",
        "{days} working days: the shortest term the law sets, until the petition is classified",
    ),
    "lookup.term.unclassified": (
        "{days} ngày: thời hạn ngắn nhất luật định, cho đến khi đơn được phân loại",
        "{days} days: the shortest term the law sets, until the petition is classified",
    ),
    "lookup.step.received": (
        "Cơ quan đã tiếp nhận đơn, đang phân loại và xem xét thẩm quyền giải quyết.",
        "The agency has received the petition and is classifying it and checking whose it is "
        "to handle.",
    ),
    "lookup.step.classified": (
        "Đơn đã được phân loại; thủ trưởng cơ quan đang quyết định việc xử lý đơn (thụ lý, "
        "hướng dẫn hoặc chuyển đơn).",
        "The petition is classified; the head of the agency is deciding how to process it "
        "(accept it, guide the petitioner, or transfer it).",
    ),
    "lookup.step.in_handling": (
        "Đơn đã được thụ lý và đang được giải quyết (xác minh, làm việc với các bên liên quan).",
        "The petition was accepted and is being handled (verification, meetings with those "
        "concerned).",
    ),
    "lookup.step.resolved": (
        "Đã có kết quả giải quyết, được công khai dưới đây.",
        "A result was issued; it is published below.",
    ),
    "lookup.step.resolved.unpublished": (
        "Đã có kết quả giải quyết; cơ quan gửi văn bản cho người gửi đơn và công khai kết quả "
        "theo quy định.",
        "A result was issued; the agency sends it to the petitioner in writing and publishes "
        "it as the law requires.",
    ),
    "lookup.step.suspended": (
        "Việc giải quyết đang tạm đình chỉ; thời hạn giải quyết dừng lại và được tính tiếp khi "
        "tiếp tục giải quyết.",
        "Handling is suspended; its term stands still and runs on when handling resumes.",
    ),
    "lookup.step.guided": (
        "Đơn không thuộc thẩm quyền của cơ quan; người gửi đơn đã được hướng dẫn đến cơ quan "
        "có thẩm quyền.",
        "The petition is not this agency's to handle; the petitioner was guided to the "
        "competent body.",
    ),
    "lookup.step.transferred": (
        "Đơn đã được chuyển đến cơ quan có thẩm quyền ngoài hệ thống này.",
        "The petition was transferred to a competent body outside this system.",
    ),
    "lookup.step.not_accepted": (
        "Đơn không được thụ lý; cơ quan thông báo lý do bằng văn bản cho người gửi đơn.",
        "The petition was not accepted; the agency tells the petitioner why in writing.",
    ),
    "lookup.step.archived": (
        "Đơn được lưu, không xử lý tiếp.",
        "The petition is filed without further processing.",
    ),
    "lookup.step.withdrawn": (
        "Người gửi đơn đã rút đơn.",
        "The petitioner withdrew the petition.",
    ),
    "lookup.result": ("Kết quả giải quyết", "Result"),
    "lookup.verdict": ("Kết luận", "Finding"),
    "lookup.decision": ("Số, ký hiệu văn bản", "Decision reference"),
    "lookup.resolved_on": ("Ngày ban hành", "Issued on"),
    "lookup.published_on": ("Ngày công khai", "Published on"),
    "lookup.summary": ("Tóm tắt kết quả", "Summary"),
    "lookup.linked": (
        "Kết quả giải quyết đơn cùng nội dung",
        "Results of petitions of the same matter",
    ),
    "lookup.matter": (
        "Kết quả giải quyết vụ việc (đơn cùng nội dung gửi cơ quan khác)",
        "The matter's result (the same matter filed at another agency)",
    ),
    "lookup.answered": (
        "Kết quả giải quyết đã có của vụ việc, dùng để trả lời đơn này",
        "The matter's earlier result, with which this petition was answered",
    ),
    "lookup.answered_by": ("Cơ quan đã giải quyết", "Resolved by"),
    "lookup.answered_on": ("Ngày trả lời", "Answered on"),
    "lookup.step.answered": (
        "Vụ việc đã được giải quyết trước đây và không có tình tiết mới; đơn được trả lời bằng "
        "kết quả giải quyết đã có, ghi dưới đây.",
        "The matter was resolved before and brings no new facts; the petition is answered "
        "with that result, shown below.",
    ),
    "lookup.again": ("Tra cứu đơn khác", "Look up another petition"),
    "lookup.privacy": (
        "Trang tra cứu không hiển thị họ tên, địa chỉ, nội dung đơn hay cán bộ xử lý.",
        "The look-up shows no names, addresses, contents or handling officers.",
    ),
    "receipt.title": ("Giấy biên nhận đơn {code}", "Receipt of petition {code}"),
    "receipt.nation": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
    "receipt.motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
    "receipt.place_day": ("Thành phố Hồ Chí Minh, ngày {day}", "Ho Chi Minh City, {day}"),
    "receipt.heading": ("GIẤY BIÊN NHẬN", "RECEIPT"),
    "receipt.subheading": (
        "Đơn khiếu nại, tố cáo, kiến nghị, phản ánh",
        "Complaint, denunciation, proposal or feedback",
    ),
    "receipt.agency": ("Cơ quan tiếp nhận", "Receiving agency"),
    "receipt.code": ("Mã biên nhận", "Receipt code"),
    "receipt.received_on": ("Ngày nhận", "Received on"),
    "receipt.channel": ("Hình thức tiếp nhận", "How it was received"),
    "receipt.channel.in_person": ("Trực tiếp tại nơi tiếp công dân", "In person, at the reception"),
    "receipt.channel.post": ("Qua đường bưu chính", "By post"),
    "receipt.channel.online": ("Trực tuyến", "Online"),
    "receipt.channel.transferred": (
        "Do cơ quan khác chuyển đến",
        "Transferred from another agency",
    ),
    "receipt.petitioners": ("Người gửi đơn", "Petitioner"),
    "receipt.anonymous": ("Đơn không ghi tên người gửi", "Anonymous: no name given"),
    "receipt.erased": (
        "(thông tin cá nhân đã được xóa theo yêu cầu)",
        "(personal data erased on request)",
    ),
    "receipt.signers": ("Số người ký đơn", "Number of signers"),
    "receipt.subject": ("Trình bày về việc", "About"),
    "receipt.subject.none": ("(không ghi)", "(not given)"),
    "receipt.documents": ("Tài liệu nhận kèm theo", "Documents received"),
    "receipt.documents.count": (
        "Đơn và {n} tài liệu, chứng cứ kèm theo",
        "The petition and {n} attached documents",
    ),
    "receipt.documents.none": ("Đơn, không kèm tài liệu", "The petition, with no attachment"),
    "receipt.term": ("Thời hạn theo quy định", "Term under the law"),
    "receipt.term.due": ("Chậm nhất ngày {day} ({term}).", "By {day} ({term})."),
    "receipt.term.closed": ("Đơn đã xử lý xong: {status}.", "The petition is closed: {status}."),
    "receipt.lookup": ("Tra cứu tình trạng đơn", "Looking the petition up"),
    "receipt.lookup.how": (
        "Quét mã QR hoặc mở {url}, rồi nhập 4 chữ số cuối số định danh cá nhân của người gửi đơn.",
        "Scan the QR code or open {url}, then enter the last 4 digits of the petitioner's "
        "personal identification number.",
    ),
    "receipt.lookup.how_pin": (
        "Quét mã QR hoặc mở {url}, rồi nhập mã tra cứu dưới đây. Vui lòng giữ kín mã này.",
        "Scan the QR code or open {url}, then enter the look-up PIN below. Please keep it to "
        "yourself.",
    ),
    "receipt.pin": ("Mã tra cứu", "Look-up PIN"),
    "receipt.qr": ("Mã QR tra cứu đơn {code}", "QR code to look up petition {code}"),
    "receipt.receiver": ("Người tiếp nhận", "Received by"),
    "receipt.petitioner": ("Người gửi đơn", "Petitioner"),
    "receipt.sign": ("(Ký, ghi rõ họ tên)", "(Signature and full name)"),
    "receipt.print": (
        "In trang này bằng lệnh In của trình duyệt (Ctrl+P), khổ A4.",
        "Print this page with the browser's Print command (Ctrl+P), on A4.",
    ),
}
MESSAGES.update(PUBLIC)

# --- the oversight of petitions: dashboard, queue, list and their exports ------------------------
PETITION_OVERSIGHT: dict[str, tuple[str, str]] = {
    "nav.petitions": ("Đơn thư", "Petitions"),
    "pet.dash.title": ("Tổng hợp đơn thư", "Petitions overview"),
    "pet.dash.sheet": ("Số liệu đơn thư", "Petition figures"),
    "pet.agency": ("Cơ quan", "Agency"),
    "pet.kind": ("Loại đơn", "Kind"),
    "pet.status": ("Tình trạng", "Status"),
    "pet.channel": ("Hình thức tiếp nhận", "How it came in"),
    "pet.receipt": ("Mã biên nhận", "Receipt code"),
    "pet.arrived_on": ("Ngày đến cơ quan", "Arrived on"),
    "pet.due": ("Hạn của bước hiện tại", "Due (the current step's term)"),
    "pet.days_left": ("Số ngày còn lại (âm: quá hạn)", "Days left (negative: overdue)"),
    "pet.days_open": ("Số ngày tại cơ quan", "Days at the agency"),
    "pet.signers": ("Số người ký", "Signers"),
    "pet.relation": ("Liên quan đơn trước", "Follows an earlier petition"),
    "pet.transferred_to": ("Chuyển đến", "Transferred to"),
    "pet.resolved_on": ("Ngày giải quyết", "Resolved on"),
    "pet.on_time": ("Đúng hạn", "On time"),
    "pet.step": ("Việc tiếp theo", "Next step"),
    "pet.step.classify": ("Phân loại đơn", "Classify"),
    "pet.step.decide": ("Quyết định xử lý đơn", "Decide how to process it"),
    "pet.step.handle": ("Giải quyết", "Handle"),
    "pet.notes": ("Ghi chú", "Notes"),
    "pet.received_in": ("Kỳ đến cơ quan", "Arrived in"),
    "pet.tiles": ("Số liệu chính", "Key figures"),
    "pet.decisions": ("Kết quả xử lý đơn", "Processing decisions"),
    "pet.by_agency": ("Theo cơ quan", "By agency"),
    "pet.received_by": ("Đơn tiếp nhận theo loại và hình thức", "Received, by kind and channel"),
    "pet.oldest": ("Đơn tồn đọng lâu nhất", "Oldest open cases"),
    "pet.oldest.empty": ("Không có đơn đang mở.", "No case is open."),
    "pet.empty": ("Chưa có đơn thư.", "No petitions yet."),
    "pet.explain": (
        "Hạn là thời hạn luật định của bước hiện tại (xử lý đơn, rồi giải quyết), tính theo ngày "
        "làm việc khi luật quy định như vậy. Đơn chuyển đến cơ quan khác trong Thành phố được tính "
        "là tiếp nhận ở cả hai cơ quan nhưng chỉ một lần cho Thành phố. Tỷ lệ giải quyết đúng hạn "
        "= đúng hạn ÷ (đúng hạn + quá hạn + đang giải quyết đã quá hạn).",
        "The term is the law's for the current step (processing, then handling), in working days "
        "where the law says so. A petition transferred to another agency of the city counts as "
        "received at both agencies but once for the city. Share handled within the legal time = "
        "on time ÷ (on time + late + in handling past the term).",
    ),
    "pet.due_soon_of": (
        "{count} sắp đến hạn (trong {days} ngày làm việc)",
        "{count} due within {days} working days",
    ),
    "pet.overdue_decision_of": (
        "{count} chưa có quyết định xử lý đơn",
        "{count} still awaiting the processing decision",
    ),
    "pet.still_open": ("{count} còn đang mở", "{count} still open"),
    "pet.second_round_of": ("{count} khiếu nại lần hai", "{count} second-round complaints"),
    "pet.within_city": ("{count} trong Thành phố", "{count} within the city"),
    "pet.fig.received": ("Tiếp nhận", "Received"),
    "pet.fig.accepted": ("Thụ lý", "Accepted"),
    "pet.fig.guided": ("Hướng dẫn", "Guided"),
    "pet.fig.transferred": ("Chuyển đơn", "Transferred"),
    "pet.fig.transferred_within": ("Chuyển trong Thành phố", "Transferred within the city"),
    "pet.fig.not_accepted": ("Không thụ lý", "Not accepted"),
    "pet.fig.archived": ("Lưu đơn", "Archived"),
    "pet.fig.withdrawn": ("Rút đơn", "Withdrawn"),
    "pet.fig.awaiting_decision": ("Chờ xử lý đơn", "Awaiting the decision"),
    "pet.fig.in_handling": ("Đang giải quyết", "In handling"),
    "pet.fig.within_deadline": ("Đang mở, trong hạn", "Open, within the term"),
    "pet.fig.due_soon": ("Sắp đến hạn", "Due soon"),
    "pet.fig.overdue": ("Quá hạn", "Overdue"),
    "pet.fig.days_overdue_total": ("Tổng số ngày quá hạn", "Days overdue in total"),
    "pet.fig.suspended": ("Tạm đình chỉ giải quyết", "Handling suspended"),
    "pet.fig.resolved_on_time": ("Giải quyết đúng hạn", "Resolved on time"),
    "pet.fig.resolved_late": ("Giải quyết quá hạn", "Resolved late"),
    "pet.fig.share_on_time": ("Tỷ lệ giải quyết đúng hạn", "Share handled within the legal time"),
    "pet.fig.many_signers": ("Đơn đông người", "Many signers"),
    "pet.fig.repeated": ("Đơn tái khiếu, tái tố, lặp lại", "Repeated"),
    "pet.fig.second_round": ("Khiếu nại lần hai", "Second-round complaints"),
    "pet.per_filing": (
        "Các số liệu trên tính theo lượt đơn: một vụ việc gửi đến ba cơ quan là ba lượt đơn.",
        "The figures above count filings: a matter filed at three agencies is three filings.",
    ),
    "pet.matters.title": ("Vụ việc và lượt đơn", "Matters and filings"),
    "pet.matters.lead": (
        "Một vụ việc là các lượt đơn được cán bộ đánh dấu cùng vụ việc (kể cả gián tiếp qua "
        "lượt đơn khác), theo các liên kết còn hiệu lực tại thời điểm xem. Mỗi vụ việc được tính "
        "một lần và được đánh giá theo kết quả giải quyết đầu tiên: lượt đơn giải quyết lại hay "
        "được trả lời bằng kết quả đã có không bị tính là quá hạn lần nữa; vụ việc chưa có kết "
        "quả mà có lượt đơn quá hạn được tính là một vụ việc quá hạn.",
        "A matter is the filings officers marked as one matter (directly or through another "
        "filing), under the links standing at the point of view. Each matter counts once and "
        "is judged by its first result: a filing handled again, or answered with the earlier "
        "result, is not counted late a second time; a matter with no result yet and a filing "
        "past its term counts as one overdue matter.",
    ),
    "pet.matter.fig.filings": ("Lượt đơn tiếp nhận", "Filings received"),
    "pet.matter.fig.matters": ("Vụ việc", "Matters"),
    "pet.matter.fig.repeated": ("Vụ việc gửi nhiều lần", "Matters filed more than once"),
    "pet.matter.fig.resolved_on_time": ("Vụ việc giải quyết đúng hạn", "Matters resolved on time"),
    "pet.matter.fig.resolved_late": ("Vụ việc giải quyết quá hạn", "Matters resolved late"),
    "pet.matter.fig.overdue": (
        "Vụ việc quá hạn, chưa có kết quả",
        "Matters overdue with no result yet",
    ),
    "pet.matter.fig.share_on_time": (
        "Tỷ lệ vụ việc giải quyết đúng hạn",
        "Share of matters handled within the legal time",
    ),
    "pet.matter.receipts": ("Lượt đơn trong phạm vi xem", "Filings in view"),
    "pet.matter.filed": ("Số lượt đơn", "Filings"),
    "pet.matter.repeated_times": ("lặp lại ×{count}", "repeated ×{count}"),
    "pet.matter.agencies": ("Các cơ quan đã nhận", "Agencies involved"),
    "pet.matter.first_result": ("Kết quả giải quyết đầu tiên", "First result"),
    "pet.matter.on_time": ("đúng hạn", "on time"),
    "pet.matter.late": ("quá hạn", "late"),
    "pet.matter.no_result": ("Chưa có kết quả", "No result yet"),
    "pet.matter.empty": (
        "Không có vụ việc nào gửi nhiều lần.",
        "No matter was filed more than once.",
    ),
    "pet.matter.more": ("và {count} vụ việc khác", "and {count} more matters"),
    "pet.by_agency.lead": (
        "Mỗi cơ quan được tính theo từng lượt đơn mình giữ, kể cả lượt đơn trùng vụ việc: cơ "
        "quan chịu trách nhiệm về từng hồ sơ của mình. Cột Vụ việc đếm số vụ việc trong các "
        "lượt đơn đó.",
        "Each agency is counted per filing it holds, repeats included: it answers for each of "
        "its cases. The Matters column counts the matters among those filings.",
    ),
    "pet.queue.title": ("Việc cần làm — Đơn thư", "To do — Petitions"),
    "pet.queue.open": ("Đơn đang chờ xử lý", "Open cases"),
    "pet.queue.lead_agency": (
        "Các đơn đang mở của cơ quan, hạn gần nhất trước",
        "The agency's open cases, the nearest deadline first",
    ),
    "pet.queue.lead_handler": (
        "Các đơn được giao cho bạn giải quyết, hạn gần nhất trước",
        "The cases assigned to you, the nearest deadline first",
    ),
    "pet.queue.empty": ("Không có đơn nào đang chờ.", "Nothing is waiting."),
    "pet.list.title": ("Danh sách đơn thư", "Petitions"),
    "pet.list.lead": (
        "Mới đến trước; mỗi đơn một dòng tại cơ quan đang giữ (chọn một cơ quan: mọi đơn của cơ "
        "quan đó, kể cả đơn đã chuyển đi)",
        "Latest first; each petition once, where it is (with an agency chosen: every case of "
        "that agency, those it transferred included)",
    ),
    "pet.list.today": ("Ngày lập", "Made on"),
    "pet.list.empty": ("Không có đơn nào khớp.", "No petition matches."),
    "pet.list.first": ("Về trang đầu", "Back to the first page"),
    "pet.list.overdue_only": ("Chỉ đơn quá hạn", "Overdue only"),
    "pet.list.not_overdue": ("Không quá hạn", "Not overdue"),
    "petition.kind.unclassified": ("Chưa phân loại", "Not classified"),
    "petition.channel.in_person": ("Trực tiếp tại nơi tiếp công dân", "In person"),
    "petition.channel.post": ("Qua bưu chính", "By post"),
    "petition.channel.online": ("Trực tuyến", "Online"),
    "petition.channel.transferred": ("Chuyển đến từ cơ quan khác", "Transferred from elsewhere"),
    "petition.relation.second_round": ("Khiếu nại lần hai", "Second round"),
    "petition.relation.repeat": ("Đơn lặp lại", "Repeat"),
}
MESSAGES.update({k: v for k, v in PETITION_OVERSIGHT.items() if k not in MESSAGES})
# --- petitions: why an earlier filing may be the same matter (domain.petitions.matching.REASONS)
MATCH_REASONS: dict[str, tuple[str, str]] = {
    "match.id.exact": ("Cùng số định danh cá nhân", "The same personal identification number"),
    "match.id.one_typo": (
        "Số định danh cá nhân chỉ khác một chữ số hoặc hai chữ số liền nhau đổi chỗ (có thể ghi nhầm)",
        "A personal identification number one digit off, or two adjacent digits swapped (perhaps mistyped)",
    ),
    "match.name.same": ("Cùng họ tên (không kể dấu)", "The same name (accents aside)"),
    "match.name.similar": ("Họ tên gần giống ({percent}%)", "A similar name ({percent}%)"),
    "match.address.same": ("Cùng địa chỉ", "The same address"),
    "match.address.similar": ("Địa chỉ gần giống ({percent}%)", "A similar address ({percent}%)"),
    "match.content.similar": ("Nội dung đơn tương tự ({percent}%)", "Similar content ({percent}%)"),
    "match.subject.document": (
        "Cùng văn bản bị khiếu nại, phản ánh: {document}",
        "The same document complained of: {document}",
    ),
    "match.subject.document_number": (
        "Cùng số văn bản {document} (một đơn không ghi ký hiệu)",
        "The same document number {document} (one filing gives no symbol)",
    ),
    "match.subject.parcel": (
        "Cùng thửa đất số {parcel}, tờ bản đồ số {sheet}",
        "The same land parcel: parcel {parcel}, map sheet {sheet}",
    ),
    "match.subject.site": ("Cùng địa điểm: {site}", "The same place: {site}"),
    "match.subject.registered": (
        "Trích yếu nội dung gần giống ({percent}%)",
        "A similar registered subject ({percent}%)",
    ),
    "match.subject.differs": (
        "Nêu văn bản, thửa đất hoặc địa điểm khác",
        "Names another document, parcel or place",
    ),
}
MESSAGES.update(MATCH_REASONS)
# The national record of petitions (liên thông, Nghị định 55/2022): the export's words and the
# import's refusals.
MESSAGES.update(
    {
        "lienthong.covered": (
            "Mọi bản ghi của lô này nằm trong điểm kiểm tra số {number} (ký lúc {signed_at}), bao "
            "phủ các sự kiện 1–{last}.",
            "Every record of this batch is within checkpoint no. {number} (signed {signed_at}), "
            "which covers events 1–{last}.",
        ),
        "lienthong.none": (
            "Chưa có điểm kiểm tra nào được ký: lô trống cho đến khi có điểm kiểm tra.",
            "No checkpoint has been signed yet: a batch is empty until one is.",
        ),
        "lienthong.pending": (
            "{pending} sự kiện mới nhất chưa có điểm kiểm tra bao phủ — sẽ có trong lô sau, khi "
            "điểm kiểm tra kế tiếp được ký.",
            "The {pending} newest events are not covered by a checkpoint yet — they come in a "
            "later batch, once the next checkpoint is signed.",
        ),
        "field.source": ("Hệ thống gửi", "Source system"),
        "field.case_id": ("Mã hồ sơ của hệ thống gửi", "The source's case id"),
        "rule.transfer-in-refused": (
            "Hồ sơ do hệ thống khác chuyển đến không thể tiếp nhận ở đây.",
            "A case sent by another system cannot be received here.",
        ),
        "refusal.transfer-in-refused.own_source": (
            "Hồ sơ {case_id} là hồ sơ của chính hệ thống này ({source}).",
            "The case {case_id} is a case of this system itself ({source}).",
        ),
        "refusal.transfer-in-refused.no_agency": (
            "Hồ sơ {case_id} của {source} không ghi cơ quan nào của hệ thống này tiếp nhận: hãy "
            "chỉ định cơ quan (--agency).",
            "The case {case_id} of {source} names no agency of this system to receive it: name "
            "one (--agency).",
        ),
    }
)
# The law's grounds for not accepting or archiving a petition, in the law's words.
MESSAGES.update(
    {
        f"petition.ground.{ground.value}": (label.vi, label.en)
        for ground, label in LABELS.items()
        if isinstance(ground, NotAcceptedGround | ArchiveGround)
    }
)
# --- the digital-transformation index (domain.dti): its rules, commands and terms
MESSAGES.update(
    {
        "rule.invalid-framework": (
            "Tệp bộ chỉ số không đúng định dạng (docs/dti.md).",
            "The framework file does not follow the format (docs/dti.md).",
        ),
        "rule.framework-not-found": ("Không có bộ chỉ số này.", "There is no such index."),
        "rule.framework-version": (
            "Bản sửa đổi của bộ chỉ số là phiên bản kế tiếp; phiên bản cũ được giữ nguyên.",
            "A revision of an index is its next version; the old one stays.",
        ),
        "rule.assessment-not-found": (
            "Không có kết quả tự đánh giá này.",
            "There is no such assessment.",
        ),
        "rule.assessment-exists": (
            "Mỗi đơn vị tự đánh giá một lần cho mỗi phiên bản và mỗi năm.",
            "A unit assesses itself once per version and period.",
        ),
        "rule.invalid-assessment": (
            "Yêu cầu không phù hợp với bộ chỉ số.",
            "What was asked does not fit the index.",
        ),
        "rule.invalid-value": (
            "Số liệu không phù hợp với cách chấm điểm của chỉ số thành phần.",
            "The value does not fit how the component is scored.",
        ),
        "rule.assessment-unit": (
            "Đơn vị chỉ tự đánh giá cho mình; chỉ cơ quan thẩm định mới thẩm định.",
            "A unit assesses only itself, and only the appraising body appraises.",
        ),
        "rule.assessment-stage": (
            "Kết quả tự đánh giá không ở bước của thao tác này.",
            "The assessment is not at the step this belongs to.",
        ),
        "rule.evidence-missing": (
            "Chỉ số thành phần cần minh chứng.",
            "A component requires evidence.",
        ),
        "rule.nothing-to-publish": (
            "Chưa có kết quả đã thẩm định để công bố.",
            "No appraised results await publication.",
        ),
        "command.publish_dti_framework": (
            "ban hành bộ chỉ số chuyển đổi số",
            "publish a digital-transformation index",
        ),
        "command.assess_dti": ("tự đánh giá chuyển đổi số", "assess its digital transformation"),
        "command.appraise_dti": (
            "thẩm định kết quả tự đánh giá",
            "appraise a self-assessment",
        ),
        "command.publish_dti_results": (
            "công bố kết quả chỉ số chuyển đổi số",
            "publish the index's results",
        ),
        "command.correct_dti": (
            "đính chính kết quả đã công bố",
            "correct published results",
        ),
        "dti.stage.draft": ("Đang tự đánh giá", "Draft"),
        "dti.stage.submitted": ("Chờ thẩm định", "Awaiting appraisal"),
        "dti.stage.returned": ("Trả lại để giải trình", "Sent back"),
        "dti.stage.appraised": ("Đã thẩm định", "Appraised"),
        "dti.stage.published": ("Đã công bố", "Published"),
        "dti.group.departments": ("Sở, ban, ngành", "Departments and agencies"),
        "dti.group.localities": ("Phường, xã, đặc khu", "Wards, communes and special zones"),
        "dti.group.others": ("Đơn vị khác", "Other units"),
    }
)
# --- the index's pages (api.web.pages.dti)
MESSAGES.update(
    {
        "nav.dti": ("Chỉ số CĐS", "DTI"),
        "dti.title": ("Chỉ số chuyển đổi số (DTI)", "Digital-transformation index (DTI)"),
        "dti.period": ("năm {period}", "{period}"),
        "dti.period_label": ("Năm đánh giá", "Year assessed"),
        "dti.show": ("Xem", "Show"),
        "dti.published_only": (
            "chỉ gồm kết quả đã công bố",
            "published results only",
        ),
        "dti.export": ("Tải bảng xếp hạng (XLSX)", "Download the ranking (XLSX)"),
        "dti.mine": ("Phiếu tự đánh giá của đơn vị", "Our unit's scorecard"),
        "dti.start.title": ("Mở kỳ tự đánh giá", "Open the self-assessment"),
        "dti.start.button": ("Mở kỳ tự đánh giá", "Open the self-assessment"),
        "dti.version": ("Phiên bản bộ chỉ số", "Framework version"),
        "dti.publish.title": ("Công bố kết quả", "Publish the results"),
        "dti.publish.waiting": (
            "{count} đơn vị đã thẩm định xong theo phiên bản {version}, chờ công bố.",
            "{count} units appraised under version {version}, waiting to be published.",
        ),
        "dti.publish.reference": ("Số văn bản công bố", "Publishing notice"),
        "dti.publish.button": ("Công bố", "Publish"),
        "dti.out_of": (
            "thang điểm {max} · phiên bản {version}",
            "out of {max} · version {version}",
        ),
        "dti.chart": ("Phân bố theo mức", "Distribution across bands"),
        "dti.from": ("từ {points} điểm", "from {points} points"),
        "dti.ranking": ("Bảng xếp hạng", "Ranking"),
        "dti.rank": ("Hạng", "Rank"),
        "dti.unit": ("Đơn vị", "Unit"),
        "dti.total": ("Tổng điểm", "Total"),
        "dti.band": ("Mức", "Band"),
        "dti.change": ("So với kỳ trước", "Change on the period before"),
        "dti.stage": ("Tình trạng", "Stage"),
        "dti.none": ("Chưa có kết quả đánh giá.", "No assessments yet."),
        "dti.queue.title": ("Việc cần làm — Chỉ số CĐS", "To do: the DTI"),
        "dti.queue.about.department": (
            "Phiếu tự đánh giá của đơn vị đang mở hoặc bị trả lại, và phiếu của các đơn vị chờ "
            "đơn vị thẩm định",
            "The unit's assessments open or sent back, and those waiting for its appraisal",
        ),
        "dti.queue.about.office": (
            "Kết quả đã thẩm định, chờ công bố",
            "Results appraised, waiting to be published",
        ),
        "field.dti.number": ("Số liệu", "Value"),
        "field.dti.of": ("Trên tổng số", "Out of"),
        "dti.queue.open": ("Mở danh sách chờ xử lý", "Open what waits"),
        "dti.queue.about.none": ("Không có việc nào cho vai trò này", "Nothing for this role"),
        "dti.since": ("Cập nhật", "Last changed"),
        "dti.due": ("Hạn giải trình", "Answer due"),
        "dti.card.title": ("Phiếu đánh giá chuyển đổi số", "Digital-transformation scorecard"),
        # What Thucthi measured of a unit for a component, and from which figures.
        "dti.measured.directives_on_time": (
            "{part}/{whole} nhiệm vụ đến hạn trong kỳ hoàn thành đúng hạn",
            "{part} of {whole} directives due in the period completed on time",
        ),
        "dti.measured.petitions_on_time": (
            "{part}/{whole} đơn thư đến hạn được giải quyết trong thời hạn luật định",
            "{part} of {whole} petitions whose term came handled within the legal time",
        ),
        "dti.measured.documents_signed": (
            "{part}/{whole} văn bản chỉ đạo giao trong kỳ được ký số",
            "{part} of {whole} directives assigned in the period filed signed digitally",
        ),
        "dti.measured.petitions_online": (
            "{part}/{whole} đơn thư tiếp nhận trực tuyến",
            "{part} of {whole} petitions received online",
        ),
        "dti.measured.acknowledge_days": (
            "trung vị {median} ngày làm việc từ khi giao đến khi tiếp nhận, "
            "{part}/{whole} nhiệm vụ đã tiếp nhận",
            "median {median} working days from assignment to acknowledgement, "
            "{part} of {whole} directives acknowledged",
        ),
        "dti.measured.petition_answer_days": (
            "trung vị {median} ngày làm việc từ khi nhận đơn đến khi có kết quả, "
            "{part}/{whole} đơn thư đã giải quyết",
            "median {median} working days from arrival to result, "
            "{part} of {whole} petitions resolved",
        ),
        "dti.measured.none": (
            "không có số liệu để đo trong kỳ",
            "nothing to measure in the period",
        ),
        "dti.measured.by": (
            "Thucthi đo: {figures} (tính đến ngày {day}, vị trí {position} của nhật ký)",
            "Measured by Thucthi: {figures} (as of {day}, log position {position})",
        ),
        "dti.appraiser": ("Cơ quan thẩm định", "Appraising body"),
        "dti.lost": ("Điểm bị mất", "Points lost"),
        "dti.missing": (
            "Còn {count} chỉ số thành phần thiếu minh chứng:",
            "{count} components still lack evidence:",
        ),
        "dti.return.title": ("Yêu cầu giải trình lần {n}", "Sent back, time {n}"),
        "dti.answer.given": ("Đơn vị giải trình:", "The unit answered:"),
        "dti.late": ("quá hạn", "late"),
        "dti.submit": ("Gửi thẩm định", "Submit for appraisal"),
        "dti.answer.button": ("Gửi giải trình", "Send the answer"),
        "dti.return.button": ("Trả lại để giải trình", "Send back"),
        "dti.return.components": ("Chỉ số thành phần cần xem lại", "Components to look at"),
        "dti.working_days": ("Số ngày làm việc để trả lời", "Working days to answer"),
        "dti.complete": ("Hoàn thành thẩm định", "Complete the appraisal"),
        "dti.components": ("Các chỉ số thành phần", "Components"),
        "dti.component": ("Chỉ số thành phần", "Component"),
        "dti.value": ("Số liệu", "Value"),
        "dti.of": ("trên tổng số", "out of"),
        "dti.points": ("Điểm", "Points"),
        "dti.evidence": ("Minh chứng", "Evidence"),
        "dti.links": ("Đường dẫn (mỗi dòng một)", "Links (one a line)"),
        "dti.decision": ("Thẩm định", "Appraisal"),
        "dti.decision.accepted": ("Chấp nhận", "Accepted"),
        "dti.decision.adjusted": ("Điều chỉnh", "Adjusted"),
        "dti.decision.corrected": ("Đính chính", "Corrected"),
        "dti.rule.yes_no": ("có/không", "yes or no"),
        "dti.rule.scale": ("theo thang", "on a scale"),
        "dti.rule.share": ("tỷ lệ", "a share"),
        "dti.rule.thresholds": ("theo ngưỡng", "by thresholds"),
        "dti.max": ("tối đa {max} điểm", "at most {max} points"),
        "dti.automatic": ("Thucthi tự đo", "measured by Thucthi"),
        "dti.evidence_required": ("bắt buộc có minh chứng", "evidence required"),
        "dti.evidence_missing": ("thiếu minh chứng", "evidence missing"),
        "dti.enter": ("Lưu số liệu", "Save the value"),
        "dti.accept": ("Chấp nhận", "Accept"),
        "dti.adjustments": ("Điều chỉnh", "Adjust"),
        "dti.corrections": ("Đính chính", "Correct"),
        "dti.done.start": ("Đã mở kỳ tự đánh giá.", "The self-assessment is open."),
        "dti.done.values": ("Đã lưu số liệu.", "The value is saved."),
        "dti.done.submission": ("Đã gửi thẩm định.", "Submitted for appraisal."),
        "dti.done.answer": ("Đã gửi giải trình.", "The answer is sent."),
        "dti.done.acceptances": ("Đã chấp nhận số liệu.", "The value is accepted."),
        "dti.done.adjustments": ("Đã điều chỉnh số liệu.", "The value is adjusted."),
        "dti.done.return": ("Đã trả lại cho đơn vị.", "Sent back to the unit."),
        "dti.done.appraisal": ("Đã hoàn thành thẩm định.", "The appraisal is complete."),
        "dti.done.corrections": ("Đã đính chính.", "The value is corrected."),
        "dti.done.publish": ("Đã công bố kết quả.", "The results are published."),
        "dti.sheet": ("Xếp hạng DTI", "DTI ranking"),
    }
)
# Values of a refusal that name a unit by its code: shown by the unit's name.
UNIT_VALUES = frozenset({"unit", "lead_unit", "code", "agency", "appraiser"})
# Values of a refusal that are the index's terms (an assessment's stage, a group of units):
# said in words, under ``dti.<name>.<value>``.
DTI_VALUES = frozenset({"stage", "group"})
# Values of a refusal that are a petition's terms (its kind, status, competence, ground,
# verdict): said in words, under ``petition.<name>.<value>``.
PETITION_VALUES = frozenset({"kind", "status", "competence", "verdict"})

_INDEX = {"vi": 0, "en": 1}


def message(language: Language, key: str, **values: object) -> str:
    """The text of ``key`` in ``language``, with ``{name}`` filled from ``values``."""
    text = MESSAGES[key][_INDEX[language]]
    return text.format(**values) if values else text


def coverage_said(language: Language, c: Coverage | None, *, whole_log: bool = False) -> str:
    """Which signed checkpoint covers a log position, as the dashboard, its exports and the
    inspector (``whole_log``: of the whole log) say it: the checkpoint that covers it, else the
    latest and how many of the newest events it leaves out; its numbers and moment written the
    reader's way."""
    if c is None:
        return message(language, "checkpoint.none")
    key = "cover.latest" if not c.covered else ("cover.all" if whole_log else "cover.covered")
    return message(
        language,
        key,
        number=number(c.number, language),
        signed_at=moment(c.checkpoint.signed_at, language),
        last=number(c.checkpoint.position, language),
        pending=number(c.pending, language),
    )


def term(language: Language, kind: str, value: str) -> str:
    """A domain value in words (``term("en", "status", "in_progress")`` → "In progress")."""
    entry = MESSAGES.get(f"{kind}.{value}")
    return value if entry is None else entry[_INDEX[language]]


def language_of(text: str | None) -> Language:
    return "en" if text == "en" else "vi"


def say(language: Language, problem: Any) -> str:
    """A problem in words: the rule it broke in the reader's language, else what its status
    means (never the API's English title)."""
    for key in (f"rule.{problem.code}", f"status.{problem.status}", "error.title"):
        if key in MESSAGES:
            return MESSAGES[key][_INDEX[language]]
    return MESSAGES["error.title"][_INDEX[language]]  # pragma: no cover - error.title exists


def shown_value(
    language: Language, name: str, value: object, unit_name: Callable[[str], str]
) -> str:
    """A value of a refusal, written the reader's way: a day, a moment, a number, a unit by its
    name, a role or a command in words."""
    if isinstance(value, datetime):
        return moment(value, language)
    if isinstance(value, date):
        return day(value, language)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return number(value, language)
    text = str(value)
    if name in UNIT_VALUES:
        text = unit_name(text)
    elif name in ("role", "command"):
        text = term(language, name, text)
    elif name in PETITION_VALUES:
        text = term(language, f"petition.{name}", text)
    elif name in DTI_VALUES:
        text = term(language, f"dti.{name}", text)
    elif name == "ground":
        text = ground_words(language, text)
    return text


def ground_words(language: Language, value: str) -> str:
    """A ground for not accepting or archiving a petition, in the law's words."""
    for kind in (NotAcceptedGround, ArchiveGround):
        if value in kind._value2member_map_:
            label = LABELS[kind(value)]
            return label.vi if language == "vi" else label.en
    return value


def refusal(
    language: Language,
    code: str,
    case: str,
    values: Mapping[str, object],
    unit_name: Callable[[str], str] = str,
) -> str:
    """One case of a refusal in words, its values written the reader's way; "" when there are no
    words for it (an error raised without a case says only its rule, ``say``)."""
    entry = MESSAGES.get(f"refusal.{code}.{case}") if case else None
    if entry is None:
        return ""
    shown = {name: shown_value(language, name, v, unit_name) for name, v in values.items()}
    return entry[_INDEX[language]].format(**shown)


def explain(language: Language, problem: Any, unit_name: Callable[[str], str] = str) -> str:
    """What a problem's case says beyond its rule (a page's error box), in the reader's language."""
    return refusal(language, problem.code, problem.case, problem.values, unit_name)


def said_error(language: Language, error: DomainError) -> str:
    """A domain error in one line in the reader's language: the field and why for a text, else
    the case (or, without one, the rule)."""
    if isinstance(error, InvalidTextError):
        return text_refusal(language, error)
    said = refusal(language, error.code, error.case, error.values)
    if said:
        return said
    return MESSAGES.get(f"rule.{error.code}", MESSAGES["rule.domain-error"])[_INDEX[language]]


def field_label(language: Language, name: str) -> str:
    """A form field's label, for the list of fields to correct."""
    for key in (f"field.{name}", f"directive.{name}", f"signin.{name}", f"param.label.{name}"):
        if key in MESSAGES:
            return MESSAGES[key][_INDEX[language]]
    return name


_INVALID = {
    "date_from_datetime_parsing": "date",
    "date_parsing": "date",
    "date_type": "date",
    "date_from_datetime_inexact": "date",
    "int_parsing": "int",
    "int_type": "int",
    "int_from_float": "int",
    "too_long": "too_long",
    "enum": "choice",
    "literal_error": "choice",
}


def invalid_text(language: Language, error: InvalidTextError) -> str:
    """Why a text was refused, in words in the reader's language (without the field's name)."""
    return message(language, f"text.{error.problem}", **error.details)


def text_refusal(language: Language, error: InvalidTextError) -> str:
    """The field and why it was refused, in one line, as the command line says it."""
    return f"{field_label(language, error.field)}: {invalid_text(language, error)}"


def invalid_field(
    language: Language, kind: str, context: dict[str, Any], given: object = None
) -> str:
    """Why a field was refused, in words (pydantic's error type and context, and what was
    given): an empty number or date is missing, not malformed; a bound is written the reader's
    way. A kind without words of its own says only that the value is not valid."""
    kind = _INVALID.get(kind, kind)
    if kind == "string_too_short" and context.get("min_length") == 1:
        kind = "empty"
    if given == "" and kind in ("date", "int"):
        kind = f"{kind}_missing"
    key = f"invalid.{kind}"
    if key not in MESSAGES:
        key = "invalid.other"
    shown = {
        name: number(v, language) if isinstance(v, int | float) and not isinstance(v, bool) else v
        for name, v in context.items()
    }
    return MESSAGES[key][_INDEX[language]].format(**shown)


# The printed page's provenance, the exports' labels, and the Office's periodic report (issue 27,
# item 8; its layout: docs/reports.md, after Nghị định 30/2020/NĐ-CP, Phụ lục I).
MESSAGES.update(
    {
        "print.provenance": (
            "In ngày {today}: số liệu đến hết ngày {day}, vị trí nhật ký {position}.",
            "Printed {today}: figures as of the end of {day}, log position {position}.",
        ),
        "print.checkpoint": (
            "Điểm kiểm tra đã ký: {size} sự kiện, gốc {root}.",
            "Signed checkpoint: {size} events, root {root}.",
        ),
        "export.position": ("Vị trí nhật ký", "Log position"),
        "export.sheet.source": ("Nguồn số liệu", "Source"),
        "export.forecast": ("Dự báo", "Forecast"),
        "export.code": ("Mã đơn vị", "Unit code"),
        "export.percent": ("{label} (%)", "{label} (%)"),
        "export.checkpoint": ("Điểm kiểm tra đã ký", "Signed checkpoint"),
        "export.checkpoint.size": ("Số sự kiện của điểm kiểm tra", "Checkpoint's events"),
        "export.checkpoint.root": (
            "Gốc cây Merkle của điểm kiểm tra (SHA-256, hex)",
            "Checkpoint's Merkle root (SHA-256, hex)",
        ),
        "export.checkpoint.signed_at": ("Thời điểm ký điểm kiểm tra", "Checkpoint signed at"),
        "export.checkpoint.coverage": ("Phạm vi của điểm kiểm tra", "Checkpoint's coverage"),
        "export.due_soon_days": ("Số ngày làm việc coi là sắp đến hạn", "Working days due soon"),
        "export.filter.unit": ("Lọc theo đơn vị", "Filtered by unit"),
        "export.filter.issuer": ("Lọc theo người ký", "Filtered by issuer"),
        "export.filter.urgency": ("Lọc theo độ khẩn", "Filtered by urgency"),
        "export.filter.issued": ("Lọc theo kỳ ban hành", "Filtered by period of issue"),
        "export.filter.agency": ("Lọc theo cơ quan", "Filtered by agency"),
        "report.link": ("Báo cáo định kỳ để in", "Periodic report to print"),
        "report.title": ("Báo cáo định kỳ", "Periodic report"),
        "report.nation": ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"),
        "report.motto": ("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"),
        "report.parent": (
            "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH",
            "HO CHI MINH CITY\nPEOPLE'S COMMITTEE",
        ),
        "report.issuer": ("VĂN PHÒNG", "OFFICE"),
        "report.number": ("Số: {number}", "No.: {number}"),
        "report.place_date": (
            "Thành phố Hồ Chí Minh, ngày {day} tháng {month} năm {year}",
            "Ho Chi Minh City, {month} {day}, {year}",
        ),
        "report.kind": ("BÁO CÁO", "REPORT"),
        "report.subject": (
            "Tình hình thực hiện nhiệm vụ do Ủy ban nhân dân Thành phố giao, {period}",
            "On the execution of the tasks assigned by the City People's Committee, {period}",
        ),
        "report.period.year": ("năm {year}", "year {year}"),
        "report.period.quarter": ("quý {quarter} năm {year}", "quarter {quarter} of {year}"),
        "report.period.month": ("tháng {month} năm {year}", "{month} {year}"),
        "report.intro": (
            "Văn phòng Ủy ban nhân dân Thành phố báo cáo tình hình thực hiện các nhiệm vụ do Ủy ban "
            "nhân dân Thành phố giao trong kỳ báo cáo (văn bản ban hành từ ngày {first} đến ngày "
            "{last}), số liệu đến hết ngày {day}, như sau:",
            "The Office of the City People's Committee reports on the execution of the tasks the "
            "committee assigned in the period (directives issued from {first} to {last}), with "
            "figures as of the end of {day}, as follows:",
        ),
        "report.figures": ("I. Số liệu theo đơn vị chủ trì", "I. Figures by lead unit"),
        "report.late": ("II. Nhiệm vụ quá hạn", "II. Overdue tasks"),
        "report.late.count": (
            "Có {count} nhiệm vụ quá hạn; {shown} nhiệm vụ quá hạn lâu nhất được liệt kê dưới đây.",
            "{count} tasks are overdue; the {shown} longest overdue are listed below.",
        ),
        "report.late.none": ("Không có nhiệm vụ quá hạn.", "No task is overdue."),
        "report.city": ("Toàn Thành phố", "Whole city"),
        "report.no": ("STT", "No."),
        "report.recipients": ("Nơi nhận:", "Recipients:"),
        "report.recipients.list": (
            "- Chủ tịch, các Phó Chủ tịch UBND Thành phố;\n- Các đơn vị chủ trì;\n- Lưu: VT.",
            "- The Chairman and Vice-Chairmen of the City People's Committee;\n"
            "- The lead units;\n- Archived: records office.",
        ),
        "report.signer_title": ("CHÁNH VĂN PHÒNG", "CHIEF OF THE OFFICE"),
        "report.signature_hint": ("(Ký, ghi rõ họ tên, đóng dấu)", "(Signature, full name, seal)"),
        "report.source": (
            "Số liệu từ nhật ký sự kiện đến vị trí {position}; {coverage}",
            "Figures from the event log up to position {position}; {coverage}",
        ),
        "report.print": ("In báo cáo", "Print the report"),
        "report.period.label": ("Kỳ báo cáo", "Period"),
        "report.period.hint": (
            "năm (2026), quý (2026-Q3) hoặc tháng (2026-07)",
            "a year (2026), quarter (2026-Q3) or month (2026-07)",
        ),
        "report.number.label": ("Số văn bản", "Document number"),
        "report.show": ("Lập báo cáo", "Make the report"),
        # Issue 28: the Office issues the report shown, signed and filed (api.report_filing).
        "report.issue.title": ("Ban hành báo cáo", "Issue the report"),
        "report.issue.said": (
            "Ký số báo cáo số {number} bằng chứng thư số của anh/chị, với số liệu đến vị trí "
            "{position} của nhật ký, và lưu thành văn bản công khai có mã QR tra cứu. Báo cáo "
            "cùng kỳ, cùng số đã ban hành thì không lưu lại lần nữa.",
            "Sign report {number} with your certificate, with figures up to position {position} "
            "of the log, and file it as a public document with a QR code to look it up. A report "
            "of the same period and number issued before is not filed again.",
        ),
        "report.issue.button": ("Ký số và ban hành", "Sign and issue"),
        "report.issue.needs_number": (
            "Nhập số văn bản ở trên và lập báo cáo để ban hành: báo cáo được ban hành theo số và "
            "kỳ của nó.",
            "Enter the document number above and make the report to issue it: a report is issued "
            "by its number and period.",
        ),
    }
)

# The documents' PDFs (issue 28, item 1; their form: docs/documents.md, after Nghị định
# 30/2020/NĐ-CP, Phụ lục I and III): the links that download them, and the words of the form.
MESSAGES.update(
    {
        "doc.download": ("Tải văn bản PDF", "Download PDF"),
        "doc.download.receipt": ("Tải giấy biên nhận PDF", "Download the receipt as PDF"),
        "doc.download.result": ("Tải văn bản kết quả giải quyết PDF", "Download the result as PDF"),
        "doc.download.report": ("Tải báo cáo PDF", "Download the report as PDF"),
        "doc.addressees": ("Kính gửi:", "To:"),
        "doc.letter.abstract": ("V/v {title}", "Re: {title}"),
        "doc.assignment": (
            "Giao {lead} chủ trì thực hiện.",
            "{lead} leads the work.",
        ),
        "doc.assignment.with": (
            "Giao {lead} chủ trì, phối hợp với {units} thực hiện.",
            "{lead} leads the work, with {units}.",
        ),
        "doc.deadline": ("Thời hạn hoàn thành: ngày {day}.", "To be completed by {day}."),
        "doc.no_deadline": (
            "Văn bản không quy định thời hạn hoàn thành.",
            "No deadline is set.",
        ),
        "doc.urgency.urgent": ("KHẨN", "URGENT"),
        "doc.urgency.very_urgent": ("THƯỢNG KHẨN", "VERY URGENT"),
        "doc.urgency.immediate": ("HỎA TỐC", "IMMEDIATE"),
        "doc.recipients.as_above": ("Như trên", "As above"),
        "doc.recipients.leaders": ("TTUB: CT, các PCT", "The Chairman and Vice-Chairmen"),
        "doc.recipients.archive": ("- Lưu: VT.", "- Archived: records office."),
        "doc.authority.committee": ("TM. ỦY BAN NHÂN DÂN", "ON BEHALF OF THE PEOPLE'S COMMITTEE"),
        "doc.authority.for": ("KT. {head}", "FOR THE {head}"),
        "doc.position.chairman": ("CHỦ TỊCH", "CHAIRMAN"),
        "doc.position.vice_chairman": ("PHÓ CHỦ TỊCH", "VICE-CHAIRMAN"),
        "doc.position.director": ("GIÁM ĐỐC", "DIRECTOR"),
        "doc.position.deputy_director": ("PHÓ GIÁM ĐỐC", "DEPUTY DIRECTOR"),
        "doc.position.chief_inspector": ("CHÁNH THANH TRA", "CHIEF INSPECTOR"),
        "doc.position.deputy_chief_inspector": ("PHÓ CHÁNH THANH TRA", "DEPUTY CHIEF INSPECTOR"),
        "doc.position.office_chief": ("CHÁNH VĂN PHÒNG", "CHIEF OF THE OFFICE"),
        "doc.position.deputy_office_chief": ("PHÓ CHÁNH VĂN PHÒNG", "DEPUTY CHIEF OF THE OFFICE"),
        "doc.qr.caption": ("Tra cứu văn bản: {url}", "Look the document up: {url}"),
        # Issue 28: the first paragraph of a later version of a directive's document.
        "doc.revision.amended": (
            "Văn bản đính chính (phiên bản {version}): {reason}",
            "A correction of the document (version {version}): {reason}",
        ),
        "doc.revision.replaced": (
            "Văn bản thay thế (phiên bản {version}): {reason}",
            "A document replacing the earlier one (version {version}): {reason}",
        ),
        "doc.qr.lookup": ("Tra cứu đơn: {url}", "Look the petition up: {url}"),
        "doc.result.kind": ("Loại đơn", "Kind"),
        "doc.result.complaint.kind": ("QUYẾT ĐỊNH", "DECISION"),
        "doc.result.complaint.abstract": (
            "Về việc giải quyết khiếu nại (đơn {receipt})",
            "On the complaint {receipt}",
        ),
        "doc.result.complaint.to": ("- Người khiếu nại;", "- The complainant;"),
        "doc.result.denunciation.kind": ("KẾT LUẬN", "CONCLUSION"),
        "doc.result.denunciation.abstract": (
            "Nội dung tố cáo (đơn {receipt})",
            "On the denunciation {receipt}",
        ),
        "doc.result.denunciation.to": ("- Người tố cáo;", "- The denouncer;"),
        "doc.result.answer.abstract": (
            "V/v trả lời đơn {receipt}",
            "Re: the answer to petition {receipt}",
        ),
        "doc.result.answer.to": ("- Người gửi đơn;", "- The petitioner;"),
        # Phụ lục III, I: the kinds of administrative documents, by the abbreviation a symbol
        # carries (domain.documents.forms.KINDS), as the kind's line of the form writes them.
        "doc.kind.NQ": ("NGHỊ QUYẾT", "RESOLUTION"),
        "doc.kind.QĐ": ("QUYẾT ĐỊNH", "DECISION"),
        "doc.kind.CT": ("CHỈ THỊ", "DIRECTIVE"),
        "doc.kind.QC": ("QUY CHẾ", "REGULATIONS"),
        "doc.kind.QYĐ": ("QUY ĐỊNH", "RULES"),
        "doc.kind.TC": ("THÔNG CÁO", "COMMUNIQUÉ"),
        "doc.kind.TB": ("THÔNG BÁO", "NOTICE"),
        "doc.kind.HD": ("HƯỚNG DẪN", "GUIDANCE"),
        "doc.kind.CTR": ("CHƯƠNG TRÌNH", "PROGRAMME"),
        "doc.kind.KH": ("KẾ HOẠCH", "PLAN"),
        "doc.kind.PA": ("PHƯƠNG ÁN", "SCHEME"),
        "doc.kind.ĐA": ("ĐỀ ÁN", "PROPOSAL"),
        "doc.kind.DA": ("DỰ ÁN", "PROJECT"),
        "doc.kind.BC": ("BÁO CÁO", "REPORT"),
        "doc.kind.BB": ("BIÊN BẢN", "MINUTES"),
        "doc.kind.TTR": ("TỜ TRÌNH", "SUBMISSION"),
        "doc.kind.HĐ": ("HỢP ĐỒNG", "CONTRACT"),
        "doc.kind.CĐ": ("CÔNG ĐIỆN", "DISPATCH"),
        "doc.kind.BGN": ("BẢN GHI NHỚ", "MEMORANDUM"),
        "doc.kind.BTT": ("BẢN THỎA THUẬN", "AGREEMENT"),
        "doc.kind.GUQ": ("GIẤY ỦY QUYỀN", "POWER OF ATTORNEY"),
        "doc.kind.GM": ("GIẤY MỜI", "INVITATION"),
        "doc.kind.GGT": ("GIẤY GIỚI THIỆU", "LETTER OF INTRODUCTION"),
        "doc.kind.GNP": ("GIẤY NGHỈ PHÉP", "LEAVE PERMIT"),
        "doc.kind.PG": ("PHIẾU GỬI", "DISPATCH NOTE"),
        "doc.kind.PC": ("PHIẾU CHUYỂN", "TRANSFER NOTE"),
        "doc.kind.PB": ("PHIẾU BÁO", "ADVICE NOTE"),
    }
)

# The public page of a filed document and the check of a file (api.web.pages.filed).
MESSAGES.update(
    {
        "filed.title": ("Tra cứu, xác thực văn bản", "Look up and verify a document"),
        "filed.lead": ("Văn bản điện tử có chữ ký số", "Digitally signed documents"),
        "filed.not_found": (
            "Không có văn bản công khai nào mang mã này.",
            "No public document has this code.",
        ),
        "filed.no_file": ("Vui lòng chọn tệp PDF cần xác thực.", "Please choose the PDF to check."),
        "filed.number": ("Số, ký hiệu", "Number and symbol"),
        "filed.document_title": ("Trích yếu", "Title"),
        "filed.issuer": ("Người ký", "Signed by"),
        "filed.date": ("Ngày", "Date"),
        "filed.sha256": ("Mã băm SHA-256", "SHA-256"),
        "filed.signature": ("Chữ ký số", "Digital signature"),
        "filed.signature.valid": ("Hợp lệ, của {signer}", "Valid, by {signer}"),
        "filed.signature.invalid": ("Không hợp lệ ({signer})", "Not valid ({signer})"),
        "filed.signature.none": ("Không có chữ ký số", "Not signed"),
        "filed.state": ("Tình trạng", "State"),
        "filed.revoked": ("Văn bản đã bị thu hồi", "The document was revoked"),
        "filed.versions": ("Các phiên bản đã lưu", "The versions filed"),
        "filed.version": ("Phiên bản", "Version"),
        "filed.change": ("Lý do", "How"),
        "filed.current": ("hiện hành", "current"),
        "filed.change.issued": ("Ban hành", "Issued"),
        "filed.change.amended": ("Đính chính", "Amended"),
        "filed.change.replaced": ("Thay thế", "Replaced"),
        "filed.qr": ("Mã QR tra cứu văn bản {reference}", "QR code of document {reference}"),
        "filed.check": ("Xác thực một tệp", "Check a file"),
        "filed.check.intro": (
            "Tải lên tệp PDF bạn đang giữ: hệ thống kiểm tra chữ ký số, tệp có đúng là tệp đã "
            "lưu trong sổ nhật ký hay không và có phải phiên bản hiện hành hay không. Tệp không "
            "được lưu lại.",
            "Upload the PDF you hold: its digital signature is checked, whether this exact file "
            "was filed in the log, and whether it is the current version. The file is not kept.",
        ),
        "filed.file": ("Tệp PDF", "The PDF"),
        "filed.submit": ("Xác thực", "Check"),
        "filed.checked_file": ("Tệp đã kiểm tra", "File checked"),
        "filed.filed_at": ("Đã lưu", "Filed"),
        "filed.position": (
            "phiên bản {version}, vị trí {position} trong sổ nhật ký",
            "version {version}, position {position} in the log",
        ),
        "filed.proof": ("Bằng chứng", "Proof"),
        "filed.proof.yes": (
            "có trong cây {size} bản ghi của một điểm kiểm tra đã ký",
            "in the tree of {size} records of a signed checkpoint",
        ),
        "filed.proof.not_yet": (
            "chưa có điểm kiểm tra đã ký nào bao gồm",
            "no signed checkpoint covers it yet",
        ),
        "filed.answer.current": (
            "Đúng là văn bản đã lưu, phiên bản hiện hành.",
            "This is the document filed, its current version.",
        ),
        "filed.answer.superseded": (
            "Tệp đã được lưu, nhưng đã có phiên bản mới hơn thay thế.",
            "This file was filed, but a later version is current.",
        ),
        "filed.answer.revoked": (
            "Tệp đã được lưu, nhưng văn bản đã bị thu hồi.",
            "This file was filed, but the document was revoked.",
        ),
        "filed.answer.altered": (
            "Tệp đã bị sửa đổi sau khi ký: không phải văn bản đã ban hành.",
            "The file was changed after it was signed: it is not the document issued.",
        ),
        "filed.answer.re-signed": (
            "Tệp được ký bằng một khóa không được tin cậy: một bản sao đã bị ký lại.",
            "Signed by a key that is not trusted: a copy signed again by someone else.",
        ),
        "filed.answer.not-filed": (
            "Tệp này chưa từng được lưu trong sổ nhật ký.",
            "This exact file was never filed in the log.",
        ),
        "filed.answer.after-checkpoint": (
            "Tệp được lưu sau điểm kiểm tra bạn giữ.",
            "The file was filed after the checkpoint you kept.",
        ),
        "filed.answer.not-signed": ("Tệp không có chữ ký số.", "The file is not signed."),
        "rule.document-state": (
            "Văn bản này không nhận thêm thay đổi này.",
            "This document cannot take this change.",
        ),
        "refusal.document-state.revoked": (
            "Văn bản {document} đã bị thu hồi: không lưu thêm phiên bản nào.",
            "Document {document} was revoked: no further version is filed.",
        ),
        "refusal.document-state.not_pdf": (
            "Văn bản lưu trữ phải là tệp PDF, không phải {media_type}.",
            "A filed document is a PDF, not {media_type}.",
        ),
        "refusal.document-state.not_filed": (
            "Văn bản {reference} chưa được ký số và lưu: hãy lưu văn bản trước.",
            "{reference} has no filed document yet: file it first.",
        ),
        "rule.document-not-signed": (
            "Chưa ký số được văn bản nên chưa lưu; có thể yêu cầu lại.",
            "The document could not be signed, so nothing was filed; it can be asked for again.",
        ),
        "rule.signer-missing": (
            "Người ký chưa có chứng thư số để ký văn bản nên chưa lưu gì.",
            "The signer has no certificate to sign with, so nothing was filed.",
        ),
        "refusal.signer-missing.no_key": (
            "{signer} chưa có chứng thư số và khóa để ký văn bản {reference}: chưa lưu gì.",
            "{signer} has no certificate and key to sign {reference} with: nothing was filed.",
        ),
        "refusal.document-not-signed.failed": (
            "Ký số văn bản {reference} không thành công, chưa lưu gì; hãy yêu cầu lại khi đã "
            "khắc phục: {error}",
            "Signing {reference} failed, nothing was filed; ask again once it is mended: {error}",
        ),
        "filed.answer.unreadable": (
            "Tệp không phải PDF hoặc không đọc được chữ ký.",
            "Not a PDF, or its signature cannot be read.",
        ),
    }
)

# A petition's filed receipt or result on its public page, for its holder (api.web.pages.filed).
MESSAGES.update(
    {
        "filed.holder": (
            "Giấy biên nhận hoặc kết quả giải quyết đơn của bạn?",
            "The receipt or the result of your petition?",
        ),
        "filed.holder.intro": (
            "Nhập mã biên nhận và 4 chữ số tra cứu (4 số cuối giấy tờ tùy thân hoặc mã PIN in "
            "trên giấy biên nhận) để xem văn bản, bước xử lý đơn và tải bản đã ký.",
            "Enter the receipt code and the 4 look-up digits (the last 4 of your identity "
            "document, or the PIN printed on the receipt) to see the document, the step your "
            "petition is at, and to download the signed copy.",
        ),
        "filed.holder.submit": ("Xem văn bản", "Show the document"),
        "lookup.documents": ("Văn bản đã ký số", "Digitally signed documents"),
        "lookup.document.petition-receipt": (
            "Tải giấy biên nhận đã ký (PDF)",
            "Download the signed receipt (PDF)",
        ),
        "lookup.document.petition-result": (
            "Tải văn bản kết quả giải quyết đã ký (PDF)",
            "Download the signed result (PDF)",
        ),
        "filed.petition_step": ("Bước xử lý đơn", "The petition's step"),
        "filed.download": ("Tải bản đã ký (PDF)", "Download the signed copy (PDF)"),
        "filed.gone": (
            "Tệp không còn được lưu (dữ liệu cá nhân trong đó đã bị xóa); bản bạn giữ vẫn xác "
            "thực được ở mục dưới.",
            "The file is no longer kept (the personal data in it were erased); a copy you hold "
            "can still be checked below.",
        ),
    }
)
