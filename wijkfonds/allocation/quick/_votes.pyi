# The C reader's signature (see _votes.c and ballots.py).
def read_groups(
    rows: bytes | memoryview,
    width: int,
    id_col: int,
    vote_col: int,
    points_col: int,
    index: dict[str, int],
    limit: int,
    top: int,
    /,
) -> tuple[list[tuple[list[int], list[int]]], list[int], list[int], list[int], list[int], int] | None: ...
