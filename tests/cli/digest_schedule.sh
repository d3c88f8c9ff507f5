#!/bin/sh
# crawl --digest-at: the day's digest is e-mailed once a day through the
# e-mail channels, and a second run the same day sends nothing (the day
# sent is kept in the database).  Needs python3 for a loopback SMTP sink;
# without it the test says so and passes.
# Usage: digest_schedule.sh KOWATCH SOURCE_DIR
set -u
KW=$1
T=$(mktemp -d)
export KOWATCH_DB="$T/kw.db"
fail=0
pass=0
SINK_PID=
cleanup() { [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

if ! python3 -c 'import socket' 2>/dev/null; then
    echo "skipped: python3 is not available for the SMTP sink"
    echo "0 passed, 0 failed"
    exit 0
fi

# A minimal SMTP sink on 127.0.0.1: accepts every message, appends each to
# $T/mail, writes the port to $T/port.
cat > "$T/sink.py" <<'PY'
import socket, sys, threading
out, portfile = sys.argv[1], sys.argv[2]
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(4)
open(portfile, "w").write(str(srv.getsockname()[1]))
def serve(c):
    f = c.makefile("rb"); w = lambda s: c.sendall(s.encode() + b"\r\n")
    w("220 sink")
    while True:
        line = f.readline()
        if not line: return
        cmd = line.strip().upper()
        if cmd.startswith(b"DATA"):
            w("354 go"); data = []
            while True:
                l = f.readline()
                if l in (b".\r\n", b".\n", b""): break
                data.append(l)
            open(out, "ab").write(b"".join(data) + b"\n=====\n"); w("250 ok")
        elif cmd.startswith(b"QUIT"): w("221 bye"); return
        elif cmd.startswith(b"EHLO"): w("250 sink")
        else: w("250 ok")
while True:
    c, _ = srv.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
python3 "$T/sink.py" "$T/mail" "$T/port" &
SINK_PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$T/port")

"$KW" channel add email analyst@example.org --smtp "smtp://127.0.0.1:$PORT" >/dev/null 2>&1 \
    && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: channel add"; }
"$KW" -v crawl --once --digest-at 00:00 > "$T/out1" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q "digest of .* sent to 1 channel" "$T/out1"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1)); echo "FAIL: first run (exit $rc):"; cat "$T/out1"
fi
n=$(grep -c "^=====" "$T/mail" 2>/dev/null || echo 0)
if [ "$n" -eq 1 ] && grep -qi "multipart/alternative" "$T/mail"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1)); echo "FAIL: expected one MIME message, got $n"
fi
"$KW" -v crawl --once --digest-at 00:00 > "$T/out2" 2>&1
n=$(grep -c "^=====" "$T/mail" 2>/dev/null || echo 0)
if [ "$n" -eq 1 ] && ! grep -q "digest of .* sent" "$T/out2"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1)); echo "FAIL: the second run sent again ($n messages)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
