#!/usr/bin/env bash
# Benchmark: the same HTTPS load direct, through credproxy, through squid (ssl-bump, injecting the
# header as a sysadmin would configure it) and through mitmdump (running the seed's addon),
# interleaved in one run. Starts everything on 127.0.0.1, stops it by PID, writes a
# Markdown table to bench/results/. See docs/BENCHMARKS.md.
#
#   bench/run.sh                 full run (about 12 minutes on 2 cores)
#   bench/run.sh --smoke         every scenario briefly with small sizes (CI)
#   bench/run.sh --only hostile  only the hostile-load scenario: normal traffic through credproxy, quiet and
#                                beside 10,000 idle connections and 5,000 slow heads (1,000 and 500 with --smoke)
#
#   bench/run.sh --baseline-jar F  adds credproxy-baseline: a second daemon from jar F (an older build),
#                                same config and JVM options, measured interleaved beside credproxy
#                                (before/after comparisons that load on a shared machine hits alike)
#
#   bench/run.sh --identity      adds credproxy-identity: a second daemon that identifies every client by the
#                                kernel's socket owner (apps: naming this user, unknown: deny, the rule scoped to it),
#                                measured beside credproxy (identification off)
#
# Options: --seconds N, --rounds N (full run), --only id,id (scenario ids),
#   --targets direct,credproxy,squid,mitmdump (also: credproxy-identity),
#   --jfr (record a JFR profile of credproxy), --no-build, --keep (keep the work directory), --no-hostile,
#   --serve (start everything, print the addresses and wait: for profiling by hand),
#   --results DIR (where the report goes; default bench/results), --prime SECONDS (unmeasured
#   warm-up per target before the first scenario; default 10, 0 for --smoke).
# Environment: CREDPROXY_JAVA (default: java), CREDPROXY_JAVA_OPTS (default: the JVM options of
#   packaging/systemd/credproxy.service's ExecStart=, whose Environment= lines apply too), CREDPROXY_JAR,
#   LOADGEN_JAVA (default: Temurin 25 when present, else java), MITMDUMP_QUIET=1 (mitmdump -q),
#   CREDPROXY_BASELINE_JAVA_OPTS (default: the same as credproxy's) and CREDPROXY_BASELINE_ENV
#   (space-separated NAME=VALUE; default: the unit's Environment=) for --baseline-jar.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command_line="bench/run.sh $*"
profile=full
seconds=10
rounds=3
only=""
targets="direct,credproxy,squid,mitmdump"
identity=0
baseline_jar=""
jfr=0
build=1
keep=0
serve=0
results=""
prime=""
hostile=1
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) profile=smoke ;;
    --seconds) seconds="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --only) only="$2"; shift ;;
    --targets) targets="$2"; shift ;;
    --identity) identity=1 ;;
    --baseline-jar) baseline_jar="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift ;;
    --jfr) jfr=1 ;;
    --no-build) build=0 ;;
    --keep) keep=1 ;;
    --serve) serve=1 ;;
    --results) results="$2"; shift ;;
    --prime) prime="$2"; shift ;;
    --no-hostile) hostile=0 ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[ "$identity" = 1 ] && targets="$targets,credproxy-identity"
[ -n "$baseline_jar" ] && targets="$targets,credproxy-baseline"
want() { [[ ",$targets," == *",$1,"* ]]; }
# The hostile-load scenario runs after the comparison, against credproxy; "--only hostile" runs it alone.
if [ -n "$only" ] && [[ ",$only," != *",hostile,"* ]]; then hostile=0; fi
want credproxy || hostile=0
only_scenarios="$(printf '%s' "$only" | tr ',' '\n' | grep -vx hostile | paste -sd, - || true)"
compare=1
if [ -n "$only" ] && [ -z "$only_scenarios" ]; then compare=0; fi
# The hostile load holds thousands of connections at both ends: raise the descriptor limit (root may raise the hard one).
if [ "$hostile" = 1 ]; then
  ulimit -Hn 65536 2>/dev/null || true
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi

# squid is installed when missing (Debian squid-openssl: ssl-bump needs its OpenSSL build), as
# root, without letting the package start its system service (policy-rc.d says no for the install).
if want squid && ! command -v squid >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "bench: installing squid-openssl"
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy_added=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends squid-openssl >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends squid-openssl >/dev/null; } ||
    echo "bench: cannot install squid-openssl" >&2
  [ "$policy_added" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

# Missing tools: a smoke run (CI) skips cleanly, a full run cannot measure anything.
missing=()
if want squid; then
  command -v squid >/dev/null || missing+=("squid (Debian package squid-openssl)")
fi
command -v nginx >/dev/null || missing+=("nginx (Debian package nginx-light or nginx)")
if want mitmdump; then
  command -v mitmdump >/dev/null || missing+=("mitmdump (Debian package mitmproxy)")
fi
command -v openssl >/dev/null || missing+=("openssl")
command -v python3 >/dev/null || missing+=("python3")
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: SKIPPED: not installed: ${missing[*]}"
  [ "$profile" = smoke ] && exit 0 || exit 3
fi

credproxy_java="${CREDPROXY_JAVA:-java}"
# credproxy runs with the JVM options and environment of the shipped unit, read from it so that
# they cannot drift apart: what is measured is what is installed.
unit="$root/packaging/systemd/credproxy.service"
unit_opts="$(sed -n 's|^ExecStart=/usr/bin/java \(.*\) -jar .*|\1|p' "$unit")"
[ -n "$unit_opts" ] || { echo "bench: cannot read the JVM options from $unit's ExecStart=" >&2; exit 2; }
read -r -a unit_env <<< "$(sed -n 's|^Environment=||p' "$unit" | tr '\n' ' ')"
credproxy_opts="${CREDPROXY_JAVA_OPTS:-$unit_opts}"
if [ -n "${CREDPROXY_BASELINE_ENV+set}" ]; then
  read -r -a baseline_env <<< "$CREDPROXY_BASELINE_ENV"
else
  baseline_env=("${unit_env[@]}")
fi
if [ -n "${LOADGEN_JAVA:-}" ]; then
  loadgen_java="$LOADGEN_JAVA"
elif [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  loadgen_java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
else
  loadgen_java=java
fi

daemon_jar="${CREDPROXY_JAR:-$root/proxy-daemon/target/credproxy-daemon.jar}"
bench_jar="$root/bench/target/benchmarks.jar"
if [ ! -f "$daemon_jar" ] || [ ! -f "$bench_jar" ]; then
  if [ "$build" = 0 ]; then
    echo "bench: $daemon_jar or $bench_jar is missing (and --no-build was given)" >&2
    exit 2
  fi
  echo "bench: building the daemon and the benchmark jars..."
  (cd "$root" && mvn -B -q -DskipTests package -pl bench -am)
fi

work="$(mktemp -d /tmp/credproxy-bench.XXXXXX)"
# nginx's worker may run as another user: it must reach the download file (secrets stay 0600).
chmod 755 "$work"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then echo "bench: work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Twelve free loopback ports.
read -r port_nginx port_helper port_credproxy port_admin port_mitm port_id port_id_admin port_nginx_h2 port_grpc port_squid \
  port_base port_base_admin < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(12)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))')

# A throw-away upstream PKI: a CA and a "localhost" server certificate, ECDSA P-256.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=credproxy bench upstream CA" -keyout "$work/upstream-ca.key" -out "$work/upstream-ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
  -keyout "$work/upstream.key" -out "$work/upstream.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' > "$work/upstream.ext"
openssl x509 -req -days 2 -in "$work/upstream.csr" -CA "$work/upstream-ca.pem" -CAkey "$work/upstream-ca.key" \
  -CAcreateserial -extfile "$work/upstream.ext" -out "$work/upstream.pem" 2>/dev/null
chmod 600 "$work/upstream-ca.key" "$work/upstream.key"

# The secret the proxies inject, in a 0600 env file, as the daemon requires. Config and secrets get
# a directory of their own, as in a real install (/etc): the daemon watches their directory for
# changes, and the logs written next to them would wake it on every request.
mkdir -p "$work/etc"
secret="bench-$(openssl rand -hex 24)"
(umask 077; printf 'BENCH_API_TOKEN=%s\n' "$secret" > "$work/etc/secrets.env")

if [ "$profile" = smoke ]; then download_bytes=$((1024 * 1024)); else download_bytes=$((100 * 1024 * 1024)); fi
mkdir -p "$work/www" "$work/nginx-temp"
truncate -s "$download_bytes" "$work/www/download"
chmod 755 "$work/www"; chmod 644 "$work/www/download"

wait_port() { # name pid port
  local i
  for i in $(seq 300); do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "bench: $1 exited during start-up; its log:" >&2
      tail -20 "$work/$1.log" >&2 || true
      exit 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$3") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "bench: $1 did not listen on 127.0.0.1:$3 within 30 s" >&2
  exit 1
}

# Upstream 1: nginx, one worker: the echo endpoint and the download. Each answer carries nginx's
# verdict on the Authorization it received (ok, placeholder, missing, wrong), never the value:
# credproxy removes its secrets from response headers. The config holds the value: 0600.
(umask 077; : > "$work/nginx.conf")
cat > "$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $work/nginx-temp/body;
  proxy_temp_path $work/nginx-temp/proxy;
  fastcgi_temp_path $work/nginx-temp/fastcgi;
  uwsgi_temp_path $work/nginx-temp/uwsgi;
  scgi_temp_path $work/nginx-temp/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  map_hash_bucket_size 128;
  map \$http_authorization \$auth_check {
    default wrong;
    "" missing;
    "Bearer proxy-managed" placeholder;
    "Bearer $secret" ok;
  }
  server {
    listen 127.0.0.1:$port_nginx ssl;
    server_name localhost;
    ssl_certificate $work/upstream.pem;
    ssl_certificate_key $work/upstream.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location = /echo { default_type text/plain; add_header X-Auth-Check \$auth_check always; return 200 \$auth_check; }
    location = /download {
      alias $work/www/download;
      default_type application/octet-stream;
      add_header X-Auth-Check \$auth_check always;
    }
  }
  # The same echo over h2 (ALPN h2, http/1.1), for the HTTP/2 scenario.
  server {
    listen 127.0.0.1:$port_nginx_h2 ssl http2;
    server_name localhost;
    ssl_certificate $work/upstream.pem;
    ssl_certificate_key $work/upstream.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location = /echo { default_type text/plain; add_header X-Auth-Check \$auth_check always; return 200 \$auth_check; }
  }
}
EOF
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' > "$work/nginx.log" 2>&1 &
pids+=($!)
wait_port nginx "$!" "$port_nginx"

# Upstream 2: the benchmark's Netty server, for server-sent events and counting uploads.
"$loadgen_java" -Xmx256m -cp "$bench_jar" io.credproxy.bench.upstream.BenchUpstream \
  127.0.0.1 "$port_helper" "$work/upstream.pem" "$work/upstream.key" "$work/etc/secrets.env" BENCH_API_TOKEN \
  > "$work/helper.log" 2>&1 &
pids+=($!)
wait_port helper "$!" "$port_helper"

# Upstream 3: the benchmark's gRPC server (gRPC-java), for the gRPC scenario.
"$loadgen_java" -Xmx256m -cp "$bench_jar" io.credproxy.bench.grpc.BenchGrpcServer \
  127.0.0.1 "$port_grpc" "$work/upstream.pem" "$work/upstream.key" "$work/etc/secrets.env" BENCH_API_TOKEN \
  > "$work/grpc.log" 2>&1 &
pids+=($!)
wait_port grpc "$!" "$port_grpc"

target_args=()
if want direct; then
  target_args+=(--target "name=direct,ca=$work/upstream-ca.pem")
fi

# Every credproxy daemon of the run reaches the same upstreams (by the name the rule is for).
upstream_yaml="upstream:
  extra_ca: [$work/upstream-ca.pem]
  resolve:
    \"localhost:$port_nginx\": \"127.0.0.1:$port_nginx\"
    \"localhost:$port_helper\": \"127.0.0.1:$port_helper\"
    \"localhost:$port_nginx_h2\": \"127.0.0.1:$port_nginx_h2\"
    \"localhost:$port_grpc\": \"127.0.0.1:$port_grpc\""

if want credproxy; then
  cat > "$work/etc/credproxy.yaml" <<EOF
listen: 127.0.0.1:$port_credproxy
admin: 127.0.0.1:$port_admin
secrets: $work/etc/secrets.env
ca_dir: $work/credproxy-ca
audit_log: $work/credproxy-audit.log
$upstream_yaml
rules:
  - host: localhost
    headers: {Authorization: "Bearer \${BENCH_API_TOKEN}"}
# Room for the hostile-load scenario's 15,000 connections (its attacker is another peer: 127.0.0.2).
limits:
  max_connections: 20000
  max_connections_per_peer: 16000
EOF
  jfr_opts=()
  if [ "$jfr" = 1 ]; then
    mkdir -p "${results:-$root/bench/results}"
    jfr_file="${results:-$root/bench/results}/credproxy-$(date +%Y%m%d-%H%M%S).jfr"
    jfr_opts=("-XX:StartFlightRecording=filename=$jfr_file,settings=profile")
    echo "bench: recording credproxy with JFR into $jfr_file"
  fi
  # shellcheck disable=SC2086 # the options are a list by convention
  env "${unit_env[@]}" "$credproxy_java" $credproxy_opts "${jfr_opts[@]}" -jar "$daemon_jar" daemon --config "$work/etc/credproxy.yaml" \
    > "$work/credproxy.log" 2>&1 &
  credproxy_pid=$!
  pids+=("$credproxy_pid")
  wait_port credproxy "$credproxy_pid" "$port_credproxy"
  target_args+=(--target "name=credproxy,proxy=127.0.0.1:$port_credproxy,pid=$credproxy_pid,ca=$work/credproxy-ca/ca.pem")
fi

if want credproxy-baseline; then
  # The same config on ports of its own, run from the older jar.
  sed -e "s|^listen: .*|listen: 127.0.0.1:$port_base|" -e "s|^admin: .*|admin: 127.0.0.1:$port_base_admin|" \
    -e "s|credproxy-ca|credproxy-baseline-ca|" -e "s|credproxy-audit.log|credproxy-baseline-audit.log|" \
    "$work/etc/credproxy.yaml" > "$work/etc/credproxy-baseline.yaml"
  # shellcheck disable=SC2086 # the options are a list by convention
  env "${baseline_env[@]}" "$credproxy_java" ${CREDPROXY_BASELINE_JAVA_OPTS:-$credproxy_opts} -jar "$baseline_jar" daemon --config "$work/etc/credproxy-baseline.yaml" \
    > "$work/credproxy-baseline.log" 2>&1 &
  credproxy_base_pid=$!
  pids+=("$credproxy_base_pid")
  wait_port credproxy-baseline "$credproxy_base_pid" "$port_base"
  target_args+=(--target "name=credproxy-baseline,proxy=127.0.0.1:$port_base,pid=$credproxy_base_pid,ca=$work/credproxy-baseline-ca/ca.pem")
fi

if want credproxy-identity; then
  # The same daemon and rule, but every client is identified by the kernel's word on who owns its
  # socket (/proc/net/tcp*, once per connection): the load generator's user is the app "bench".
  cat > "$work/etc/credproxy-identity.yaml" <<EOF
listen: 127.0.0.1:$port_id
admin: 127.0.0.1:$port_id_admin
secrets: $work/etc/secrets.env
ca_dir: $work/credproxy-identity-ca
audit_log: $work/credproxy-identity-audit.log
$upstream_yaml
apps:
  bench: {uids: [$(id -u)]}
identity:
  unknown: deny
rules:
  - host: localhost
    apps: [bench]
    headers: {Authorization: "Bearer \${BENCH_API_TOKEN}"}
EOF
  # shellcheck disable=SC2086 # the options are a list by convention
  env "${unit_env[@]}" "$credproxy_java" $credproxy_opts -jar "$daemon_jar" daemon --config "$work/etc/credproxy-identity.yaml" \
    > "$work/credproxy-identity.log" 2>&1 &
  credproxy_id_pid=$!
  pids+=("$credproxy_id_pid")
  wait_port credproxy-identity "$credproxy_id_pid" "$port_id"
  target_args+=(--target "name=credproxy-identity,proxy=127.0.0.1:$port_id,pid=$credproxy_id_pid,ca=$work/credproxy-identity-ca/ca.pem")
fi

if want squid; then
  # squid with ssl-bump, as a sysadmin would set it up to inject a header: a throw-away CA made for
  # this run, the certificate helper's cache in the run's directory, the placeholder Authorization
  # removed and the real one added for the upstream's domain, its access log on (as credproxy's
  # audit log is), one worker (-N: no daemon, no SMP kids), loopback only. Started as root, squid
  # drops to its cache_effective_user (proxy): the directories it writes belong to that user.
  mkdir -p "$work/squid/log"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=squid bench CA" -keyout "$work/squid/ca.key" -out "$work/squid/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  chmod 600 "$work/squid/ca.key"
  squid_user=""
  if [ "$(id -u)" = 0 ] && id proxy >/dev/null 2>&1; then squid_user=proxy; fi
  # A hosts file of its own: "localhost" is 127.0.0.1 only (nginx listens on IPv4); no DNS server but loopback.
  printf '127.0.0.1 localhost\n' > "$work/squid/hosts"
  /usr/lib/squid/security_file_certgen -c -s "$work/squid/ssl_db" -M 16MB >/dev/null
  if [ -n "$squid_user" ]; then chown -R "$squid_user" "$work/squid/ssl_db" "$work/squid/log"; fi
  (umask 077; : > "$work/squid/squid.conf")
  cat > "$work/squid/squid.conf" <<EOF
http_port 127.0.0.1:$port_squid ssl-bump generate-host-certificates=on dynamic_cert_mem_cache_size=16MB tls-cert=$work/squid/ca.pem tls-key=$work/squid/ca.key
sslcrtd_program /usr/lib/squid/security_file_certgen -s $work/squid/ssl_db -M 16MB
sslcrtd_children 4 startup=1 idle=1
acl step1 at_step SslBump1
ssl_bump peek step1
ssl_bump bump all
tls_outgoing_options cafile=$work/upstream-ca.pem
acl bench_api dstdomain localhost
request_header_access Authorization deny bench_api
request_header_add Authorization "Bearer $secret" bench_api
acl loopback src 127.0.0.0/8
http_access allow loopback
http_access deny all
workers 1
cache deny all
cache_mem 0 MB
access_log stdio:$work/squid/log/access.log
cache_log $work/squid/log/cache.log
cache_store_log none
pid_filename $work/squid/log/squid.pid
coredump_dir $work/squid/log
hosts_file $work/squid/hosts
dns_nameservers 127.0.0.1
pinger_enable off
netdb_filename none
visible_hostname credproxy-bench
shutdown_lifetime 1 second
max_filedescriptors 65536
${squid_user:+cache_effective_user $squid_user}
EOF
  squid -N -f "$work/squid/squid.conf" > "$work/squid.log" 2>&1 &
  squid_pid=$!
  pids+=("$squid_pid")
  wait_port squid "$squid_pid" "$port_squid"
  target_args+=(--target "name=squid,proxy=127.0.0.1:$port_squid,pid=$squid_pid,ca=$work/squid/ca.pem,http2=false")
fi

if want mitmdump; then
  mitm_quiet=()
  [ "${MITMDUMP_QUIET:-0}" = 1 ] && mitm_quiet=(-q)
  # As the seed's unit runs it, plus trust in the benchmark's upstream CA.
  BENCH_SECRETS_FILE="$work/etc/secrets.env" mitmdump --mode regular --listen-host 127.0.0.1 --listen-port "$port_mitm" \
    --set confdir="$work/mitm-conf" --set ssl_verify_upstream_trusted_ca="$work/upstream-ca.pem" \
    "${mitm_quiet[@]}" --scripts "$root/bench/mitm_inject_addon.py" > "$work/mitmdump.log" 2>&1 &
  mitm_pid=$!
  pids+=("$mitm_pid")
  wait_port mitmdump "$mitm_pid" "$port_mitm"
  target_args+=(--target "name=mitmdump,proxy=127.0.0.1:$port_mitm,pid=$mitm_pid,ca=$work/mitm-conf/mitmproxy-ca-cert.pem")
fi

if [ "$serve" = 1 ]; then
  echo "bench: serving until interrupted; work directory $work"
  echo "  echo/download: https://localhost:$port_nginx/echo  /download   sse/upload: https://localhost:$port_helper/sse /upload"
  echo "  h2 echo: https://localhost:$port_nginx_h2/echo   gRPC: localhost:$port_grpc (bench.Echo/Unary)"
  echo "  credproxy: 127.0.0.1:$port_credproxy (admin $port_admin, CA $work/credproxy-ca/ca.pem)"
  echo "  mitmdump:  127.0.0.1:$port_mitm (CA $work/mitm-conf/mitmproxy-ca-cert.pem)   upstream CA: $work/upstream-ca.pem"
  keep=1
  # wait (not a bare sleep) so that INT/TERM run the cleanup at once.
  while :; do sleep 3600 & wait $!; done
fi

results="${results:-$root/bench/results}"
mkdir -p "$results"
stamp="$(date +%Y%m%d-%H%M%S)"
out="$results/$stamp-$profile.md"
java_version() { "$1" -version 2>&1 | head -1; }
meta=(
  --meta "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  --meta "command=$command_line"
  --meta "machine=$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), Linux $(uname -r)"
  --meta "load average at start=$(cut -d' ' -f1-3 /proc/loadavg)"
  --meta "credproxy=$(java_version "$credproxy_java"), $(basename "$daemon_jar")"
  --meta "credproxy JVM options=$credproxy_opts${unit_env[*]:+ (environment: ${unit_env[*]})}$([ -z "${CREDPROXY_JAVA_OPTS:-}" ] && echo ", from packaging/systemd/credproxy.service")"
  ${baseline_jar:+--meta "credproxy-baseline=$baseline_jar, JVM options ${CREDPROXY_BASELINE_JAVA_OPTS:-$credproxy_opts}${baseline_env[*]:+ (environment: ${baseline_env[*]})}"}
  --meta "mitmdump=$(mitmdump --version 2>/dev/null | head -1) with bench/mitm_inject_addon.py (the seed's addon)"
  --meta "upstream=$(nginx -v 2>&1 | sed 's/^nginx version: //') (1 worker) for GETs (h2 too) and the download; the benchmark's Netty server (1 thread) for SSE and uploads; gRPC-java for gRPC"
)
echo "bench: running the $profile profile against: $targets"
set +e
status=0
if [ "$compare" = 1 ]; then
  "$loadgen_java" -cp "$bench_jar" io.credproxy.bench.LoadGenerator \
    "${target_args[@]}" --secrets "$work/etc/secrets.env" \
    --echo-url "https://localhost:$port_nginx/echo" \
    --download-url "https://localhost:$port_nginx/download" --download-bytes "$download_bytes" \
    --upload-url "https://localhost:$port_helper/upload" --sse-url "https://localhost:$port_helper/sse" \
    --echo-h2-url "https://localhost:$port_nginx_h2/echo" --grpc-target "localhost:$port_grpc" \
    --profile "$profile" --seconds "$seconds" --rounds "$rounds" ${only_scenarios:+--only "$only_scenarios"} ${prime:+--prime-seconds "$prime"} \
    "${meta[@]}" --meta "load average at end=see below" --out "$out"
  status=$?
else
  printf '# credproxy hostile load\n\n' > "$out"
  for m in "${meta[@]}"; do [ "$m" = --meta ] || printf -- '- %s\n' "${m/=/: }" >> "$out"; done
fi
if [ "$hostile" = 1 ]; then
  if [ "$profile" = smoke ]; then hostile_sizes=(--idle 1000 --slow 500 --seconds 2); else hostile_sizes=(--idle 10000 --slow 5000 --seconds "$seconds"); fi
  echo "bench: hostile load against credproxy (descriptor limit $(ulimit -n))"
  "$loadgen_java" -cp "$bench_jar" io.credproxy.bench.hostile.HostileLoad \
    --proxy "127.0.0.1:$port_credproxy" --admin "127.0.0.1:$port_admin" --pid "$credproxy_pid" --ca "$work/credproxy-ca/ca.pem" \
    --secrets "$work/etc/secrets.env" --echo-url "https://localhost:$port_nginx/echo" "${hostile_sizes[@]}" --out "$out"
  hostile_status=$?
  [ "$status" = 0 ] && status=$hostile_status
fi
set -e
echo "bench: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
sed -i "s|^- load average at end: see below|- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)|" "$out" 2>/dev/null || true
for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "bench: a server (pid $pid) died during the run; logs in $work" >&2; keep=1; status=1; }
done
exit $status
