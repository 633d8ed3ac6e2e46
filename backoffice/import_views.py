"""Import from the back office: upload an export file, see a dry run, then confirm.

The same runner as `manage.py import_data`, so the same rules, ledger and reports; the
file is parsed once and staged in the database between the preview and the confirmation.
"""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError

from backoffice.models import StagedImport
from config.api.parsers import parse_json
from imports.runner import Counts, ImportRunner
from imports.sources import get_source

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
IMPORT_PERMISSION = "imports.add_importedrecord"


class UploadForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            ("moco", "MOCO presences"),
            ("huddle", "Huddle out of office"),
            ("mctime", "McTime time entries"),
            ("prosonata", "ProSonata working times"),
        ],
    )
    file = forms.FileField(
        label=_("Export file (JSON)"),
        help_text=_("In the shape of the source's own list endpoint, as for import_data."),
    )
    create_users = forms.BooleanField(
        label=_("Create members for source users that match nobody"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            # The APIs' own JSON rules: UTF-8, a BOM skipped, nesting and numbers bounded.
            payload = parse_json(upload.read())
        except ParseError as exc:
            raise forms.ValidationError(
                _("Not a JSON file: %(error)s") % {"error": exc.detail}
            ) from None
        if _holds_nul(payload):
            # No record may hold one, and the staging table (jsonb) cannot store it.
            raise forms.ValidationError(_("The file contains NUL characters."))
        return payload


def _holds_nul(data: Any) -> bool:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _run(staged: StagedImport, *, dry_run: bool) -> tuple[Counts, list[str]]:
    lines: list[str] = []
    runner = ImportRunner(
        get_source(staged.source),
        dry_run=dry_run,
        create_users=staged.create_users,
        report=lines.append,
    )
    counts = runner.run([(staged.file_name, staged.payload)])
    return counts, lines


def _check(request: HttpRequest) -> None:
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied


def upload_view(site: admin.AdminSite, request: HttpRequest) -> HttpResponse:
    _check(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        staged = StagedImport.objects.create(
            source=form.cleaned_data["source"],
            file_name=form.files["file"].name[:255],
            payload=form.cleaned_data["file"],
            create_users=form.cleaned_data["create_users"],
            uploaded_by=request.user,
        )
        return redirect("admin:backoffice_import_preview", staged.pk)
    context = {**site.each_context(request), "title": _("Import an export file"), "form": form}
    return TemplateResponse(request, "backoffice/import_upload.html", context)


def preview_view(site: admin.AdminSite, request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    staged = get_object_or_404(StagedImport, pk=pk, uploaded_by=request.user)
    if request.method == "POST":
        counts, lines = _run(staged, dry_run=False)
        staged.delete()
        title = _("Imported")
    else:
        counts, lines = _run(staged, dry_run=True)
        title = _("Dry run: nothing has been written yet")
    context = {
        **site.each_context(request),
        "title": title,
        "staged": staged,
        "counts": counts,
        "lines": lines,
        "confirmable": request.method != "POST",
    }
    return TemplateResponse(request, "backoffice/import_preview.html", context)
