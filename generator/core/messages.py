"""Every text a user reads in a diagnostic, in one catalogue (Vietnamese first).

A message is `code -> (message, hint)` with `str.format` fields. An English catalogue can be added
beside `VI` and chosen in `render_message` without touching any stage.
"""
from __future__ import annotations

import re
from typing import Any

SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "hint": "gợi ý"}

# PyYAML explains problems in English; the common ones get a Vietnamese sentence.
YAML_PROBLEMS_VI = {
    "did not find expected ',' or ']'": "thiếu dấu ']' hoặc ',' trong danh sách [ … ]",
    "did not find expected ',' or '}'": "thiếu dấu '}' hoặc ',' trong nhóm { … }",
    "mapping values are not allowed here": "có dấu ':' ở chỗ không được phép (giá trị chứa ':' cần đặt trong ngoặc kép)",
    "mapping values are not allowed in this context": "có dấu ':' ở chỗ không được phép (giá trị chứa ':' cần đặt trong ngoặc kép)",
    "found character that cannot start any token": "có ký tự không được phép ở đầu giá trị",
    "could not find expected ':'": "thiếu dấu ':' sau tên trường",
    "did not find expected key": "thụt lề không khớp với các dòng phía trên",
    "found unexpected end of stream": "thiếu dấu nháy đóng",
    "found unknown escape character": "dấu '\\' trong ngoặc kép \" \" phải đi cùng một ký tự đặc biệt",
    "found undefined alias": "dùng bí danh (*) chưa được định nghĩa",
    "expected <block end>, but found '<block sequence start>'": "thụt lề của danh sách không khớp",
    "expected <block end>, but found '<scalar>'": "thụt lề không khớp với các dòng phía trên",
    "expected <block end>, but found '<block mapping start>'": "thụt lề không khớp với các dòng phía trên",
    "expected <block end>, but found '-'": "thụt lề của danh sách không khớp",
}

VI: dict[str, tuple[str, str]] = {
    # load
    "path_is_directory": ("đây là một thư mục, không phải tệp Markdown",
                          "đổi tên thư mục (bỏ đuôi .md) hoặc chuyển nó ra khỏi content/"),
    "empty_file": ("tệp rỗng",
                   'thêm phần đầu giữa hai dòng ---, hoặc tạo tệp mẫu bằng: showcase new model "Tên mô hình"'),
    "frontmatter_missing": ("thiếu phần đầu (front matter): dòng đầu tiên phải là ---",
                            "thêm một dòng --- ở đầu tệp, các trường (title: …), rồi một dòng --- trước nội dung"),
    "frontmatter_unclosed": ("phần đầu mở bằng --- ở dòng 1 nhưng không có dòng --- đóng",
                             "thêm một dòng chỉ có --- ngay sau trường cuối cùng"),
    "frontmatter_not_mapping": ("phần đầu phải là các dòng 'tên_trường: giá trị'",
                                "mỗi dòng bắt đầu bằng tên trường, dấu hai chấm, dấu cách rồi giá trị"),
    "not_utf8": ("tệp không được lưu bằng bảng mã UTF-8 (gặp byte {byte})",
                 "mở tệp và lưu lại với bảng mã UTF-8 (VS Code: nhấp vào tên bảng mã ở thanh dưới › Save with Encoding › UTF-8)"),
    "yaml_tab": ("dòng này thụt lề bằng phím Tab",
                 "YAML chỉ cho phép dấu cách: thay mỗi Tab bằng 2 dấu cách"),
    "yaml_syntax": ("YAML không hợp lệ: {problem_vi}",
                    "kiểm tra dấu hai chấm, ngoặc và dấu nháy{context}; giá trị có dấu ':' hoặc '#' cần đặt trong ngoặc kép"),
    "yaml_duplicate_key": ("trường '{key}' xuất hiện hai lần (lần đầu ở dòng {first_line})",
                           "giữ một dòng '{key}:' và xóa dòng còn lại, nếu không một giá trị sẽ bị mất"),
    "yaml_complex_key": ("tên trường phải là một từ đơn giản",
                         "viết tên trường như 'title:' hoặc 'sectors:'"),
    "yaml_indent": ("dòng này thụt lề {spaces} dấu cách, không thẳng hàng với dòng {above} ({above_spaces} dấu cách)",
                    "các trường cùng một nhóm phải bắt đầu ở cùng một cột: thêm hoặc bớt dấu cách ở đầu dòng "
                    "cho thẳng với trường cùng nhóm ở trên (chỉ dùng dấu cách, không dùng Tab)"),
    "yaml_curly_quotes": ("dòng này dùng ngoặc kép cong “ ”, YAML không hiểu loại ngoặc này",
                          "thay “ và ” bằng dấu nháy thẳng \" (trình soạn thảo văn bản như Word tự đổi dấu nháy; "
                          "hãy soạn bằng Notepad, TextEdit ở chế độ văn bản thuần hoặc VS Code)"),
    "yaml_curly_value": ("giá trị “{inner}” nằm trong ngoặc kép cong “ ”: YAML coi chúng là chữ, trang sẽ hiện "
                         "cả hai dấu ngoặc",
                         "thay “ và ” bằng dấu nháy thẳng \" hoặc bỏ chúng đi: \"{inner}\""),
    "yaml_comment_cut": ("giá trị bị cắt ở ' #': chỉ còn '{kept}', phần '#{cut}' bị bỏ vì YAML coi là ghi chú",
                         "nếu '#{cut}' là một phần của giá trị, đặt cả giá trị trong ngoặc kép: \"{kept} #{cut}\""),
    "yaml_control_char": ("có một ký tự điều khiển vô hình ({char}) ở đây",
                          "xóa ký tự đó (thường lẫn vào khi chép từ Word hoặc PDF): xóa rồi gõ lại đoạn chữ quanh vị trí này"),
    "yaml_anchor": ("phần đầu dùng neo/bí danh YAML ('&{name}' hoặc '*{name}'), điều này không được phép",
                    "viết thẳng giá trị ở mỗi chỗ cần dùng; nếu '&' hoặc '*' là một phần của chữ, đặt cả giá trị "
                    "trong ngoặc kép, ví dụ: title: \"Nông nghiệp & du lịch\""),
    "yaml_too_large": ("phần đầu quá dài ({size} nghìn ký tự, tối đa {max} nghìn)",
                       "phần đầu chỉ chứa các trường ngắn; đưa bài viết dài xuống phần nội dung sau dòng --- thứ hai"),
    "yaml_too_deep": ("phần đầu lồng quá nhiều tầng (quá {max} tầng ngoặc hoặc thụt lề)",
                      "kiểm tra dấu ngoặc [ ] {{ }} và thụt lề; không trường nào cần lồng sâu như vậy"),
    "file_too_large": ("tệp quá lớn ({size} MB, tối đa {max} MB)",
                       "một bài giới thiệu mô hình chỉ vài chục KB; ảnh đưa vào content/images/, không dán vào tệp"),
    "content_not_md": ("tệp '{name}' không được đọc: chỉ tệp có đuôi .md mới thành trang",
                       "đổi tên tệp thành {expected} (Notepad: chọn Save as type › All files rồi gõ tên có đuôi .md)"),
    "content_stray": ("tệp '{name}' trong {folder}/ không phải bài Markdown (.md) nên bị bỏ qua",
                      "ảnh để trong content/images/; tệp khác hãy chuyển ra khỏi content/"),
    "content_subfolder": ("thư mục con {folder}/ không được đọc: các tệp trong đó không thành trang",
                          "chuyển các tệp .md trong đó ra thẳng thư mục cha, rồi xóa thư mục con"),
    "content_misplaced": ("tệp '{name}' nằm thẳng trong content/ nên không được đọc",
                          "chuyển vào content/models/ (mô hình) hoặc content/localities/ (địa phương) và đặt đuôi .md"),
    "file_name_not_slug": ("tên tệp nên viết thường, không dấu, nối bằng gạch ngang",
                           "đổi tên tệp thành {expected}"),
    # validate
    "missing_field": ("thiếu trường bắt buộc '{field}'", "thêm dòng '{field}: …' ({help})"),
    "empty_field": ("trường bắt buộc '{field}' đang để trống",
                    "viết nội dung ngay sau '{key}: ' trên cùng dòng đó ({help}); đừng thêm dòng '{key}:' thứ hai"),
    "decimal_comma": ("'{field}' = {value}: số thập phân phải dùng dấu chấm, không dùng dấu phẩy",
                      "viết {suggestion}"),
    "date_day_first": ("'{field}' = {value!r} viết ngày trước, năm sau", "viết năm trước: {suggestion}"),
    "vocab_label": ("'{value}' ở '{field}' là tên hiển thị ('{label}'); ở đây cần viết mã",
                    "có phải ý bạn là '{closest}'?"),
    "id_is_list": ("'{field}' chỉ nhận một mã, không phải danh sách {value}", "bỏ dấu ngoặc vuông: viết {field}: {suggestion}"),
    "unknown_key": ("trường '{key}' không có trong mô hình nội dung",
                    "các trường hợp lệ: {valid}"),
    "unknown_key_closest": ("trường '{key}' không có trong mô hình nội dung",
                            "có phải ý bạn là '{closest}'?"),
    "wrong_type": ("'{field}' phải là {expected}, nhưng đang là {got} ({value!r})",
                   "xem ví dụ trong docs/huong-dan-bien-tap.md"),
    "not_a_list": ("'{field}' phải là danh sách", "viết [{value}] hoặc mỗi mục một dòng bắt đầu bằng '- '"),
    "too_long": ("'{field}' dài {length} ký tự, tối đa {max}", "rút gọn còn một hai câu"),
    "out_of_range": ("'{field}' = {value} nằm ngoài khoảng {min} – {max}",
                     "kiểm tra lại số liệu (với tọa độ: vĩ độ lat trước, kinh độ lon sau, trong lãnh thổ Việt Nam)"),
    "bad_year": ("'{field}' = {value!r} không phải năm hợp lý", "viết năm bốn chữ số từ {min} đến {max}"),
    "bad_month": ("'{field}' = {value!r} không phải tháng", "dùng số từ 1 đến 12"),
    "bad_date": ("'{field}' = {value!r} không phải ngày hợp lệ", "viết theo dạng YYYY-MM-DD, ví dụ 2024-01-05"),
    "bad_partial_date": ("'{field}' = {value!r} không phải ngày hợp lệ",
                         "viết YYYY-MM-DD, YYYY-MM hoặc YYYY, ví dụ 2023-10"),
    "bad_enum": ("'{field}' = {value!r} không phải giá trị cho phép", "chọn một trong: {choices}"),
    "unknown_vocab": ("mã '{value}' ở '{field}' không có trong danh mục {vocab} của site.yaml",
                      "các mã hợp lệ: {valid}"),
    "unknown_vocab_closest": ("mã '{value}' ở '{field}' không có trong danh mục {vocab} của site.yaml",
                              "có phải ý bạn là '{closest}'? Các mã hợp lệ: {valid}"),
    "bad_id": ("'{field}' = {value!r} không phải mã hợp lệ",
               "mã viết thường, không dấu, nối bằng gạch ngang, ví dụ '{suggestion}'"),
    "bad_email": ("'{field}' = {value!r} không phải địa chỉ email", "ví dụ: vanphong@example.gov.vn"),
    "bad_url": ("'{field}' = {value!r} không phải địa chỉ web", "địa chỉ phải bắt đầu bằng https://"),
    "phone_not_text": ("số điện thoại '{field}' phải đặt trong ngoặc kép",
                       "viết {field}: \"…\" để giữ số 0 ở đầu (YAML đọc 0123 thành số 83)"),
    "source_index": ("'{field}' trỏ tới nguồn số {index}, nhưng 'sources' chỉ có {count} nguồn",
                     "thêm nguồn vào 'sources' hoặc sửa số thứ tự (1 = nguồn đầu tiên)"),
    "region_required": ("địa phương cấp '{level}' phải có trường 'region'", "thêm 'region: …' với một trong: {valid}"),
    "updated_before_published": ("ngày cập nhật {updated} trước ngày đăng {published}",
                                 "kiểm tra lại 'published' và 'updated'"),
    # body links and HTML (content/links.py)
    "link_scheme": ("liên kết '{target}' dùng loại địa chỉ không được phép",
                    "chỉ dùng địa chỉ bắt đầu bằng https://, http://, mailto: hoặc tel:"),
    "link_outside": ("liên kết '{target}' trỏ tới một tệp ngoài content/models/ và content/localities/",
                     "liên kết tới trang khác bằng tên tệp của nó: [xem](ten-mo-hinh.md) hoặc "
                     "[xem](../localities/ten-dia-phuong.md)"),
    "link_relative": ("liên kết '{target}' sẽ không mở được khi trang được xuất bản",
                      "liên kết tới trang khác bằng tên tệp có đuôi .md, ví dụ [xem](ten-mo-hinh.md), "
                      "hoặc bằng địa chỉ đầy đủ https://…"),
    "link_broken": ("liên kết '{target}': không có trang '{id}' trong {folder}/",
                    "sửa tên tệp trong liên kết cho đúng, hoặc bỏ liên kết"),
    "link_broken_closest": ("liên kết '{target}': không có trang '{id}' trong {folder}/",
                            "có phải ý bạn là '{closest}'?"),
    "link_unpublished": ("liên kết '{target}' trỏ tới '{id}', trang này chưa được xuất bản (bản nháp hoặc còn lỗi)",
                         "bỏ liên kết, hoặc xuất bản trang đó trước"),
    "html_removed": ("{what} trong bài sẽ bị bỏ khi xuất bản (không an toàn cho người đọc)",
                     "bỏ đoạn mã này; để nhúng bản đồ hay video, dán liên kết https://… thay vì mã nhúng"),
    # graph
    "duplicate_id": ("mã '{id}' trùng với tệp {other}", "đổi tên một trong hai tệp để mỗi mã là duy nhất"),
    "unknown_locality": ("không có địa phương '{value}' (trường '{field}')",
                         "tạo tệp bằng: showcase new locality \"Tên\", hoặc dùng một mã có sẵn trong content/localities/"),
    "unknown_locality_closest": ("không có địa phương '{value}' (trường '{field}')", "có phải ý bạn là '{closest}'?"),
    "unknown_model": ("không có mô hình '{value}' (trường '{field}')",
                      "dùng tên tệp (không có .md) của một mô hình trong content/models/"),
    "unknown_model_closest": ("không có mô hình '{value}' (trường '{field}')", "có phải ý bạn là '{closest}'?"),
    "related_draft": ("mô hình liên quan '{value}' đang là bản nháp nên sẽ không được liên kết",
                      "xuất bản mô hình đó (bỏ 'draft: true') hoặc bỏ nó khỏi 'related'"),
    "alias_self": ("'aliases' có '{value}', chính là mã của tệp này", "xóa '{value}' khỏi 'aliases'"),
    "alias_taken": ("mã cũ '{value}' trong 'aliases' đang là mã của {path}",
                    "hai trang không thể có cùng địa chỉ: xóa '{value}' khỏi 'aliases' hoặc đổi tên tệp kia"),
    "alias_twice": ("mã cũ '{value}' đã nằm trong 'aliases' của {other}",
                    "một địa chỉ cũ chỉ chuyển tới được một trang: giữ '{value}' ở một tệp"),
    "rename_without_alias": ("trang mới này xuất hiện khi trang đã xuất bản {urls} biến mất: nếu đây là đổi tên, "
                             "đường dẫn cũ (mã QR đã in, liên kết đã chia sẻ) sẽ hỏng",
                             "nếu tệp này là tệp đổi tên, thêm 'aliases: [{old}]' để trang cũ tự chuyển tới đây"),
    "related_self": ("mô hình không thể liên quan tới chính nó", "xóa '{value}' khỏi 'related'"),
    "self_parent": ("địa phương '{id}' lấy chính nó làm cấp trên", "đặt 'parent' là mã của đơn vị cấp trên"),
    "parent_cycle": ("vòng lặp cấp trên: {cycle}", "sửa 'parent' để chuỗi cấp trên kết thúc ở một tỉnh"),
    "merged_into_self": ("địa phương '{id}' sáp nhập vào chính nó", "đặt 'merged_into' là mã của đơn vị mới"),
    # gazetteer (generator/content/places.py)
    "code_not_text": ("mã đơn vị hành chính '{field}' phải đặt trong ngoặc kép",
                      "viết {field}: \"{value}\" (số 0 ở đầu bị mất nếu không có ngoặc kép)"),
    "code_without_gazetteer": ("mã {value!r} chỉ tự điền tên và cấp khi trang dùng danh mục hành chính",
                               "ghi 'name' và 'level' cho địa phương này, hoặc thêm dòng 'gazetteer: true' vào site.yaml"),
    "code_unknown": ("không có đơn vị hành chính mã {value!r} trong danh mục {version}",
                     "kiểm tra mã GSO (2 chữ số cho tỉnh, 3 cho huyện, 5 cho xã) hoặc bỏ 'code' và ghi 'name', 'level'"),
    "locality_ambiguous": ("'{value}' (trường '{field}') là tên của {count} đơn vị: {candidates}",
                           "ghi thêm huyện, tỉnh (ví dụ \"{example}\") hoặc dùng mã: {ids}"),
    "gazetteer_differs": ("{what} khác với danh mục đơn vị hành chính: tệp ghi {ours!r}, danh mục ghi {theirs!r}",
                          "sửa lại cho khớp, hoặc bỏ trường đó để dùng dữ liệu của danh mục"),
    "gazetteer_unmatched": ("'{name}' là tên hoặc mã của nhiều đơn vị trong danh mục: {candidates}",
                            "thêm 'code' (mã GSO), 'parent' hoặc 'name' để chỉ rõ đơn vị"),
    # images
    "image_path": ("'{field}' = {value!r} không phải đường dẫn tới một ảnh trong content/images/",
                   "viết dạng images/ten-anh.jpg: không dùng địa chỉ web, dấu cách, '..' hay '\\'"),
    "image_missing": ("không tìm thấy ảnh '{src}' (đã tìm {path})",
                      "chép ảnh vào content/images/ hoặc sửa đường dẫn; chữ hoa và chữ thường là khác nhau"),
    "image_format": ("ảnh '{src}' có định dạng {format}, trang chưa nhận định dạng này",
                     "lưu lại ảnh dạng JPEG (.jpg), PNG hoặc WebP; ảnh HEIC của iPhone: Cài đặt › Camera › "
                     "Định dạng › Tương thích nhất, hoặc gửi ảnh qua Zalo rồi tải về"),
    "image_unreadable": ("không đọc được ảnh '{src}': tệp hỏng hoặc chưa chép hết",
                         "mở thử ảnh trên máy; nếu không mở được, chép lại ảnh gốc từ điện thoại hoặc máy ảnh"),
    "image_too_large": ("ảnh gốc '{src}' nặng {size} MB, quá {max} MB",
                        "thu nhỏ ảnh (khoảng 4000 điểm ảnh chiều ngang là đủ) trước khi đưa vào; "
                        "người đọc chỉ tải bản thu nhỏ nhưng ảnh gốc làm kho nội dung nặng thêm"),
    "image_alt_missing": ("ảnh '{src}' trong bài thiếu mô tả (alt)",
                          "viết mô tả ảnh cho người khiếm thị trong ngoặc vuông: ![Mô tả ảnh]({src})"),
    "featured_unknown": ("site.yaml: 'featured' có mã '{value}' nhưng không có mô hình nào mang mã này",
                         "dùng tên tệp (không có .md) của một mô hình trong content/models/"),
    "featured_unknown_closest": ("site.yaml: 'featured' có mã '{value}' nhưng không có mô hình nào mang mã này",
                                 "có phải ý bạn là '{closest}'?"),
    "featured_draft": ("site.yaml: mô hình nổi bật '{value}' đang là bản nháp nên không hiện trên trang chủ",
                       "xuất bản mô hình đó (bỏ 'draft: true') hoặc bỏ nó khỏi 'featured'"),
    # render
    "template_error": ("lỗi trong mẫu giao diện: {detail}",
                       "sửa tệp mẫu; nếu bạn không sửa giao diện, hãy báo cho nhóm kỹ thuật"),
    # search
    "search_option_ignored": ("site.yaml: '{field}' không còn được dùng và bị bỏ qua",
                              "chỉ mục tìm kiếm mới tự chia nhỏ theo từ khóa; xóa dòng này khỏi site.yaml"),
    # config
    "config_missing": ("không tìm thấy site.yaml", "chạy lệnh trong thư mục của trang (nơi có site.yaml)"),
    "config_field": ("site.yaml: '{field}' {problem}", "xem site.yaml mẫu trong README"),
    # tour (map, open data)
    "npm_file_missing": ("không tìm thấy {file} (thư viện từ npm mà trang cần)",
                         "chạy 'npm ci' trong thư mục Showcase (hoặc 'make site'), rồi dựng lại"),
    "leaflet_missing": ("không tìm thấy Leaflet ({file}) để vẽ bản đồ",
                        "chạy 'npm ci' trong thư mục Showcase (hoặc 'make site'), rồi dựng lại"),
    "config_unknown_key": ("site.yaml: không có khóa '{key}'", "có phải ý bạn là '{closest}'? Khóa viết sai bị bỏ qua"),
    "theme_missing": ("không tìm thấy giao diện '{theme}'", "tạo thư mục themes/{theme}/ hoặc đặt theme: default"),
}


# argparse reports usage errors in English: the common ones, as (pattern, Vietnamese replacement).
USAGE_ERRORS_VI = (
    (r"the following arguments are required: (.*)", r"thiếu đối số bắt buộc: \1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"đối số \1: không có lựa chọn \2 (chọn một trong: \3)"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"đối số \1: giá trị \3 không hợp lệ"),
    (r"argument (.*?): expected one argument", r"đối số \1 cần một giá trị"),
    (r"unrecognized arguments: (.*)", r"không hiểu đối số: \1"),
)


def translate_usage_error(message: str) -> str:
    for pattern, replacement in USAGE_ERRORS_VI:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


def severity_label(severity: str) -> str:
    return SEVERITY_VI[severity]


def render_message(code: str, params: dict[str, Any]) -> tuple[str, str]:
    """Return (message, hint) for a diagnostic code with its parameters filled in."""
    message, hint = VI[code]
    if code == "yaml_syntax":
        problem = params.get("problem", "")
        # Never PyYAML's English: a problem without a translation gets a plain sentence.
        params = {**params, "problem_vi": YAML_PROBLEMS_VI.get(problem, "cú pháp không đúng ở vị trí này"),
                  "context": f" từ dòng {params['context_line']}" if params.get("context_line") else ""}
    return message.format(**params), hint.format(**params)
