# The C loop's signature (see _mes.c and mes.py).
def equal_shares(
    supporters: list[tuple[list[int], list[int]]],
    counts: list[int],
    costs: list[int],
    ranks: list[int],
    b0: float,
    /,
) -> tuple[list[int], list[float], list[int], list[float]] | None: ...
