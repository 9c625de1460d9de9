#!/usr/bin/env bash
# Runs inside a fresh network namespace (unshare -n, as root): a loopback upstream (IPv4 and IPv6),
# a UDP "DNS" listener, the credproxy daemon as root, then `credproxy fence --apply` for FENCED,
# and clients as FENCED, OTHER and root. Prints one "name=exit-code" line per check; FenceIT reads
# them. Ports are fixed: nothing else lives in this namespace.
#   in-namespace.sh JAVA DAEMON_JAR WORK_DIR FENCED_UID OTHER_UID
set -u
java="$1"; jar="$2"; work="$3"; fenced="$4"; other="$5"
cd "$work"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null' EXIT

ip link set lo up
mkdir -p www && echo "hello from upstream" > www/hello.txt
/usr/bin/python3 -m http.server 8000 --bind 127.0.0.1 --directory www >upstream4.log 2>&1 & pids+=($!)
/usr/bin/python3 -m http.server 8001 --bind ::1 --directory www >upstream6.log 2>&1 & pids+=($!)
/usr/bin/python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 53))
while True:
    data, _ = s.recvfrom(512)
    with open("udp.log", "ab") as f: f.write(data + b"\n")
' >udp-listener.log 2>&1 & pids+=($!)

printf 'X=not-a-real-secret\n' > secrets.env && chmod 600 secrets.env
cat > credproxy.yaml <<YAML
listen: 127.0.0.1:18080
admin: 127.0.0.1:18081
secrets: secrets.env
ca_dir: ca
audit_log: audit.jsonl
upstream:
  resolve:
    "upstream.test:80": "127.0.0.1:8000"
rules: []
YAML
"$java" -jar "$jar" daemon --config credproxy.yaml >daemon.out 2>daemon.err & pids+=($!)
for _ in $(seq 1 300); do
    grep -q "proxy on" daemon.out 2>/dev/null && break
    sleep 0.1
done
grep -q "proxy on" daemon.out || { echo "daemon-started=1"; cat daemon.err; exit 0; }
for _ in $(seq 1 50); do
    /usr/bin/python3 -c 'import socket; socket.create_connection(("127.0.0.1", 8000), 1); socket.create_connection(("::1", 8001), 1)' 2>/dev/null && break
    sleep 0.1
done

"$java" -jar "$jar" fence --uid "$fenced" --config credproxy.yaml --apply >fence.out 2>&1
echo "fence-applied=$?"

as() { local uid="$1"; shift; (cd / && setpriv --reuid "$uid" --regid "$uid" --clear-groups "$@"); }
check() { local name="$1"; shift; "$@" >"$name.out" 2>&1; echo "$name=$?"; }

check fenced-via-proxy   as "$fenced" curl -sS --max-time 5 -x http://127.0.0.1:18080 http://upstream.test/hello.txt
check fenced-admin       as "$fenced" curl -sS --max-time 5 --noproxy '*' http://127.0.0.1:18081/healthz
check fenced-direct-v4   as "$fenced" curl -sS --max-time 5 --noproxy '*' http://127.0.0.1:8000/hello.txt
check fenced-direct-v6   as "$fenced" curl -sS --max-time 5 --noproxy '*' 'http://[::1]:8001/hello.txt'
check fenced-udp         as "$fenced" /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"from-fenced", ("127.0.0.1", 53))'
check other-direct-v4    as "$other" curl -sS --max-time 5 --noproxy '*' http://127.0.0.1:8000/hello.txt
check other-direct-v6    as "$other" curl -sS --max-time 5 --noproxy '*' 'http://[::1]:8001/hello.txt'
check other-udp          as "$other" /usr/bin/python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"from-other", ("127.0.0.1", 53))'
check root-direct-v4     curl -sS --max-time 5 --noproxy '*' http://127.0.0.1:8000/hello.txt
sleep 0.3
grep -q from-other udp.log 2>/dev/null; echo "udp-delivered-other=$?"
grep -q from-fenced udp.log 2>/dev/null; echo "udp-delivered-fenced=$?"
nft list table inet credproxy_fence >table.txt 2>&1
echo "done=0"
