"""Background work through the Django tasks API (the ``django-tasks`` backport; ``django.tasks`` on Django 6).

One task, :func:`run_job`, runs every kind of background work. A piece of work is a :class:`Job` row
(status queued → running → done | failed, progress, error, report); apps register what a job kind does
with :func:`job_kind` (from their own ``tasks`` module, imported by their ``AppConfig.ready``), and
enqueue it with :func:`enqueue`. So whichever backend settings choose (database, RQ on Redis,
immediate), every job is visible in one table, and a failed one shows its error to coordinators.

Idempotence: the job row is locked (``select_for_update``) before the work starts; a job already done,
or running elsewhere, is not run again. The work itself must be safe to repeat after a failure:
e-mail goes through :func:`send_once` (a ledger row per message, written in the same transaction as
the sending), imports compare content before writing.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks, urlize
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from ccm.core import audit
from ccm.core.task_models import Job, JobStatus, SentMessage
from ccm.core.text import clean_text, one_line

# Audit action names written here (one place, for the action registry).
TASK_FAILED = "task.failed"
TASK_ACTIONS = (TASK_FAILED,)

# A job still "running" this long after it started is taken to have lost its worker and may run again.
STALE_AFTER = timedelta(hours=2)
# A job still "queued" this long after it was created, never handed to the backend, is enqueued again by tick.
LOST_AFTER = timedelta(minutes=10)
# A failed job of a kind that may be retried (e-mail) is handed again by tick after this pause times its attempts.
RETRY_AFTER = timedelta(minutes=5)

logger = logging.getLogger(__name__)

Handler = Callable[[Job], dict[str, Any] | None]
_handlers: dict[str, Handler] = {}
_retries: dict[str, int] = {}
_labels: dict[str, Any] = {}


def job_kind(name: str, *, retries: int = 0, label: Any = "") -> Callable[[Handler], Handler]:
    """Register what a job kind does: ``handler(job)`` does the work (reading ``job.arguments``) and
    returns the report to keep (JSON-safe), or None. Registered once per name. A kind whose work is safe
    to repeat (e-mail through :func:`send_once`) may ask for ``retries``: a failed job of that kind is
    handed again by :func:`retry_failed` (run by ``ccm tick``) until it has run ``retries + 1`` times.
    ``label`` (marked for translation) is what pages show instead of the name."""

    def register(handler: Handler) -> Handler:
        if _handlers.get(name, handler) is not handler:
            raise ValueError(f"The job kind {name!r} is registered twice.")
        _handlers[name] = handler
        _retries[name] = max(0, retries)
        if label:
            _labels[name] = label
        return handler

    return register


def kind_label(name: str) -> str:
    """The words for a job kind (its name when the kind gave none)."""
    return str(_labels.get(name) or name)


def registered_kinds() -> list[str]:
    return sorted(_handlers)


def enqueue(name: str, *, arguments: dict[str, Any] | None = None, label: str = "", actor: Any = None) -> Job:
    """Record a job and hand it to the task backend once the current transaction commits (so the worker
    sees what the request wrote). ``arguments`` must be JSON-safe and hold no secret: they are stored."""
    if name not in _handlers:
        raise ValueError(f"Unknown job kind {name!r}.")
    job = Job.objects.create(
        name=name,
        label=label[:300],
        arguments=arguments or {},
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # robust: a backend that cannot be reached never fails the request that enqueued (the job stays
    # queued and ``requeue_lost`` hands it over later).
    transaction.on_commit(lambda: _hand_over(job.pk), robust=True)
    return job


# Set by :func:`run_inline`: jobs run in this process as soon as they are handed over.
_inline: contextvars.ContextVar[bool] = contextvars.ContextVar("ccm_tasks_inline", default=False)
_mail_connection: contextvars.ContextVar[Any] = contextvars.ContextVar("ccm_tasks_mail", default=None)


@contextlib.contextmanager
def run_inline(*, mail_connection: Any = None) -> Iterator[None]:
    """Within the block, every job enqueued runs in this process once its transaction commits, instead
    of waiting for a worker, and e-mail goes through ``mail_connection`` when one is given (``ccm
    seed_demo``: the notifications its steps cause are composed at once, into memory)."""
    inline, connection = _inline.set(True), _mail_connection.set(mail_connection)
    try:
        yield
    finally:
        _inline.reset(inline)
        _mail_connection.reset(connection)


def _hand_over(job_id: int) -> None:
    if _inline.get():
        execute(job_id)
        return
    result = run_job.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


@task()
def run_job(job_id: int) -> str:
    """The one task: run the job with this id (see the module's description). Returns its status."""
    return execute(job_id)


def execute(job_id: int) -> str:
    """Run a job now, in this process: lock it, skip it if done or running elsewhere, record the outcome."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.status == JobStatus.DONE:
            return str(job.status)  # a retry or a second delivery: nothing is done twice
        started = job.started_at
        if job.status == JobStatus.RUNNING and started is not None and timezone.now() - started < STALE_AFTER:
            return str(job.status)
        job.status, job.started_at, job.error = JobStatus.RUNNING, timezone.now(), ""
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "error", "attempts"])
    handler = _handlers.get(job.name)
    try:
        if handler is None:
            raise LookupError(f"No job kind {job.name!r} is registered in this process.")
        with translation.override(job.language or settings.LANGUAGE_CODE):
            report = handler(job)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:4000]
        with transaction.atomic():
            Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=error, finished_at=timezone.now())
            audit.record(
                actor=None, action=TASK_FAILED, obj=job, label=f"{job.name}: {job.label}", new={"error": error}
            )
        logger.exception("Background job %s (%s) failed", job_id, job.name)
        raise
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, report=report or {}, progress=100, finished_at=timezone.now()
    )
    return str(JobStatus.DONE)


def set_progress(job: Job, *, percent: int, note: str = "") -> None:
    """Show how far a running job is (committed at once when called outside a transaction)."""
    Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, percent)), progress_note=note[:300])


def requeue_lost() -> int:
    """Hand again to the backend the jobs that were recorded but never reached it (the broker was down
    when the request committed). Running one twice is harmless: :func:`execute` skips finished jobs."""
    lost = list(
        Job.objects.filter(status=JobStatus.QUEUED, task_id="", created_at__lt=timezone.now() - LOST_AFTER).values_list(
            "pk", flat=True
        )
    )
    for job_id in lost:
        _hand_over(job_id)
    return len(lost)


def retry_failed(*, now: Any = None) -> int:
    """Hand again the failed jobs whose kind may be retried, once the pause after their last attempt
    (``RETRY_AFTER`` times the attempts so far) has passed and while attempts remain. Returns how many."""
    now = now or timezone.now()
    kinds = [name for name, retries in _retries.items() if retries > 0]
    retried = 0
    for job in Job.objects.filter(status=JobStatus.FAILED, name__in=kinds).only(
        "pk", "name", "attempts", "finished_at"
    ):
        if job.attempts > _retries[job.name]:
            continue
        if job.finished_at is not None and now - job.finished_at < RETRY_AFTER * max(1, job.attempts):
            continue
        if Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(status=JobStatus.QUEUED, task_id=""):
            try:
                _hand_over(job.pk)
            except Exception:  # the backend is down: the job stays queued and requeue_lost hands it over
                logger.exception("Could not hand job %s to the task backend", job.pk)
            retried += 1
    return retried


def already_sent(key: str) -> bool:
    return SentMessage.objects.filter(key=key[:200]).exists()


def send_once(
    *,
    key: str,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    html: str = "",
    attachments: Any = (),  # (file name, content bytes, MIME type) each; Any: callers pass **dict[str, str]
) -> bool:
    """Send one e-mail unless the ledger says it was sent. The ledger row and the sending share one
    transaction: a failure to send leaves no row (a retry sends it), a second run finds the row and
    sends nothing. Returns whether it sent.

    The one place the platform sends mail: whatever the caller passes, the subject is one line (no line
    break can reach a header) and subject and body hold no control characters (``ccm.core.text``).
    Every message has a plain-text part (``body``) and an HTML part: ``html`` when the caller wrote one
    (from a template that escapes what it shows), else the text itself, escaped, in paragraphs, with
    its links made clickable. ``attachments``: ``(file name, content, MIME type)`` each (a meeting's
    ``.ics``)."""
    subject = one_line(subject)[:900]
    body = clean_text(body, multiline=True)
    recipient = one_line(recipient)
    html = clean_text(html, multiline=True) if html else html_from_text(body)
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentMessage.objects.create(key=key[:200], kind=kind[:50], recipient=recipient)
        except IntegrityError:
            return False
        message = EmailMultiAlternatives(subject, body, None, [recipient], connection=_mail_connection.get())
        message.attach_alternative(html, "text/html")
        for name, content, mimetype in attachments or ():
            message.attach(name, content, mimetype)
        message.send()
    return True


def html_from_text(text: str) -> str:
    """The HTML part of a plain-text message: escaped, paragraphs and line breaks kept, links clickable."""
    paragraphs = linebreaks(urlize(escape(text), nofollow=True, autoescape=False))
    return f'<!doctype html><html><body style="font-family: sans-serif; line-height: 1.4">{paragraphs}</body></html>'


# Spreadsheet applies in the background ------------------------------------------------------------
# The import pipeline registers, per import kind, the callable that applies a stored, checked import:
# ``apply(import_id=..., actor=...) -> dict`` (the counts to show). Views call ``apply_in_background(rows)``
# to decide, and ``apply_import_task`` to hand the apply to a worker; the page then follows the job.

ImportApplier = Callable[..., dict[str, Any] | None]
_import_appliers: dict[str, ImportApplier] = {}
APPLY_IMPORT = "core.apply_import"


def register_import_applier(kind: str, apply: ImportApplier) -> None:
    _import_appliers[kind] = apply


def apply_in_background(rows: int) -> bool:
    """Whether an import of this many rows is applied by a task rather than in the request."""
    return rows > int(getattr(settings, "CCM_TASK_APPLY_ABOVE_ROWS", 300))


def apply_import_task(*, kind: str, import_id: int, actor_id: int | None, label: str = "") -> Job:
    """Enqueue the apply of a stored import of ``kind`` (applied by its registered callable)."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return enqueue(
        APPLY_IMPORT,
        arguments={"kind": kind, "import_id": import_id, "actor_id": actor_id},
        label=label or f"{kind} import #{import_id}",
        actor=actor,
    )


@job_kind(APPLY_IMPORT, label=_("Applying a spreadsheet"))
def _apply_import(job: Job) -> dict[str, Any] | None:
    kind, actor_id = job.arguments["kind"], job.arguments.get("actor_id")
    if kind not in _import_appliers:
        raise LookupError(f"No applier is registered for {kind!r} imports.")
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return _import_appliers[kind](import_id=job.arguments["import_id"], actor=actor)
