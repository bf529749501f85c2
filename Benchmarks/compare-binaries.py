#!/usr/bin/env python3
"""Runs leibniz-bench binaries alternately, in one period, and prints the minimum
time of every variant over the rounds, side by side, with the last binary's
ratio to the first.

    python3 Benchmarks/compare-binaries.py OLD,NEW W1,W2,W3,W5 5

OLD and NEW are copies of .build/release/leibniz-bench built from two commits.
"""
import subprocess, sys, re, collections
bins = sys.argv[1].split(',')
work = sys.argv[2].split(',')
rounds = int(sys.argv[3])
res = {b: collections.defaultdict(list) for b in bins}
for r in range(rounds):
    for b in bins:
        out = subprocess.run([b] + work, capture_output=True, text=True).stdout
        wl = None
        for line in out.splitlines():
            m = re.match(r'^(W\d)\b(.*)$', line)
            if m: wl = m.group(1) + (' n=' + re.search(r'n = ([\d,]+)', line).group(1) if re.search(r'n = ([\d,]+)', line) else ''); continue
            m = re.match(r'^(.+?)\s{2,}([\d.]+)\s+([\d.]+)\s+[\d.e+-]+×$', line)
            if m and wl and not line.startswith('floor'):
                res[b][(wl, m.group(1).strip())].append(float(m.group(2)))
keys = list(res[bins[0]].keys())
print('%-12s %-48s' % ('W', 'variant') + ''.join('%14s' % b.split('/')[-1] for b in bins) + '   new/old')
for k in keys:
    vals = [min(res[b][k]) if res[b][k] else float('nan') for b in bins]
    print('%-12s %-48s' % k + ''.join('%14.4g' % v for v in vals) + '   %.3f' % (vals[-1] / vals[0]))
