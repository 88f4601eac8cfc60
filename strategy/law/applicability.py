"""Which duties apply to a jurisdiction: pure code over the loaded duties."""

from collections.abc import Iterable

from strategy.law.model import Duty, Level, Status


def applies_to(duty: Duty, state: str | None, population: int | None, kind: str | None) -> bool:
    """Whether the duty reaches a jurisdiction of this state, population and kind.

    An unknown state, population or kind does not rule a duty out: the page then says the
    duty may apply, rather than hiding one the jurisdiction could be bound by.
    """
    where = duty.applies
    if where.states and state is not None and state.upper() not in where.states:
        return False
    if kind is not None and kind not in where.kinds:
        return False
    if population is not None:
        if where.min_population is not None and population < where.min_population:
            return False
        if where.below_population is not None and population >= where.below_population:
            return False
    return True


def applicable_duties(
    duties: Iterable[Duty],
    state: str | None,
    population: int | None,
    kind: str | None,
    *,
    include_repealed: bool = False,
) -> list[Duty]:
    """The duties that apply, federal first, in the file's order within each level.

    A repealed or replaced duty binds no one and is left out unless asked for (a page may list
    it to say that the old law no longer applies).
    """
    found = [
        duty
        for duty in duties
        if applies_to(duty, state, population, kind)
        and (include_repealed or duty.status is not Status.REPEALED_OR_REPLACED)
    ]
    return sorted(found, key=lambda duty: duty.level is not Level.FEDERAL)
