import datetime as dt
from html.parser import HTMLParser

from django import forms

from areas.widgets import CompactSelect, DateField, render_filter_fields


class _Form(forms.Form):
    village = forms.ChoiceField(
        choices=[("", "Tất cả"), ("1", "Bản Tả Lèng"), ("2", "Bản <Hô> Sáo")], widget=CompactSelect
    )


def test_compact_select_renders_every_option_escaped_with_the_selection():
    html = str(_Form(data={"village": "2"})["village"])
    assert html.startswith('<select name="village"')
    assert 'id="id_village"' in html
    assert '<option value="1">Bản Tả Lèng</option>' in html
    assert '<option value="2" selected>Bản &lt;Hô&gt; Sáo</option>' in html
    assert html.count("<option") == 3


# ----------------------------------------------------------------------------- filter forms


class _Controls(HTMLParser):
    """The form controls of some HTML, as a browser would submit or show them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[tuple] = []
        self.labels: dict[str, str] = {}
        self._label_for: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input":
            self.controls.append(
                ("input", a.get("type"), a.get("name"), a.get("id"), a.get("value"), "checked" in a)
            )
        elif tag == "select":
            self._select = a.get("name")
            self.controls.append(("select", a.get("name"), a.get("id"), "multiple" in a))
        elif tag == "option":
            self.controls.append(("option", self._select, a.get("value"), "selected" in a))
        elif tag == "label":
            self._label_for = a.get("for")
            self.labels.setdefault(self._label_for or "", "")

    def handle_data(self, data):
        if self._label_for is not None:
            self.labels[self._label_for] += data.strip()

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        if tag == "select":
            self._select = None


def _controls(html: str) -> _Controls:
    parser = _Controls()
    parser.feed(html)
    return parser


class _FilterForm(forms.Form):
    q = forms.CharField(label="Họ tên <hoặc> CCCD", required=False)
    village = forms.ChoiceField(
        label="Thôn, bản",
        required=False,
        choices=[("", "Tất cả"), ("1", "Bản Tả Lèng"), ("2", "Bản <Hô> Sáo")],
        widget=CompactSelect,
    )
    presence = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[("", "Tất cả"), ("present", "Có mặt"), ("absent", "Vắng")],
    )
    status = forms.MultipleChoiceField(
        label="Diện",
        required=False,
        choices=[("user", "Sử dụng"), ("addict", "Nghiện"), ("seller", "Bán lẻ")],
        widget=forms.CheckboxSelectMultiple,
    )
    since = DateField(label="Từ ngày", required=False)
    open_only = forms.BooleanField(label="Chưa xử lý", required=False)
    token = forms.CharField(required=False, widget=forms.HiddenInput)


def test_filter_fields_give_the_controls_django_gives_with_what_was_typed_kept():
    data = {
        "q": 'Nguyễn "Văn" <b>A</b> 🌾',
        "village": "2",
        "status": ["addict", "seller"],
        "since": "31/02/2026",
        "open_only": "on",
        "token": "x",
    }
    for form in (_FilterForm(), _FilterForm(data=data)):
        form.is_valid()
        ours, django = _controls(render_filter_fields(form)), _controls(form.as_div())
        assert ours.controls == django.controls
        # Django's own labels end with its label suffix ":"; Bootstrap's do not.
        assert ours.labels == {key: text.rstrip(":") for key, text in django.labels.items()}
    html = render_filter_fields(form)
    assert "&lt;b&gt;A&lt;/b&gt;" in html and "<b>" not in html
    assert "Họ tên &lt;hoặc&gt; CCCD" in html


def test_filter_fields_show_each_error_beside_its_field_and_mark_it_invalid():
    form = _FilterForm(data={"since": "31/02/2026", "village": "9"})
    assert not form.is_valid()
    html = render_filter_fields(form)
    assert "Không có ngày 31/02/2026" in html
    assert 'id="id_since_error"' in html and 'aria-describedby="id_since_error"' in html
    assert 'class="date-input form-control is-invalid"' in html
    assert 'class="compactselect form-select is-invalid"' not in html  # CompactSelect has no class
    assert 'class="form-select is-invalid"' in html
    assert html.count('class="invalid-feedback d-block"') == 2


def test_filter_fields_of_a_valid_unbound_form_have_no_error_marks():
    html = render_filter_fields(_FilterForm(initial={"since": dt.date(2026, 1, 5)}))
    assert "is-invalid" not in html and "aria-invalid" not in html
    assert 'value="05/01/2026"' in html
    assert 'type="hidden" name="token"' in html
