#!/bin/sh
# Print a working Python 3.10 interpreter (Rasa 3.6 needs it), or explain and fail.
# Order: $PYTHON, python3.10 on PATH (pyenv shims may exist but fail), pyenv versions.
is_310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }
if [ -n "${PYTHON:-}" ]; then
  is_310 "$PYTHON" && { echo "$PYTHON"; exit 0; }
  echo "error: PYTHON=$PYTHON is not a working Python 3.10 interpreter." >&2; exit 1
fi
for candidate in python3.10 \
    $( (pyenv root 2>/dev/null || echo "$HOME/.pyenv") | sed 's|$|/versions/3.10.*/bin/python3.10|') \
    /usr/bin/python3.10 /usr/local/bin/python3.10; do
  for path in $candidate; do
    if is_310 "$path"; then command -v "$path" 2>/dev/null || echo "$path"; exit 0; fi
  done
done
echo "error: Rasa 3.6 needs Python 3.10. Install it (e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv') or run 'make PYTHON=/path/to/python3.10 ...'." >&2
exit 1
