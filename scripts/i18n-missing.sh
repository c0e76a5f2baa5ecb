#!/usr/bin/env bash
# Lists the keys of ui/i18n/translations/en.json that the translation file of
# another language still lacks, with the English text to translate, e.g.
#   scripts/i18n-missing.sh it      (a new file: starts from every key)
# Adding a language is adding that one file (docs/GLOSSARY.md says how).
set -euo pipefail
cd "$(dirname "$0")/.."
code="${1:?usage: scripts/i18n-missing.sh LANGUAGE-CODE (e.g. it)}"
dir=ui/i18n/translations
file="$dir/$code.json"
[ -f "$file" ] || file=/dev/null
jq -rn --slurpfile en "$dir/en.json" --slurpfile xx "$file" \
  '($xx[0] // {}) as $have | $en[0] | to_entries[] | select(.key as $k | $have | has($k) | not)
   | "\(.key)\t\(.value | if type == "object" then .other else . end)"'
