#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Keep the docs true: every "make <target>" that README.md and
# Documentation/ show is a target of the Makefile, every scripts/ path they
# name exists, and the reStructuredText builds without warnings, file by
# file with rst2html and as a whole with Sphinx (build/docs/index.html).
set -u
. "$(dirname "$0")/lib.sh"
cd "$HO_ROOT" || exit 1
bad=0
docs="README.md $(find Documentation -name '*.rst' | sort)"

targets=$(sed -n 's/^\([a-z][a-z0-9_-]*\):.*/\1/p' Makefile | sort -u)
# shellcheck disable=SC2086,SC2013 # $docs is a list of files; words wanted
for t in $(grep -ohE '\bmake [a-z][a-z0-9_-]*' $docs | awk '{print $2}' | sort -u); do
	if ! grep -qx "$t" <<<"$targets"; then
		echo "check-docs: 'make $t' is not a Makefile target"
		bad=1
	fi
done
# shellcheck disable=SC2086,SC2013
for f in $(grep -ohE '(^|[[:space:]`(])(scripts|configs|kunit|patches|Documentation)/[A-Za-z0-9_./*<>-]+' $docs |
	sed 's/^[[:space:]`(]//; s/[.,)]*$//' | sort -u); do
	case $f in *'<'* | *'*'*) continue ;; esac
	if [ ! -e "$f" ]; then
		echo "check-docs: $f is named but does not exist"
		bad=1
	fi
done
for f in $(find Documentation -name '*.rst' | sort); do
	# Sphinx-only directives (the index's toctree) are checked by Sphinx.
	grep -q '^\.\. toctree::' "$f" && continue
	if ! rst2html --halt=warning --report=warning "$f" >/dev/null; then
		echo "check-docs: $f: reStructuredText errors"
		bad=1
	fi
done
# The whole of Documentation/ as Sphinx builds it (Documentation/conf.py),
# warnings as errors, into build/docs/.
if command -v sphinx-build >/dev/null; then
	if ! out=$(sphinx-build -W -q -b html Documentation "$HO_BUILD/docs" 2>&1); then
		echo "check-docs: sphinx-build failed:"
		printf '    | %s\n' "${out//$'\n'/$'\n    | '}"
		bad=1
	fi
else
	echo "check-docs: sphinx-build not found (make deps installs python3-sphinx); Sphinx build skipped"
fi
[ $bad -eq 0 ] && echo "check-docs: ok ($(wc -w <<<"$docs") files)"
exit $bad
