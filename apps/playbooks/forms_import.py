"""The form of a set import: several files or zips, a namespace, lenient mode."""

from django import forms

from apps.credentials.forms import TeamField
from apps.playbooks.forms import MAX_UPLOAD_BYTES

MAX_SET_BYTES = 20 * MAX_UPLOAD_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploaded files (a list, even for one)."""

    def __init__(self, *args, **kwargs):
        attrs = {"accept": ".yaml,.yml,.json,.zip", "multiple": True}
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class PlaybookSetImportForm(forms.Form):
    files = MultipleFileField(label="YAML, export JSON or zip files")
    namespace = forms.CharField(
        required=False,
        max_length=200,
        label="Folder",
        help_text="Where the set lands; empty: imported/<set name>/.",
    )
    lenient = forms.BooleanField(
        required=False, label="Migrate the original tools' forms instead of refusing them"
    )

    def __init__(self, *args, teams, **kwargs):
        kwargs.setdefault("auto_id", "import_set_%s")
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamField(teams)

    def clean_files(self) -> list[tuple[str, bytes]]:
        uploads = self.cleaned_data["files"]
        if sum(upload.size for upload in uploads) > MAX_SET_BYTES:
            raise forms.ValidationError("The files are larger than 20 MB together.")
        return [(upload.name, upload.read()) for upload in uploads]
