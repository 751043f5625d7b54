#!/usr/bin/env bash
# Regenerate the initial migration from the models (only while nothing is deployed:
# the schema is still one migration). Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f migrations/versions/0001_initial_schema.py
export WIJKFONDS_DATABASE_URL="sqlite:///$tmp/regen.sqlite3"
.venv/bin/flask --app wijkfonds db migrate -m "initial schema" --rev-id 0001 >/dev/null
echo "regenerated migrations/versions/0001_initial_schema.py"
