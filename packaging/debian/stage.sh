#!/bin/sh
# Prepares the Debian package's files that differ from the source tree's, for jdeb (pom.xml):
# the units and the sandbox environment with the package's paths (/usr/share/credproxy instead of
# install.sh's /opt/credproxy), and the native changelog. Run by Maven with the staging directory,
# the Maven version and the maintainer.
#   stage.sh STAGING_DIR MAVEN_VERSION MAINTAINER
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
packaging="$(dirname "$here")"
out="$1"; maven_version="$2"; maintainer="$3"
# Debian versions sort "~" before anything, so 0.1.0~SNAPSHOT comes before the release 0.1.0; this
# is what jdeb's [[version]] makes of 0.1.0-SNAPSHOT in the control file (a test compares the two).
version="$(printf '%s' "$maven_version" | sed 's/-/~/g')"
rm -rf "$out"
mkdir -p "$out"

to_package_paths() {
    sed -e 's|/opt/credproxy/DEPLOY.md|/usr/share/doc/credproxy/DEPLOY.md|g' \
        -e 's|/opt/credproxy/|/usr/share/credproxy/|g' \
        -e 's|Installed by packaging/install.sh[^ ]*|Installed by the credproxy Debian package|' "$1"
}
to_package_paths "$packaging/systemd/credproxy.service" > "$out/credproxy.service"
to_package_paths "$packaging/systemd/credproxy-fence.service" > "$out/credproxy-fence.service"
to_package_paths "$packaging/sandbox-user.env" > "$out/sandbox-user.env"

# A native package's changelog: one entry for this build. gzip -n: no name or time stamp, so the
# same input gives the same bytes.
{
    echo "credproxy ($version) unstable; urgency=medium"
    echo
    echo "  * Built from the credproxy source tree."
    echo
    echo " -- $maintainer  $(LC_ALL=C date -R -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")"
} > "$out/changelog"
gzip -9n "$out/changelog"
