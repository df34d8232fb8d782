#!/usr/bin/env bash
# Schemathesis against the running API: anonymous, then with a personal API token.
# Checks: no server errors, and responses match the OpenAPI schema.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT="${ST_PORT:-8765}"
DB=$(mktemp -d)/ccm-schemathesis.sqlite3
export DEBUG=1 DATABASE_URL="sqlite:///$DB" API_THROTTLE_ANON=100000/minute API_THROTTLE_USER=100000/minute
$BIN/ccm migrate --noinput -v0
$BIN/ccm load_reference >/dev/null
$BIN/ccm seed_demo >/dev/null
TOKEN=$($BIN/ccm shell --no-imports -c "
from ccm.accounts.models import User
from ccm.accounts.services import api_token_create
user = User.objects.get(email='lebanon.manager@example.org')
print(api_token_create(user=user, name='schemathesis', actor=user)[1])")
$BIN/ccm runserver "127.0.0.1:$PORT" --noreload >/tmp/ccm-schemathesis-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/api/schema/" >/dev/null && break; sleep 0.2; done

CHECKS=not_a_server_error,response_schema_conformance
echo "--- anonymous"
$BIN/schemathesis run "http://127.0.0.1:$PORT/api/schema/" --checks "$CHECKS" --max-examples 30 --no-color
echo "--- with an API token"
$BIN/schemathesis run "http://127.0.0.1:$PORT/api/schema/" --checks "$CHECKS" --max-examples 30 --no-color \
  -H "Authorization: Bearer $TOKEN"
