#!/usr/bin/env bash
# Installs credproxy as a hardened system service running as the user openclaw-secrets.
#
# Idempotent: a second run changes nothing that is already right. It never overwrites the secrets
# file, the config or the sandbox environment once they exist (they hold local edits); it replaces
# the jars and the unit, which belong to the package (customize the unit with drop-ins:
# systemctl edit credproxy).
#
#   --root DIR    install into a directory tree instead of / (packaging, tests). No user is created
#                 there: the user and the ownership are recorded in sysusers.d/tmpfiles.d files that
#                 systemd applies on the target, and ownership is applied now only where this runs as
#                 root and the user already resolves on this machine.
#   --dry-run     print what would be done, change nothing.
#   --fence-uid UID  (repeatable) also install the kernel egress fence for these sandboxed uids or
#                 user names: /etc/credproxy/fence.nft, written by `credproxy fence`, and the unit
#                 credproxy-fence.service that loads it early at boot (needs java here).
# Exit codes: 0 done, 1 failed, 2 bad usage.
set -euo pipefail

readonly SERVICE_USER=openclaw-secrets
readonly SERVICE_GROUP=openclaw-secrets
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$SCRIPT_DIR")"
readonly SCRIPT_DIR REPO_DIR

usage() {
    cat <<EOF
Usage: $(basename "$0") [--root DIR] [--dry-run] [--daemon-jar FILE] [--agent-jar FILE] [--fence-uid UID]...

Installs the credproxy daemon as the systemd service credproxy.service, running as $SERVICE_USER.
  --root DIR          install into DIR instead of / (no user is created; see the script's header)
  --dry-run           print what would be done and change nothing
  --daemon-jar FILE   default: proxy-daemon/target/credproxy-daemon.jar
  --agent-jar FILE    default: agent/target/credproxy-agent.jar
  --fence-uid UID     fence this sandboxed uid or user name (repeatable): nftables leaves its processes
                      TCP to the daemon only; installs credproxy-fence.service (loads at boot)
  -h, --help          this text
EOF
}

die_usage() {
    echo "install.sh: $1" >&2
    echo "Try '$(basename "$0") --help'." >&2
    exit 2
}

die() {
    echo "install.sh: $1" >&2
    exit 1
}

ROOT=/
DRY_RUN=0
DAEMON_JAR="$REPO_DIR/proxy-daemon/target/credproxy-daemon.jar"
AGENT_JAR="$REPO_DIR/agent/target/credproxy-agent.jar"
FENCE_UIDS=()

while [[ $# -gt 0 ]]; do
    case "$1" in
        --root)
            [[ $# -ge 2 && -n "$2" ]] || die_usage "--root needs a directory"
            ROOT="$2"; shift 2 ;;
        --root=*)
            ROOT="${1#--root=}"; [[ -n "$ROOT" ]] || die_usage "--root needs a directory"; shift ;;
        --daemon-jar)
            [[ $# -ge 2 && -n "$2" ]] || die_usage "--daemon-jar needs a file"
            DAEMON_JAR="$2"; shift 2 ;;
        --agent-jar)
            [[ $# -ge 2 && -n "$2" ]] || die_usage "--agent-jar needs a file"
            AGENT_JAR="$2"; shift 2 ;;
        --fence-uid)
            [[ $# -ge 2 && -n "$2" ]] || die_usage "--fence-uid needs a uid or user name"
            FENCE_UIDS+=("$2"); shift 2 ;;
        --fence-uid=*)
            FENCE_UIDS+=("${1#--fence-uid=}"); shift ;;
        --dry-run)
            DRY_RUN=1; shift ;;
        -h|--help)
            usage; exit 0 ;;
        *)
            die_usage "unknown option '$1'" ;;
    esac
done

[[ "$ROOT" == /* ]] || ROOT="$PWD/$ROOT"
ROOT="${ROOT%/}"          # "" for the real root, so "$ROOT/etc" is always right
REAL_ROOT=0
[[ -z "$ROOT" ]] && REAL_ROOT=1
IS_ROOT=0
[[ "$(id -u)" -eq 0 ]] && IS_ROOT=1

[[ -f "$DAEMON_JAR" ]] || die "daemon jar $DAEMON_JAR not found: build it first with: mvn -B -DskipTests package"
[[ -f "$AGENT_JAR" ]] || die "agent jar $AGENT_JAR not found: build it first with: mvn -B -DskipTests package"
for sample in credproxy.yaml env.example sandbox-user.env systemd/credproxy.service systemd/credproxy-fence.service \
        systemd/credproxy.sysusers systemd/credproxy.tmpfiles; do
    [[ -f "$SCRIPT_DIR/$sample" ]] || die "packaging file $SCRIPT_DIR/$sample is missing"
done
if [[ $REAL_ROOT -eq 1 && $IS_ROOT -eq 0 && $DRY_RUN -eq 0 ]]; then
    die "installing into / needs root (or use --root DIR, or --dry-run)"
fi

# The fence table, made before anything changes so that a bad uid stops the run at once. It is
# computed from the config the daemon will run with: the installed one, or the sample that the
# installation is about to put there.
FENCE_SCRIPT=""
if [[ ${#FENCE_UIDS[@]} -gt 0 ]]; then
    command -v java >/dev/null || die "--fence-uid needs java to run 'credproxy fence' (Debian: apt-get install openjdk-17-jre-headless)"
    fence_config="$ROOT/etc/credproxy/credproxy.yaml"
    [[ -f "$fence_config" ]] || fence_config="$SCRIPT_DIR/credproxy.yaml"
    fence_args=()
    for uid in "${FENCE_UIDS[@]}"; do fence_args+=(--uid "$uid"); done
    fence_status=0
    FENCE_SCRIPT="$(java -jar "$DAEMON_JAR" fence "${fence_args[@]}" --config "$fence_config" 2>&1)" || fence_status=$?
    if [[ $fence_status -ne 0 ]]; then
        echo "install.sh: --fence-uid: ${FENCE_SCRIPT#credproxy: }" >&2
        exit $(( fence_status == 2 ? 2 : 1 ))
    fi
fi

# --- small, idempotent steps; each prints what it changes ------------------------------------------

note() { echo "  $*"; }

# Runs a command, or only prints it in --dry-run.
act() {
    local shown
    shown="$(printf '%q ' "$@")"
    if [[ $DRY_RUN -eq 1 ]]; then
        echo "  would: ${shown% }"
    else
        echo "  ${shown% }"
        "$@"
    fi
}

# Whether OWNER:GROUP can be applied here: as root, to a user and group this system knows.
can_own() {
    [[ $IS_ROOT -eq 1 ]] || return 1
    local owner="$1" group="$2"
    if [[ "$owner" == root || -n "$(getent passwd "$owner" 2>/dev/null)" ]] \
        && [[ "$group" == root || -n "$(getent group "$group" 2>/dev/null)" ]]; then
        return 0
    fi
    # In a real install the user is created before ownership is applied; a dry run shows the chown.
    [[ $REAL_ROOT -eq 1 && $DRY_RUN -eq 1 ]]
}

OWNERSHIP_SKIPPED=0

# Sets mode and (where possible) owner of an existing path, only if they differ.
ensure_attrs() {
    local path="$1" mode="$2" owner="$3" group="$4"
    local exists=0
    [[ -e "$path" ]] && exists=1   # missing only in a dry run, after the step that would create it
    if [[ $exists -eq 0 || "$(stat -c %a "$path")" != "${mode#0}" ]]; then
        act chmod "$mode" "$path"
    fi
    if can_own "$owner" "$group"; then
        if [[ $exists -eq 0 || "$(stat -c %U:%G "$path")" != "$owner:$group" ]]; then
            act chown "$owner:$group" "$path"
        fi
    elif [[ "$owner:$group" != root:root ]]; then
        OWNERSHIP_SKIPPED=1
    fi
}

ensure_dir() {
    local path="$1" mode="$2" owner="$3" group="$4"
    if [[ ! -d "$path" ]]; then
        act mkdir -p "$path"
    fi
    ensure_attrs "$path" "$mode" "$owner" "$group"
}

# A file the package owns: replaced when its content differs.
install_owned() {
    local src="$1" dest="$2" mode="$3"
    if [[ -f "$dest" ]] && cmp -s "$src" "$dest"; then
        ensure_attrs "$dest" "$mode" root root
        return 0
    fi
    # Copy next to it, then rename: a running JVM keeps reading the old jar's inode.
    act cp "$src" "$dest.new"
    act chmod "$mode" "$dest.new"
    act mv -f "$dest.new" "$dest"
    ensure_attrs "$dest" "$mode" root root
}

# A file the administrator owns after installation: created once, never overwritten.
install_once() {
    local src="$1" dest="$2" mode="$3" owner="$4" group="$5"
    if [[ -e "$dest" ]]; then
        note "keep $dest (exists; never overwritten)"
    else
        # Created with its final mode in one step, so there is no moment it is readable by others.
        act install -m "$mode" "$src" "$dest"
    fi
    ensure_attrs "$dest" "$mode" "$owner" "$group"
}

ensure_service_user() {
    if [[ $REAL_ROOT -eq 0 ]]; then
        note "user $SERVICE_USER: not created under --root; recorded in usr/lib/sysusers.d/credproxy.conf"
        return 0
    fi
    if ! getent group "$SERVICE_GROUP" >/dev/null; then
        act groupadd --system "$SERVICE_GROUP"
    fi
    if ! getent passwd "$SERVICE_USER" >/dev/null; then
        act useradd --system --gid "$SERVICE_GROUP" --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin --comment "credproxy secrets proxy" "$SERVICE_USER"
    fi
}

write_if_changed() {
    local dest="$1" content="$2"
    if [[ -f "$dest" ]] && [[ "$(cat "$dest")" == "$content" ]]; then
        ensure_attrs "$dest" 0644 root root
        return 0
    fi
    if [[ $DRY_RUN -eq 1 ]]; then
        echo "  would: write $dest"
    else
        echo "  write $dest"
        printf '%s\n' "$content" > "$dest.new"
        chmod 0644 "$dest.new"
        mv -f "$dest.new" "$dest"
    fi
    ensure_attrs "$dest" 0644 root root
}

# --- the installation -------------------------------------------------------------------------------

echo "credproxy: installing into ${ROOT:-/}$([[ $DRY_RUN -eq 1 ]] && echo ' (dry run: nothing is changed)')"
[[ $REAL_ROOT -eq 1 || -d "$ROOT" ]] || act mkdir -p "$ROOT"

ensure_service_user

# The user and the owners and modes, as systemd-sysusers and systemd-tmpfiles records (the Debian
# package ships the same two files).
ensure_dir "$ROOT/usr/lib/sysusers.d" 0755 root root
install_owned "$SCRIPT_DIR/systemd/credproxy.sysusers" "$ROOT/usr/lib/sysusers.d/credproxy.conf" 0644
ensure_dir "$ROOT/usr/lib/tmpfiles.d" 0755 root root
install_owned "$SCRIPT_DIR/systemd/credproxy.tmpfiles" "$ROOT/usr/lib/tmpfiles.d/credproxy.conf" 0644

ensure_dir "$ROOT/opt/credproxy" 0755 root root
install_owned "$DAEMON_JAR" "$ROOT/opt/credproxy/credproxy-daemon.jar" 0644
# Readable by everyone: every sandboxed JVM loads it with -javaagent.
install_owned "$AGENT_JAR" "$ROOT/opt/credproxy/credproxy-agent.jar" 0644
if [[ -f "$REPO_DIR/docs/DEPLOY.md" ]]; then
    install_owned "$REPO_DIR/docs/DEPLOY.md" "$ROOT/opt/credproxy/DEPLOY.md" 0644
fi

# Config and sandbox environment hold no secret (only names and placeholders): readable, root-owned,
# so neither the sandbox nor the service user can change what the proxy does.
ensure_dir "$ROOT/etc/credproxy" 0755 root root
install_once "$SCRIPT_DIR/credproxy.yaml" "$ROOT/etc/credproxy/credproxy.yaml" 0644 root root
install_once "$SCRIPT_DIR/sandbox-user.env" "$ROOT/etc/credproxy/sandbox-user.env" 0644 root root
ensure_dir "$ROOT/etc/credproxy/ca" 0700 "$SERVICE_USER" "$SERVICE_GROUP"

# The directory is root's, entered through the group: the service can read its secrets but cannot
# replace or add files there (and systemd-tmpfiles refuses a root-owned file below a directory owned
# by another user as an unsafe path transition).
ensure_dir "$ROOT/etc/openclaw-secrets" 0750 root "$SERVICE_GROUP"
install_once "$SCRIPT_DIR/env.example" "$ROOT/etc/openclaw-secrets/env" 0600 "$SERVICE_USER" "$SERVICE_GROUP"

ensure_dir "$ROOT/etc/systemd/system" 0755 root root
install_owned "$SCRIPT_DIR/systemd/credproxy.service" "$ROOT/etc/systemd/system/credproxy.service" 0644

if [[ -n "$FENCE_SCRIPT" ]]; then
    # Root's, read by nft at boot; it names uids and addresses only.
    write_if_changed "$ROOT/etc/credproxy/fence.nft" "$FENCE_SCRIPT"
    install_owned "$SCRIPT_DIR/systemd/credproxy-fence.service" "$ROOT/etc/systemd/system/credproxy-fence.service" 0644
    if [[ $REAL_ROOT -eq 1 ]] && ! command -v nft >/dev/null && [[ ! -x /usr/sbin/nft ]]; then
        echo "  warning: /usr/sbin/nft is missing; the fence unit needs it (Debian: apt-get install nftables)"
    fi
fi

if [[ $REAL_ROOT -eq 1 ]]; then
    for tool in /usr/bin/java /usr/bin/curl; do
        # The unit runs both by absolute path (systemd-analyze verify insists on it).
        [[ -x "$tool" ]] || echo "  warning: $tool is missing; the unit needs it (Debian: apt-get install openjdk-17-jre-headless curl)"
    done
fi
if [[ $OWNERSHIP_SKIPPED -eq 1 ]]; then
    echo "  note: ownership by $SERVICE_USER not applied here (not root, or the user does not exist on this"
    echo "        machine); the target applies it with: systemd-sysusers credproxy.conf && systemd-tmpfiles --create credproxy.conf"
fi

cat <<EOF

Next steps$([[ $REAL_ROOT -eq 0 ]] && echo " (on the machine that gets this tree)"):
  1. Put the real secrets into /etc/openclaw-secrets/env (it holds FAKE placeholders until you do):
       sudoedit /etc/openclaw-secrets/env
  2. Set your CRM host in /etc/credproxy/credproxy.yaml and check config and secrets together:
       sudo systemd-run --quiet --wait --pipe -p User=$SERVICE_USER \\
         -p LoadCredential=secrets:/etc/openclaw-secrets/env \\
         java -jar /opt/credproxy/credproxy-daemon.jar check --config /etc/credproxy/credproxy.yaml
  3. Start it, now and at boot:
       sudo systemctl daemon-reload && sudo systemctl enable --now credproxy
  4. Point the sandboxed user at it: load /etc/credproxy/sandbox-user.env into its environment
     (HTTP(S)_PROXY, placeholders, JAVA_TOOL_OPTIONS with the agent /opt/credproxy/credproxy-agent.jar).
  5. Verify: curl -s http://127.0.0.1:18081/healthz, then java -jar /opt/credproxy/credproxy-daemon.jar report
EOF
if [[ -n "$FENCE_SCRIPT" ]]; then
    cat <<EOF
  6. Load the fence now and at every boot (then: sudo nft list table inet credproxy_fence):
       sudo systemctl daemon-reload && sudo systemctl enable --now credproxy-fence
EOF
fi
echo "More: /opt/credproxy/DEPLOY.md"
