"""The upload form of the Files page."""

from django import forms
from django.conf import settings

from apps.credentials.forms import TeamField


class FileUploadForm(forms.Form):
    file = forms.FileField(label="File")
    name = forms.CharField(
        required=False,
        max_length=200,
        help_text="Leave empty to use the file's own name. An existing name gets a new version.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = TeamField(teams)
        accepted = ", ".join(settings.FILES_ALLOWED_EXTENSIONS)
        self.fields[
            "file"
        ].help_text = (
            f"{accepted}; at most {settings.FILES_MAX_UPLOAD_MB} MB (FILES_MAX_UPLOAD_MB)."
        )
        self.fields["file"].widget.attrs["accept"] = ",".join(settings.FILES_ALLOWED_EXTENSIONS)
