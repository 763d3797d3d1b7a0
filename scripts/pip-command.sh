# Sourced by the scripts that download from PyPI: sets PIP to the pip command line, or exits with
# a one-line error naming the calling script ($1).
PIP=()
if python3 -m pip --version >/dev/null 2>&1; then
  PIP=(python3 -m pip)
elif command -v pip3 >/dev/null 2>&1; then
  PIP=(pip3)
else
  echo "$1: error: pip is not installed (Debian: apt-get install python3-pip, listed in scripts/setup.sh)" >&2
  exit 1
fi
