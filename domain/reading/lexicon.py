"""The grammar's own words, the same for every campaign: days, notes, days off, add or replace, what is never a
figure (running totals, targets, remainders, team and place names, units of other things), and words that carry
no meaning for a report (greetings, particles)."""
from __future__ import annotations

# roles
FILL = "fill"  # known, says nothing about figures
DAY = "day"  # ref: days from today (0 today, -1 yesterday)
WEEKDAY = "weekday"  # ref: 0 Monday … 6 Sunday
NOTE = "note"  # what follows is the report's note
OFF = "off"  # the team did not work
MODE = "mode"  # ref: "add" or "replace"
IGNORE = "ignore"  # what follows (or the clause it ends) is no figure of today's work
PERIOD = "period"  # a week or a month, not a day
PEOPLE = "people"  # people reached: a count of them is a figure only where a label says which
CREW = "crew"  # volunteers: a count of them is never a figure
UNIT = "unit"  # a count of something else (minutes, leaflets, calls): never a figure
IDENT = "ident"  # a name that takes a number: "Tổ 3", "KP3", "đợt 2"
SEP = "sep"  # starts a new clause: "nên", "trong đó"
SUBSET = "subset"  # starts a clause that breaks down a figure already given: "trong đó", "gồm"
APPROX = "approx"  # the next number is a guess: "khoảng"
ZERO = "zero"  # "không", "ko": zero, where a number is expected
TIMEWORD = "timeword"  # "lúc", "từ" before a time
PCTWORD = "pct"  # "phần trăm"
OR = "or"  # "hay", "hoặc"
AND = "and"  # "và", "&": joins two labels sharing one number ("đăng ký và kích hoạt")
ACCOUNT = "account"  # "tài khoản", "TK": says accounts without saying which step ("TK mức 2" is not "mức 2")
FRACTION = "fraction"  # "phẩy", "rưỡi": the number is not whole
APPROX_AFTER = "approx_after"  # "20 mấy hộ", "20 hộ trở lên": the number before is a guess
VAGUE = "vague"  # "hôm trước": some day before, not which
CORRECTION = "correction"  # "à nhầm", "xin lỗi", "chứ không phải": the message corrects a number it gives
ADDRESS = "address"  # ref: "other" or "self": the word before a person's name ("chị Mai", "em Hồng")

WORDS: dict[str, tuple] = {
    FILL: (
        # greetings, address, particles
        "dạ", "vâng", "ạ", "à", "ạh", "nhé", "nhá", "nha", "ơi", "hi", "chào", "xin chào", "kính gửi", "gửi",
        "kính", "thưa", "em", "anh", "chị", "cô", "chú", "bác", "mình", "tôi", "tui", "tớ", "con", "cháu", "e", "a",
        "c", "đ/c", "đồng chí", "tổ trưởng", "tổ phó", "tt", "ok", "oke", "okay", "okie", "ừ", "uh", "ờ", "vậy",
        "cảm ơn", "cám ơn", "thanks", "thank you", "tks", "trân trọng", "xin", "xin phép", "hello", "dear", "please",
        "pls", "bot", "ad", "admin", "một số", "một vài", "vài", "mấy", "nhiều", "ít", "các hộ", "những hộ",
        "mọi người", "cả nhà", "ace", "hihi", "haha", "hehe", "kính báo", "họ tên",
        "người báo cáo", "người gửi", "liên hệ", "sđt", "đt", "điện thoại", "zalo", "số điện thoại", "phone",
        "cskv", "công an", "ca phường", "cảnh sát khu vực",
        # reporting words
        "báo cáo", "bc", "báo", "số liệu", "kết quả", "kq", "tiến độ", "tình hình", "cập nhật số liệu", "gửi số liệu",
        "thực hiện", "triển khai", "công tác", "nội dung", "chỉ số", "số lượng", "sl", "số", "tổng hợp", "tổng kết",
        "report", "result", "results", "figures", "numbers", "update", "daily",
        # verbs and function words
        "đã", "được", "đc", "dc", "đi", "làm", "là", "có", "với", "cho", "của", "các", "những", "trên", "bằng",
        "trong", "tại", "ở", "để", "thì", "mà", "rồi", "xong", "cũng", "vẫn", "chỉ", "mới", "này", "đó", "nữa",
        "như sau", "sau", "cụ thể", "gồm có", "đạt", "đạt được", "thành", "ra", "vào", "giúp", "hỗ trợ",
        "ra quân", "tuyên truyền", "vận động", "phát động", "xuống", "cùng", "toàn bộ", "tất cả", "cả", "hết",
        "we", "i", "the", "of", "in", "on", "for", "at", "to", "is", "are", "was", "were", "have", "has", "had",
        "did", "done", "our", "my", "team", "with", "by", "from", "got",
        # what the figures are about, without naming one
        "định danh", "định danh điện tử", "điện tử", "đddt", "đdđt", "ddt", "ddđt", "id", "cccd", "1 số", "1 vài",
        "căn cước", "căn cước công dân", "gắn chip", "cccd gắn chip", "điện thoại thông minh", "smartphone",
        "dịch vụ công", "trực tuyến", "online", "nhân dân", "ở nhà", "tại nhà", "nhà văn hóa", "nhà văn hoá",
        "nvh", "có người", "tham gia", "tham dự", "trực tiếp",
    ),
    DAY: (
        ("hôm nay", 0), ("trong ngày", 0), ("hnay", 0), ("h.nay", 0), ("hum nay", 0), ("bữa nay", 0), ("hôm ni", 0),
        ("ngày hôm nay", 0),
        ("sáng nay", 0), ("trưa nay", 0), ("chiều nay", 0), ("tối nay", 0), ("today", 0), ("this morning", 0),
        ("this afternoon", 0), ("tonight", 0), ("this evening", 0), ("ngày hnay", 0),
        ("hôm qua", -1), ("hqua", -1), ("h.qua", -1), ("hôm wa", -1), ("hwa", -1), ("hum qua", -1), ("bữa qua", -1),
        ("tối qua", -1), ("đêm qua", -1), ("chiều qua", -1), ("sáng qua", -1), ("trưa qua", -1),
        ("tối hôm qua", -1), ("chiều hôm qua", -1), ("sáng hôm qua", -1), ("ngày hôm qua", -1), ("yesterday", -1),
        ("last night", -1), ("hqa", -1),
        ("hôm kia", -2), ("hkia", -2), ("bữa kia", -2), ("hum kia", -2), ("day before yesterday", -2),
        ("ngày mai", 1), ("sáng mai", 1), ("chiều mai", 1), ("tối mai", 1), ("tomorrow", 1), ("ngày mốt", 2),
        ("mai", 1), ("trưa mai", 1), ("ngày kia", 2), ("hôm sau", 1), ("ngày hôm sau", 1), ("hôm tới", 1),
        ("bữa sau", 1), ("mai mốt", 1), ("tomorrow morning", 1), ("mốt", 2),
    ),
    WEEKDAY: (
        ("thứ 2", 0), ("thứ 3", 1), ("thứ 4", 2), ("thứ tư", 2), ("thứ 5", 3), ("thứ 6", 4), ("thứ 7", 5),
        ("chủ nhật", 6), ("cn", 6), ("monday", 0), ("tuesday", 1), ("wednesday", 2), ("thursday", 3), ("friday", 4),
        ("saturday", 5), ("sunday", 6),
    ),
    NOTE: (
        "khó khăn", "vướng mắc", "kiến nghị", "đề xuất", "đề nghị", "ghi chú", "lưu ý", "ý kiến", "phản ánh",
        "tồn tại", "hạn chế", "kiến nghị đề xuất", "khó khăn vướng mắc", "note", "notes", "issue", "issues",
        "problem", "problems", "difficulty", "difficulties", "remark", "remarks", "comment", "comments",
        "suggestion", "suggestions", "request",
    ),
    OFF: (
        "nghỉ", "nghỉ lễ", "nghỉ ốm", "nghỉ phép", "nghỉ tết", "xin nghỉ", "tạm nghỉ", "được nghỉ", "cho nghỉ",
        "không đi được", "không đi", "ko đi", "k đi", "ko đi được", "ko đi dc", "không đi dc", "k đi dc",
        "chưa đi được", "không ra quân", "không triển khai", "không làm", "ko làm", "không có số liệu",
        "ko có số liệu", "không báo cáo được", "không báo cáo", "mất điện", "cúp điện", "đám giỗ", "ốm", "bị ốm",
        "bệnh", "bị bệnh", "sốt", "mưa", "mưa to", "trời mưa",
        "mưa bão", "bão", "lũ", "ngập", "ngập nước", "đi họp", "họp cả ngày", "bận họp", "phải họp", "bận",
        "bận việc", "việc riêng", "việc gia đình", "về quê", "đám tang", "đám cưới", "tập huấn", "đi tập huấn",
        "off", "day off", "sick", "ill", "rain", "raining", "heavy rain", "storm", "flood", "holiday", "no work",
        "not working", "did not work", "didn't work", "no visits", "meeting", "tạm dừng", "tạm ngưng", "dừng",
        "ngưng", "nghỉ bù", "đi trực", "chống dịch", "không có ai đi", "không ai đi", "ko ai đi",
    ),
    MODE: (
        ("thêm", "add"), ("bổ sung", "add"), ("báo thêm", "add"), ("cộng thêm", "add"), ("more", "add"),
        ("extra", "add"), ("additional", "add"), ("add", "add"),
        ("cả ngày", "replace"), ("tổng", "replace"), ("tổng cộng", "replace"), ("cập nhật", "replace"),
        ("sửa lại", "replace"), ("sửa", "replace"), ("điều chỉnh", "replace"), ("thay", "replace"),
        ("in total", "replace"), ("total", "replace"), ("correction", "replace"), ("corrected", "replace"),
    ),
    IGNORE: (
        "lũy kế", "luỹ kế", "lk", "cộng dồn", "tích lũy", "tích luỹ", "từ đầu", "đến nay", "tới nay", "tính đến",
        "tính tới", "chỉ tiêu", "mục tiêu", "kế hoạch", "còn", "còn lại", "thiếu", "chưa", "hẹn", "dự kiến", "sẽ",
        "vắng", "vắng nhà", "đi vắng", "không có nhà", "ko có nhà", "từ chối", "không đồng ý", "ko đồng ý", "lỗi",
        "bị lỗi", "trả về", "bị trả", "trả lại", "duyệt", "chờ", "đang chờ", "chờ duyệt", "địa bàn",
        "trên địa bàn", "toàn khu phố", "toàn phường", "toàn xã", "cả khu phố", "dân số", "tỷ lệ", "tỉ lệ",
        "không có", "ko có", "k có", "tăng", "giảm", "so với", "mỗi", "hàng ngày", "mỗi ngày", "target", "targets",
        "goal", "remaining", "left", "cumulative", "so far",
        "to date", "planned", "plan", "pending", "rejected", "failed", "error", "quota", "chưa có",
        # what is still to come: plans, not figures
        "tuần sau", "tuần tới", "tháng sau", "tháng tới", "sắp tới", "tới đây", "đợt sau", "đợt tới", "lần sau",
        "next week", "next month", "will", "going to", "dự định", "sắp", "muốn", "phấn đấu", "cố gắng",
        "chuẩn bị", "sẽ đi", "định đi", "tính đi", "cần", "cần đạt", "phải đạt", "kế hoạch ngày mai",
        "ngày tiếp theo",
        # ranking and comparing teams: about others' figures, not a report
        "đứng đầu", "dẫn đầu", "xếp thứ", "xếp hạng", "cao nhất", "thấp nhất", "nhiều nhất",
        # approval is a step of its own, not one of the figures
        "phê duyệt", "được duyệt", "được phê duyệt", "đã duyệt", "chờ phê duyệt", "chưa duyệt",
    ),
    PERIOD: (
        "tuần này", "tuần qua", "tuần trước", "tuần rồi", "cả tuần", "trong tuần", "tháng này",
        "tháng trước", "tháng qua", "cả tháng", "trong tháng", "this week", "last week", "this month", "last month",
        "báo cáo tuần", "bc tuần", "báo cáo tháng", "bc tháng", "tổng tuần", "tổng tháng", "hàng tuần",
        "ngày qua", "ngày vừa qua", "ngày gần đây", "đợt này", "từ đầu tuần", "từ đầu tháng", "từ ngày", "từ hôm",
        "từ thứ",
    ),
    VAGUE: ("hôm trước", "bữa trước", "hôm bữa", "mấy hôm trước", "hôm rồi", "bữa rồi", "mấy ngày trước",
            "hôm nọ", "bữa nọ", "the other day", "last time"),
    FRACTION: ("phẩy", "rưỡi", "point", "half", "and a half"),
    ACCOUNT: ("tài khoản", "tk", "tài khoản định danh", "tài khoản định danh điện tử", "tk đddt", "tkđd", "tk đdđt",
              "account", "accounts"),
    PEOPLE: ("người", "người dân", "công dân", "bà con", "nhân khẩu", "khẩu", "cư dân", "people", "persons",
             "citizens", "residents"),
    CREW: ("đồng chí", "thành viên", "tv", "tình nguyện viên", "tnv", "đoàn viên", "bạn", "anh em", "chiến sĩ",
           "cán bộ", "cb", "members", "volunteers", "bạn trẻ", "người đi"),
    UNIT: (
        "phút", "tiếng", "km", "tuổi", "đồng", "đ", "vnđ", "k", "nghìn đồng", "triệu", "tr", "tỷ", "lần", "lượt",
        "tờ", "tờ rơi", "cuộc", "cuộc gọi", "tin nhắn", "cái", "chiếc", "xe", "buổi", "ca", "điểm", "nơi", "chỗ",
        "tuần", "tháng", "ngày", "hôm", "vòng", "bước", "trang", "file", "ảnh", "hình", "minutes", "minute",
        "hours", "hour", "times", "calls", "days", "weeks", "tổ", "khu phố", "kp", "ấp", "thôn", "xóm", "giờ",
        "khu vực", "địa điểm", "nơi", "máy lỗi",
    ),
    IDENT: (
        "tổ", "tổ dân phố", "tdp", "tổ cns", "tcns", "tổ cnscđ", "tổ công nghệ số", "tổ công nghệ số cộng đồng",
        "kp", "khu phố", "khu", "ấp", "thôn", "xóm", "khóm", "bản", "buôn", "làng", "cụm", "đội", "nhóm", "phường",
        "p", "quận", "q", "huyện", "xã", "thị trấn", "đường", "hẻm", "kiệt", "ngõ", "ngách", "số nhà", "số", "lô",
        "block", "tầng", "căn", "phòng", "chung cư", "đợt", "giai đoạn", "gđ", "ca", "buổi", "tuần", "quý", "lớp",
        "trường", "chi bộ", "chi đoàn", "chi hội", "mục", "phần", "bước", "điểm", "trạm", "bàn", "quầy", "lần",
        "lần thứ", "đợt thứ", "ngày thứ", "tổ thứ", "căn hộ", "số nhà",
        "team", "group", "ward", "district", "zone", "area", "phase", "round", "cns", "cnscđ", "t", "tháng",
        "ngày",
    ),
    SEP: ("nên", "nhưng", "nhưng mà", "tuy nhiên", "do đó", "vì vậy", "but", "so"),
    SUBSET: ("trong đó", "gồm", "bao gồm", "of which", "including"),
    APPROX: ("khoảng", "tầm", "gần", "hơn", "trên", "dưới", "ngót", "ngót nghét", "cỡ", "độ", "trên dưới",
             "vài", "mấy", "dăm", "hàng", "chắc", "ít nhất", "tối thiểu", "tối đa", "không dưới", "không quá",
             "chừng khoảng", "tầm khoảng", "hơn kém", ">", "<", "≥", "≤", ">=", "<=", "xấp xỉ", "ước",
             "ước tính", "ước khoảng", "chừng", "about", "around", "approx", "approximately", "nearly", "over", "~",
             "at least", "at most", "more than", "less than", "almost", "roughly", "up to"),
    ZERO: ("không", "ko", "khong", "none", "no", "zero", "chưa có"),
    APPROX_AFTER: ("mấy", "hơn", "trở lên", "hoặc hơn", "hay hơn", "ngoài", "có lẻ", "gì đó", "gì đấy", "+",
                   "or more", "plus", "something", "odd", "dư", "đổ lại", "đổ lên", "trở xuống", "ish",
                   "or so"),
    CORRECTION: ("nhầm", "à nhầm", "nhầm ạ", "báo nhầm", "gõ nhầm", "ghi nhầm", "bị nhầm", "xin lỗi", "sorry",
                 "à không", "à ko", "ý là", "ý em là", "chứ không phải", "chứ ko phải", "chứ k phải", "không phải",
                 "ko phải", "mới đúng", "đính chính", "sửa lại", "sửa thành", "sai rồi", "thành", "->", "=>",
                 "→", "oops", "i mean", "correction", "à", "ý lộn", "lộn", "gõ lộn", "nói lộn"),
    # (not "bà", "dì": typed without diacritics they are "ba" (3) and "đi")
    ADDRESS: (("chị", "other"), ("c", "other"), ("anh", "other"), ("a", "other"), ("cô", "other"),
              ("chú", "other"), ("bác", "other"), ("bạn", "other"), ("đ/c", "other"), ("đồng chí", "other"),
              ("em", "self"), ("e", "self"), ("mình", "self"), ("tôi", "self"), ("tớ", "self")),
    TIMEWORD: ("lúc", "từ", "khoảng từ", "vào lúc", "đến", "tới", "from", "until", "to"),
    PCTWORD: ("phần trăm", "percent"),
    OR: ("hay", "hoặc", "or", "hay là"),
    AND: ("và", "&", "and", "+", "cùng với"),
}
