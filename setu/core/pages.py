"""The one form page every app's views use: show a form, call a service, redirect or explain.

Imports nothing of Setu: what a refusal (``ConsentRequired``) should also do (the audit of the
denial) is passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from setu.core.errors import ConsentRequired, InvalidInput
from setu.core.forms import ExportPasswordForm, apply_errors


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    back: str,
    submit: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    success: str,
    refused: Callable[..., None] | None = None,
    intro: str = "",
    template: str = "core/form_page.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows ``form``; a valid POST calls ``save`` (a service) and redirects to ``done``.
    A service's ``InvalidInput`` lands on the form's fields; ``ConsentRequired`` is refused,
    not broken: the user is told why and ``refused(request=, exc=)`` (the audit's
    ``denial_record``, which this layer may not import), where given, records it."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        except ConsentRequired as exc:
            if refused is not None:
                refused(request=request, exc=exc)
            form.add_error(None, str(exc))
        else:
            messages.success(request, success)
            return redirect(done(result))
    context = {"form": form, "title": title, "back": back, "submit": submit, "intro": intro}
    return render(request, template, {**context, **(extra or {})})


def export_page(
    request: HttpRequest,
    *,
    title: str,
    back: str,
    filename: str,
    allowed: Callable[[], None],
    send: Callable[[str], IO[bytes]],
    active_nav: str = "",
) -> HttpResponse:
    """The one way a page hands out a file: ask for the password it is encrypted with (GET),
    then send the encrypted ZIP (POST) as ``<filename>-<date-time>.zip``, never cached.

    ``allowed()`` raises the refusal before the password page is shown; ``send(password)``
    builds the package (the audit service checks the format's permission again, watermarks,
    encrypts and audits it).
    """
    form = ExportPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = FileResponse(
            send(form.cleaned_data["password"]),
            as_attachment=True,
            filename=f"{filename}-{stamp}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "no-store"
        return response
    allowed()
    return render(
        request,
        "export_password.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "action": request.get_full_path(),
            "active_nav": active_nav,
        },
    )
