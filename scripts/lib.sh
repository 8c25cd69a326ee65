# What the bench scripts share: `source "$root/scripts/lib.sh"`.

now() { date +%s.%N; }
# Runs a command, its output dropped and its failure ignored; prints the seconds it took.
seconds() { local start; start=$(now); "$@" >/dev/null 2>&1 || true; awk "BEGIN {printf \"%.3f\", $(now) - $start}"; }
# The median of the numbers on standard input, one a line.
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
# The machine's load average over the last minute: the figures of a shared machine mean
# little without it, so every section's heading says it.
load() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }
