#!/usr/bin/python3
"""Run a command under credproxy.service's system-call and socket filters, without systemd.

Why: the unit's SystemCallFilter= and RestrictAddressFamilies= are enforced by seccomp, and a JVM
that trips over a refused call fails only at run time, on the production machine. Containers and CI
have no systemd as PID 1 to start the unit, so this script rebuilds the same seccomp filter from the
unit file (group names expanded by `systemd-analyze syscall-filter`, the same tables systemd uses),
drops to an unprivileged user, and executes the command. It approximates systemd's filter (it does not
add the other sandbox settings); it is a rehearsal, not a proof.

Usage (as root; needs Debian's python3-seccomp and systemd packages):
  sandbox-rehearsal.py [--unit packaging/systemd/credproxy.service] [--uid 65534] -- CMD ARGS...
Run it inside `unshare -m -p -f --mount-proc` and remount /proc with hidepid=invisible to mimic
ProtectProc=invisible as well.
"""
import argparse
import errno
import os
import socket
import subprocess
import sys

import seccomp

FAMILIES = {"AF_INET": socket.AF_INET, "AF_INET6": socket.AF_INET6, "AF_UNIX": socket.AF_UNIX}


def expand(item, seen):
    """Names of the system calls in a @group (recursively), or the call itself."""
    if not item.startswith("@"):
        return {item}
    if item in seen:
        return set()
    seen.add(item)
    out = subprocess.run(["systemd-analyze", "syscall-filter", item],
                         capture_output=True, text=True, check=True).stdout
    calls = set()
    for line in out.splitlines()[1:]:
        entry = line.strip()
        if entry and not entry.startswith("#"):
            calls |= expand(entry, seen)
    return calls


def unit_settings(path):
    """The SystemCallFilter= lines (in order) and the RestrictAddressFamilies= list of a unit."""
    filters, families = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("SystemCallFilter="):
                filters.append(line.split("=", 1)[1])
            elif line.startswith("RestrictAddressFamilies="):
                families = line.split("=", 1)[1].split()
    return filters, families


def allowed_calls(filters):
    """systemd's reading: the first list is the allow list; later '~' lists remove from it."""
    allowed = None
    for value in filters:
        deny = value.startswith("~")
        names = set()
        for item in value.lstrip("~").split():
            names |= expand(item, set())
        if deny:
            if allowed is None:
                sys.exit("rehearsal: a deny-only SystemCallFilter is not supported here")
            allowed -= names
        else:
            allowed = names if allowed is None else allowed | names
    return allowed or set()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default=os.path.join(os.path.dirname(__file__), "systemd", "credproxy.service"))
    parser.add_argument("--uid", type=int, default=65534)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    filters, families = unit_settings(args.unit)
    allowed = allowed_calls(filters)
    seccomp_filter = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    added = 0
    for name in sorted(allowed - {"socket"}):
        try:
            seccomp_filter.add_rule(seccomp.ALLOW, name)
            added += 1
        except (RuntimeError, ValueError):
            pass  # a name libseccomp does not know on this architecture
    for family in families:
        seccomp_filter.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.EQ, FAMILIES[family]))
    # Like RestrictAddressFamilies=: any other family is "not supported", not "not permitted".
    seccomp_filter.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socket",
                            seccomp.Arg(0, seccomp.GT, max(FAMILIES[f] for f in families)))
    sys.stderr.write(f"rehearsal: {added} system calls allowed, socket families {families}, uid {args.uid}\n")
    os.setgroups([])
    os.setgid(args.uid)
    os.setuid(args.uid)
    seccomp_filter.load()
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
