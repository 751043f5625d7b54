"""``python -m wijkfonds.integrity``: check a ballot's inclusion proof or an anchor offline.

    python -m wijkfonds.integrity proof PROOF.json [--root PUBLISHED_ROOT]
    python -m wijkfonds.integrity anchor ANCHOR.json [--public-key KEY]

Exit 0 when everything holds, 1 when it does not (each problem is printed), 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wijkfonds.integrity import anchor, merkle


def _load(path: str) -> object:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise SystemExit(f"{path}: cannot read: {err.strerror}") from None
    except json.JSONDecodeError as err:
        raise SystemExit(f"{path}: line {err.lineno}: not JSON ({err.msg})") from None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m wijkfonds.integrity", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("proof", help="check a ballot's inclusion proof (from the receipt page)")
    p.add_argument("file")
    p.add_argument("--root", help="the root published on the result page (else the proof's own root)")
    a = sub.add_parser("anchor", help="check an audit anchor's signature")
    a.add_argument("file")
    a.add_argument("--public-key", help="the installation's public key (from the public audit page)")
    args = parser.parse_args(argv)
    data = _load(args.file)
    if args.what == "proof":
        if not isinstance(data, dict):
            print(f"{args.file}: not a proof", file=sys.stderr)
            return 2
        problems = merkle.verify_proof(data, args.root)
        ok = f"the ballot is included in the tree with root {data.get('root')} ({data.get('size')} ballots)"
    else:
        docs = data if isinstance(data, list) else [data]
        problems = [
            f"anchor {i + 1}: {p}" for i, d in enumerate(docs) for p in anchor.signature_problems(d, args.public_key)
        ]
        ok = f"{len(docs)} anchor(s) correctly signed"
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(ok)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
