"""Draft the feedback for an order, export its photos, and record when it was posted.

Derivation lives in :mod:`orderctl.domain.feedback`; this module adds what
needs I/O: the delivery date from the tracking timeline, the inspection's
photos re-encoded without EXIF location (a review photo is public; the
originals stay untouched in the evidence store), the Markdown file, and the
``order.feedback`` record, written in one transaction after the slow photo
work is done.

Feedback is drafted for orders that are confirmed or closed, and, ahead of
confirming, for orders whose inspection passed (the buyer may want to read
the draft before pressing the button). Anything else is refused (exit 6):
reviewing an order that is still in transit, failed its inspection or is
in dispute would be premature or unfair.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from orderctl.clock import iso
from orderctl.domain import feedback as feedback_rules
from orderctl.domain.delivery import delivery_date
from orderctl.domain.models import Order, OrderState
from orderctl.domain.records import EvidenceRef, Feedback, merged_keys
from orderctl.domain.wording import plural
from orderctl.errors import GuardrailRefused, InvalidInput
from orderctl.fsutil import atomic_write_bytes, atomic_write_text
from orderctl.services.context import AppContext
from orderctl.services.evidence_files import inspection_evidence, stored_file
from orderctl.services.tracking.merge import readable_events

PHOTO_PREFIX = "photo-"
RATING_LABELS = {
    "item_as_described": "Item as described",
    "communication": "Communication",
    "shipping_speed": "Shipping speed",
    "shipping_time": "Shipping time",
    "shipping_charges": "Shipping & handling charges",
}
OVERALL_LABELS = {"positive": "Positive", "neutral": "Neutral", "negative": "Negative"}


@dataclass
class FeedbackResult:
    """The saved ``order.feedback`` plus where its files are and what the buyer should know."""

    order_id: str
    feedback: Feedback
    markdown: str | None = None
    path: Path | None = None
    photos_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)


def order_folder(ctx: AppContext, order_id: str) -> Path:
    from orderctl.evidence.store import safe_order_dir

    return ctx.paths.feedback_dir / safe_order_dir(order_id)


def check_eligible(order: Order) -> list[str]:
    """Refuse orders it is too early (or unfair) to review; warn for a pre-confirm draft."""
    if order.state in (OrderState.CONFIRMED, OrderState.CLOSED):
        return []
    verdict = order.inspection.verdict if order.inspection else None
    if order.state is OrderState.INSPECTED and verdict == "pass":
        return [
            f"Order {order.order_id} is not confirmed yet; platforms take feedback after "
            f"completion. Confirm with `orderctl confirm {order.order_id}` first."
        ]
    if order.state is OrderState.DISPUTED:
        why = "is in dispute; leave feedback once the dispute is settled"
    elif order.state is OrderState.INSPECTED:
        why = "failed its inspection; settle that with the seller before reviewing"
    else:
        why = f"is {order.state.value}; feedback comes after inspecting and confirming receipt"
    raise GuardrailRefused(
        f"Order {order.order_id} {why}",
        hint=f"Inspect it (`orderctl inspect {order.order_id}`), then `orderctl confirm "
        f"{order.order_id}` drafts the feedback.",
    )


def _private_words(ctx: AppContext) -> list[str]:
    words = (ctx.config.get("feedback") or {}).get("private_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise InvalidInput(
            "config.toml [feedback] private_words must be a list of strings",
            hint="Run e.g. `orderctl config set feedback.private_words Jane Springfield`.",
        )
    return words


def _inspection_photos(order: Order) -> list[EvidenceRef]:
    """The photo evidence of the inspection, in check order, each file once."""
    from orderctl.evidence.sniff import kind_of

    seen: set[str] = set()
    found = []
    for _check, ev in inspection_evidence(order):
        sha = ev.sha256
        if sha and sha not in seen and kind_of(str(ev.media_type or "")) == "photo":
            seen.add(sha)
            found.append(ev)
    return found


def export_photos(ctx: AppContext, order: Order, folder: Path) -> tuple[list[Path], list[str]]:
    """Re-encode the inspection's photos into ``folder`` without EXIF/GPS, within the limits."""
    from orderctl.evidence.photos import output_media_type, strip_and_reencode
    from orderctl.evidence.sniff import extension_for

    policy = ctx.policies.platform(order.platform)
    limit = policy.days("review_photos_max") or feedback_rules.DEFAULT_PHOTOS_MAX
    candidates = _inspection_photos(order)
    written: list[Path] = []
    warnings: list[str] = []
    root = ctx.paths.evidence_dir
    for ev in candidates:
        if len(written) >= limit:
            warnings.append(
                f"{plural(len(candidates) - limit, 'more photo')} not exported: "
                f"{policy.name} reviews "
                f"take at most {limit} (policy review_photos_max)."
            )
            break
        sha = str(ev.sha256)
        name = ev.name or sha[:12]
        stored = stored_file(root, order.order_id, sha)
        if stored is None or not stored[1].is_file():
            warnings.append(f"Photo {name} is missing from the evidence store; skipped.")
            continue
        record, src = stored
        try:
            data = strip_and_reencode(
                src,
                max_pixels=policy.days("evidence_photo_max_pixels"),
                max_bytes=policy.days("evidence_photo_max_bytes"),
            )
        except InvalidInput as exc:
            warnings.append(f"Photo {name} skipped: {exc.message}")
            continue
        ext = extension_for(output_media_type(record.media_type))
        target = folder / f"{PHOTO_PREFIX}{len(written) + 1:02d}{ext}"
        atomic_write_bytes(target, data, mode=0o644)
        written.append(target)
    _remove_stale(folder, written)
    return written, warnings


def _remove_stale(folder: Path, keep: list[Path]) -> None:
    """Drop photos an earlier draft exported that this one did not (the folder is ours)."""
    if not folder.is_dir():
        return
    for path in folder.glob(f"{PHOTO_PREFIX}*"):
        if path.is_file() and path not in keep:
            path.unlink()


def render_markdown(
    order: Order, feedback: Feedback, explanations: dict[str, str] | None = None
) -> str:
    """The draft as Markdown: ratings with their reasons, the text to paste, the photos."""
    why = explanations or {}
    stars = int(feedback.stars or 0)
    reason = f" — {why['stars']}" if why.get("stars") else ""
    lines = [f"# Feedback draft: order {order.order_id}", ""]
    if feedback.overall:
        lines.append(f"Overall: {OVERALL_LABELS[feedback.overall]} ({stars}/5){reason}")
    else:
        lines.append(f"Product stars: {'★' * stars}{'☆' * (5 - stars)} ({stars}/5){reason}")
    lines.append("")
    if feedback.ratings:
        lines += ["Detailed seller ratings:", ""]
    for key, value in feedback.ratings.items():
        label = RATING_LABELS.get(key, key.replace("_", " ").capitalize())
        lines.append(f"- {label}: {value}/5" + (f" — {why[key]}" if why.get(key) else ""))
    lines += ["", "## Review text", "", str(feedback.text), ""]
    if feedback.photos:
        lines += ["## Photos (location data removed, ready to upload)", ""]
        lines += [f"- {p}" for p in feedback.photos]
        lines.append("")
    if feedback.posted_at:
        lines.append(f"Posted: {feedback.posted_at}.")
    else:
        lines.append(
            f"Drafted {feedback.drafted_at}. After posting it on the platform, run "
            f"`orderctl feedback {order.order_id} --posted`."
        )
    return "\n".join(lines) + "\n"


def draft_feedback(
    ctx: AppContext,
    order_id: str,
    *,
    stars: int | None = None,
    out: Path | None = None,
    posted: bool = False,
) -> FeedbackResult:
    """Derive, export the photos, write the Markdown and save ``order.feedback``."""
    if stars is not None and not 1 <= stars <= 5:
        raise InvalidInput(f"--stars must be 1 to 5, not {stars}")
    order = ctx.store.get(order_id)
    warnings = check_eligible(order)
    policy = ctx.policies.platform(order.platform)
    delivered = order.delivered_at
    if delivered is None:
        delivered = delivery_date(order, readable_events(ctx.store, order_id))
    form = policy.feedback_form
    draft = feedback_rules.draft_feedback(
        order,
        now=ctx.now,
        typical_days=policy.days("shipping_typical_days"),
        max_chars=policy.days("review_text_max_chars"),
        delivered=delivered,
        stars=stars,
        private=_private_words(ctx),
        handling_days=policy.days("handling_typical_days"),
        scale=form.scale if form else "stars5",
        rating_keys=form.ratings if form else feedback_rules.DEFAULT_RATINGS,
    )
    if order.inspection is None and stars is None:
        warnings.append("No inspection recorded: the stars are a neutral 3; set them with --stars.")
    folder = order_folder(ctx, order_id)
    photos, photo_warnings = export_photos(ctx, order, folder / "photos")
    warnings += photo_warnings
    previous = order.feedback or Feedback()
    feedback = Feedback(
        stars=draft.stars.value,
        ratings={key: rating.value for key, rating in draft.ratings.items()},
        text=draft.text,
        photos=tuple(str(p) for p in photos),
        delivery_days=draft.delivery_days,
        scale=draft.scale,
        overall=draft.overall,
        drafted_at=iso(ctx.now),
        posted_at=iso(ctx.now) if posted else previous.posted_at,
    )
    explanations = {"stars": draft.stars.why} | {k: r.why for k, r in draft.ratings.items()}
    markdown = render_markdown(order, feedback, explanations)
    path = _markdown_path(folder, out)
    atomic_write_text(path, markdown, mode=0o644)
    with ctx.store.transaction(ctx.now) as txn:
        current = txn.get(order_id)
        check_eligible(current)
        current.feedback = feedback
        txn.put(current)
    if previous.posted_at and not posted:
        warnings.append(
            f"This order's feedback was posted at {previous.posted_at}; the new draft is for "
            "editing the review on the platform."
        )
    return FeedbackResult(order_id, feedback, markdown, path, folder / "photos", warnings)


def _markdown_path(folder: Path, out: Path | None) -> Path:
    if out is None:
        return folder / "feedback.md"
    out = Path(out)
    return out / "feedback.md" if out.is_dir() else out


def record_posted(ctx: AppContext, order_id: str) -> FeedbackResult:
    """Record that the feedback was left on the platform (drafting it first if need be)."""
    order = ctx.store.get(order_id)
    if not order.feedback:
        return draft_feedback(ctx, order_id, posted=True)
    warnings: list[str] = []
    with ctx.store.transaction(ctx.now) as txn:
        current = txn.get(order_id)
        warnings += check_eligible(current)
        feedback = current.feedback or Feedback()
        if feedback.posted_at:
            warnings.append(f"Already recorded as posted at {feedback.posted_at}.")
            txn.discard()
        else:
            keys = feedback.keys and merged_keys(feedback.keys, ("posted_at",))
            feedback = replace(feedback, posted_at=iso(ctx.now), keys=keys)
            current.feedback = feedback
            txn.put(current)
    return FeedbackResult(order_id, feedback, warnings=warnings)
