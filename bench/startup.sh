#!/usr/bin/env bash
# Start-up of the command line beside OpenSSL's, in the same run: `securemail-cli
# version` (dynamically linked, as `make build` and the .deb build it; and with
# CGO_ENABLED=0, as the Windows program is) against `openssl version`, each a
# process that starts, prints a line and exits. The runs alternate; medians and
# best of RUNS (default 40), wall time measured around the process alone (no
# shell or /usr/bin/time in between). docs/BENCHMARKS.md "Command line without
# the window" has the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-40}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/securemail-cli" ./cmd/securemail-cli
CGO_ENABLED=0 go build -o "$dir/securemail-cli-static" ./cmd/securemail-cli
python3 - "$runs" "$dir" <<'PY'
import os, statistics, subprocess, sys, time
runs, d = int(sys.argv[1]), sys.argv[2]
cmds = {
    "securemail-cli version": [f"{d}/securemail-cli", "version"],
    "securemail-cli version (CGO_ENABLED=0)": [f"{d}/securemail-cli-static", "version"],
    "openssl version": ["openssl", "version"],
}
times = {k: [] for k in cmds}
for _ in range(runs):
    for name, argv in cmds.items():
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        times[name].append((time.perf_counter() - t) * 1000)
base = statistics.median(times["openssl version"])
print(f"load average {os.getloadavg()[0]:.1f}, {runs} runs each, alternating")
for name, v in times.items():
    m = statistics.median(v)
    print(f"{name:40s} median {m:6.1f} ms  best {min(v):6.1f} ms  ratio to openssl {m / base:4.2f}")
PY
