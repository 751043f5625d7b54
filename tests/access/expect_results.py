"""Access expectations of the public results pages."""

from . import ANYONE

EXPECT = {
    "results.index": {"GET": ANYONE},
    "results.round_results": {"GET": ANYONE},
    "results.explanation": {"GET": ANYONE},
}
EXPECT.update(
    {
        "results.result_csv": {"GET": ANYONE},
        "results.result_pb": {"GET": ANYONE},
    }
)
