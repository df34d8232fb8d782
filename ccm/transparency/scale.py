"""Scale data (``ccm seed_scale``): a record of every Article 7 report due so far from every State bound by the
Convention (the initial report and one annual report a year since entry into force): most submitted on time,
some late, some checked and not received. Reports not yet due get no record. Every row is illustrative."""

from __future__ import annotations

from datetime import timedelta

from ccm.core.scale import BATCH, ScaleContext, register
from ccm.transparency.models import SubmissionStatus, TransparencyReport
from ccm.transparency.selectors import bound_states
from ccm.treaty import reporting as rules

SOURCE = "Scale data set (made up, not the UN Article 7 record)"


@register
def seed(ctx: ScaleContext) -> list[str]:
    rng = ctx.rng
    day = ctx.today
    reports = []
    late = missing = 0
    states = list(bound_states().order_by("iso3"))
    for state in states:
        eif = state.entry_into_force
        # Each State has its habit: most report on time, a few are often late or silent.
        punctual = rng.choice([0.9, 0.9, 0.8, 0.6, 0.3])
        for expected in rules.expected_reports(
            entry_into_force=eif, today=day, withdrawal_effective=state.withdrawal_effective
        ):
            if expected.due >= day:
                continue
            earliest = rules.earliest_submission(expected.kind, entry_into_force=eif, year=expected.year)
            draw = rng.random()
            submitted = checked = None
            if draw < punctual:
                submitted = max(earliest, expected.due - timedelta(days=rng.randrange(0, 60)))
            elif draw < punctual + (1 - punctual) * 0.6:
                submitted = expected.due + timedelta(days=rng.randrange(1, 400))
                if submitted > day:
                    submitted = None
            if submitted is None:
                checked = min(day, expected.due + timedelta(days=rng.randrange(14, 120)))
                missing += 1
            elif submitted > expected.due:
                late += 1
            reports.append(
                TransparencyReport(
                    state=state,
                    kind=expected.kind.value,
                    year=expected.year,
                    status=SubmissionStatus.SUBMITTED if submitted else SubmissionStatus.NOT_RECEIVED,
                    submitted_on=submitted,
                    checked_on=checked,
                    source=SOURCE,
                    illustrative=True,
                )
            )
    TransparencyReport.objects.bulk_create(reports, batch_size=BATCH)
    return [
        f"{len(reports)} Article 7 report records for {len(states)} States "
        f"({late} submitted late, {missing} not received)"
    ]
