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
# The token's run has every phase, the coverage phase's boundary values included: the token's user reaches
# the public operations too. Anonymous, most operations answer 401 or 404: examples, random inputs and the
# stateful links are enough there. Two workers each (the development server answers requests in threads).
echo "--- anonymous"
$BIN/schemathesis run "http://127.0.0.1:$PORT/api/schema/" --checks "$CHECKS" --max-examples 12 --no-color \
  --phases examples,fuzzing,stateful --workers 2
echo "--- with an API token"
$BIN/schemathesis run "http://127.0.0.1:$PORT/api/schema/" --checks "$CHECKS" --max-examples 15 --no-color \
  --workers 2 -H "Authorization: Bearer $TOKEN"

echo "--- boundary values of limit and offset on every paginated list (expect 400, never 500)"
LISTS=$($BIN/python - "$PORT" <<'PY'
import json, sys, urllib.request
schema = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/api/schema/?format=json"))
for path, item in schema["paths"].items():
    names = {p["name"] for p in item.get("get", {}).get("parameters", [])}
    if "limit" in names and "{" not in path:
        print(path)
PY
)
FAILED=0
for path in $LISTS; do
  plain=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path")
  if [ "$plain" = "404" ]; then echo "  $path: hidden from this token (404), skipped"; continue; fi
  for query in limit=9223372036854775808 limit=-1 limit=0 limit=abc offset=9223372036854775808 offset=-1 offset=abc; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT$path?$query")
    if [ "$code" != "400" ]; then echo "  $path?$query answered $code"; FAILED=1; fi
  done
done
COUNT=$(echo "$LISTS" | grep -c . || true)
[ "$COUNT" -ge 8 ] || { echo "  only $COUNT paginated lists found in the schema"; FAILED=1; }
[ "$FAILED" = 0 ] && echo "  $COUNT lists refused every boundary value with 400"
exit "$FAILED"
