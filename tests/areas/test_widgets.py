from django import forms

from areas.widgets import CompactSelect


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
