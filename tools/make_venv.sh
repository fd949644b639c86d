#!/bin/sh
# Creates the project's virtual environment ($1, default .venv) with the fastest suitable Python.
# A distribution's own CPython (/usr/bin/python3 on Debian, Ubuntu, Fedora) is compiled with profile-
# guided and link-time optimisation and runs the race model ~15 % faster than a plain source build
# (pyenv's default), so it comes first when it is 3.11+ and can make a venv; else python3 from PATH.
# PYTHON=/path/to/python forces one interpreter.
set -u
venv="${1:-.venv}"
if [ -n "${PYTHON:-}" ]; then
    candidates="$PYTHON"
else
    candidates="/usr/bin/python3 python3"
fi
for py in $candidates; do
    command -v "$py" >/dev/null 2>&1 || continue
    "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || continue
    rm -rf "$venv"
    if "$py" -m venv "$venv" 2>/dev/null; then
        echo "venv: $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0], sys.executable)') from $py"
        exit 0
    fi
done
rm -rf "$venv"
echo "no Python 3.11+ that can create a virtual environment (tried: $candidates)" >&2
exit 2
