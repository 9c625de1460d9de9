"""The design credproxy replaces, as the benchmark runs it in mitmdump.

The same logic as the seed's /opt/openclaw-proxy/inject_addon.py: read the env file once at start,
then for every request look the host up by ``pretty_host`` and set the headers. Only the file path
(BENCH_SECRETS_FILE) and the rule table (the benchmark's upstream) differ. Note ``pretty_host``
prefers the Host header: that is the seed's credential leak, kept here on purpose for fidelity.
"""
import os

from mitmproxy import http

SECRETS = {}
try:
    with open(os.environ.get("BENCH_SECRETS_FILE", "/etc/openclaw-secrets/env")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#') or '=' not in line:
                continue
            k, _, v = line.partition('=')
            SECRETS[k.strip()] = v.strip().strip('"').strip("'")
except Exception:
    pass


def s(key):
    return SECRETS.get(key, '')


INJECT_RULES = {
    "localhost": {
        "Authorization": f"Bearer {s('BENCH_API_TOKEN')}",
    },
}


class InjectAddon:
    def request(self, flow: http.HTTPFlow) -> None:
        host = flow.request.pretty_host
        if host not in INJECT_RULES:
            return
        for header, value in INJECT_RULES[host].items():
            if value:
                flow.request.headers[header] = value


addons = [InjectAddon()]
